//! Infrastructure as code: Terraform (HCL heuristics over resource blocks),
//! CloudFormation (JSON or YAML, parsed into values) and CDK TypeScript
//! (construct property heuristics).

use crate::Settings;
use crate::json::PathIndex;
use crate::rules::*;
use crate::util::Hit;
use regex::Regex;
use serde_json::Value;
use std::sync::LazyLock;

/// Ports that must never be open to the internet.
pub const ADMIN_PORTS: &[u32] = &[
    21, 22, 23, 135, 139, 445, 1433, 1521, 2375, 2376, 3306, 3389, 5432, 5601, 5900, 5985, 5986,
    6379, 9200, 9300, 11211, 27017,
];

fn covers_admin(from: u32, to: u32) -> Option<u32> {
    let (lo, hi) = (from.min(to), from.max(to));
    ADMIN_PORTS.iter().copied().find(|p| (lo..=hi).contains(p))
}

static REGION_LIT: LazyLock<Regex> = LazyLock::new(|| {
    kiro_guard_skill::ascii_regex::regex(r"^(us|eu|ap|sa|ca|me|af|il|cn|mx)(-gov)?-(north|south|east|west|central|northeast|southeast|northwest|southwest)-\d[a-z]?$").unwrap()
});

fn region_of(s: &str) -> Option<String> {
    let s = s.trim();
    REGION_LIT.is_match(s).then(|| {
        // availability zone → region
        if s.ends_with(|c: char| c.is_ascii_alphabetic()) {
            s[..s.len() - 1].to_string()
        } else {
            s.to_string()
        }
    })
}

// ============================================================== Terraform

#[derive(Debug)]
struct Block<'a> {
    kind: &'a str,
    ty: String,
    name: String,
    start: usize,
    body: (usize, usize),
}

static TF_HEAD: LazyLock<Regex> = LazyLock::new(|| {
    kiro_guard_skill::ascii_regex::regex(
        r#"(?m)^[ \t]*(resource|data|provider)[ \t]+"([^"]+)"(?:[ \t]+"([^"]+)")?[ \t]*\{"#,
    )
    .unwrap()
});

/// Index just past the `}` closing the block whose `{` is at `open`.
fn close_brace(b: &[u8], open: usize) -> usize {
    let mut depth = 0usize;
    let mut i = open;
    while i < b.len() {
        match b[i] {
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' && b[i] != b'\n' {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                    i += 1;
                }
                i += 1;
            }
            b'{' => depth += 1,
            b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    b.len()
}

/// End of a block body: the closing `}` (ASCII) or the end of the text.
fn body_end(b: &[u8], open: usize, end: usize) -> usize {
    if end > open + 1 && end <= b.len() && b[end - 1] == b'}' {
        end - 1
    } else {
        b.len().max(open + 1)
    }
}

fn tf_blocks(text: &str) -> Vec<Block<'static>> {
    let mut out = Vec::new();
    for c in TF_HEAD.captures_iter(text) {
        let m = c.get(0).unwrap();
        let open = m.end() - 1;
        let end = close_brace(text.as_bytes(), open);
        let kind: &'static str = match &c[1] {
            "resource" => "resource",
            "data" => "data",
            _ => "provider",
        };
        out.push(Block {
            kind,
            ty: c[2].to_string(),
            name: c.get(3).map(|x| x.as_str().to_string()).unwrap_or_default(),
            start: m.start() + (m.as_str().len() - m.as_str().trim_start().len()),
            body: (open + 1, body_end(text.as_bytes(), open, end)),
        });
    }
    out
}

/// Lines of a body with their absolute start offsets.
fn body_lines(text: &str, body: (usize, usize)) -> impl Iterator<Item = (usize, &str)> {
    let b = &text[body.0..body.1];
    let mut off = body.0;
    b.split('\n').map(move |l| {
        let at = off;
        off += l.len() + 1;
        (at, l)
    })
}

/// `attr = value` in a block body (value text without quotes, offset of the
/// attribute). First match wins.
fn tf_attr<'t>(text: &'t str, body: (usize, usize), attr: &str) -> Option<(&'t str, usize)> {
    for (at, line) in body_lines(text, body) {
        let t = line.trim_start();
        let Some(rest) = t.strip_prefix(attr) else {
            continue;
        };
        let rest = rest.trim_start();
        let Some(v) = rest.strip_prefix('=') else {
            continue;
        };
        if v.starts_with('=') {
            continue;
        }
        let mut v = v.trim();
        if !v.starts_with('"') {
            if let Some(i) = v.find(" #").or_else(|| v.find(" //")) {
                v = v[..i].trim();
            }
        } else if let Some(end) = v[1..].find('"') {
            v = &v[..end + 2];
        }
        return Some((v.trim_matches('"'), at + (line.len() - t.len())));
    }
    None
}

fn opens_block(line: &str, name: &str) -> bool {
    line.trim_start()
        .strip_prefix(name)
        .is_some_and(|r| r.trim_start().starts_with('{'))
}

fn tf_has_block(text: &str, body: (usize, usize), name: &str) -> bool {
    body_lines(text, body).any(|(_, l)| opens_block(l, name))
}

/// Sub-blocks named `name` inside a body: (start, body range).
fn tf_sub_blocks(text: &str, body: (usize, usize), name: &str) -> Vec<(usize, (usize, usize))> {
    body_lines(text, body)
        .filter(|(_, l)| opens_block(l, name))
        .map(|(at, l)| {
            let open = at + l.find('{').unwrap_or(0);
            let end = close_brace(text.as_bytes(), open);
            (at, (open + 1, body_end(text.as_bytes(), open, end)))
        })
        .collect()
}

fn line_end(text: &str, at: usize) -> usize {
    text[at..].find('\n').map(|p| at + p).unwrap_or(text.len())
}

