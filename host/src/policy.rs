//! Managed mode: a system policy that repository configuration can only
//! tighten.
//!
//! An administrator installs kiro-guard system-wide and writes
//! `policy.toml` where an ordinary user (and so the agent acting as that
//! user) cannot write: `/etc/kiro-guard/policy.toml` on Linux and macOS,
//! `C:\ProgramData\kiro-guard\policy.toml` on Windows, or
//! `<install prefix>/etc/kiro-guard/policy.toml` beside a relocated binary
//! (`<prefix>/bin/kiro-guard`). Every policy file found applies; each can
//! only tighten. Locations are fixed at build time: no environment variable
//! or user-writable file selects the policy.
//!
//! With a policy in force:
//! * the required skills always run; rules matching `locked_rules` cannot be
//!   turned off, lowered or path-allowed by the repository;
//! * `on_error` is at least the policy's (a repository cannot relax `block`);
//! * guard-file protection is always on;
//! * inline suppressions count per `inline_suppressions` (`none`,
//!   `committed`: only those a human committed before the change, or `all`),
//!   baselines only when `baselines = true`, repository allow-lists only when
//!   `repository_allowlists = true`;
//! * only the policy's pinned external skills load (repository ones when
//!   `repository_external_skills = true`), and the compiled-skill cache is the
//!   policy's `cache_dir` (environment variables are ignored);
//! * audit records also go to the policy's spool directory and/or syslog,
//!   and the audited user is the operating-system account, never
//!   `KIRO_GUARD_USER`.

use crate::config::{Config, ExternalSkill, OnError, RuleOverride};
use anyhow::{Context, Result, bail};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// How inline `kiro-guard: allow` comments count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum InlineSuppressions {
    /// Never.
    None,
    /// Only allows that were committed before the change that adds the
    /// finding (hooks and git hooks); `scan` counts them all.
    #[default]
    Committed,
    /// Always (as without a policy, except in hooks).
    All,
}

/// Audit destinations the user cannot rewrite.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct PolicyAudit {
    /// A directory (root-owned, append-only for users: see
    /// docs/managed-deployment.md) where every hook and git decision is also
    /// appended, hash-chained, one file per month.
    pub spool_dir: Option<PathBuf>,
    /// Also send each record to the system log (`/dev/log` on Unix).
    pub syslog: bool,
}

/// `policy.toml`.
#[derive(Debug, Clone, PartialEq, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Schema version; 1.
    #[serde(default)]
    pub version: u32,
    /// Skills that always run (default: every built-in skill).
    pub required_skills: Option<Vec<String>>,
    /// Floor for the failure policy.
    #[serde(default)]
    pub on_error: OnError,
    /// Rule globs (`skill/rule`, `*` wildcards) the repository cannot turn
    /// off, lower or path-allow. Default: every rule.
    pub locked_rules: Option<Vec<String>>,
    #[serde(default)]
    pub inline_suppressions: InlineSuppressions,
    /// Whether a repository baseline file counts.
    #[serde(default)]
    pub baselines: bool,
    /// Whether the repository's `[allow]` paths and values count.
    #[serde(default)]
    pub repository_allowlists: bool,
    /// Whether the repository's `[[external_skills]]` load.
    #[serde(default)]
    pub repository_external_skills: bool,
    /// External skills the policy pins (absolute paths).
    #[serde(default)]
    pub external_skills: Vec<ExternalSkill>,
    /// Root-owned directory for compiled external skills.
    pub cache_dir: Option<PathBuf>,
    #[serde(default)]
    pub audit: PolicyAudit,
    /// Where this policy was read from (not a key).
    #[serde(skip)]
    pub source: Option<PathBuf>,
}

