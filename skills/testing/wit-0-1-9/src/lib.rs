//! Test fixture: a component exporting `kiro:skill/analyzer@0.1.9`, a later
//! patch release of the contract. Semver-compatible with the host's 0.1.0, so
//! it must load and run: this is what "a compatible host upgrade keeps loading
//! old skills" looks like from the other side.

wit_bindgen::generate!({
    path: "wit",
    world: "skill",
});

use exports::kiro::skill::analyzer::Guest;
use kiro::skill::types::{Finding, Request, RuleInfo, Severity, SkillInfo, Span};

struct PatchSkill;

impl Guest for PatchSkill {
    fn describe() -> SkillInfo {
        SkillInfo {
            name: "patch-skill".into(),
            version: "0.1.9".into(),
            description: "built against kiro:skill@0.1.9".into(),
            rules: vec![RuleInfo {
                id: "patch-level".into(),
                title: "Reports once per input".into(),
                default_severity: Severity::Warn,
                languages: vec!["any".into()],
                references: vec![],
                remediation: "Nothing to fix: this is a versioning test fixture.".into(),
            }],
        }
    }

    fn analyze(_req: Request) -> Result<Vec<Finding>, String> {
        Ok(vec![Finding {
            rule_id: "patch-level".into(),
            severity: Severity::Warn,
            message: "loaded across a patch-level contract difference".into(),
            span: Span {
                line: 1,
                column: 1,
                end_line: 1,
                end_column: 2,
            },
            evidence: String::new(),
            references: vec![],
            remediation: "Nothing to fix: this is a versioning test fixture.".into(),
        }])
    }
}

export!(PatchSkill);
