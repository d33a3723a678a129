//! Rule declarations, their samples, and the regulatory reference catalogue.
//!
//! Every skill declares each rule once, as a `const` [`Rule`]: the id, title,
//! default severity, languages, references and remediation, and beside them
//! the rule's own test strings, as gitleaks keeps each rule with its test
//! cases. [`Rule::info`] turns a rule into its catalogue entry ([`RuleInfo`]),
//! [`Rule::finding`] into a finding, and [`check_samples`] runs every rule's
//! samples through the skill's real analysis in a test.
//!
//! ```
//! use kiro_guard_skill::Severity;
//! use kiro_guard_skill::rule::{Rule, refs};
//!
//! pub const DEBUG_FLAG: Rule = Rule {
//!     id: "debug-flag",
//!     title: "Debug mode enabled",
//!     severity: Severity::Warn,
//!     languages: &["python"],
//!     references: &[refs::TRM_6_1],
//!     remediation: "Read the flag from the environment and default it to off.",
//!     samples: &["@app/settings.py\nDEBUG = True"],
//!     negatives: &["@app/settings.py\nDEBUG = os.environ.get('DEBUG') == '1'"],
//! };
//! # assert_eq!(DEBUG_FLAG.info().id, "debug-flag");
//! ```

use crate::{Finding, RuleInfo, Severity, Span};

pub use kiro_guard_contract::refs::{self, Ref};

/// One rule, declared as static data together with its samples.
///
/// `samples` are inputs the rule must report (true positives) and
/// `negatives` inputs it must stay quiet on although they look alike (hard
/// negatives). Both are written in the [`Sample`] notation; a skill whose
/// samples would look like live credentials writes them as templates that
/// its test expands at run time, so no credential-shaped literal is
/// committed.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// Stable kebab-case id, unique within the skill.
    pub id: &'static str,
    /// One-line description of what the rule finds.
    pub title: &'static str,
    /// The default severity of its findings.
    pub severity: Severity,
    /// Languages or input kinds ("python", "shell", "mcp-config", "any", ...).
    pub languages: &'static [&'static str],
    /// Regulatory references, primary first.
    pub references: &'static [Ref],
    /// What to do instead.
    pub remediation: &'static str,
    /// Inputs the rule must report (true positives), in [`Sample`] notation.
    pub samples: &'static [&'static str],
    /// Inputs the rule must not report (hard negatives), in [`Sample`]
    /// notation.
    pub negatives: &'static [&'static str],
}

/// The former name of [`Rule`], kept so existing skill sources compile.
pub type RuleDef = Rule;

impl Rule {
    /// The catalogue entry for this rule.
    pub fn info(&self) -> RuleInfo {
        RuleInfo {
            id: self.id.to_string(),
            title: self.title.to_string(),
            default_severity: self.severity,
            languages: self.languages.iter().map(|s| s.to_string()).collect(),
            references: self.references.iter().map(Ref::to_reference).collect(),
            remediation: self.remediation.to_string(),
        }
    }

    /// A finding of this rule at its default severity.
    pub fn finding(
        &self,
        span: Span,
        message: impl Into<String>,
        evidence: impl Into<String>,
    ) -> Finding {
        self.finding_with(self.severity, span, message, evidence)
    }

    /// A finding of this rule at an explicit severity.
    pub fn finding_with(
        &self,
        severity: Severity,
        span: Span,
        message: impl Into<String>,
        evidence: impl Into<String>,
    ) -> Finding {
        Finding {
            rule_id: self.id.to_string(),
            severity,
            message: message.into(),
            span,
            evidence: evidence.into(),
            references: self.references.iter().map(Ref::to_reference).collect(),
            remediation: self.remediation.to_string(),
        }
    }
}