fn is_true(v: Option<(&str, usize)>) -> bool {
    v.is_some_and(|(x, _)| x == "true")
}

fn tf_cidr_world(text: &str, body: (usize, usize)) -> bool {
    let b = &text[body.0..body.1];
    b.contains("\"0.0.0.0/0\"") || b.contains("\"::/0\"")
}

fn tf_port(text: &str, body: (usize, usize), attr: &str) -> Option<u32> {
    tf_attr(text, body, attr).and_then(|(v, _)| v.parse().ok())
}

fn tf_ingress_open(text: &str, body: (usize, usize), proto_attr: &str) -> Option<String> {
    if !tf_cidr_world(text, body) {
        return None;
    }
    let proto = tf_attr(text, body, proto_attr)
        .map(|x| x.0.to_string())
        .unwrap_or_default();
    if proto == "-1" || proto.eq_ignore_ascii_case("all") {
        return Some("all traffic".into());
    }
    let from = tf_port(text, body, "from_port");
    let to = tf_port(text, body, "to_port").or(from);
    match (from, to) {
        (Some(f), Some(t)) => covers_admin(f, t).map(|p| format!("port {p}")),
        _ => None,
    }
}

/// Terraform checks.
/// Most sibling text considered for a Terraform module.
const MAX_MODULE_TEXT: usize = 4 * 1024 * 1024;

/// Judge one `.tf` file as part of its module: the sibling files' resources
/// (encryption configurations, public-access blocks, TLS bucket policies,
/// versioning, CloudTrail and KMS settings, references by resource name)
/// count, and only findings located in `primary` are returned (offsets into
/// `primary`). Siblings beyond 64 files or 4 MiB in total are ignored.
pub fn check_terraform_module(primary: &str, siblings: &[String], s: &Settings) -> Vec<Hit> {
    if siblings.is_empty() {
        return check_terraform(primary, s);
    }
    let mut text = String::with_capacity(primary.len() + 1);
    text.push_str(primary);
    text.push('\n');
    let end = primary.len();
    for sib in siblings.iter().take(64) {
        if text.len() + sib.len() > MAX_MODULE_TEXT {
            break;
        }
        text.push_str(sib);
        text.push('\n');
    }
    check_terraform(&text, s)
        .into_iter()
        .filter(|h| h.start < end)
        .map(|mut h| {
            h.end = h.end.min(end);
            h
        })
        .collect()
}

