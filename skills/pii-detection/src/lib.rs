//! pii-detection: Singapore personal data (NRIC/FIN, ...), validated and masked.
//!
//! Detection logic is plain Rust (unit-tested natively); `export_skill!` makes
//! it a wasm component when built for `wasm32-wasip2`.

use kiro_guard_skill::rule::{RuleDef, refs};
use kiro_guard_skill::text::LineIndex;
use kiro_guard_skill::{Config, Document, Finding, Severity, Skill, SkillInfo, checksum, mask};
use regex::Regex;
use std::sync::LazyLock;

pub const NRIC: RuleDef = RuleDef {
    id: "nric-fin",
    title: "Singapore NRIC/FIN number",
    severity: Severity::Block,
    languages: &["any"],
    references: &[refs::PDPA_S24, refs::NRIC_GUIDELINES, refs::TRM_11_1],
    remediation: "Do not put real NRIC/FIN numbers in code, fixtures, logs or prompts. Load them from the protected data store, mask as S****567D when displaying, and use synthetic test values with invalid checksums.",
};

pub const RULES: &[RuleDef] = &[NRIC];

static NRIC_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b[STFGM]\d{7}[A-Z]\b").unwrap());

/// Scan a document for PII.
pub fn scan_text(doc: &Document) -> Vec<Finding> {
    let idx = LineIndex::new(&doc.text);
    let mut out = Vec::new();
    for m in NRIC_RE.find_iter(&doc.text) {
        if checksum::nric_valid(m.as_str()) {
            let sev = if doc.is_test {
                Severity::Warn
            } else {
                NRIC.severity
            };
            out.push(NRIC.finding_with(
                sev,
                idx.span(m.start(), m.end()),
                "NRIC/FIN number with a valid checksum",
                mask::mask_nric(m.as_str()),
            ));
        }
    }
    out
}

pub struct PiiDetection;

impl Skill for PiiDetection {
    fn new() -> Self {
        PiiDetection
    }
    fn info(&self) -> SkillInfo {
        SkillInfo {
            name: "pii-detection".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            description: "Singapore personal data: NRIC/FIN, UEN, passports, cards, accounts, phones, postal codes, emails".into(),
            rules: RULES.iter().map(RuleDef::info).collect(),
        }
    }
    fn analyze_file(&self, doc: &Document, _config: &Config) -> Result<Vec<Finding>, String> {
        Ok(scan_text(doc))
    }
}

kiro_guard_skill::export_skill!(PiiDetection);
