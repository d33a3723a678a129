//! `.kiro-guard.toml`: found by walking up from the scanned path, or given
//! with `--config`. Unknown keys are errors that name the key and the file.

use anyhow::{Context, Result, bail};
use kiro_guard_contract::Severity;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The configuration file name.
pub const CONFIG_FILE: &str = ".kiro-guard.toml";

/// What to do when kiro-guard itself cannot decide (a skill trapped, a
/// payload did not parse, the audit log is unwritable).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum OnError {
    /// Fail closed: treat the error as a blocking finding.
    #[default]
    Block,
    /// Fail open with a warning.
    Warn,
}

/// A per-rule override: `"off"`, a severity, or a table.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum RuleOverride {
    Level(String),
    Table(RuleTable),
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RuleTable {
    /// "off", "info", "warn" or "block".
    pub severity: Option<String>,
    /// Globs of paths where this rule does not apply.
    #[serde(default)]
    pub allow_paths: Vec<String>,
}

/// An external skill component, pinned by hash.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExternalSkill {
    /// Path to the `.wasm` component, relative to the config file.
    pub path: PathBuf,
    /// Expected SHA-256 of the file, hex. Required.
    pub sha256: String,
}

/// Resource bounds for skills.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct LimitsConfig {
    /// Fuel per call before the per-byte share.
    pub fuel: Option<u64>,
    /// Fuel per input byte.
    pub fuel_per_byte: Option<u64>,
    /// Memory per skill instance, MiB.
    pub memory_mib: Option<usize>,
}

/// Allowlists.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct AllowConfig {
    /// Globs of paths never scanned (and never reported).
    #[serde(default)]
    pub paths: Vec<String>,
    /// Regexes; a finding whose matched text matches one is dropped.
    #[serde(default)]
    pub values: Vec<String>,
}

/// Agent-hook behaviour.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HooksConfig {
    /// Block agent edits to kiro-guard's own configuration, hooks and audit log.
    pub protect_guard_files: bool,
    /// Failure policy for hooks (defaults to the top-level `on_error`).
    pub on_error: Option<OnError>,
}

impl Default for HooksConfig {
    fn default() -> Self {
        HooksConfig {
            protect_guard_files: true,
            on_error: None,
        }
    }
}

/// Audit log settings.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AuditConfig {
    /// Append hook and git decisions to the audit log.
    pub enabled: bool,
    /// Directory of the monthly `YYYY-MM.jsonl` files, relative to the
    /// repository root (default `.kiro-guard/audit`).
    pub dir: Option<PathBuf>,
}

impl Default for AuditConfig {
    fn default() -> Self {
        AuditConfig {
            enabled: true,
            dir: None,
        }
    }
}

/// The whole file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Schema version; 1.
    #[serde(default = "one")]
    pub version: u32,
    /// Skills to run (default: all built-in and external skills).
    pub enabled_skills: Option<Vec<String>>,
    /// Failure policy when a skill or kiro-guard itself fails.
    #[serde(default)]
    pub on_error: OnError,
    /// Default `--fail-on` for `scan`: "block", "warn" or "never".
    pub fail_on: Option<String>,
    /// Files larger than this (bytes) are skipped with a note. Default 2 MiB.
    pub max_file_size: Option<u64>,
    /// Baseline file of accepted legacy findings, relative to the config file.
    pub baseline: Option<PathBuf>,
    /// Directory for the compiled-skill cache.
    pub cache_dir: Option<PathBuf>,
    #[serde(default)]
    pub allow: AllowConfig,
    /// Per-rule overrides, keyed by `rule-id` or `skill/rule-id`.
    #[serde(default)]
    pub rules: BTreeMap<String, RuleOverride>,
    /// Per-skill settings, passed to the skill as JSON.
    #[serde(default)]
    pub skills: BTreeMap<String, toml::Value>,
    #[serde(default)]
    pub external_skills: Vec<ExternalSkill>,
    #[serde(default)]
    pub limits: LimitsConfig,
    #[serde(default)]
    pub hooks: HooksConfig,
    #[serde(default)]
    pub audit: AuditConfig,
    /// Where this configuration was read from (not a key).
    #[serde(skip)]
    pub source: Option<PathBuf>,
}

fn one() -> u32 {
    1
}

impl Default for Config {
    fn default() -> Self {
        toml::from_str("").expect("empty config parses")
    }
}

impl Config {
    /// Parse configuration text; `source` names the file in errors.
    pub fn parse(text: &str, source: &Path) -> Result<Config> {
        let mut cfg: Config = toml::from_str(text)
            .map_err(|e| anyhow::anyhow!("{}: {}", source.display(), e.to_string().trim_end()))?;
        if cfg.version != 1 {
            bail!(
                "{}: unsupported config version {} (this kiro-guard reads version 1)",
                source.display(),
                cfg.version
            );
        }
        if let Some(f) = &cfg.fail_on
            && !matches!(f.as_str(), "block" | "warn" | "never")
        {
            bail!(
                "{}: fail_on = {f:?}: expected \"block\", \"warn\" or \"never\"",
                source.display()
            );
        }
        for (rule, o) in &cfg.rules {
            let level = match o {
                RuleOverride::Level(l) => Some(l),
                RuleOverride::Table(t) => t.severity.as_ref(),
            };
            if let Some(l) = level
                && l != "off"
                && Severity::parse(l).is_none()
            {
                bail!(
                    "{}: rules.{rule}: severity {l:?}: expected \"off\", \"info\", \"warn\" or \"block\"",
                    source.display()
                );
            }
        }
        for v in &cfg.allow.values {
            regex::Regex::new(v).with_context(|| {
                format!("{}: allow.values: invalid regex {v:?}", source.display())
            })?;
        }
        for ext in &cfg.external_skills {
            if ext.sha256.len() != 64 || !ext.sha256.chars().all(|c| c.is_ascii_hexdigit()) {
                bail!(
                    "{}: external skill {}: sha256 must be 64 hex characters",
                    source.display(),
                    ext.path.display()
                );
            }
        }
        cfg.source = Some(source.to_path_buf());
        Ok(cfg)
    }