/// A rule sample, parsed from its notation:
///
/// - `$ git push --force` is a shell command;
/// - `@path/to/file.py` on the first line, then the file's text on the
///   following lines, is a file at that path;
/// - `? text` is a user prompt;
/// - anything else is file text; the skill's test chooses the path.
///
/// Any of these may be preceded by a first line `%{...}`: the skill settings
/// (JSON) to analyse the sample with (see [`split_settings`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sample<'a> {
    /// A shell command.
    Command(&'a str),
    /// A file's text, at an explicit path or at the test's default path.
    File {
        /// The path given with `@`, if any.
        path: Option<&'a str>,
        /// The file's text.
        text: &'a str,
    },
    /// A user prompt.
    Prompt(&'a str),
}

impl<'a> Sample<'a> {
    /// Parse the notation described on [`Sample`].
    pub fn parse(s: &'a str) -> Sample<'a> {
        if let Some(c) = s.strip_prefix("$ ") {
            Sample::Command(c)
        } else if let Some(p) = s.strip_prefix("? ") {
            Sample::Prompt(p)
        } else if let Some(rest) = s.strip_prefix('@') {
            let (path, text) = rest.split_once('\n').unwrap_or((rest, ""));
            Sample::File {
                path: Some(path),
                text,
            }
        } else {
            Sample::File {
                path: None,
                text: s,
            }
        }
    }
}

/// Split a sample's optional first line `%{...}` (the skill settings, as
/// JSON) from the rest of the sample.
pub fn split_settings(sample: &str) -> (Option<&str>, &str) {
    match sample.strip_prefix('%') {
        Some(rest) => {
            let (settings, rest) = rest.split_once('\n').unwrap_or((rest, ""));
            (Some(settings), rest)
        }
        None => (None, sample),
    }
}

/// What is wrong with a set of rules' samples: one line per problem (a rule
/// without a true positive or without a hard negative, a sample the rule
/// misses, a negative it reports, an analysis error). Empty when all pass.
///
/// `run` analyses one sample (given in its notation, together with the rule
/// it belongs to) with the skill's real analysis and returns the findings.
pub fn sample_problems<'r>(
    rules: impl IntoIterator<Item = &'r Rule>,
    mut run: impl FnMut(&Rule, &str) -> Result<Vec<Finding>, String>,
) -> Vec<String> {
    let mut problems = Vec::new();
    for rule in rules {
        if rule.samples.is_empty() {
            problems.push(format!("{}: no true-positive sample", rule.id));
        }
        if rule.negatives.is_empty() {
            problems.push(format!("{}: no hard-negative sample", rule.id));
        }
        for (expect, sample) in rule
            .samples
            .iter()
            .map(|s| (true, s))
            .chain(rule.negatives.iter().map(|s| (false, s)))
        {
            let shown: String = sample.chars().take(80).collect();
            match run(rule, sample) {
                Err(e) => problems.push(format!("{}: error on {shown:?}: {e}", rule.id)),
                Ok(findings) => {
                    let fired = findings.iter().any(|f| f.rule_id == rule.id);
                    if expect && !fired {
                        problems.push(format!("{}: missed true positive {shown:?}", rule.id));
                    } else if !expect && fired {
                        problems.push(format!("{}: reported hard negative {shown:?}", rule.id));
                    }
                }
            }
        }
    }
    problems
}

/// Test helper: panic, listing every problem [`sample_problems`] finds,
/// unless every rule has a true positive and a hard negative and every
/// sample's outcome is right. Returns the number of samples checked.
pub fn check_samples<'r>(
    rules: impl IntoIterator<Item = &'r Rule>,
    run: impl FnMut(&Rule, &str) -> Result<Vec<Finding>, String>,
) -> usize {
    let rules: Vec<&Rule> = rules.into_iter().collect();
    let problems = sample_problems(rules.iter().copied(), run);
    assert!(
        problems.is_empty(),
        "{} rule sample problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
    rules
        .iter()
        .map(|r| r.samples.len() + r.negatives.len())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    const R: Rule = Rule {
        id: "word-x",
        title: "the letter x",
        severity: Severity::Warn,
        languages: &["any"],
        references: &[refs::TRM_6_1],
        remediation: "remove it",
        samples: &["x marks", "@a.txt\nax"],
        negatives: &["y"],
    };

    fn run(rule: &Rule, s: &str) -> Result<Vec<Finding>, String> {
        let text = match Sample::parse(s) {
            Sample::File { text, .. } | Sample::Command(text) | Sample::Prompt(text) => text,
        };
        Ok(text
            .find('x')
            .map(|i| {
                let c = i as u32 + 1;
                rule.finding(
                    Span {
                        line: 1,
                        column: c,
                        end_line: 1,
                        end_column: c + 1,
                    },
                    "x",
                    "x",
                )
            })
            .into_iter()
            .collect())
    }

    #[test]
    fn parse_notation() {
        assert_eq!(Sample::parse("$ rm -rf /"), Sample::Command("rm -rf /"));
        assert_eq!(Sample::parse("? hi"), Sample::Prompt("hi"));
        assert_eq!(
            Sample::parse("@main.tf\nresource {}\n"),
            Sample::File {
                path: Some("main.tf"),
                text: "resource {}\n"
            }
        );
        assert_eq!(
            Sample::parse("plain"),
            Sample::File {
                path: None,
                text: "plain"
            }
        );
    }

    #[test]
    fn settings_line() {
        assert_eq!(
            split_settings("%{\"a\": 1}\n$ ls"),
            (Some("{\"a\": 1}"), "$ ls")
        );
        assert_eq!(split_settings("$ ls"), (None, "$ ls"));
    }

    #[test]
    fn passing_samples_have_no_problems() {
        assert!(sample_problems([&R], run).is_empty());
        assert_eq!(check_samples([&R], run), 3);
    }

    #[test]
    fn wrong_outcomes_and_missing_samples_are_reported() {
        let wrong = Rule {
            samples: &["nothing here"],
            negatives: &["xylophone"],
            ..R
        };
        let p = sample_problems([&wrong], run);
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p[0].contains("missed true positive"));
        assert!(p[1].contains("reported hard negative"));
        let bare = Rule {
            samples: &[],
            negatives: &[],
            ..R
        };
        let p = sample_problems([&bare], run);
        assert!(p.iter().any(|l| l.contains("no true-positive sample")));
        assert!(p.iter().any(|l| l.contains("no hard-negative sample")));
    }

    #[test]
    #[should_panic(expected = "rule sample problem")]
    fn check_samples_panics_on_a_problem() {
        check_samples(
            [&Rule {
                negatives: &[],
                ..R
            }],
            run,
        );
    }

    #[test]
    fn errors_are_problems() {
        let p = sample_problems([&R], |_, _| Err("boom".into()));
        assert!(p.iter().all(|l| l.contains("boom")) && p.len() == 3);
    }
}
