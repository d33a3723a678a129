//! `internal-hosts`: an example external kiro-guard skill.
//!
//! Two rules a bank's platform team might add on top of the built-in skills:
//!
//! - `internal-hostname`: hostnames under the bank's internal DNS zones
//!   (`corp.internal` unless configured) must not be hard-coded in code or
//!   in shell commands an agent runs;
//! - `staging-credential`: credentials for staging/UAT environments must not
//!   be hard-coded either: assigned to a `STAGING_*_PASSWORD`-style name, or
//!   embedded in a URL that points at a staging/UAT host. "It is only
//!   staging" is how production data and reused passwords leak.
//!
//! Settings (`[skills.internal-hosts]` in `.kiro-guard.toml`):
//!
//! ```toml
//! [skills.internal-hosts]
//! internal_domains = ["corp.internal", "bank.sg.internal"]
//! allow_hosts = ["docs.corp.internal"]
//! ```
//!
//! Build and test it with `kiro-guard skill test skills/examples/internal-hosts`.

use kiro_guard_skill::ascii_regex;
use kiro_guard_skill::gate::{Gate, Regex};
use kiro_guard_skill::mask::mask_secret;
use kiro_guard_skill::rule::{Ref, Rule, refs};
use kiro_guard_skill::text::{LineIndex, contains_any_word};
use kiro_guard_skill::{
    Config, Document, Finding, Prompt, Severity, ShellCommand, Skill, SkillInfo,
};
use serde::Deserialize;

const CWE_798: Ref = Ref {
    framework: "CWE",
    id: "798",
    title: "Use of Hard-coded Credentials",
};

pub const INTERNAL_HOSTNAME: Rule = Rule {
    id: "internal-hostname",
    title: "Hard-coded internal hostname",
    severity: Severity::Block,
    languages: &["any", "shell"],
    references: &[refs::TRM_11_2, refs::TRM_6_1],
    remediation: "Read the endpoint from per-environment configuration or service discovery; never hard-code an internal hostname.",
    samples: &[
        "@app.py\nURL = \"https://payments.corp.internal/v1\"\n",
        "$ curl https://ledger.corp.internal/health",
    ],
    negatives: &[
        "@a.md\nInternal zone: corp.internal",
        "@a.py\nx = 'evilcorp.internal.example.com'",
    ],
};

pub const STAGING_CREDENTIAL: Rule = Rule {
    id: "staging-credential",
    title: "Hard-coded staging/UAT credential",
    severity: Severity::Block,
    languages: &["any", "shell"],
    references: &[refs::TRM_9_2, refs::TRM_10_2, refs::PCI_8_6_2, CWE_798],
    remediation: "Remove the credential, rotate it, and load it at run time from the staging vault or secrets manager; staging credentials are still credentials.",
    samples: &["@settings.py\nSTAGING_DB_PASSWORD = \"Xk29-pqLm-77aa\"\n"],
    negatives: &["@settings.py\nSTAGING_DB_PASSWORD = os.environ[\"STAGING_DB_PASSWORD\"]\n"],
};

/// A dotted hostname; group 1 is the whole name. Which ones are internal is
/// decided against the configured zones, so the zones need no regex.
const HOSTNAME: &str =
    r"(?i)\b((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?)\b";

/// Staging credential patterns; group `value` is the secret. Each contains
/// `staging`, `stg` or `uat`, the literals their gate looks for.
const STAGING_PATTERNS: &[&str] = &[
    // STAGING_DB_PASSWORD = "..." / "stg_api_key": "..." / uatToken: '...'
    r#"(?i)\b(?P<name>[a-z0-9_.-]*(?:staging|stg|uat)[a-z0-9_.-]*?(?:password|passwd|pwd|secret|token|api[_-]?key))["']?(?:\s*:\s*[a-z_][a-z0-9_<>\[\]]*)?\s*(?::=|=>|=|:)\s*["'](?P<value>[^"'\s]{6,})["']"#,
    // postgres://user:password@db.staging.example/app
    r#"(?i)\b[a-z][a-z0-9+.-]{1,20}://[^:/?#@\s"']+:(?P<value>[^@/?#\s"']{4,})@(?P<name>[a-z0-9.-]*(?:staging|stg|uat)[a-z0-9.-]*)"#,
];

