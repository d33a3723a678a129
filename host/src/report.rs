//! What a scan or hook call produced: findings as reported, problems that
//! are not findings, and the overall decision under the failure policy.

use crate::config::OnError;
use kiro_guard_contract::{self as sdk, Reference, Severity};
use serde::Serialize;

/// The overall outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    Allow,
    Warn,
    Block,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Allow => "allow",
            Decision::Warn => "warn",
            Decision::Block => "block",
        }
    }
}

/// One finding as reported (the JSON output's shape).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reported {
    pub skill: String,
    pub rule: String,
    pub severity: Severity,
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub message: String,
    pub evidence: String,
    pub references: Vec<Reference>,
    pub remediation: String,
    /// Stable identity for baselines: hash of skill, rule, path and the
    /// matched text (never the text itself).
    #[serde(skip)]
    pub fingerprint: String,
}

impl Reported {
    /// The finding's location as a span.
    pub fn span(&self) -> sdk::Span {
        sdk::Span {
            line: self.line,
            column: self.column,
            end_line: self.end_line,
            end_column: self.end_column,
        }
    }
}

/// What kind of problem an [`ErrorEntry`] is (serialised as `skill-error`,
/// `skipped`, `io`, `suppression`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorKind {
    /// A skill failed (trap, fuel, memory, contract); follows `on_error`.
    SkillError,
    /// A file was not scanned (binary, too large, not UTF-8); never blocks.
    Skipped,
    /// An input could not be read; follows `on_error`.
    Io,
    /// A note about an inline suppression (unused or malformed).
    Suppression,
}

impl ErrorKind {
    /// The serialised name.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::SkillError => "skill-error",
            ErrorKind::Skipped => "skipped",
            ErrorKind::Io => "io",
            ErrorKind::Suppression => "suppression",
        }
    }

    /// The kind a serialised name names (an audit record's error `kind`);
    /// `None` for a name this version does not know.
    pub fn parse(name: &str) -> Option<ErrorKind> {
        [
            ErrorKind::SkillError,
            ErrorKind::Skipped,
            ErrorKind::Io,
            ErrorKind::Suppression,
        ]
        .into_iter()
        .find(|k| k.as_str() == name)
    }

    /// Whether the problem means an input was not fully checked (so the
    /// failure policy applies): a skill error or an unreadable input.
    pub fn is_failure(self) -> bool {
        matches!(self, ErrorKind::SkillError | ErrorKind::Io)
    }
}

/// Compares with the serialised name (`kind == "skipped"`).
impl PartialEq<&str> for ErrorKind {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A problem that is not a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorEntry {
    pub kind: ErrorKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skill: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    pub message: String,
}

/// The result of a scan or hook call.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub findings: Vec<Reported>,
    pub errors: Vec<ErrorEntry>,
    /// Findings dropped by the baseline or an inline suppression (counted
    /// for the summary, not shown).
    pub suppressed: usize,
    /// Items analysed.
    pub items: usize,
    /// Bytes analysed.
    pub bytes: u64,
}

impl Report {
    /// The decision under a failure policy: skill errors count as block or
    /// warn; skipped files never block.
    pub fn decision(&self, on_error: OnError) -> Decision {
        let mut d = Decision::Allow;
        for f in &self.findings {
            d = d.max(match f.severity {
                Severity::Block => Decision::Block,
                Severity::Warn => Decision::Warn,
                Severity::Info => Decision::Allow,
            });
        }
        if self.errors.iter().any(|e| e.kind.is_failure()) {
            d = d.max(match on_error {
                OnError::Block => Decision::Block,
                OnError::Warn => Decision::Warn,
            });
        }
        d
    }

    pub fn merge(&mut self, other: Report) {
        self.findings.extend(other.findings);
        self.errors.extend(other.errors);
        self.suppressed += other.suppressed;
        self.items += other.items;
        self.bytes += other.bytes;
    }

    /// Sort findings by path, position, rule for stable output.
    pub fn sort(&mut self) {
        self.findings.sort_by(|a, b| {
            (&a.path, a.line, a.column, &a.skill, &a.rule)
                .cmp(&(&b.path, b.line, b.column, &b.skill, &b.rule))
        });
        self.findings.dedup();
    }
}
