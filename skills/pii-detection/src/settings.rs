//! The skill's settings (`[skills.pii-detection]` in `.kiro-guard.toml`,
//! passed as JSON), read strictly by `kiro_guard_skill::settings`: an
//! unknown key is an error. Every key is documented in `lib.rs` and the
//! README.

use kiro_guard_skill::{Config, Severity};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Highest severity in test fixtures (`test_severity`, default warn).
    pub test_severity: Severity,
    /// Email domains (lower-case; a domain also covers its sub-domains) that
    /// are never reported (`allow_email_domains`).
    pub allow_email_domains: Vec<String>,
    /// Skip documentation/placeholder email domains and no-reply mailboxes
    /// (`ignore_placeholder_emails`, default true).
    pub ignore_placeholder_emails: bool,
    /// Report NRIC-shaped values with a wrong check letter next to an NRIC/FIN
    /// label as info (`report_invalid_nric`, default true).
    pub report_invalid_nric: bool,
    /// Report bare 8-digit numeric literals in source code as phone numbers
    /// even without a phone word nearby (`phone_numeric_literals`, default false).
    pub phone_numeric_literals: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            test_severity: Severity::Warn,
            allow_email_domains: Vec::new(),
            ignore_placeholder_emails: true,
            report_invalid_nric: true,
            phone_numeric_literals: false,
        }
    }
}

/// The settings as the host passes them (see [`Settings`] for each key).
#[derive(Debug, serde::Deserialize)]
#[serde(default)]
struct RawSettings {
    test_severity: Option<String>,
    allow_email_domains: Vec<String>,
    ignore_placeholder_emails: bool,
    report_invalid_nric: bool,
    phone_numeric_literals: bool,
}

impl Default for RawSettings {
    fn default() -> Self {
        let d = Settings::default();
        RawSettings {
            test_severity: None,
            allow_email_domains: Vec::new(),
            ignore_placeholder_emails: d.ignore_placeholder_emails,
            report_invalid_nric: d.report_invalid_nric,
            phone_numeric_literals: d.phone_numeric_literals,
        }
    }
}

impl Settings {
    /// Read the settings; an unknown key or a wrongly typed value is an
    /// error (the host then applies its failure policy and names the
    /// problem).
    pub fn from_config(config: &Config) -> Result<Settings, String> {
        let raw: RawSettings = config.settings("pii-detection")?;
        let test_severity = match raw.test_severity {
            None => Settings::default().test_severity,
            Some(v) => Severity::parse(&v).ok_or(
                "pii-detection: setting `test_severity` must be \"info\", \"warn\" or \"block\"",
            )?,
        };
        Ok(Settings {
            test_severity,
            allow_email_domains: raw
                .allow_email_domains
                .iter()
                .map(|d| d.trim().trim_start_matches('@').to_ascii_lowercase())
                .collect(),
            ignore_placeholder_emails: raw.ignore_placeholder_emails,
            report_invalid_nric: raw.report_invalid_nric,
            phone_numeric_literals: raw.phone_numeric_literals,
        })
    }

    /// The setting keys this skill reads.
    pub fn keys() -> &'static [&'static str] {
        kiro_guard_skill::settings::field_names::<RawSettings>()
    }

    /// The severity to report in a test fixture: capped at `test_severity`.
    pub fn cap(&self, severity: Severity, is_test: bool) -> Severity {
        if is_test {
            severity.min(self.test_severity)
        } else {
            severity
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        let c =
            Config::parse(r#"{"test_severity":"block","allow_email_domains":["@Bank.com.sg"]}"#)
                .unwrap();
        let s = Settings::from_config(&c).unwrap();
        assert_eq!(s.test_severity, Severity::Block);
        assert_eq!(s.allow_email_domains, vec!["bank.com.sg".to_string()]);
        assert!(s.ignore_placeholder_emails);
        for bad in [
            r#"{"test_severity":"loud"}"#,
            r#"{"allow_email_domains":"x"}"#,
            r#"{"report_invalid_nric":1}"#,
            r#"[1]"#,
            r#"{"severity":{"email":"info"}}"#,
        ] {
            assert!(
                Settings::from_config(&Config::parse(bad).unwrap()).is_err(),
                "{bad}"
            );
        }
        assert_eq!(
            Settings::from_config(&Config::parse("").unwrap()).unwrap(),
            Settings::default()
        );
    }

    #[test]
    fn an_unknown_key_is_named() {
        let e = Settings::from_config(&Config::parse(r#"{"test_severty":"block"}"#).unwrap())
            .unwrap_err();
        assert!(
            e.starts_with("pii-detection: unknown setting `test_severty`"),
            "{e}"
        );
        assert_eq!(Settings::keys().len(), 5);
    }

    #[test]
    fn cap_in_tests() {
        let s = Settings::default();
        assert_eq!(s.cap(Severity::Block, true), Severity::Warn);
        assert_eq!(s.cap(Severity::Info, true), Severity::Info);
        assert_eq!(s.cap(Severity::Block, false), Severity::Block);
    }
}
