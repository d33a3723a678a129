//! CDK: construct property heuristics over TypeScript, Python and Java
//! (`new s3.Bucket(...)`, `s3.Bucket(...)`, `Bucket.Builder.create(...)`).

use super::{covers_admin, line_end, region_of};
use crate::Settings;
use crate::rules::*;
use crate::util::Hit;
use regex::Regex;
use std::sync::LazyLock;

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