/// Values that are obviously not real secrets.
fn is_placeholder(value: &str) -> bool {
    let v = value.to_ascii_lowercase();
    v.starts_with("${")
        || v.starts_with("{{")
        || v.starts_with('<')
        || v.starts_with("%(")
        || v.starts_with('$')
        || [
            "changeme",
            "change-me",
            "example",
            "placeholder",
            "dummy",
            "redacted",
            "xxxx",
            "****",
        ]
        .iter()
        .any(|p| v.contains(p))
}

#[derive(Debug, Deserialize)]
#[serde(default)]
struct Settings {
    internal_domains: Vec<String>,
    allow_hosts: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            internal_domains: vec!["corp.internal".into()],
            allow_hosts: Vec::new(),
        }
    }
}

pub struct InternalHosts {
    /// [`HOSTNAME`]; it has no literal to gate on, and runs only when a
    /// configured zone occurs.
    hostname: Regex,
    /// [`STAGING_PATTERNS`] compiled, in order, behind one literal gate.
    staging: Vec<Regex>,
    staging_gate: Gate,
}

/// Whether a name has `staging`, `stg` or `uat` as one of its words
/// (`STAGING_DB_PASSWORD`, `stgApiKey`, `db.uat.example.com`), not inside
/// another word (`evaluate_token`).
fn has_env_segment(name: &str) -> bool {
    let chars: Vec<char> = name.chars().collect();
    let mut words: Vec<String> = vec![String::new()];
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            words.push(String::new());
            continue;
        }
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1);
        let camel = c.is_ascii_uppercase()
            && (prev.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit())
                || (prev.is_some_and(|p| p.is_ascii_uppercase())
                    && next.is_some_and(|n| n.is_ascii_lowercase())));
        if camel {
            words.push(String::new());
        }
        words.last_mut().unwrap().push(c.to_ascii_lowercase());
    }
    words
        .iter()
        .any(|w| matches!(w.as_str(), "staging" | "stg" | "uat"))
}

impl InternalHosts {
    fn scan(&self, text: &str, in_test: bool, config: &Config) -> Result<Vec<Finding>, String> {
        // Strict: an unknown key (a typo) or a wrong type is an error.
        let settings: Settings = config.settings("internal-hosts")?;
        let index = LineIndex::new(text);
        let mut findings = Vec::new();

        // internal-hostname: only look for hostnames when a zone occurs at all.
        let zones: Vec<String> = settings
            .internal_domains
            .iter()
            .map(|d| d.trim_start_matches('.').to_ascii_lowercase())
            .filter(|d| !d.is_empty())
            .collect();
        let zone_refs: Vec<&str> = zones.iter().map(String::as_str).collect();
        if contains_any_word(text, &zone_refs) {
            for caps in self.hostname.captures_iter(text) {
                let Some(host) = caps.get(1) else { continue };
                let name = host.as_str().to_ascii_lowercase();
                let internal = zones.iter().any(|z| {
                    name.len() > z.len() + 1
                        && name.ends_with(z.as_str())
                        && name.as_bytes()[name.len() - z.len() - 1] == b'.'
                });
                if !internal
                    || settings
                        .allow_hosts
                        .iter()
                        .any(|a| a.eq_ignore_ascii_case(&name))
                {
                    continue;
                }
                findings.push(INTERNAL_HOSTNAME.finding(
                    index.span(host.start(), host.end()),
                    format!("internal hostname {} is hard-coded", host.as_str()),
                    host.as_str(),
                ));
            }
        }

        // staging-credential
        let severity = if in_test {
            Severity::Warn
        } else {
            STAGING_CREDENTIAL.severity
        };
        let hits = self.staging_gate.scan(text);
        let staging = self.staging.iter().enumerate().flat_map(|(i, re)| {
            if hits.may_match(&self.staging_gate, i) {
                hits.captures(&self.staging_gate, i, re, text)
            } else {
                Vec::new()
            }
        });
        for caps in staging {
            let (Some(value), Some(name)) = (caps.name("value"), caps.name("name")) else {
                continue;
            };
            if !has_env_segment(name.as_str()) || is_placeholder(value.as_str()) {
                continue;
            }
            findings.push(STAGING_CREDENTIAL.finding_with(
                severity,
                index.span(value.start(), value.end()),
                format!(
                    "credential for a staging/UAT environment ({}) is hard-coded",
                    name.as_str()
                ),
                mask_secret(value.as_str()),
            ));
        }
        Ok(findings)
    }
}

