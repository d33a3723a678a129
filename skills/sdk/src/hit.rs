//! A finding before it has a line/column span.
//!
//! Detectors work on byte offsets; a [`Hit`] is what they produce: the rule,
//! the byte range of the analysed text the finding covers, its message and
//! masked evidence, and optionally a severity other than the rule's default.
//! When the analysis is done, [`Hit::into_finding`] converts the byte range
//! into the contract's 1-based line/column [`Span`] with a [`LineIndex`] of
//! the same text.

use crate::rule::Rule;
use crate::text::LineIndex;
use crate::{Finding, Severity, Span};
use std::borrow::Cow;

/// One detected value or construct, as a byte range of the analysed text.
#[derive(Debug, Clone)]
pub struct Hit {
    /// The rule that reports it.
    pub rule: &'static Rule,
    /// Byte offset where the finding starts.
    pub start: usize,
    /// Byte offset where the finding ends (exclusive; an end before `start`
    /// is read as `start`).
    pub end: usize,
    /// The finding's message (a static text costs no allocation).
    pub message: Cow<'static, str>,
    /// Masked evidence. Empty until the skill fills it in: skills that
    /// derive evidence from the text (a snippet, a masked value) do so when
    /// they turn hits into findings.
    pub evidence: String,
    /// A severity other than the rule's default, if the context calls for
    /// one; see [`Hit::severity`].
    pub severity: Option<Severity>,
}

impl Hit {
    /// A hit of `rule` over the byte range `start..end` at the rule's
    /// severity. `evidence` is the masked evidence, or empty when the skill
    /// fills it in later.
    pub fn new(
        rule: &'static Rule,
        (start, end): (usize, usize),
        message: impl Into<Cow<'static, str>>,
        evidence: impl Into<String>,
    ) -> Hit {
        Hit {
            rule,
            start,
            end,
            message: message.into(),
            evidence: evidence.into(),
            severity: None,
        }
    }

    /// The same hit at an explicit severity instead of the rule's default.
    pub fn with_severity(mut self, severity: Severity) -> Hit {
        self.severity = Some(severity);
        self
    }

    /// The severity the finding will have: the override if set, else the
    /// rule's default (so a hit whose rule is replaced follows the new
    /// rule).
    pub fn severity(&self) -> Severity {
        self.severity.unwrap_or(self.rule.severity)
    }

    /// The finding at `span`, computed by the caller (for texts whose
    /// offsets map to another text first, or positions computed
    /// incrementally).
    pub fn finding(self, span: Span) -> Finding {
        let severity = self.severity();
        self.rule
            .finding_with(severity, span, self.message, self.evidence)
    }

    /// The finding, with the byte range converted to a line/column span by
    /// `index`, a [`LineIndex`] of the text the offsets point into.
    pub fn into_finding(self, index: &LineIndex<'_>) -> Finding {
        let span = index.span(self.start, self.end.max(self.start));
        self.finding(span)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rule::refs;

    const R: Rule = Rule {
        id: "word-x",
        title: "the letter x",
        severity: Severity::Block,
        languages: &["any"],
        references: &[refs::TRM_6_1],
        remediation: "remove it",
        samples: &["x"],
        negatives: &["y"],
    };
    const W: Rule = Rule {
        id: "word-x-warn",
        severity: Severity::Warn,
        ..R
    };

    #[test]
    fn byte_range_becomes_a_character_span() {
        let text = "héllo\nwörld x\n";
        let idx = LineIndex::new(text);
        let s = text.find('x').unwrap();
        let f = Hit::new(&R, (s, s + 1), "an x", "*").into_finding(&idx);
        assert_eq!(
            f.span,
            Span {
                line: 2,
                column: 7,
                end_line: 2,
                end_column: 8
            }
        );
        assert_eq!(
            (f.rule_id.as_str(), f.message.as_str(), f.evidence.as_str()),
            ("word-x", "an x", "*")
        );
        assert_eq!(f.severity, Severity::Block);
        assert_eq!(f.references, R.info().references);
        assert_eq!(f.remediation, "remove it");
        // Same as the rule's own finding at that span.
        assert_eq!(f, R.finding(idx.span(s, s + 1), "an x", "*"));
    }

    #[test]
    fn severity_override_and_rule_default() {
        let mut h = Hit::new(&R, (0, 1), String::from("m"), "");
        assert_eq!(h.severity(), Severity::Block);
        h.rule = &W;
        assert_eq!(h.severity(), Severity::Warn);
        let h = h.with_severity(Severity::Info);
        assert_eq!(h.severity(), Severity::Info);
        assert_eq!(
            h.into_finding(&LineIndex::new("x")).severity,
            Severity::Info
        );
    }

    #[test]
    fn an_end_before_the_start_is_an_empty_span() {
        let idx = LineIndex::new("abc");
        let f = Hit::new(&R, (2, 1), "m", "").into_finding(&idx);
        assert_eq!((f.span.column, f.span.end_column), (3, 3));
    }
}