pub fn check_terraform(text: &str, s: &Settings) -> Vec<Hit> {
    let mut out = Vec::new();
    let blocks = tf_blocks(text);
    let head = |b: &Block| (b.start, line_end(text, b.start));
    let has_tls_policy = text.contains("aws:SecureTransport");
    let refs_bucket = |b: &Block, ty: &str| -> Vec<(usize, usize)> {
        let needle = format!("aws_s3_bucket.{}.", b.name);
        blocks
            .iter()
            .filter(|x| x.ty == ty && text[x.body.0..x.body.1].contains(&needle))
            .map(|x| x.body)
            .collect()
    };
    for b in &blocks {
        let ev = format!("{} \"{}\" \"{}\"", b.kind, b.ty, b.name);
        if b.kind == "provider" && b.ty == "aws" {
            if let Some((r, at)) = tf_attr(text, b.body, "region")
                && let Some(reg) = region_of(r)
                && reg != s.required_region
            {
                out.push(Hit::new(
                    &IAC_REGION,
                    (at, line_end(text, at)),
                    format!("AWS provider region {reg} is outside {}", s.required_region),
                    format!("region = \"{r}\""),
                ));
            }
            continue;
        }
        if b.kind != "resource" {
            continue;
        }
        // region / AZ literals in resources
        for attr in ["region", "availability_zone"] {
            if let Some((r, at)) = tf_attr(text, b.body, attr)
                && let Some(reg) = region_of(r)
                && reg != s.required_region
            {
                out.push(Hit::new(
                    &IAC_REGION,
                    (at, line_end(text, at)),
                    format!(
                        "{} {} in {reg}, outside {}",
                        b.ty, b.name, s.required_region
                    ),
                    format!("{attr} = \"{r}\""),
                ));
            }
        }
        match b.ty.as_str() {
            "aws_s3_bucket" => {
                let sse_inline = tf_has_block(text, b.body, "server_side_encryption_configuration");
                let sse_ext = refs_bucket(b, "aws_s3_bucket_server_side_encryption_configuration");
                if !sse_inline && sse_ext.is_empty() {
                    out.push(Hit::new(
                        &S3_UNENCRYPTED,
                        head(b),
                        format!(
                            "bucket {} has no server-side encryption configuration",
                            b.name
                        ),
                        ev.clone(),
                    ));
                } else if s.require_cmk {
                    let mut bodies = sse_ext.clone();
                    if sse_inline {
                        bodies.push(b.body);
                    }
                    let cmk = bodies.iter().any(|bd| {
                        let t = &text[bd.0..bd.1];
                        t.contains("aws:kms") && t.contains("kms_master_key_id")
                    });
                    if !cmk {
                        out.push(Hit::new(
                            &STORAGE_NO_CMK,
                            head(b),
                            format!(
                                "bucket {} is not encrypted with a customer-managed KMS key",
                                b.name
                            ),
                            ev.clone(),
                        ));
                    }
                }
                if !has_tls_policy {
                    out.push(Hit::new(
                        &S3_NO_TLS,
                        head(b),
                        format!("bucket {} has no aws:SecureTransport deny policy", b.name),
                        ev.clone(),
                    ));
                }
                if let Some((acl, at)) = tf_attr(text, b.body, "acl")
                    && (acl.starts_with("public-") || acl == "authenticated-read")
                {
                    out.push(Hit::new(
                        &S3_PUBLIC,
                        (at, line_end(text, at)),
                        format!("bucket {} has ACL {acl}", b.name),
                        format!("acl = \"{acl}\""),
                    ));
                }
            }
            "aws_s3_bucket_acl" => {
                if let Some((acl, at)) = tf_attr(text, b.body, "acl")
                    && (acl.starts_with("public-") || acl == "authenticated-read")
                {
                    out.push(Hit::new(
                        &S3_PUBLIC,
                        (at, line_end(text, at)),
                        format!("bucket ACL {acl}"),
                        format!("acl = \"{acl}\""),
                    ));
                }
            }
            "aws_s3_bucket_public_access_block" | "aws_s3_account_public_access_block" => {
                for attr in [
                    "block_public_acls",
                    "block_public_policy",
                    "ignore_public_acls",
                    "restrict_public_buckets",
                ] {
                    if let Some((v, at)) = tf_attr(text, b.body, attr)
                        && v == "false"
                    {
                        out.push(Hit::new(
                            &S3_PUBLIC,
                            (at, line_end(text, at)),
                            format!("{attr} = false allows public access"),
                            format!("{attr} = false"),
                        ));
                    }
                }
            }
            "aws_db_instance"
            | "aws_rds_cluster"
            | "aws_docdb_cluster"
            | "aws_neptune_cluster"
            | "aws_redshift_cluster"
            | "aws_ebs_volume"
            | "aws_efs_file_system"
            | "aws_elasticache_replication_group" => {
                let attr = match b.ty.as_str() {
                    "aws_redshift_cluster" | "aws_ebs_volume" | "aws_efs_file_system" => {
                        "encrypted"
                    }
                    "aws_elasticache_replication_group" => "at_rest_encryption_enabled",
                    _ => "storage_encrypted",
                };
                let inherits = tf_attr(text, b.body, "replicate_source_db").is_some()
                    || tf_attr(text, b.body, "snapshot_identifier").is_some()
                        && b.ty == "aws_ebs_volume";
                let v = tf_attr(text, b.body, attr);
                if !is_true(v) && !inherits {
                    let r = v.map(|(_, at)| (at, line_end(text, at))).unwrap_or(head(b));
                    out.push(Hit::new(
                        &DB_UNENCRYPTED,
                        r,
                        format!("{} {} without encryption at rest ({attr})", b.ty, b.name),
                        ev.clone(),
                    ));
                } else if s.require_cmk
                    && !inherits
                    && tf_attr(text, b.body, "kms_key_id").is_none()
                    && tf_attr(text, b.body, "kms_key_arn").is_none()
                {
                    out.push(Hit::new(
                        &STORAGE_NO_CMK,
                        head(b),
                        format!(
                            "{} {} is not encrypted with a customer-managed KMS key",
                            b.ty, b.name
                        ),
                        ev.clone(),
                    ));
                }
            }
            "aws_cloudtrail" => {
                let v = tf_attr(text, b.body, "enable_log_file_validation");
                if !is_true(v) {
                    let r = v.map(|(_, at)| (at, line_end(text, at))).unwrap_or(head(b));
                    out.push(Hit::new(
                        &TRAIL_VALIDATION,
                        r,
                        format!("trail {} without log file validation", b.name),
                        ev.clone(),
                    ));
                }
                let v = tf_attr(text, b.body, "is_multi_region_trail");
                if !is_true(v) {
                    let r = v.map(|(_, at)| (at, line_end(text, at))).unwrap_or(head(b));
                    out.push(Hit::new(
                        &TRAIL_MULTI_REGION,
                        r,
                        format!("trail {} is not multi-region", b.name),
                        ev.clone(),
                    ));
                }
            }
            "aws_cloudwatch_log_group" => {
                if let Some((v, at)) = tf_attr(text, b.body, "retention_in_days")
                    && let Ok(d) = v.parse::<u64>()
                    && d > 0
                    && d < s.min_log_retention_days
                {
                    out.push(Hit::new(
                        &LOG_RETENTION,
                        (at, line_end(text, at)),
                        format!(
                            "log group {} keeps logs {d} days (< {})",
                            b.name, s.min_log_retention_days
                        ),
                        format!("retention_in_days = {d}"),
                    ));
                }
            }
            "aws_security_group" => {
                for (at, body) in tf_sub_blocks(text, b.body, "ingress") {
                    if let Some(what) = tf_ingress_open(text, body, "protocol") {
                        out.push(Hit::new(
                            &SG_OPEN_ADMIN,
                            (at, line_end(text, at)),
                            format!("security group {} opens {what} to the internet", b.name),
                            ev.clone(),
                        ));
                    }
                }
            }
            "aws_security_group_rule" => {
                if tf_attr(text, b.body, "type").is_some_and(|(t, _)| t == "ingress")
                    && let Some(what) = tf_ingress_open(text, b.body, "protocol")
                {
                    out.push(Hit::new(
                        &SG_OPEN_ADMIN,
                        head(b),
                        format!("rule {} opens {what} to the internet", b.name),
                        ev.clone(),
                    ));
                }
            }
            "aws_vpc_security_group_ingress_rule" => {
                let world = tf_attr(text, b.body, "cidr_ipv4")
                    .is_some_and(|(c, _)| c == "0.0.0.0/0")
                    || tf_attr(text, b.body, "cidr_ipv6").is_some_and(|(c, _)| c == "::/0");
                if world {
                    let proto = tf_attr(text, b.body, "ip_protocol")
                        .map(|x| x.0)
                        .unwrap_or("");
                    let what = if proto == "-1" {
                        Some("all traffic".to_string())
                    } else {
                        let f = tf_port(text, b.body, "from_port");
                        let t = tf_port(text, b.body, "to_port").or(f);
                        f.zip(t)
                            .and_then(|(f, t)| covers_admin(f, t))
                            .map(|p| format!("port {p}"))
                    };
                    if let Some(what) = what {
                        out.push(Hit::new(
                            &SG_OPEN_ADMIN,
                            head(b),
                            format!("rule {} opens {what} to the internet", b.name),
                            ev.clone(),
                        ));
                    }
                }
            }
            "aws_kms_key" => {
                let spec = tf_attr(text, b.body, "customer_master_key_spec")
                    .map(|x| x.0)
                    .unwrap_or("SYMMETRIC_DEFAULT");
                let v = tf_attr(text, b.body, "enable_key_rotation");
                if spec == "SYMMETRIC_DEFAULT" && !is_true(v) {
                    let r = v.map(|(_, at)| (at, line_end(text, at))).unwrap_or(head(b));
                    out.push(Hit::new(
                        &KMS_ROTATION,
                        r,
                        format!("KMS key {} without automatic rotation", b.name),
                        ev.clone(),
                    ));
                }
            }
            _ => {}
        }
    }
    out
}

