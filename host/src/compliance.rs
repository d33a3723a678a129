//! `kiro-guard report compliance [PATH]`: a MAS TRM coverage matrix for a
//! scanned tree — the automated form of the seed's "MAS Compliance Review
//! Report" (total / passed / failed / warnings, critical issues with TRM
//! sections, recommendations).

use crate::config::Config;
use crate::guard::{Guard, SkillOptions};
use crate::output::ReportFormat;
use crate::report::Report;
use anyhow::{Result, bail};
use kiro_guard_contract::Severity;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

/// Status of one TRM sub-section.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SectionRow {
    pub section: String,
    pub title: String,
    /// `skill/rule` ids that check this section.
    pub rules: Vec<String>,
    pub blocking: usize,
    pub warnings: usize,
    /// "pass" (no blocking or warning findings), "warn" or "fail".
    pub status: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct CriticalIssue {
    pub rule: String,
    pub path: String,
    pub line: u32,
    pub message: String,
    pub evidence: String,
    pub trm: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ComplianceReport {
    pub scanned_items: usize,
    pub total_sections: usize,
    pub passed: usize,
    pub failed: usize,
    pub warnings: usize,
    pub sections: Vec<SectionRow>,
    pub critical_issues: Vec<CriticalIssue>,
    pub recommendations: Vec<String>,
    pub errors: usize,
}

/// Build the matrix from the loaded skills' catalogues and a scan report.
pub fn build(guard: &Guard, report: &Report) -> ComplianceReport {
    let mut sections: BTreeMap<String, SectionRow> = BTreeMap::new();
    for skill in &guard.skills {
        for rule in &skill.info.rules {
            for r in rule.references.iter().filter(|r| r.framework == "MAS TRM") {
                let row = sections.entry(r.id.clone()).or_insert_with(|| SectionRow {
                    section: r.id.clone(),
                    title: r.title.clone(),
                    rules: Vec::new(),
                    blocking: 0,
                    warnings: 0,
                    status: "pass",
                });
                row.rules.push(format!("{}/{}", skill.info.name, rule.id));
            }
        }
    }
    let mut critical = Vec::new();
    let mut recommendations: BTreeMap<String, String> = BTreeMap::new();
    for f in &report.findings {
        let trm: Vec<String> = f
            .references
            .iter()
            .filter(|r| r.framework == "MAS TRM")
            .map(|r| r.id.clone())
            .collect();
        for id in &trm {
            if let Some(row) = sections.get_mut(id) {
                match f.severity {
                    Severity::Block => row.blocking += 1,
                    Severity::Warn => row.warnings += 1,
                    Severity::Info => {}
                }
            }
        }
        if f.severity == Severity::Block {
            critical.push(CriticalIssue {
                rule: format!("{}/{}", f.skill, f.rule),
                path: f.path.clone(),
                line: f.line,
                message: f.message.clone(),
                evidence: f.evidence.clone(),
                trm: trm.clone(),
            });
        }
        if f.severity >= Severity::Warn && !f.remediation.is_empty() {
            recommendations
                .entry(format!("{}/{}", f.skill, f.rule))
                .or_insert_with(|| f.remediation.clone());
        }
    }
    let mut rows: Vec<SectionRow> = sections.into_values().collect();
    rows.sort_by_key(|r| kiro_guard_contract::trm::order_key(&r.section));
    for r in &mut rows {
        r.rules.sort();
        r.rules.dedup();
        r.status = if r.blocking > 0 {
            "fail"
        } else if r.warnings > 0 {
            "warn"
        } else {
            "pass"
        };
    }
    ComplianceReport {
        scanned_items: report.items,
        total_sections: rows.len(),
        passed: rows.iter().filter(|r| r.status == "pass").count(),
        failed: rows.iter().filter(|r| r.status == "fail").count(),
        warnings: rows.iter().filter(|r| r.status == "warn").count(),
        sections: rows,
        critical_issues: critical,
        recommendations: recommendations
            .into_iter()
            .map(|(rule, fix)| format!("{rule}: {fix}"))
            .collect(),
        errors: report.errors.iter().filter(|e| e.kind.is_failure()).count(),
    }
}

/// Markdown rendering.
pub fn markdown(r: &ComplianceReport) -> String {
    let mut s = String::from("# MAS Compliance Review Report\n\n");
    let _ = writeln!(
        s,
        "Scanned {} item(s). TRM sub-sections checked: {} — passed {}, failed {}, warnings {}.{}\n",
        r.scanned_items,
        r.total_sections,
        r.passed,
        r.failed,
        r.warnings,
        if r.errors > 0 {
            format!(" {} item(s) could not be fully checked.", r.errors)
        } else {
            String::new()
        }
    );
    s.push_str("## TRM coverage matrix\n\n| TRM | title | status | block | warn | rules |\n|---|---|---|---|---|---|\n");
    for row in &r.sections {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} |",
            row.section,
            row.title,
            row.status.to_uppercase(),
            row.blocking,
            row.warnings,
            row.rules
                .iter()
                .map(|x| format!("`{x}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    s.push_str("\n## Critical issues\n\n");
    if r.critical_issues.is_empty() {
        s.push_str("None.\n");
    }
    for c in r.critical_issues.iter().take(100) {
        let _ = writeln!(
            s,
            "- `{}` {}:{} — {} ({}) [TRM {}]",
            c.rule,
            c.path,
            c.line,
            c.message,
            c.evidence,
            c.trm.join(", ")
        );
    }
    if r.critical_issues.len() > 100 {
        let _ = writeln!(s, "- … and {} more", r.critical_issues.len() - 100);
    }
    s.push_str("\n## Recommendations\n\n");
    if r.recommendations.is_empty() {
        s.push_str("None.\n");
    }
    for rec in &r.recommendations {
        let _ = writeln!(s, "- {rec}");
    }
    s.push_str("\nTRM findings are expectation gaps against non-binding guidelines (MAS TRM, January 2021), cited at sub-section level.\n");
    s
}

/// `kiro-guard report compliance`: scan `paths` (default: the current
/// directory), print the matrix; exit 1 when a TRM sub-section fails.
pub fn run(paths: &[PathBuf], format: ReportFormat, skills: &SkillOptions) -> Result<i32> {
    let paths = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    let config = Config::resolve(skills.config.as_deref(), &paths[0])?;
    let max = config.max_file_size();
    let guard = Guard::from_config(config, &skills.selection)?;
    let mut report = guard.scan_paths(&paths, max);
    report.sort();
    let r = build(&guard, &report);
    match format {
        ReportFormat::Markdown => print!("{}", markdown(&r)),
        ReportFormat::Json => println!("{}", serde_json::to_string_pretty(&r)?),
        ReportFormat::Html => bail!("report compliance has no HTML form (use markdown or json)"),
    }
    Ok(if r.failed > 0 {
        crate::exit::FAILED
    } else {
        crate::exit::OK
    })
}
