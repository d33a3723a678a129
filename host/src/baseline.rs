//! Baselines: accepted legacy findings, so only new ones block.
//!
//! The file stores fingerprints (HMAC-SHA256 of skill, rule, path and matched
//! text under a per-clone key, [`crate::fingerprint`]) plus rule and path for
//! humans; never the matched text. Version-1 files (unsalted SHA-256) are
//! still matched and are rewritten as version 2 by `--write-baseline`.

use crate::report::Reported;
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
    /// Version 1 files hold unsalted fingerprints (still matched).
    legacy: bool,
}

impl Baseline {
    pub fn load(path: &Path) -> Result<Baseline> {
        let text = std::fs::read(path)
            .with_context(|| format!("cannot read baseline {}", path.display()))?;
        Baseline::parse(&text).with_context(|| format!("invalid baseline {}", path.display()))
    }

    /// Parse a baseline file's bytes.
    pub fn parse(bytes: &[u8]) -> Result<Baseline> {
        let file: File = serde_json::from_slice(bytes)?;
        Ok(Baseline {
            legacy: file.version < 2,
            fingerprints: file.findings.into_iter().map(|e| e.fingerprint).collect(),
        })
    }

    /// Whether the file holds version-1 (unsalted) fingerprints; rewrite it
    /// with `scan --write-baseline` so it no longer can reveal values.
    pub fn has_legacy(&self) -> bool {
        self.legacy
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
            version: 2,
            findings: entries,
        })? + "\n";
        crate::cache::write_atomic(path, json.as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?;
        Ok(n)
    }
}