// ========================================================= CloudFormation

fn truthy(v: Option<&Value>) -> Option<bool> {
    match v? {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None, // intrinsic function: unknown
    }
}

fn num(v: Option<&Value>) -> Option<u64> {
    match v? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

fn world_cidr(v: &Value) -> bool {
    let a = v.get("CidrIp").and_then(Value::as_str) == Some("0.0.0.0/0");
    let b = v.get("CidrIpv6").and_then(Value::as_str) == Some("::/0");
    a || b
}

fn cfn_ingress_open(r: &Value) -> Option<String> {
    if !world_cidr(r) {
        return None;
    }
    let proto = match r.get("IpProtocol") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    if proto == "-1" || proto.eq_ignore_ascii_case("all") {
        return Some("all traffic".into());
    }
    let from = num(r.get("FromPort"))?;
    let to = num(r.get("ToPort")).unwrap_or(from);
    covers_admin(from as u32, to as u32).map(|p| format!("port {p}"))
}

/// Whether a JSON/YAML document is a CloudFormation template.
pub fn is_cloudformation(v: &Value) -> bool {
    v.get("AWSTemplateFormatVersion").is_some()
        || v.get("Resources")
            .and_then(Value::as_object)
            .is_some_and(|r| {
                r.values().any(|x| {
                    x.get("Type")
                        .and_then(Value::as_str)
                        .is_some_and(|t| t.starts_with("AWS::"))
                })
            })
}

/// CloudFormation checks over a parsed template.
/// Resolve intrinsic functions that are static within the template:
/// `Ref` to a parameter with a `Default`, and `Fn::FindInMap` with literal
/// keys. Other intrinsics (`Fn::GetAtt`, `Fn::Sub`, ...) are kept. Bounded
/// depth.
pub fn resolve_static(v: &Value) -> Value {
    fn go(x: &Value, root: &Value, depth: usize) -> Value {
        if depth > 64 {
            return x.clone();
        }
        match x {
            Value::Object(m) => {
                if m.len() == 1 {
                    if let Some(p) = m.get("Ref").and_then(Value::as_str)
                        && let Some(d) = param_default(root, p)
                    {
                        return d;
                    }
                    if let Some(Value::Array(a)) = m.get("Fn::FindInMap")
                        && let [Value::String(map), k1, k2] = a.as_slice()
                    {
                        let k1 = go(k1, root, depth + 1);
                        let k2 = go(k2, root, depth + 1);
                        if let (Some(k1), Some(k2)) = (k1.as_str(), k2.as_str())
                            && let Some(v) = root
                                .get("Mappings")
                                .and_then(|m| m.get(map))
                                .and_then(|m| m.get(k1))
                                .and_then(|m| m.get(k2))
                        {
                            return v.clone();
                        }
                    }
                }
                Value::Object(
                    m.iter()
                        .map(|(k, v)| (k.clone(), go(v, root, depth + 1)))
                        .collect(),
                )
            }
            Value::Array(a) => Value::Array(a.iter().map(|v| go(v, root, depth + 1)).collect()),
            // YAML short form kept as text by the reader: `!Ref Param`
            Value::String(t) => t
                .strip_prefix("!Ref ")
                .and_then(|p| param_default(root, p.trim()))
                .unwrap_or_else(|| x.clone()),
            _ => x.clone(),
        }
    }
    fn param_default(root: &Value, p: &str) -> Option<Value> {
        root.get("Parameters")?.get(p)?.get("Default").cloned()
    }
    go(v, v, 0)
}

/// The resource id a reference names within the template: `Ref`/`Fn::GetAtt`
/// to a resource, or a literal that is some bucket's `BucketName`. `None`
/// when it cannot be resolved statically.
fn referenced_resource(v: &Value, res: &serde_json::Map<String, Value>) -> Option<String> {
    match v {
        Value::Object(m) if m.len() == 1 => {
            if let Some(Value::String(id)) = m.get("Ref") {
                return res.contains_key(id).then(|| id.clone());
            }
            let target = match m.get("Fn::GetAtt") {
                Some(Value::Array(a)) => a.first().and_then(Value::as_str).map(str::to_string),
                Some(Value::String(s)) => s.split('.').next().map(str::to_string),
                _ => None,
            }?;
            res.contains_key(&target).then_some(target)
        }
        Value::String(t) if t.starts_with("!Ref ") || t.starts_with("!GetAtt ") => {
            let id = t.split_once(' ').map(|x| x.1.trim()).unwrap_or("");
            let id = id.split('.').next().unwrap_or(id);
            res.contains_key(id).then(|| id.to_string())
        }
        Value::String(name) => res
            .iter()
            .find(|(_, r)| {
                r.pointer("/Properties/BucketName").and_then(Value::as_str) == Some(name)
            })
            .map(|(id, _)| id.clone()),
        _ => None,
    }
}

/// A KMS key reference that names an AWS-managed key (`alias/aws/...`).
fn aws_managed_key(v: Option<&Value>) -> bool {
    v.and_then(Value::as_str)
        .is_some_and(|k| k.contains("alias/aws/"))
}

pub fn check_cloudformation(v: &Value, idx: &PathIndex, s: &Settings) -> Vec<Hit> {
    let mut out = Vec::new();
    let v = &resolve_static(v);
    let Some(res) = v.get("Resources").and_then(Value::as_object) else {
        return out;
    };
    // `Some(id)` for a TLS policy on a resolved bucket, `None` when unresolved
    let policy_tls: Vec<Option<String>> = res
        .values()
        .filter(|r| r.get("Type").and_then(Value::as_str) == Some("AWS::S3::BucketPolicy"))
        .filter(|r| r.to_string().contains("aws:SecureTransport"))
        .map(|r| {
            r.pointer("/Properties/Bucket")
                .and_then(|b| referenced_resource(b, res))
        })
        .collect();
    for (id, r) in res {
        let ty = r.get("Type").and_then(Value::as_str).unwrap_or("");
        let props = r.get("Properties").cloned().unwrap_or(Value::Null);
        let at = |p: &[&str]| -> (usize, usize) {
            let mut path = vec!["Resources", id.as_str()];
            path.extend_from_slice(p);
            idx.get(&path)
        };
        let ev = format!("{id} ({ty})");
        match ty {
            "AWS::S3::Bucket" => {
                let enc = props.get("BucketEncryption");
                match enc {
                    None => out.push(Hit::new(
                        &S3_UNENCRYPTED,
                        at(&[]),
                        format!("bucket {id} has no BucketEncryption"),
                        ev.clone(),
                    )),
                    Some(e) if s.require_cmk => {
                        let t = e.to_string();
                        if !(t.contains("aws:kms") && t.contains("KMSMasterKeyID"))
                            || t.contains("alias/aws/")
                        {
                            out.push(Hit::new(
                                &STORAGE_NO_CMK,
                                at(&["Properties", "BucketEncryption"]),
                                format!(
                                    "bucket {id} is not encrypted with a customer-managed KMS key"
                                ),
                                ev.clone(),
                            ));
                        }
                    }
                    _ => {}
                }
                let referenced = policy_tls
                    .iter()
                    .any(|b| b.as_deref().is_none_or(|b| b == id.as_str()));
                let single = policy_tls.len() == 1
                    && res
                        .values()
                        .filter(|x| {
                            x.get("Type").and_then(Value::as_str) == Some("AWS::S3::Bucket")
                        })
                        .count()
                        == 1;
                if !referenced && !single {
                    out.push(Hit::new(
                        &S3_NO_TLS,
                        at(&[]),
                        format!("bucket {id} has no aws:SecureTransport deny policy"),
                        ev.clone(),
                    ));
                }
                if let Some(acl) = props.get("AccessControl").and_then(Value::as_str)
                    && matches!(acl, "PublicRead" | "PublicReadWrite" | "AuthenticatedRead")
                {
                    out.push(Hit::new(
                        &S3_PUBLIC,
                        at(&["Properties", "AccessControl"]),
                        format!("bucket {id} AccessControl {acl}"),
                        format!("AccessControl: {acl}"),
                    ));
                }
                if let Some(pab) = props.get("PublicAccessBlockConfiguration") {
                    for k in [
                        "BlockPublicAcls",
                        "BlockPublicPolicy",
                        "IgnorePublicAcls",
                        "RestrictPublicBuckets",
                    ] {
                        if truthy(pab.get(k)) == Some(false) {
                            out.push(Hit::new(
                                &S3_PUBLIC,
                                at(&["Properties", "PublicAccessBlockConfiguration", k]),
                                format!("bucket {id} {k}: false allows public access"),
                                format!("{k}: false"),
                            ));
                        }
                    }
                }
            }
            "AWS::RDS::DBInstance"
            | "AWS::RDS::DBCluster"
            | "AWS::DocDB::DBCluster"
            | "AWS::Neptune::DBCluster"
            | "AWS::Redshift::Cluster"
            | "AWS::EC2::Volume"
            | "AWS::EFS::FileSystem"
            | "AWS::ElastiCache::ReplicationGroup" => {
                let key = match ty {
                    "AWS::Redshift::Cluster" | "AWS::EC2::Volume" | "AWS::EFS::FileSystem" => {
                        "Encrypted"
                    }
                    "AWS::ElastiCache::ReplicationGroup" => "AtRestEncryptionEnabled",
                    _ => "StorageEncrypted",
                };
                let inherits = ty == "AWS::RDS::DBInstance"
                    && (props.get("DBClusterIdentifier").is_some()
                        || props.get("SourceDBInstanceIdentifier").is_some()
                        || props.get("DBSnapshotIdentifier").is_some());
                let enc = truthy(props.get(key));
                let unknown = props.get(key).is_some() && enc.is_none();
                if !inherits && !unknown && enc != Some(true) {
                    out.push(Hit::new(
                        &DB_UNENCRYPTED,
                        at(&["Properties", key]),
                        format!("{id} ({ty}) without encryption at rest ({key})"),
                        ev.clone(),
                    ));
                } else if s.require_cmk
                    && !inherits
                    && (props.get("KmsKeyId").is_none() || aws_managed_key(props.get("KmsKeyId")))
                {
                    out.push(Hit::new(
                        &STORAGE_NO_CMK,
                        at(&[]),
                        format!("{id} is not encrypted with a customer-managed KMS key"),
                        ev.clone(),
                    ));
                }
            }
            "AWS::CloudTrail::Trail" => {
                if truthy(props.get("EnableLogFileValidation")) != Some(true)
                    && !matches!(props.get("EnableLogFileValidation"), Some(Value::Object(_)))
                {
                    out.push(Hit::new(
                        &TRAIL_VALIDATION,
                        at(&["Properties", "EnableLogFileValidation"]),
                        format!("trail {id} without log file validation"),
                        ev.clone(),
                    ));
                }
                if truthy(props.get("IsMultiRegionTrail")) != Some(true)
                    && !matches!(props.get("IsMultiRegionTrail"), Some(Value::Object(_)))
                {
                    out.push(Hit::new(
                        &TRAIL_MULTI_REGION,
                        at(&["Properties", "IsMultiRegionTrail"]),
                        format!("trail {id} is not multi-region"),
                        ev.clone(),
                    ));
                }
            }
            "AWS::Logs::LogGroup" => {
                if let Some(d) = num(props.get("RetentionInDays"))
                    && d > 0
                    && d < s.min_log_retention_days
                {
                    out.push(Hit::new(
                        &LOG_RETENTION,
                        at(&["Properties", "RetentionInDays"]),
                        format!(
                            "log group {id} keeps logs {d} days (< {})",
                            s.min_log_retention_days
                        ),
                        format!("RetentionInDays: {d}"),
                    ));
                }
            }
            "AWS::EC2::SecurityGroup" => {
                if let Some(rules) = props.get("SecurityGroupIngress").and_then(Value::as_array) {
                    for (i, rule) in rules.iter().enumerate() {
                        if let Some(what) = cfn_ingress_open(rule) {
                            out.push(Hit::new(
                                &SG_OPEN_ADMIN,
                                at(&["Properties", "SecurityGroupIngress", &i.to_string()]),
                                format!("security group {id} opens {what} to the internet"),
                                ev.clone(),
                            ));
                        }
                    }
                }
            }
            "AWS::EC2::SecurityGroupIngress" => {
                if let Some(what) = cfn_ingress_open(&props) {
                    out.push(Hit::new(
                        &SG_OPEN_ADMIN,
                        at(&[]),
                        format!("{id} opens {what} to the internet"),
                        ev.clone(),
                    ));
                }
            }
            "AWS::KMS::Key" => {
                let spec = props
                    .get("KeySpec")
                    .and_then(Value::as_str)
                    .unwrap_or("SYMMETRIC_DEFAULT");
                if spec == "SYMMETRIC_DEFAULT"
                    && truthy(props.get("EnableKeyRotation")) != Some(true)
                    && !matches!(props.get("EnableKeyRotation"), Some(Value::Object(_)))
                {
                    out.push(Hit::new(
                        &KMS_ROTATION,
                        at(&["Properties", "EnableKeyRotation"]),
                        format!("KMS key {id} without automatic rotation"),
                        ev.clone(),
                    ));
                }
            }
            _ => {}
        }
        // explicit Region / AvailabilityZone properties
        if let Some(obj) = props.as_object() {
            for (k, val) in obj {
                if (k.ends_with("Region") || k == "AvailabilityZone")
                    && let Some(reg) = val.as_str().and_then(region_of)
                    && reg != s.required_region
                {
                    out.push(Hit::new(
                        &IAC_REGION,
                        at(&["Properties", k]),
                        format!("{id} {k} {reg} is outside {}", s.required_region),
                        format!("{k}: {}", val.as_str().unwrap_or("")),
                    ));
                }
            }
        }
    }
    out
}

// ==================================================================== CDK

static CDK_NEW: LazyLock<Regex> = LazyLock::new(|| {
    // TypeScript `new s3.Bucket(`, Python `s3.Bucket(`, Java `new Bucket(` or
    // `Bucket.Builder.create(`
    kiro_guard_skill::ascii_regex::regex(r"(?:new\s+)?(?:\b[A-Za-z_][\w]*\.)?\b(Bucket|Table|TableV2|DatabaseInstance|DatabaseCluster|ServerlessCluster|Trail|LogGroup|Key|Volume|FileSystem)(\.Builder\.create)?\s*\(").unwrap()
});
static CDK_RETENTION: LazyLock<Regex> =
    LazyLock::new(|| kiro_guard_skill::ascii_regex::regex(r"RetentionDays\.([A-Z_]+)").unwrap());
static CDK_INGRESS: LazyLock<Regex> = LazyLock::new(|| {
    kiro_guard_skill::ascii_regex::regex(r"(?:addIngressRule\(\s*(?:[\w.]*\.)?Peer\.(?:anyIpv4|anyIpv6)\(\)|addIngressRule\(\s*(?:[\w.]*\.)?Peer\.ipv[46]\(\s*['\x22](?:0\.0\.0\.0/0|::/0)['\x22]\s*\)|allowFromAnyIpv4\(|allowDefaultPortFromAnyIpv4\()\s*,?\s*(?:[\w.]*\.)?Port\.(tcp|udp|allTraffic|allTcp)\(\s*(\d*)\s*\)").unwrap()
});
static CDK_REGION: LazyLock<Regex> = LazyLock::new(|| {
    kiro_guard_skill::ascii_regex::regex(r#"\bregion\s*:\s*['"]([a-z0-9-]+)['"]"#).unwrap()
});

fn retention_days(name: &str) -> Option<u64> {
    Some(match name {
        "ONE_DAY" => 1,
        "THREE_DAYS" => 3,
        "FIVE_DAYS" => 5,
        "ONE_WEEK" => 7,
        "TWO_WEEKS" => 14,
        "ONE_MONTH" => 30,
        "TWO_MONTHS" => 60,
        "THREE_MONTHS" => 90,
        "FOUR_MONTHS" => 120,
        "FIVE_MONTHS" => 150,
        "SIX_MONTHS" => 180,
        "ONE_YEAR" => 365,
        "THIRTEEN_MONTHS" => 400,
        "EIGHTEEN_MONTHS" => 545,
        "TWO_YEARS" => 731,
        "THREE_YEARS" => 1096,
        "FIVE_YEARS" => 1827,
        "SIX_YEARS" => 2192,
        "SEVEN_YEARS" => 2557,
        "EIGHT_YEARS" => 2922,
        "NINE_YEARS" => 3288,
        "TEN_YEARS" => 3653,
        _ => return None,
    })
}

fn close_paren(b: &[u8], open: usize) -> usize {
    let mut depth = 0usize;
    let mut i = open;
    while i < b.len() {
        match b[i] {
            q @ (b'"' | b'\'' | b'`') => {
                i += 1;
                while i < b.len() && b[i] != q {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'(' => depth += 1,
            b')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    b.len()
}

/// A construct property in any CDK language: `name: v` (TypeScript),
/// `snake_name=v` (Python), `.name(v)` (Java builder). Names compare without
/// case or underscores (`enforceSSL`, `enforce_ssl`, `enforceSsl`). Returns the
/// value text and the name's offset in `args`.
fn prop(args: &str, name: &str) -> Option<(String, usize)> {
    let want: String = name
        .chars()
        .filter(|c| *c != '_')
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let b = args.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if (b[i].is_ascii_alphabetic() || b[i] == b'_')
            && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_'))
        {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            let ident = &args[start..i];
            if ident.len() == want.len() + ident.matches('_').count()
                && ident
                    .chars()
                    .filter(|c| *c != '_')
                    .map(|c| c.to_ascii_lowercase())
                    .eq(want.chars())
            {
                let rest = args[i..].trim_start();
                let sep = rest.as_bytes().first().copied();
                let ok = match sep {
                    Some(b':') => true,
                    Some(b'=') => rest.as_bytes().get(1) != Some(&b'='),
                    Some(b'(') => start > 0 && b[start - 1] == b'.',
                    _ => false,
                };
                if ok {
                    let v = rest[1..].trim_start();
                    let end = v.find([',', '\n', '}', ')']).unwrap_or(v.len());
                    return Some((v[..end].trim().to_string(), start));
                }
            }
            continue;
        }
        i += 1;
    }
    None
}

/// CDK TypeScript checks.
pub fn check_cdk(text: &str, s: &Settings) -> Vec<Hit> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    for m in CDK_NEW.captures_iter(text) {
        let whole = m.get(0).unwrap();
        let class = &m[1];
        let open = whole.end() - 1;
        // a Java builder's properties run to its `.build()`
        let end = if m.get(2).is_some() {
            text[open..]
                .find(".build()")
                .map(|p| open + p)
                .unwrap_or_else(|| close_paren(b, open))
        } else {
            close_paren(b, open)
        };
        let args = &text[open..end];
        let head = (whole.start(), line_end(text, whole.start()));
        let at = |off: usize| {
            let a = open + off;
            (a, line_end(text, a))
        };
        let is_true = |n: &str| prop(args, n).is_some_and(|(v, _)| v.eq_ignore_ascii_case("true"));
        let is_false = |n: &str| prop(args, n).filter(|(v, _)| v.eq_ignore_ascii_case("false"));
        let ev = clip_line(text, whole.start());
        let qualified = whole.as_str();
        match class {
            "Table" | "TableV2"
                if qualified.contains("dynamodb.")
                    || text.contains("aws-dynamodb")
                    || text.contains("aws_dynamodb")
                    || text.contains("services.dynamodb") =>
            {
                // default: an AWS-owned key, outside the bank's control
                let enc = prop(args, "encryption");
                let cmk = prop(args, "encryptionKey").is_some()
                    || enc.as_ref().is_some_and(|(v, _)| {
                        let l = v.to_ascii_lowercase();
                        l.contains("customer_managed") || l.contains("customermanagedkey")
                    });
                let owned = enc.as_ref().is_none_or(|(v, _)| {
                    let l = v.to_ascii_lowercase();
                    l.ends_with(".default")
                        || l.contains("dynamoownedkey")
                        || l.contains("aws_owned")
                });
                if !cmk && (owned || s.require_cmk) {
                    let r = enc.as_ref().map(|(_, o)| at(*o)).unwrap_or(head);
                    let hit = Hit::new(
                        &STORAGE_NO_CMK,
                        r,
                        if owned {
                            "DynamoDB table without encryption settings uses an AWS-owned key, not a customer-managed KMS key"
                        } else {
                            "DynamoDB table is not encrypted with a customer-managed KMS key"
                        },
                        ev.clone(),
                    );
                    out.push(if s.require_cmk {
                        hit
                    } else {
                        hit.with_severity(kiro_guard_skill::Severity::Warn)
                    });
                }
            }
            "Bucket"
                if qualified.contains("s3.")
                    || text.contains("aws-s3")
                    || text.contains("aws_s3")
                    || text.contains("services.s3") =>
            {
                let enc = prop(args, "encryption");
                if let Some((v, off)) = &enc
                    && v.ends_with("UNENCRYPTED")
                {
                    out.push(Hit::new(
                        &S3_UNENCRYPTED,
                        at(*off),
                        "bucket explicitly UNENCRYPTED",
                        ev.clone(),
                    ));
                } else if s.require_cmk
                    && !(enc.as_ref().is_some_and(|(v, _)| v.ends_with(".KMS"))
                        || prop(args, "encryptionKey").is_some())
                {
                    out.push(Hit::new(
                        &STORAGE_NO_CMK,
                        head,
                        "bucket is not encrypted with a customer-managed KMS key",
                        ev.clone(),
                    ));
                }
                if !is_true("enforceSSL") {
                    let r = prop(args, "enforceSSL").map(|(_, o)| at(o)).unwrap_or(head);
                    out.push(Hit::new(
                        &S3_NO_TLS,
                        r,
                        "bucket without enforceSSL: true",
                        ev.clone(),
                    ));
                }
                if let Some((_, off)) =
                    prop(args, "publicReadAccess").filter(|(v, _)| v.eq_ignore_ascii_case("true"))
                {
                    out.push(Hit::new(
                        &S3_PUBLIC,
                        at(off),
                        "publicReadAccess: true",
                        ev.clone(),
                    ));
                }
                for k in [
                    "blockPublicAcls",
                    "blockPublicPolicy",
                    "ignorePublicAcls",
                    "restrictPublicBuckets",
                ] {
                    if let Some((_, off)) = is_false(k) {
                        out.push(Hit::new(
                            &S3_PUBLIC,
                            at(off),
                            format!("{k}: false allows public access"),
                            ev.clone(),
                        ));
                    }
                }
            }
            "DatabaseInstance" => {
                if !is_true("storageEncrypted") && prop(args, "storageEncryptionKey").is_none() {
                    let r = prop(args, "storageEncrypted")
                        .map(|(_, o)| at(o))
                        .unwrap_or(head);
                    out.push(Hit::new(
                        &DB_UNENCRYPTED,
                        r,
                        "DatabaseInstance without storageEncrypted: true",
                        ev.clone(),
                    ));
                } else if s.require_cmk && prop(args, "storageEncryptionKey").is_none() {
                    out.push(Hit::new(
                        &STORAGE_NO_CMK,
                        head,
                        "database without a customer-managed storageEncryptionKey",
                        ev.clone(),
                    ));
                }
            }
            "DatabaseCluster" | "ServerlessCluster" | "Volume" | "FileSystem" => {
                let key = if matches!(class, "Volume" | "FileSystem") {
                    "encrypted"
                } else {
                    "storageEncrypted"
                };
                if let Some((_, off)) = is_false(key) {
                    out.push(Hit::new(
                        &DB_UNENCRYPTED,
                        at(off),
                        format!("{class} with {key}: false"),
                        ev.clone(),
                    ));
                } else if class == "Volume" && !is_true("encrypted") {
                    out.push(Hit::new(
                        &DB_UNENCRYPTED,
                        head,
                        "Volume without encrypted: true",
                        ev.clone(),
                    ));
                }
            }
            "Trail" => {
                if let Some((_, off)) = is_false("enableFileValidation") {
                    out.push(Hit::new(
                        &TRAIL_VALIDATION,
                        at(off),
                        "Trail with enableFileValidation: false",
                        ev.clone(),
                    ));
                }
                if let Some((_, off)) = is_false("isMultiRegionTrail") {
                    out.push(Hit::new(
                        &TRAIL_MULTI_REGION,
                        at(off),
                        "Trail with isMultiRegionTrail: false",
                        ev.clone(),
                    ));
                }
            }
            "Key"
                if qualified.contains("kms.")
                    || text.contains("aws-kms")
                    || text.contains("aws_kms")
                    || text.contains("services.kms") =>
            {
                let asym =
                    prop(args, "keySpec").is_some_and(|(v, _)| !v.ends_with("SYMMETRIC_DEFAULT"));
                if !asym && !is_true("enableKeyRotation") {
                    let r = prop(args, "enableKeyRotation")
                        .map(|(_, o)| at(o))
                        .unwrap_or(head);
                    out.push(Hit::new(
                        &KMS_ROTATION,
                        r,
                        "KMS key without enableKeyRotation: true",
                        ev.clone(),
                    ));
                }
            }
            _ => {}
        }
    }
    for c in CDK_RETENTION.captures_iter(text) {
        if let Some(d) = retention_days(&c[1])
            && d < s.min_log_retention_days
        {
            let m = c.get(0).unwrap();
            out.push(Hit::new(
                &LOG_RETENTION,
                (m.start(), m.end()),
                format!(
                    "log retention {} ({d} days) is below {}",
                    &c[1], s.min_log_retention_days
                ),
                m.as_str().to_string(),
            ));
        }
    }
    for c in CDK_INGRESS.captures_iter(text) {
        let m = c.get(0).unwrap();
        let kind = &c[1];
        let what = match kind {
            "allTraffic" | "allTcp" => Some("all traffic".to_string()),
            _ => c[2]
                .parse::<u32>()
                .ok()
                .and_then(|p| covers_admin(p, p))
                .map(|p| format!("port {p}")),
        };
        if let Some(w) = what {
            out.push(Hit::new(
                &SG_OPEN_ADMIN,
                (m.start(), line_end(text, m.start())),
                format!("ingress from anywhere on {w}"),
                clip_line(text, m.start()),
            ));
        }
    }
    for c in CDK_REGION.captures_iter(text) {
        if let Some(reg) = region_of(&c[1])
            && reg != s.required_region
        {
            let m = c.get(0).unwrap();
            out.push(Hit::new(
                &IAC_REGION,
                (m.start(), m.end()),
                format!("stack region {reg} is outside {}", s.required_region),
                m.as_str().to_string(),
            ));
        }
    }
    out
}

fn clip_line(text: &str, at: usize) -> String {
    crate::util::clip(text[at..line_end(text, at)].trim(), 160)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(h: &[Hit]) -> Vec<&'static str> {
        let mut v: Vec<&str> = h.iter().map(|x| x.rule.id).collect();
        v.sort();
        v.dedup();
        v
    }

    #[test]
    fn terraform_basics() {
        let s = Settings::default();
        let tf = r#"
provider "aws" {
  region = "us-east-1"
}
resource "aws_s3_bucket" "logs" {
  bucket = "x"
}
resource "aws_db_instance" "db" {
  engine = "postgres"
  storage_encrypted = false
}
resource "aws_security_group" "sg" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"#;
        let h = check_terraform(tf, &s);
        assert_eq!(
            ids(&h),
            vec![
                "db-storage-unencrypted",
                "iac-region-outside-sg",
                "s3-bucket-no-tls-enforcement",
                "s3-bucket-unencrypted",
                "sg-admin-port-open-world"
            ]
        );
        assert_eq!(
            h.iter()
                .filter(|x| x.rule.id == "sg-admin-port-open-world")
                .count(),
            1
        );
    }
}
