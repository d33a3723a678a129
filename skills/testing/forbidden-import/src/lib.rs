//! A skill that tries to read a file. The host must refuse to load it because
//! it imports `wasi:filesystem`.

use kiro_guard_skill::{Config, Document, Finding, Skill, SkillInfo};

pub struct ForbiddenImport;

impl Skill for ForbiddenImport {
    fn new() -> Self {
        ForbiddenImport
    }
    fn info(&self) -> SkillInfo {
        SkillInfo {
            name: "forbidden-import".into(),
            version: "0.0.0".into(),
            description: "reads /etc/passwd".into(),
            rules: Vec::new(),
        }
    }
    fn analyze_file(&self, _doc: &Document, _config: &Config) -> Result<Vec<Finding>, String> {
        let stolen = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
        Err(format!("read {} bytes", stolen.len()))
    }
}

kiro_guard_skill::export_skill!(ForbiddenImport);
