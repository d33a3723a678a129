//! A test skill that misbehaves on request, to prove the host's sandbox
//! bounds: its config's `mode` selects the behaviour.
//!
//! - `loop`: spins forever (stopped by the fuel budget)
//! - `oom`: allocates until the memory cap stops it
//! - `trap`: panics (a trap under `panic = "abort"`)
//! - `bad-span`: returns a finding whose span is outside the document
//! - `flood`: returns far more findings than the host accepts
//! - `error`: returns an error string
//! - anything else: one well-formed finding on line 1

use kiro_guard_skill::rule::Rule as RuleDef;
use kiro_guard_skill::{Config, Document, Finding, Severity, Skill, SkillInfo, Span};

pub const TEST_RULE: RuleDef = RuleDef {
    id: "test-rule",
    title: "test rule",
    severity: Severity::Block,
    languages: &["any"],
    references: &[],
    remediation: "none",
    samples: &[],
    negatives: &[],
};

pub struct Misbehave;

impl Skill for Misbehave {
    fn new() -> Self {
        Misbehave
    }
    fn info(&self) -> SkillInfo {
        SkillInfo {
            name: "misbehave".into(),
            version: "0.0.1".into(),
            description: "test-only misbehaving skill".into(),
            rules: vec![TEST_RULE.info()],
        }
    }
    fn analyze_file(&self, doc: &Document, config: &Config) -> Result<Vec<Finding>, String> {
        let one = Span {
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 2,
        };
        match config.str("mode").unwrap_or("") {
            "loop" => {
                let mut x: u64 = doc.text.len() as u64;
                loop {
                    x = std::hint::black_box(x.wrapping_mul(6364136223846793005).wrapping_add(1));
                    if x == 42 {
                        return Ok(Vec::new());
                    }
                }
            }
            "oom" => {
                let mut hoard: Vec<Vec<u8>> = Vec::new();
                loop {
                    hoard.push(vec![1u8; 16 << 20]);
                    std::hint::black_box(&hoard);
                }
            }
            "trap" => panic!("deliberate trap"),
            "bad-span" => Ok(vec![TEST_RULE.finding(
                Span {
                    line: 10_000,
                    column: 1,
                    end_line: 10_000,
                    end_column: 5,
                },
                "out of range",
                "x",
            )]),
            "flood" => Ok((0..200_000)
                .map(|_| TEST_RULE.finding(one, "flood", "x"))
                .collect()),
            "error" => Err("deliberate error".into()),
            _ => Ok(vec![TEST_RULE.finding(
                one,
                "well-formed test finding",
                "t***",
            )]),
        }
    }
}

kiro_guard_skill::export_skill!(Misbehave);
