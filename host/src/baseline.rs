//! Baselines: accepted legacy findings, so only new ones block.
//!
//! The file stores fingerprints (SHA-256 of skill, rule, path and matched
//! text) plus rule and path for humans; never the matched text.

use crate::guard::Reported;
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::Path;

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    fingerprint: String,
    skill: String,
    rule: String,
    path: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct File {
    version: u32,
    findings: Vec<Entry>,
}

/// A set of accepted finding fingerprints.
#[derive(Debug, Clone, Default)]
pub struct Baseline {
    fingerprints: BTreeSet<String>,
}

impl Baseline {
    pub fn load(path: &Path) -> Result<Baseline> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read baseline {}", path.display()))?;
        let file: File = serde_json::from_str(&text)
            .with_context(|| format!("invalid baseline {}", path.display()))?;
        Ok(Baseline {
            fingerprints: file.findings.into_iter().map(|e| e.fingerprint).collect(),
        })
    }

    pub fn contains(&self, fingerprint: &str) -> bool {
        self.fingerprints.contains(fingerprint)
    }

    /// Write the findings as a baseline file (atomically).
    pub fn write(path: &Path, findings: &[Reported]) -> Result<usize> {
        let mut entries: Vec<Entry> = findings
            .iter()
            .map(|f| Entry {
                fingerprint: f.fingerprint.clone(),
                skill: f.skill.clone(),
                rule: f.rule.clone(),
                path: f.path.clone(),
            })
            .collect();
        entries.sort_by(|a, b| {
            (&a.path, &a.rule, &a.fingerprint).cmp(&(&b.path, &b.rule, &b.fingerprint))
        });
        entries.dedup_by(|a, b| a.fingerprint == b.fingerprint);
        let n = entries.len();
        let json = serde_json::to_string_pretty(&File {
            version: 1,
            findings: entries,
        })? + "\n";
        crate::cache::write_atomic(path, json.as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?;
        Ok(n)
    }
}
