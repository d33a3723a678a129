//! Inline suppressions: `kiro-guard: allow <rule>[,<rule>...] -- <reason>` in
//! a comment on the finding's line or the line above. The reason is required:
//! an allow without one does not suppress, and the scan says why.

/// Result of looking for a suppression comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Suppression {
    None,
    Allowed,
    MissingReason,
}

const MARKER: &str = "kiro-guard: allow ";

/// Check line `line` (1-based) and the line above for an allow naming `rule`,
/// `skill/rule` or `all`.
pub fn inline_suppression(text: &str, line: u32, skill: &str, rule: &str) -> Suppression {
    inline_suppression_indexed(
        &kiro_guard_contract::text::LineIndex::new(text),
        line,
        skill,
        rule,
    )
}

/// [`inline_suppression`] with the text's line index built once by the caller.
pub fn inline_suppression_indexed(
    idx: &kiro_guard_contract::text::LineIndex<'_>,
    line: u32,
    skill: &str,
    rule: &str,
) -> Suppression {
    inline_suppression_at(idx, line, skill, rule).0
}

/// [`inline_suppression_indexed`], also returning the line the allow comment
/// is on (0 when there is none).
pub fn inline_suppression_at(
    idx: &kiro_guard_contract::text::LineIndex<'_>,
    line: u32,
    skill: &str,
    rule: &str,
) -> (Suppression, u32) {
    let mut result = (Suppression::None, 0);
    for l in [line, line.saturating_sub(1)] {
        if l == 0 || l as usize > idx.line_count() {
            continue;
        }
        let line_text = idx.line_text(l);
        let Some(pos) = line_text.find(MARKER) else {
            continue;
        };
        let rest = &line_text[pos + MARKER.len()..];
        let (rules, reason) = match rest.split_once("--") {
            Some((r, reason)) => (r, reason.trim()),
            None => (rest, ""),
        };
        let named = rules
            .split([',', ' '])
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .any(|r| r == rule || r == "all" || r == format!("{skill}/{rule}"));
        if !named {
            continue;
        }
        // A reason must be words, not just the end of a comment (`*/`, `-->`).
        let reason = reason.trim_end_matches(|c: char| {
            c == '*' || c == '/' || c == '>' || c == '-' || c.is_whitespace()
        });
        if reason.chars().filter(|c| c.is_alphanumeric()).count() >= 3 {
            return (Suppression::Allowed, l);
        }
        result = (Suppression::MissingReason, l);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_line_and_line_above() {
        let t = "x = 1 # kiro-guard: allow email -- public support address\n";
        assert_eq!(
            inline_suppression(t, 1, "pii-detection", "email"),
            Suppression::Allowed
        );
        let t =
            "// kiro-guard: allow pii-detection/nric-fin -- synthetic test value\nid = S1234567D\n";
        assert_eq!(
            inline_suppression(t, 2, "pii-detection", "nric-fin"),
            Suppression::Allowed
        );
        assert_eq!(
            inline_suppression(t, 2, "pii-detection", "email"),
            Suppression::None
        );
    }

    #[test]
    fn reason_is_required() {
        let t = "id = S1234567D // kiro-guard: allow nric-fin\n";
        assert_eq!(
            inline_suppression(t, 1, "pii-detection", "nric-fin"),
            Suppression::MissingReason
        );
        let t = "id = S1234567D /* kiro-guard: allow nric-fin -- */\n";
        assert_eq!(
            inline_suppression(t, 1, "pii-detection", "nric-fin"),
            Suppression::MissingReason
        );
    }

    #[test]
    fn two_lines_above_does_not_count() {
        let t = "# kiro-guard: allow all -- fixture\n\nid = S1234567D\n";
        assert_eq!(
            inline_suppression(t, 3, "pii-detection", "nric-fin"),
            Suppression::None
        );
    }
}
