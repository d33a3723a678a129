//! banking-code-review: hard-coded credentials and insecure code.

use kiro_guard_skill::rule::{RuleDef, refs};
use kiro_guard_skill::text::LineIndex;
use kiro_guard_skill::{Config, Document, Finding, Severity, Skill, SkillInfo, mask};
use regex::Regex;
use std::sync::LazyLock;

pub const AWS_ACCESS_KEY: RuleDef = RuleDef {
    id: "aws-access-key-id",
    title: "AWS access key id",
    severity: Severity::Block,
    languages: &["any"],
    references: &[refs::TRM_10_2, refs::TRM_9_2, refs::PCI_8_6_2],
    remediation: "Remove the key, rotate it in IAM, and load credentials from AWS Secrets Manager or an IAM role.",
};

pub const RULES: &[RuleDef] = &[AWS_ACCESS_KEY];

static AWS_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b((?:AKIA|ASIA)[0-9A-Z]{16})\b").unwrap());

pub fn scan_text(doc: &Document) -> Vec<Finding> {
    let idx = LineIndex::new(&doc.text);
    AWS_RE
        .captures_iter(&doc.text)
        .map(|c| {
            let m = c.get(1).unwrap();
            AWS_ACCESS_KEY.finding(
                idx.span(m.start(), m.end()),
                "AWS access key id",
                mask::mask_secret(m.as_str()),
            )
        })
        .collect()
}

pub struct BankingCodeReview;

impl Skill for BankingCodeReview {
    fn new() -> Self {
        BankingCodeReview
    }
    fn info(&self) -> SkillInfo {
        SkillInfo {
            name: "banking-code-review".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            description: "Hard-coded credentials and insecure code (injection, weak crypto, TLS off, PII in logs) with MAS TRM references".into(),
            rules: RULES.iter().map(RuleDef::info).collect(),
        }
    }
    fn analyze_file(&self, doc: &Document, _config: &Config) -> Result<Vec<Finding>, String> {
        Ok(scan_text(doc))
    }
}

kiro_guard_skill::export_skill!(BankingCodeReview);
