//! mas-compliance-review: agent/MCP governance, risky commands, infrastructure as code.

use kiro_guard_skill::rule::{RuleDef, refs};
use kiro_guard_skill::{Config, Finding, Severity, ShellCommand, Skill, SkillInfo, Span};

pub const FORCE_PUSH: RuleDef = RuleDef {
    id: "git-force-push",
    title: "git force push",
    severity: Severity::Block,
    languages: &["shell"],
    references: &[refs::TRM_6_3, refs::TRM_7_5],
    remediation: "Do not rewrite shared history. Push a new commit, or ask a human to force-push after review.",
};

pub const RULES: &[RuleDef] = &[FORCE_PUSH];

pub fn check_command(cmd: &str) -> Vec<Finding> {
    let words: Vec<&str> = cmd.split_whitespace().collect();
    let is_push = words
        .windows(2)
        .any(|w| w[0].ends_with("git") && w[1] == "push");
    let forced = words
        .iter()
        .any(|w| *w == "--force" || *w == "-f" || w.starts_with("--force-with-lease"));
    if is_push && forced {
        let span = Span {
            line: 1,
            column: 1,
            end_line: 1,
            end_column: cmd.chars().count() as u32 + 1,
        };
        vec![FORCE_PUSH.finding(
            span,
            "git push --force rewrites remote history",
            "git push --force",
        )]
    } else {
        Vec::new()
    }
}

pub struct MasComplianceReview;

impl Skill for MasComplianceReview {
    fn new() -> Self {
        MasComplianceReview
    }
    fn info(&self) -> SkillInfo {
        SkillInfo {
            name: "mas-compliance-review".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            description: "Agent and MCP governance, risky shell commands and infrastructure as code against MAS TRM".into(),
            rules: RULES.iter().map(RuleDef::info).collect(),
        }
    }
    fn analyze_command(
        &self,
        cmd: &ShellCommand,
        _config: &Config,
    ) -> Result<Vec<Finding>, String> {
        Ok(check_command(&cmd.command))
    }
}

kiro_guard_skill::export_skill!(MasComplianceReview);