impl Skill for InternalHosts {
    fn new() -> Self {
        let compile = |p: &str| ascii_regex::regex(p).expect("valid regex");
        let staging: Vec<Regex> = STAGING_PATTERNS.iter().map(|p| compile(p)).collect();
        InternalHosts {
            hostname: compile(HOSTNAME),
            staging_gate: Gate::new(&staging),
            staging,
        }
    }

    fn info(&self) -> SkillInfo {
        SkillInfo {
            name: "internal-hosts".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            description:
                "Blocks hard-coded internal hostnames and staging credentials in code and commands"
                    .into(),
            rules: vec![INTERNAL_HOSTNAME.info(), STAGING_CREDENTIAL.info()],
        }
    }

    fn analyze_file(&self, doc: &Document, config: &Config) -> Result<Vec<Finding>, String> {
        self.scan(&doc.text, doc.is_test, config)
    }

    fn analyze_command(&self, cmd: &ShellCommand, config: &Config) -> Result<Vec<Finding>, String> {
        self.scan(&cmd.command, false, config)
    }

    fn analyze_prompt(&self, prompt: &Prompt, config: &Config) -> Result<Vec<Finding>, String> {
        // Prompts: only credentials; a hostname in a question is fine.
        Ok(self
            .scan(&prompt.text, false, config)?
            .into_iter()
            .filter(|f| f.rule_id == STAGING_CREDENTIAL.id)
            .collect())
    }
}

