//! The skill's settings (`[skills.pii-detection]` in `.kiro-guard.toml`,
//! passed as JSON). Every key is documented in `lib.rs` and the README.

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

const KNOWN_KEYS: &[&str] = &[
    "test_severity",
    "allow_email_domains",
    "ignore_placeholder_emails",
    "report_invalid_nric",
    "phone_numeric_literals",
];

impl Settings {
    /// Read the settings; a wrongly typed or unknown value is an error (the
    /// host then applies its failure policy and names the problem).
    pub fn from_config(config: &Config) -> Result<Settings, String> {
        let mut s = Settings::default();
        let obj = match config.0.as_object() {
            Some(o) => o,
            None if config.0.is_null() => return Ok(s),
            None => return Err("pii-detection: settings must be a table".into()),
        };
        for (k, v) in obj {
            let bad = |what: &str| format!("pii-detection: setting `{k}` must be {what}");
            match k.as_str() {
                "test_severity" => {
                    s.test_severity = v
                        .as_str()
                        .and_then(Severity::parse)
                        .ok_or_else(|| bad("\"info\", \"warn\" or \"block\""))?
                }
                "allow_email_domains" => {
                    let list = v.as_array().ok_or_else(|| bad("a list of domains"))?;
                    s.allow_email_domains = list
                        .iter()
                        .map(|d| {
                            d.as_str()
                                .map(|d| d.trim().trim_start_matches('@').to_ascii_lowercase())
                                .ok_or_else(|| bad("a list of domains"))
                        })
                        .collect::<Result<_, _>>()?;
                }
                "ignore_placeholder_emails" => {
                    s.ignore_placeholder_emails = v.as_bool().ok_or_else(|| bad("true or false"))?
                }
                "report_invalid_nric" => {
                    s.report_invalid_nric = v.as_bool().ok_or_else(|| bad("true or false"))?
                }
                "phone_numeric_literals" => {
                    s.phone_numeric_literals = v.as_bool().ok_or_else(|| bad("true or false"))?
                }
                // Keys the host itself interprets (severity overrides,
                // allowlists, enable flags) may be passed through; ignore them.
                _ => {}
            }
        }
        Ok(s)
    }

    /// The setting keys this skill reads.
    pub fn keys() -> &'static [&'static str] {
        KNOWN_KEYS
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
        let c = Config::parse(r#"{"test_severity":"block","allow_email_domains":["@Bank.com.sg"],"severity":{"email":"info"}}"#).unwrap();
        let s = Settings::from_config(&c).unwrap();
        assert_eq!(s.test_severity, Severity::Block);
        assert_eq!(s.allow_email_domains, vec!["bank.com.sg".to_string()]);
        assert!(s.ignore_placeholder_emails);
        for bad in [
            r#"{"test_severity":"loud"}"#,
            r#"{"allow_email_domains":"x"}"#,
            r#"{"report_invalid_nric":1}"#,
            r#"[1]"#,
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
    fn cap_in_tests() {
        let s = Settings::default();
        assert_eq!(s.cap(Severity::Block, true), Severity::Warn);
        assert_eq!(s.cap(Severity::Info, true), Severity::Info);
        assert_eq!(s.cap(Severity::Block, false), Severity::Block);
    }
}
