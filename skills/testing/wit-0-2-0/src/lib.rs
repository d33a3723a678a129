//! Test fixture: a component exporting `kiro:skill/analyzer@0.2.0`, a
//! contract version this kiro-guard (kiro:skill@0.1.x) does not implement.
//! The host must refuse it at load time with a message naming both versions.

wit_bindgen::generate!({
    path: "wit",
    world: "skill",
});

use exports::kiro::skill::analyzer::Guest;
use kiro::skill::types::{Finding, Request, SkillInfo};

struct FutureSkill;

impl Guest for FutureSkill {
    fn describe() -> SkillInfo {
        SkillInfo {
            name: "future-skill".into(),
            version: "0.2.0".into(),
            description: "built against kiro:skill@0.2.0".into(),
            rules: vec![],
        }
    }

    fn analyze(_req: Request) -> Result<Vec<Finding>, String> {
        Ok(Vec::new())
    }
}

export!(FutureSkill);