/// The fixed places a policy is looked for, most specific first.
pub fn policy_paths() -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(exe) = std::env::current_exe()
        && let Some(prefix) = exe.parent().and_then(Path::parent)
    {
        out.push(prefix.join("etc").join("kiro-guard").join("policy.toml"));
    }
    if cfg!(windows) {
        out.push(PathBuf::from(r"C:\ProgramData\kiro-guard\policy.toml"));
    } else {
        out.push(PathBuf::from("/etc/kiro-guard/policy.toml"));
    }
    out.dedup();
    out
}

impl Policy {
    /// Parse policy text; `source` names the file in errors.
    pub fn parse(text: &str, source: &Path) -> Result<Policy> {
        let mut p: Policy = toml::from_str(text)
            .map_err(|e| anyhow::anyhow!("{}: {}", source.display(), e.to_string().trim_end()))?;
        if p.version != 1 {
            bail!(
                "{}: policy version {} (this kiro-guard reads version 1; write `version = 1`)",
                source.display(),
                p.version
            );
        }
        for ext in &p.external_skills {
            if !ext.path.is_absolute() {
                bail!(
                    "{}: external skill {}: policy paths must be absolute",
                    source.display(),
                    ext.path.display()
                );
            }
        }
        p.source = Some(source.to_path_buf());
        Ok(p)
    }

    /// Every policy in force. A policy file that exists but cannot be read
    /// is an error (managed mode must not silently fall back to user mode).
    pub fn load_all() -> Result<Vec<Policy>> {
        let mut out = Vec::new();
        for p in policy_paths() {
            match std::fs::read_to_string(&p) {
                Ok(text) => out.push(Policy::parse(&text, &p)?),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    return Err(e).with_context(|| format!("cannot read policy {}", p.display()));
                }
            }
        }
        Ok(out)
    }

    /// Whether a rule is locked.
    pub fn locks(&self, skill: &str, rule: &str) -> bool {
        let Some(globs) = &self.locked_rules else {
            return true;
        };
        let full = format!("{skill}/{rule}");
        globs.iter().any(|g| {
            globset::Glob::new(g)
                .map(|g| {
                    let m = g.compile_matcher();
                    m.is_match(&full) || m.is_match(rule)
                })
                .unwrap_or(false)
        })
    }

    /// Tighten a repository configuration in place. `skill_of` maps a rule
    /// override key without a skill (`email`) to candidate `skill/rule`
    /// names; unknown keys are treated as locked when every rule is.
    pub fn tighten(&self, cfg: &mut Config) {
        // Skills.
        if let Some(enabled) = &mut cfg.enabled_skills {
            let required: Vec<String> = match &self.required_skills {
                Some(r) => r.clone(),
                None => crate::builtin::builtin_names()
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
            };
            for r in required {
                if !enabled.contains(&r) {
                    enabled.push(r);
                }
            }
        }
        // Failure policy.
        if self.on_error == OnError::Block {
            cfg.on_error = OnError::Block;
            cfg.hooks.on_error = Some(OnError::Block);
        }
        cfg.hooks.protect_guard_files = true;
        // Rules: drop any override that lowers or path-allows a locked rule.
        cfg.rules.retain(|key, o| {
            let (skill, rule) = match key.split_once('/') {
                Some((s, r)) => (s.to_string(), r.to_string()),
                None => (String::new(), key.clone()),
            };
            let locked = if skill.is_empty() {
                self.locked_rules.is_none()
                    || crate::builtin::builtin_names()
                        .iter()
                        .any(|s| self.locks(s, &rule))
            } else {
                self.locks(&skill, &rule)
            };
            if !locked {
                return true;
            }
            match o {
                RuleOverride::Level(l) => l.as_str() == "block",
                RuleOverride::Table(t) => {
                    t.allow_paths.clear();
                    t.severity.as_deref().is_none_or(|l| l == "block")
                }
            }
        });
        if !self.repository_allowlists {
            cfg.allow.paths.clear();
            cfg.allow.values.clear();
        }
        if !self.baselines {
            cfg.baseline = None;
        }
        if !self.repository_external_skills {
            cfg.external_skills.clear();
        }
        cfg.external_skills
            .extend(self.external_skills.iter().cloned());
        cfg.cache_dir = self.cache_dir.clone();
        cfg.audit.enabled = true;
    }
}

