//! Output formats: compiler-style text, the documented JSON shape, SARIF 2.1.0,
//! GitLab's SAST report ([`gitlab`]).

pub mod gitlab;

use crate::guard::Guard;
use crate::report::{Decision, ErrorKind, Report};
use kiro_guard_contract::Severity;
use serde::Serialize;
use std::fmt::Write as _;

/// Output format of `scan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Sarif,
    /// GitLab's SAST security report (gl-sast-report.json).
    Gitlab,
}

/// Output format of the compliance reports (`report compliance`, `audit
/// report`; the first has no HTML form).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Markdown,
    Json,
    Html,
}

/// The JSON output: `{"version":1,"decision":..,"findings":[..],"errors":[..]}`.
#[derive(Serialize)]
pub struct JsonReport<'a> {
    pub version: u32,
    pub decision: Decision,
    pub findings: &'a [crate::report::Reported],
    pub errors: &'a [crate::report::ErrorEntry],
}

pub fn json(report: &Report, decision: Decision) -> String {
    let doc = JsonReport {
        version: 1,
        decision,
        findings: &report.findings,
        errors: &report.errors,
    };
    serde_json::to_string_pretty(&doc).expect("report serialises") + "\n"
}

struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

/// Compiler-style diagnostics, coloured only when `color` is set.
pub fn text(report: &Report, decision: Decision, color: bool) -> String {
    let st = Style { color };
    let mut out = String::new();
    for f in &report.findings {
        let (label, code) = match f.severity {
            Severity::Block => ("block", "1;31"),
            Severity::Warn => ("warn", "1;33"),
            Severity::Info => ("info", "1;36"),
        };
        let _ = writeln!(
            out,
            "{}: {} [{}/{}] {}",
            st.paint("1", &format!("{}:{}:{}", f.path, f.line, f.column)),
            st.paint(code, label),
            f.skill,
            f.rule,
            f.message
        );
        if !f.evidence.is_empty() {
            let _ = writeln!(out, "  evidence: {}", f.evidence);
        }
        if !f.references.is_empty() {
            let refs: Vec<String> = f
                .references
                .iter()
                .map(|r| format!("{} {} {}", r.framework, r.id, r.title))
                .collect();
            let _ = writeln!(out, "  refs: {}", refs.join("; "));
        }
        if !f.remediation.is_empty() {
            let _ = writeln!(out, "  fix: {}", f.remediation);
        }
    }
    for e in &report.errors {
        let kind = if e.kind == ErrorKind::Skipped || e.kind == ErrorKind::Suppression {
            "note"
        } else {
            "error"
        };
        let mut what = String::new();
        if let Some(p) = &e.path {
            what.push_str(p);
            what.push_str(": ");
        }
        if let Some(s) = &e.skill {
            what.push_str(&format!("[{s}] "));
        }
        let _ = writeln!(
            out,
            "{}{}",
            st.paint(
                if kind == "note" { "2" } else { "1;31" },
                &format!("{kind}: ")
            ),
            what + &e.message
        );
    }
    let count = |s: Severity| report.findings.iter().filter(|f| f.severity == s).count();
    let _ = writeln!(
        out,
        "{}: {} block, {} warn, {} info in {} item(s){}{}",
        st.paint("1", &format!("decision {}", decision.as_str())),
        count(Severity::Block),
        count(Severity::Warn),
        count(Severity::Info),
        report.items,
        if report.suppressed > 0 {
            format!(", {} suppressed", report.suppressed)
        } else {
            String::new()
        },
        if report
            .errors
            .iter()
            .any(|e| e.kind == ErrorKind::SkillError)
        {
            ", with skill errors"
        } else {
            ""
        },
    );
    out
}

// --- SARIF 2.1.0: a small typed model of what GitHub code scanning reads. ---

#[derive(Serialize)]
struct Sarif<'a> {
    #[serde(rename = "$schema")]
    schema: &'a str,
    version: &'a str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
struct Run {
    tool: Tool,
    results: Vec<SarifResult>,
    #[serde(rename = "invocations")]
    invocations: Vec<Invocation>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: String,
    version: String,
    information_uri: String,
    rules: Vec<SarifRule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRule {
    id: String,
    name: String,
    short_description: Message,
    full_description: Message,
    help: Help,
    default_configuration: DefaultConfiguration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct DefaultConfiguration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<String>,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    rule_index: usize,
    level: &'static str,
    message: Message,
    locations: Vec<Location>,
    partial_fingerprints: std::collections::BTreeMap<String, String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Message,
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Block => "error",
        Severity::Warn => "warning",
        Severity::Info => "note",
    }
}