    /// The failure policy of agent hooks: `[hooks] on_error`, else `on_error`.
    pub fn hook_on_error(&self) -> OnError {
        self.hooks.on_error.unwrap_or(self.on_error)
    }

    /// Directory the config file lives in (relative paths resolve here).
    pub fn base_dir(&self) -> Option<&Path> {
        self.source.as_deref().and_then(Path::parent)
    }

    /// The settings section for a skill, as JSON text.
    pub fn skill_settings_json(&self, skill: &str) -> String {
        match self.skills.get(skill) {
            Some(v) => serde_json::to_string(v).unwrap_or_else(|_| "{}".into()),
            None => "{}".into(),
        }
    }

    /// The override for a rule of a skill, most specific first.
    pub fn rule_override(&self, skill: &str, rule: &str) -> Option<&RuleOverride> {
        self.rules
            .get(&format!("{skill}/{rule}"))
            .or_else(|| self.rules.get(rule))
    }

    /// Effective max file size.
    pub fn max_file_size(&self) -> u64 {
        self.max_file_size.unwrap_or(2 << 20)
    }
}

/// The user-level configuration file's path.
pub fn user_config_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| {
            std::env::var_os("HOME")
                .or_else(|| std::env::var_os("APPDATA"))
                .map(|h| PathBuf::from(h).join(".config"))
        })?;
    Some(base.join("kiro-guard").join("config.toml"))
}

/// The nearest `.kiro-guard.toml` at or above `start`, not above the
/// enclosing git repository's top level (a directory holding `.git`).
pub fn find_upwards(start: &Path) -> Option<PathBuf> {
    let start = if start.is_file() {
        start.parent()?
    } else {
        start
    };
    // `Path::new("a.txt").parent()` is the empty path: the current directory.
    let start = if start.as_os_str().is_empty() {
        Path::new(".")
    } else {
        start
    };
    let start = std::fs::canonicalize(start).ok()?;
    for d in start.ancestors() {
        let p = d.join(CONFIG_FILE);
        if p.is_file() {
            return Some(p);
        }
        if d.join(".git").exists() {
            return None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_name_the_key_and_file() {
        let err = Config::parse("enabled_skils = []", Path::new("/r/.kiro-guard.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("/r/.kiro-guard.toml"), "{err}");
        assert!(err.contains("enabled_skils"), "{err}");
        let err = Config::parse("[allow]\npath = []", Path::new("x.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("path"), "{err}");
    }

    #[test]
    fn full_config_parses() {
        let text = r#"
enabled_skills = ["pii-detection"]
on_error = "warn"
fail_on = "warn"
max_file_size = 1000
baseline = ".kiro-guard-baseline.json"
[allow]
paths = ["vendor/**"]
values = ["^4111"]
[rules]
email = "off"
"pii-detection/sg-phone" = { severity = "block", allow_paths = ["docs/**"] }
[skills.pii-detection]
test_severity = "block"
[[external_skills]]
path = "x.wasm"
sha256 = "0000000000000000000000000000000000000000000000000000000000000000"
[limits]
fuel = 1000
memory_mib = 64
"#;
        let c = Config::parse(text, Path::new("c.toml")).unwrap();
        assert_eq!(c.on_error, OnError::Warn);
        assert_eq!(c.max_file_size(), 1000);
        assert_eq!(
            c.skill_settings_json("pii-detection"),
            r#"{"test_severity":"block"}"#
        );
        assert_eq!(c.skill_settings_json("other"), "{}");
        assert!(
            matches!(c.rule_override("pii-detection", "email"), Some(RuleOverride::Level(l)) if l == "off")
        );
        assert!(matches!(
            c.rule_override("pii-detection", "sg-phone"),
            Some(RuleOverride::Table(_))
        ));
    }

    #[test]
    fn bad_values_are_rejected() {
        assert!(Config::parse("fail_on = \"sometimes\"", Path::new("c")).is_err());
        assert!(Config::parse("[rules]\nx = \"loud\"", Path::new("c")).is_err());
        assert!(Config::parse("[allow]\nvalues = [\"(\"]", Path::new("c")).is_err());
        assert!(
            Config::parse(
                "[[external_skills]]\npath = \"a\"\nsha256 = \"zz\"",
                Path::new("c")
            )
            .is_err()
        );
        assert!(Config::parse("version = 2", Path::new("c")).is_err());
    }
}
