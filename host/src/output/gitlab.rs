//! GitLab security report (`--format gitlab`): the SAST report schema
//! 15.1.0, which GitLab reads from a job's `artifacts:reports:sast` and
//! shows in merge requests, the pipeline's security tab and the
//! vulnerability report.
//!
//! One vulnerability per finding: the rule as the primary identifier, then
//! the finding's references (CWE, MAS TRM, PDPA, PCI DSS) as further
//! identifiers. Evidence is the finding's masked evidence; nothing else of
//! the scanned content is written (no `raw_source_code_extract`).

use crate::guard::Guard;
use crate::report::{ErrorKind, Report};
use kiro_guard_contract::{Severity, SkillInfo};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::time::Duration;
use time::OffsetDateTime;

/// The schema version the report declares.
pub const SCHEMA_VERSION: &str = "15.1.0";
/// Where that schema is published.
pub const SCHEMA_URL: &str = "https://gitlab.com/gitlab-org/security-products/security-report-schemas/-/raw/v15.1.0/dist/sast-report-format.json";
/// The file name GitLab's documentation uses for a SAST report.
pub const DEFAULT_FILE: &str = "gl-sast-report.json";

const MAX_NAME: usize = 255;
const MAX_SOLUTION: usize = 7000;

fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// `yyyy-mm-ddThh:mm:ss` in UTC, the form the schema's pattern requires.
fn gl_time(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Block => "High",
        Severity::Warn => "Medium",
        Severity::Info => "Info",
    }
}

/// A stable UUID-shaped id from the parts that identify a finding.
fn uuid_from(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0u8]);
    }
    let x = hex::encode(h.finalize());
    format!(
        "{}-{}-{}-{}-{}",
        &x[..8],
        &x[8..12],
        &x[12..16],
        &x[16..20],
        &x[20..32]
    )
}

/// Identifier `type` for a reference framework: lower case, `_` between words.
fn framework_type(framework: &str) -> String {
    let mut t = String::new();
    for c in framework.chars() {
        if c.is_ascii_alphanumeric() {
            t.push(c.to_ascii_lowercase());
        } else if !t.ends_with('_') && !t.is_empty() {
            t.push('_');
        }
    }
    t.trim_end_matches('_').to_string()
}