/// The policies in force, read once per process.
pub fn active() -> &'static Result<Vec<Policy>, String> {
    static ACTIVE: std::sync::OnceLock<Result<Vec<Policy>, String>> = std::sync::OnceLock::new();
    ACTIVE.get_or_init(|| Policy::load_all().map_err(|e| format!("{e:#}")))
}

/// Whether managed mode is in force (a policy exists).
pub fn managed() -> bool {
    matches!(active(), Ok(p) if !p.is_empty()) || active().is_err()
}

/// Apply every policy in force to a configuration. An unreadable policy is
/// an error, so that hooks fail closed.
pub fn apply(cfg: &mut Config) -> Result<()> {
    match active() {
        Ok(policies) => {
            for p in policies {
                p.tighten(cfg);
            }
            Ok(())
        }
        Err(e) => bail!("{e}"),
    }
}

/// The strictest inline-suppression mode in force (None without a policy).
pub fn inline_suppressions() -> Option<InlineSuppressions> {
    let Ok(policies) = active() else {
        return Some(InlineSuppressions::None);
    };
    policies
        .iter()
        .map(|p| p.inline_suppressions)
        .min_by_key(|m| match m {
            InlineSuppressions::None => 0,
            InlineSuppressions::Committed => 1,
            InlineSuppressions::All => 2,
        })
}

/// Audit destinations of every policy in force.
pub fn audit_destinations() -> Vec<PolicyAudit> {
    match active() {
        Ok(p) => p.iter().map(|p| p.audit.clone()).collect(),
        Err(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(text: &str) -> Policy {
        Policy::parse(text, Path::new("/etc/kiro-guard/policy.toml")).unwrap()
    }

    #[test]
    fn repository_config_can_only_tighten() {
        let p = policy("version = 1\nlocked_rules = [\"pii-detection/*\"]\n");
        let mut cfg = Config::parse(
            r#"
enabled_skills = ["banking-code-review"]
on_error = "warn"
baseline = "b.json"
[allow]
paths = ["**"]
[rules]
nric-fin = "off"
"pii-detection/email" = { severity = "warn", allow_paths = ["docs/**"] }
"banking-code-review/float-for-money" = "off"
[hooks]
protect_guard_files = false
on_error = "warn"
"#,
            Path::new("/r/.kiro-guard.toml"),
        )
        .unwrap();
        p.tighten(&mut cfg);
        let enabled = cfg.enabled_skills.clone().unwrap();
        assert!(enabled.contains(&"pii-detection".to_string()));
        assert_eq!(cfg.on_error, OnError::Block);
        assert_eq!(cfg.hooks.on_error, Some(OnError::Block));
        assert!(cfg.hooks.protect_guard_files);
        assert!(cfg.allow.paths.is_empty());
        assert!(cfg.baseline.is_none());
        assert!(!cfg.rules.contains_key("nric-fin"));
        assert!(!cfg.rules.contains_key("pii-detection/email"));
        // Not locked: the repository may still turn it off.
        assert!(
            cfg.rules
                .contains_key("banking-code-review/float-for-money")
        );
    }

    #[test]
    fn bad_policies_are_errors() {
        let src = Path::new("/etc/kiro-guard/policy.toml");
        assert!(Policy::parse("version = 2", src).is_err());
        assert!(
            Policy::parse("version = 1\nunknown = 1", src)
                .unwrap_err()
                .to_string()
                .contains("unknown")
        );
        assert!(
            Policy::parse(
                "version = 1\n[[external_skills]]\npath = \"x.wasm\"\nsha256 = \"00\"",
                src
            )
            .is_err()
        );
    }
}