/// SARIF 2.1.0 with one run; rules come from the skills' catalogues, so
/// each carries its help text and references.
pub fn sarif(report: &Report, guard: &Guard) -> String {
    let mut rules: Vec<SarifRule> = Vec::new();
    let mut index = std::collections::HashMap::new();
    for skill in &guard.skills {
        for r in &skill.info.rules {
            let id = format!("{}/{}", skill.info.name, r.id);
            let refs: Vec<String> = r
                .references
                .iter()
                .map(|x| format!("{} {} {}", x.framework, x.id, x.title))
                .collect();
            let mut md = format!("**{}**\n\n{}\n", r.title, r.remediation);
            if !refs.is_empty() {
                md.push_str("\nReferences:\n");
                for x in &refs {
                    md.push_str(&format!("- {x}\n"));
                }
            }
            let mut tags = vec!["security".to_string(), skill.info.name.clone()];
            tags.extend(
                r.references
                    .iter()
                    .map(|x| format!("{} {}", x.framework, x.id)),
            );
            index.insert(id.clone(), rules.len());
            rules.push(SarifRule {
                name: r.id.clone(),
                short_description: Message {
                    text: r.title.clone(),
                },
                full_description: Message {
                    text: format!("{} ({})", r.title, refs.join("; ")),
                },
                help: Help {
                    text: format!("{}\nReferences: {}", r.remediation, refs.join("; ")),
                    markdown: md,
                },
                default_configuration: DefaultConfiguration {
                    level: level(r.default_severity),
                },
                properties: RuleProperties { tags },
                id,
            });
        }
    }
    let mut results = Vec::new();
    for f in &report.findings {
        let id = format!("{}/{}", f.skill, f.rule);
        let rule_index = match index.get(&id) {
            Some(i) => *i,
            None => {
                // A rule missing from the catalogue still gets an entry.
                index.insert(id.clone(), rules.len());
                rules.push(SarifRule {
                    id: id.clone(),
                    name: f.rule.clone(),
                    short_description: Message {
                        text: f.rule.clone(),
                    },
                    full_description: Message {
                        text: f.message.clone(),
                    },
                    help: Help {
                        text: f.remediation.clone(),
                        markdown: f.remediation.clone(),
                    },
                    default_configuration: DefaultConfiguration {
                        level: level(f.severity),
                    },
                    properties: RuleProperties {
                        tags: vec!["security".into()],
                    },
                });
                rules.len() - 1
            }
        };
        let mut message = f.message.clone();
        if !f.evidence.is_empty() {
            message.push_str(&format!(" (evidence: {})", f.evidence));
        }
        let mut fp = std::collections::BTreeMap::new();
        fp.insert(
            "kiroGuardFingerprint/v2".to_string(),
            crate::fingerprint::public(&f.skill, &f.rule, &f.path, &f.evidence),
        );
        results.push(SarifResult {
            rule_id: id,
            rule_index,
            level: level(f.severity),
            message: Message { text: message },
            locations: vec![Location {
                physical_location: PhysicalLocation {
                    artifact_location: ArtifactLocation {
                        uri: f.path.trim_start_matches("./").to_string(),
                    },
                    region: Region {
                        start_line: f.line.max(1),
                        start_column: f.column.max(1),
                        end_line: f.end_line.max(f.line).max(1),
                        end_column: f.end_column.max(1),
                    },
                },
            }],
            partial_fingerprints: fp,
        });
    }
    let notifications = report
        .errors
        .iter()
        .map(|e| Notification {
            level: if e.kind.is_failure() { "error" } else { "note" },
            message: Message {
                text: format!(
                    "{}{}",
                    e.path
                        .as_deref()
                        .map(|p| format!("{p}: "))
                        .unwrap_or_default(),
                    e.message
                ),
            },
        })
        .collect();
    let doc = Sarif {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "kiro-guard".into(),
                    version: env!("CARGO_PKG_VERSION").into(),
                    information_uri: "https://github.com/kiro-guard/kiro-guard".into(),
                    rules,
                },
            },
            results,
            invocations: vec![Invocation {
                execution_successful: !report
                    .errors
                    .iter()
                    .any(|e| e.kind == ErrorKind::SkillError),
                tool_execution_notifications: notifications,
            }],
        }],
    };
    serde_json::to_string_pretty(&doc).expect("sarif serialises") + "\n"
}