/// The report, from the skills' catalogues (for rule titles) and the scan's
/// duration ending `now`.
pub fn sast(
    report: &Report,
    skills: &[&SkillInfo],
    elapsed: Duration,
    now: OffsetDateTime,
) -> String {
    let mut titles: HashMap<String, &str> = HashMap::new();
    for s in skills {
        for r in &s.rules {
            titles.insert(format!("{}/{}", s.name, r.id), r.title.as_str());
        }
    }
    let version = env!("CARGO_PKG_VERSION");
    let tool = json!({
        "id": "kiro-guard",
        "name": "kiro-guard",
        "version": version,
        "url": "https://github.com/kiro-guard/kiro-guard",
        "vendor": { "name": "kiro-guard" },
    });
    let mut vulns = Vec::new();
    for f in &report.findings {
        let rule_id = format!("{}/{}", f.skill, f.rule);
        let title = titles.get(&rule_id).copied().unwrap_or(f.rule.as_str());
        let mut identifiers = vec![json!({
            "type": "kiro_guard_rule",
            "name": cut(&format!("{title} ({rule_id})"), MAX_NAME),
            "value": rule_id,
        })];
        for r in &f.references {
            let ty = framework_type(&r.framework);
            if ty.is_empty() || r.id.trim().is_empty() {
                continue;
            }
            let mut id = json!({
                "type": ty,
                "name": format!("{} {} {}", r.framework, r.id, r.title).trim().to_string(),
                "value": r.id,
            });
            if ty == "cwe" {
                let n = r.id.trim_start_matches("CWE-");
                if n.bytes().all(|b| b.is_ascii_digit()) && !n.is_empty() {
                    id["url"] = json!(format!("https://cwe.mitre.org/data/definitions/{n}.html"));
                }
            }
            identifiers.push(id);
        }
        let mut description = f.message.clone();
        if !f.evidence.is_empty() {
            description.push_str(&format!("\n\nEvidence (masked): `{}`", f.evidence));
        }
        if !f.references.is_empty() {
            let refs: Vec<String> = f
                .references
                .iter()
                .map(|r| format!("{} {} {}", r.framework, r.id, r.title))
                .collect();
            description.push_str(&format!("\n\nReferences: {}", refs.join("; ")));
        }
        let path = f.path.trim_start_matches("./").to_string();
        let line = f.line.max(1);
        let mut v = json!({
            "id": uuid_from(&[&f.fingerprint, &path, &rule_id, &line.to_string(), &f.column.to_string()]),
            "name": cut(title, MAX_NAME),
            "description": description,
            "severity": severity(f.severity),
            "identifiers": identifiers,
            "location": {
                "file": path,
                "start_line": line,
                "end_line": f.end_line.max(line),
            },
        });
        if !f.remediation.is_empty() {
            v["solution"] = json!(cut(&f.remediation, MAX_SOLUTION));
        }
        vulns.push(v);
    }
    let messages: Vec<Value> = report
        .errors
        .iter()
        .filter(|e| !e.message.trim().is_empty())
        .map(|e| {
            let level = if e.kind.is_failure() { "warn" } else { "info" };
            let mut value = String::new();
            if let Some(p) = &e.path {
                value.push_str(&format!("{p}: "));
            }
            if let Some(s) = &e.skill {
                value.push_str(&format!("[{s}] "));
            }
            value.push_str(&e.message);
            json!({ "level": level, "value": value })
        })
        .collect();
    let failed = report
        .errors
        .iter()
        .any(|e| e.kind == ErrorKind::SkillError);
    let start = now
        .checked_sub(time::Duration::try_from(elapsed).unwrap_or(time::Duration::ZERO))
        .unwrap_or(now);
    let mut scan = json!({
        "analyzer": tool,
        "scanner": tool,
        "type": "sast",
        "start_time": gl_time(start),
        "end_time": gl_time(now),
        "status": if failed { "failure" } else { "success" },
    });
    if !messages.is_empty() {
        scan["messages"] = Value::Array(messages);
    }
    let doc = json!({
        "version": SCHEMA_VERSION,
        "schema": SCHEMA_URL,
        "scan": scan,
        "vulnerabilities": vulns,
    });
    serde_json::to_string_pretty(&doc).expect("report serialises") + "\n"
}

/// The report for a finished scan with a loaded guard.
pub fn sast_for(report: &Report, guard: &Guard, elapsed: Duration) -> String {
    let skills: Vec<&SkillInfo> = guard.skills.iter().map(|s| &s.info).collect();
    sast(report, &skills, elapsed, OffsetDateTime::now_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn framework_types_are_slugs() {
        assert_eq!(framework_type("MAS TRM"), "mas_trm");
        assert_eq!(framework_type("PCI DSS"), "pci_dss");
        assert_eq!(framework_type("CWE"), "cwe");
        assert_eq!(framework_type("  --"), "");
    }

    #[test]
    fn ids_are_uuid_shaped_and_depend_on_every_part() {
        let a = uuid_from(&["fp", "a.py", "r", "3", "1"]);
        let b = uuid_from(&["fp", "a.py", "r", "4", "1"]);
        assert_eq!(a.len(), 36);
        assert_eq!(a.matches('-').count(), 4);
        assert_ne!(a, b);
    }

    #[test]
    fn names_are_cut_to_the_schema_limit() {
        let long = "x".repeat(300);
        assert_eq!(cut(&long, MAX_NAME).chars().count(), MAX_NAME);
        assert_eq!(cut("short", MAX_NAME), "short");
    }
}
