//! Terraform: HCL heuristics over `resource`, `data` and `provider` blocks,
//! a file judged alone or with the other `.tf` files of its module.

use super::{covers_admin, line_end, region_of};
use crate::Settings;
use crate::rules::*;
use crate::util::Hit;
use regex::Regex;
use std::sync::LazyLock;

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
