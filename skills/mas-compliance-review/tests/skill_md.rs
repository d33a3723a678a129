//! The agent-facing skill description lists every rule the skill reports.

#[test]
fn skill_md_lists_every_rule() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../.kiro/skills/mas-compliance-review/SKILL.md"
    );
    let text = std::fs::read_to_string(path).expect("SKILL.md");
    let missing: Vec<&str> = mas_compliance_review::RULES
        .iter()
        .map(|r| r.id)
        .filter(|id| !text.contains(&format!("`{id}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "rules missing from SKILL.md: {missing:?}"
    );
}
