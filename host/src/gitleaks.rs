//! gitleaks interoperability: a repository's `.gitleaks.toml` becomes extra
//! credential rules of the `banking-code-review` skill, and a
//! `.gitleaksignore` file suppresses findings by fingerprint.
//!
//! * [`skill_settings`] converts the TOML into the skill's settings keys
//!   `gitleaks_rules` (each `[[rules]]` with `id`, `description`, `regex`,
//!   `secretGroup`, `entropy`, `keywords`, `path`, `tags`, `allowlists` /
//!   `allowlist`) and `gitleaks_allowlist` (the global `[allowlist]`, or the
//!   first top-level `[[allowlists]]`). The skill compiles and runs them and
//!   reports `gitleaks/<rule-id>`; it rejects fields it does not support
//!   with an error naming the field. `[extend]` (gitleaks' default rule set)
//!   is an error here: the skill's own provider detectors play that role.
//! * [`Ignore`] parses `.gitleaksignore` (one fingerprint per line:
//!   `[commit:]file:rule-id:line`, `#` comments) and answers whether a
//!   finding is ignored. The rule id matches `gitleaks/<id>` findings and the
//!   skill's own rule ids.
//!
//! [`crate::guard::Guard::load_gitleaks`] reads both files at the
//! repository root (from `HEAD` for hooks and git hooks) and applies them.

use serde_json::{Map, Value};

/// Convert `.gitleaks.toml` text into `banking-code-review` settings
/// entries (`gitleaks_rules`, `gitleaks_allowlist`).
pub fn skill_settings(toml_text: &str) -> Result<Map<String, Value>, String> {
    let doc: toml::Table = toml::from_str(toml_text).map_err(|e| format!(".gitleaks.toml: {e}"))?;
    let mut out = Map::new();
    for (k, v) in &doc {
        match k.as_str() {
            "title" | "description" => {}
            "rules" => {
                let rules = v
                    .as_array()
                    .ok_or(".gitleaks.toml: `rules` must be an array of tables ([[rules]])")?;
                out.insert(
                    "gitleaks_rules".into(),
                    Value::Array(rules.iter().map(to_json).collect()),
                );
            }
            "allowlist" => {
                out.insert("gitleaks_allowlist".into(), to_json(v));
            }
            "allowlists" => {
                let a = v
                    .as_array()
                    .ok_or(".gitleaks.toml: `allowlists` must be an array of tables")?;
                match a.as_slice() {
                    [] => {}
                    [one] => {
                        out.insert("gitleaks_allowlist".into(), to_json(one));
                    }
                    _ => {
                        return Err(
                            ".gitleaks.toml: more than one top-level [[allowlists]] is not supported; merge them into one"
                                .into(),
                        );
                    }
                }
            }
            "extend" => {
                return Err(".gitleaks.toml: [extend] is not supported (kiro-guard's own credential detectors replace gitleaks' default rules); remove it".into());
            }
            other => {
                return Err(format!(
                    ".gitleaks.toml: unsupported top-level key `{other}`"
                ));
            }
        }
    }
    Ok(out)
}

fn to_json(v: &toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s.clone()),
        toml::Value::Integer(i) => Value::from(*i),
        toml::Value::Float(f) => Value::from(*f),
        toml::Value::Boolean(b) => Value::Bool(*b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.iter().map(to_json).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.iter().map(|(k, v)| (k.clone(), to_json(v))).collect())
        }
    }
}

/// Parsed `.gitleaksignore`.
#[derive(Debug, Default)]
pub struct Ignore {
    entries: Vec<(String, String, u32)>,
}

impl Ignore {
    /// Parse the file. Lines that are not fingerprints are an error naming
    /// the line number.
    pub fn parse(text: &str) -> Result<Ignore, String> {
        let mut entries = Vec::new();
        for (n, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            // [commit:]file:rule-id:line; the file may itself contain ':'
            // only when a commit is given first (gitleaks' own format).
            let mut parts: Vec<&str> = line.rsplitn(3, ':').collect();
            parts.reverse();
            let [file, rule, ln] = parts.as_slice() else {
                return Err(format!(
                    ".gitleaksignore:{}: expected [commit:]file:rule-id:line",
                    n + 1
                ));
            };
            let ln: u32 = ln
                .parse()
                .map_err(|_| format!(".gitleaksignore:{}: `{ln}` is not a line number", n + 1))?;
            // Drop a leading 40-hex commit.
            let file = match file.split_once(':') {
                Some((c, f)) if c.len() == 40 && c.bytes().all(|b| b.is_ascii_hexdigit()) => f,
                _ => file,
            };
            entries.push((file.to_string(), rule.to_string(), ln));
        }
        Ok(Ignore { entries })
    }

    /// Whether a finding (`rule_id` as reported, repository-relative `path`,
    /// 1-based `line`) is listed.
    pub fn ignored(&self, path: &str, rule_id: &str, line: u32) -> bool {
        let rule = rule_id.strip_prefix("gitleaks/").unwrap_or(rule_id);
        let path = path.trim_start_matches("./");
        self.entries
            .iter()
            .any(|(f, r, l)| *l == line && r == rule && f.trim_start_matches("./") == path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_rules_and_allowlists() {
        let t = r#"
title = "bank rules"
[[rules]]
id = "bank-token"
regex = '''bkt_[a-z0-9]{24}'''
secretGroup = 0
entropy = 3.5
keywords = ["bkt_"]
path = '''\.py$'''
[[rules.allowlists]]
stopwords = ["sample"]
condition = "OR"

[allowlist]
paths = ['''^vendor/''']
"#;
        let s = skill_settings(t).unwrap();
        let r = &s["gitleaks_rules"][0];
        assert_eq!(r["id"], "bank-token");
        assert_eq!(r["secretGroup"], 0);
        assert_eq!(r["entropy"], 3.5);
        assert_eq!(r["allowlists"][0]["stopwords"][0], "sample");
        assert_eq!(s["gitleaks_allowlist"]["paths"][0], "^vendor/");
    }

    #[test]
    fn unsupported_is_an_error() {
        assert!(
            skill_settings("[extend]\nuseDefault = true\n")
                .unwrap_err()
                .contains("[extend]")
        );
        assert!(skill_settings("foo = 1\n").unwrap_err().contains("`foo`"));
        assert!(skill_settings("rules = 3\n").is_err());
        assert!(skill_settings("[[rules]\n").is_err());
    }

    #[test]
    fn gitleaksignore() {
        let ig = Ignore::parse(
            "# reviewed\n0123456789abcdef0123456789abcdef01234567:src/a.py:bank-token:12\nconfig/x.yml:generic-secret:3\n",
        )
        .unwrap();
        assert!(ig.ignored("src/a.py", "gitleaks/bank-token", 12));
        assert!(ig.ignored("./config/x.yml", "generic-secret", 3));
        assert!(!ig.ignored("src/a.py", "gitleaks/bank-token", 13));
        assert!(!ig.ignored("src/b.py", "gitleaks/bank-token", 12));
        assert!(Ignore::parse("just-a-word\n").is_err());
        assert!(Ignore::parse("a.py:rule:x\n").is_err());
    }
}