kiro_guard_skill::export_skill!(InternalHosts);

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> Vec<Finding> {
        InternalHosts::new()
            .analyze_file(&Document::new(path, text), &Config::default())
            .unwrap()
    }

    fn ids(f: &[Finding]) -> Vec<&str> {
        f.iter().map(|f| f.rule_id.as_str()).collect()
    }

    #[test]
    fn every_rule_sample_holds() {
        use kiro_guard_skill::rule::{Sample, check_samples};
        let skill = InternalHosts::new();
        let cfg = Config::default();
        check_samples(
            [&INTERNAL_HOSTNAME, &STAGING_CREDENTIAL],
            |_, s| match Sample::parse(s) {
                Sample::Command(c) => skill.analyze_command(
                    &ShellCommand {
                        command: c.into(),
                        cwd: String::new(),
                    },
                    &cfg,
                ),
                Sample::Prompt(t) => skill.analyze_prompt(&Prompt { text: t.into() }, &cfg),
                Sample::File { path, text } => {
                    skill.analyze_file(&Document::new(path.unwrap_or("app.py"), text), &cfg)
                }
            },
        );
    }

    #[test]
    fn internal_hostname_with_position() {
        let f = file("app.py", "URL = \"https://payments.corp.internal/v1\"\n");
        assert_eq!(ids(&f), ["internal-hostname"]);
        assert_eq!((f[0].span.line, f[0].span.column), (1, 16));
        assert_eq!(f[0].evidence, "payments.corp.internal");
    }

    #[test]
    fn zone_itself_and_lookalikes_are_not_hosts() {
        assert!(file("a.md", "Internal zone: corp.internal").is_empty());
        assert!(file("a.py", "x = 'evilcorp.internal.example.com'").is_empty());
        assert!(file("a.py", "x = 'mycorp.internal'").is_empty());
    }

    #[test]
    fn configured_zones_and_allow_list() {
        let cfg = Config::parse(
            r#"{"internal_domains": ["bank.sg.internal"], "allow_hosts": ["docs.bank.sg.internal"]}"#,
        )
        .unwrap();
        let skill = InternalHosts::new();
        let doc = Document::new(
            "a.ts",
            "fetch('https://api.bank.sg.internal'); fetch('https://docs.bank.sg.internal'); fetch('https://x.corp.internal')",
        );
        let f = skill.analyze_file(&doc, &cfg).unwrap();
        assert_eq!(ids(&f), ["internal-hostname"]);
        assert_eq!(f[0].evidence, "api.bank.sg.internal");
        let bad = Config::parse(r#"{"internal_domain": "typo"}"#).unwrap();
        assert!(skill.analyze_file(&doc, &bad).is_err());
    }

    #[test]
    fn staging_credentials_are_masked() {
        let f = file("settings.py", "STAGING_DB_PASSWORD = \"Xk29-pqLm-77aa\"\n");
        assert_eq!(ids(&f), ["staging-credential"]);
        assert_eq!(f[0].severity, Severity::Block);
        assert!(!f[0].evidence.contains("pqLm"));
        let f = file("cfg.json", r#"{"stgApiKey": "a8f3c2e1d4b5"}"#);
        assert_eq!(ids(&f), ["staging-credential"]);
        let f = file("a.ts", r#"const stagingApiKey: string = "a8f3c2e1d4b5";"#);
        assert_eq!(ids(&f), ["staging-credential"]);
        let f = file("a.go", r#"stgToken := "a8f3c2e1d4b5""#);
        assert_eq!(ids(&f), ["staging-credential"]);
    }

    #[test]
    fn staging_url_credentials() {
        let f = InternalHosts::new()
            .analyze_command(
                &ShellCommand {
                    command: "psql postgres://app:Sup3rS3cret@db.uat.example.com/app".into(),
                    cwd: String::new(),
                },
                &Config::default(),
            )
            .unwrap();
        assert_eq!(ids(&f), ["staging-credential"]);
        assert_eq!(f[0].evidence, mask_secret("Sup3rS3cret"));
    }

    #[test]
    fn placeholders_env_lookups_and_prod_names_pass() {
        assert!(
            file(
                "a.py",
                "STAGING_DB_PASSWORD = os.environ[\"STAGING_DB_PASSWORD\"]"
            )
            .is_empty()
        );
        assert!(file("a.py", "STAGING_DB_PASSWORD = \"${STAGING_DB_PASSWORD}\"").is_empty());
        assert!(file("a.py", "STAGING_DB_PASSWORD = \"changeme123\"").is_empty());
        assert!(file("a.py", "DB_PASSWORD = \"Xk29-pqLm-77aa\"").is_empty());
    }

    #[test]
    fn env_marker_must_be_a_word() {
        assert!(has_env_segment("STAGING_DB_PASSWORD"));
        assert!(has_env_segment("stgApiKey"));
        assert!(has_env_segment("UATToken"));
        assert!(has_env_segment("db.uat.example.com"));
        assert!(!has_env_segment("evaluate_token"));
        assert!(!has_env_segment("actuator.secret"));
        assert!(file("a.py", "evaluate_token = \"Xk29-pqLm-77aa\"").is_empty());
    }

    #[test]
    fn test_files_warn_instead_of_block() {
        let f = file(
            "tests/test_db.py",
            "STAGING_DB_PASSWORD = \"Xk29-pqLm-77aa\"\n",
        );
        assert_eq!(f[0].severity, Severity::Warn);
    }

    #[test]
    fn every_pattern_compiles() {
        // `new` compiles every regex; the staging ones are gated on their
        // literals.
        let s = InternalHosts::new();
        assert_eq!(s.staging.len(), STAGING_PATTERNS.len());
        assert!((0..s.staging.len()).all(|i| s.staging_gate.is_gated(i)));
    }
}
