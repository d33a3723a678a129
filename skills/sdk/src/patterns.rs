//! A keyword-prefiltered regex table, as gitleaks does it.
//!
//! One Aho-Corasick pass finds which rules' keywords occur in the text; only
//! those rules' regexes run, and each regex is compiled on first use. A text
//! with no keyword costs one linear scan, whatever the number of rules.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::Regex;
use std::sync::OnceLock;

/// One regex rule with its prefilter keywords.
#[derive(Debug, Clone, Copy)]
pub struct Pattern {
    /// The rule id this pattern reports (several patterns may share one).
    pub rule_id: &'static str,
    /// Case-insensitive keywords; at least one must occur in the text for the
    /// regex to run. Empty: the regex always runs.
    pub keywords: &'static [&'static str],
    /// The regex; by convention capture group 1 (if any) is the sensitive value.
    pub regex: &'static str,
}

/// A compiled set of [`Pattern`]s.
pub struct PatternSet {
    patterns: Vec<Pattern>,
    compiled: Vec<OnceLock<Regex>>,
    keywords: AhoCorasick,
    /// For each keyword index, the patterns it enables.
    keyword_patterns: Vec<Vec<usize>>,
    always: Vec<usize>,
}

impl PatternSet {
    /// Build the set. Panics if a keyword list cannot build an automaton,
    /// which only happens for absurd inputs (a programming error).
    pub fn new(patterns: &[Pattern]) -> PatternSet {
        let mut words: Vec<String> = Vec::new();
        let mut keyword_patterns: Vec<Vec<usize>> = Vec::new();
        let mut always = Vec::new();
        for (i, p) in patterns.iter().enumerate() {
            if p.keywords.is_empty() {
                always.push(i);
            }
            for k in p.keywords {
                let k = k.to_ascii_lowercase();
                match words.iter().position(|w| *w == k) {
                    Some(w) => keyword_patterns[w].push(i),
                    None => {
                        words.push(k);
                        keyword_patterns.push(vec![i]);
                    }
                }
            }
        }
        let keywords = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&words)
            .expect("keyword automaton");
        PatternSet {
            compiled: patterns.iter().map(|_| OnceLock::new()).collect(),
            patterns: patterns.to_vec(),
            keywords,
            keyword_patterns,
            always,
        }
    }

    /// The patterns in the set.
    pub fn patterns(&self) -> &[Pattern] {
        &self.patterns
    }

    /// The compiled regex of pattern `i` (compiled on first use). Panics on
    /// an invalid regex; every pattern is compiled by the skill's tests.
    pub fn regex(&self, i: usize) -> &Regex {
        self.compiled[i].get_or_init(|| {
            crate::ascii_regex::regex(self.patterns[i].regex)
                .unwrap_or_else(|e| panic!("rule {}: invalid regex: {e}", self.patterns[i].rule_id))
        })
    }

    /// Indices of the patterns whose keywords occur in `text`, ascending.
    pub fn candidates(&self, text: &str) -> Vec<usize> {
        let mut on = vec![false; self.patterns.len()];
        for &i in &self.always {
            on[i] = true;
        }
        // Overlapping search so a short keyword inside a longer one counts.
        for m in self.keywords.find_overlapping_iter(text) {
            for &i in &self.keyword_patterns[m.pattern().as_usize()] {
                on[i] = true;
            }
        }
        on.iter()
            .enumerate()
            .filter(|(_, b)| **b)
            .map(|(i, _)| i)
            .collect()
    }

    /// Every match of every candidate pattern: `(pattern index, captures)`.
    pub fn captures<'t>(
        &'t self,
        text: &'t str,
    ) -> impl Iterator<Item = (usize, regex::Captures<'t>)> + 't {
        self.candidates(text)
            .into_iter()
            .flat_map(move |i| self.regex(i).captures_iter(text).map(move |c| (i, c)))
    }
}

impl std::fmt::Debug for PatternSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PatternSet")
            .field("patterns", &self.patterns.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PATTERNS: &[Pattern] = &[
        Pattern {
            rule_id: "aws",
            keywords: &["akia"],
            regex: r"\b(AKIA[0-9A-Z]{16})\b",
        },
        Pattern {
            rule_id: "pw",
            keywords: &["password", "passwd"],
            regex: r#"(?i)pass(?:word|wd)\s*=\s*"([^"]+)""#,
        },
        Pattern {
            rule_id: "digits",
            keywords: &[],
            regex: r"\d{3}",
        },
    ];

    #[test]
    fn only_rules_with_keywords_run() {
        let set = PatternSet::new(PATTERNS);
        assert_eq!(set.candidates("nothing here"), vec![2]);
        assert_eq!(set.candidates("PASSWORD = \"x\""), vec![1, 2]);
        let hits: Vec<_> = set
            .captures("Password = \"abc\" 123")
            .map(|(i, c)| (i, c[0].to_string()))
            .collect();
        assert_eq!(
            hits,
            vec![
                (1, "Password = \"abc\"".to_string()),
                (2, "123".to_string())
            ]
        );
    }

    #[test]
    fn every_pattern_compiles() {
        let set = PatternSet::new(PATTERNS);
        for i in 0..set.patterns().len() {
            set.regex(i);
        }
    }
}
