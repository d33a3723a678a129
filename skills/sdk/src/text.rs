//! Spans from byte offsets, context-word windows and entropy.

use crate::types::{LineRange, Span};

/// Maps byte offsets in a text to 1-based line/column spans (columns count
/// characters, so spans stay right on non-ASCII text).
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset at which each line starts.
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let mut starts = vec![0];
        starts.extend(memchr_newlines(text.as_bytes()).map(|i| i + 1));
        LineIndex { text, starts }
    }

    /// Number of lines (a trailing newline does not start a new line).
    pub fn line_count(&self) -> usize {
        let n = self.starts.len();
        if n > 1 && self.starts[n - 1] == self.text.len() {
            n - 1
        } else {
            n
        }
    }

    /// 1-based line number containing byte `offset` (clamped to the text).
    pub fn line_of(&self, offset: usize) -> u32 {
        let offset = offset.min(self.text.len());
        match self.starts.binary_search(&offset) {
            Ok(i) => i as u32 + 1,
            Err(i) => i as u32,
        }
    }

    /// 1-based (line, column) of byte `offset`; a column counts characters.
    pub fn position(&self, offset: usize) -> (u32, u32) {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.line_of(offset);
        let start = self.starts[line as usize - 1];
        let column = self.text[start..offset].chars().count() as u32 + 1;
        (line, column)
    }

    /// Span of the byte range `start..end`.
    pub fn span(&self, start: usize, end: usize) -> Span {
        let (line, column) = self.position(start);
        let (end_line, end_column) = self.position(end.max(start));
        Span {
            line,
            column,
            end_line,
            end_column,
        }
    }

    /// Byte range of 1-based `line` without its line terminator.
    pub fn line_range(&self, line: u32) -> std::ops::Range<usize> {
        let i = (line.max(1) as usize - 1).min(self.starts.len() - 1);
        let start = self.starts[i];
        let mut end = self
            .starts
            .get(i + 1)
            .map(|e| e - 1)
            .unwrap_or(self.text.len());
        if end > start && self.text.as_bytes()[end - 1] == b'\r' {
            end -= 1;
        }
        start..end
    }

    /// The text of 1-based `line`.
    pub fn line_text(&self, line: u32) -> &'a str {
        &self.text[self.line_range(line)]
    }
}

fn memchr_newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i)
}

/// The first index at or after `from` whose byte satisfies `hit`. Tests 32
/// bytes at a time with a branch-free fold the compiler vectorises (SSE
/// natively, simd128 in wasm), so `hit` should be a few comparisons.
#[inline]
pub fn find_byte(b: &[u8], mut from: usize, hit: impl Fn(u8) -> bool + Copy) -> Option<usize> {
    const W: usize = 32;
    while from + W <= b.len() {
        let chunk: &[u8; W] = b[from..from + W].try_into().unwrap();
        if chunk.iter().fold(false, |acc, &c| acc | hit(c)) {
            break;
        }
        from += W;
    }
    b.get(from..)?
        .iter()
        .position(|&c| hit(c))
        .map(|p| from + p)
}

/// The largest char boundary at or below `i`.
pub fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The smallest char boundary at or above `i`.
pub fn ceil_char_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Whether a span touches any of the changed line ranges (`None` = all lines).
pub fn touches_changed(span: &Span, changed: Option<&[LineRange]>) -> bool {
    match changed {
        None => true,
        Some(ranges) => ranges
            .iter()
            .any(|r| span.line <= r.end && span.end_line.max(span.line) >= r.start),
    }
}

/// The text within `window` bytes before `start` and after `end`, on char
/// boundaries. Used for context words ("account", "nric", ...).
pub fn window(text: &str, start: usize, end: usize, before: usize, after: usize) -> (&str, &str) {
    let b = floor_char_boundary(text, start.saturating_sub(before));
    let start = floor_char_boundary(text, start);
    let end = ceil_char_boundary(text, end);
    let a = ceil_char_boundary(text, end.saturating_add(after));
    (&text[b..start], &text[end..a])
}

/// Whether any of `words` (lower-case ASCII) occurs, case-insensitively, in
/// `haystack`.
pub fn contains_any_word(haystack: &str, words: &[&str]) -> bool {
    let lower = haystack.to_ascii_lowercase();
    words.iter().any(|w| lower.contains(w))
}

/// Whether any of `words` occurs within `before` bytes before or `after` bytes
/// after the match `start..end` (case-insensitive).
pub fn has_context(
    text: &str,
    start: usize,
    end: usize,
    before: usize,
    after: usize,
    words: &[&str],
) -> bool {
    let (b, a) = window(text, start, end, before, after);
    contains_any_word(b, words) || contains_any_word(a, words)
}

/// Shannon entropy in bits per character.
pub fn shannon_entropy(s: &str) -> f64 {
    if s.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    let mut n = 0u32;
    for b in s.bytes() {
        counts[b as usize] += 1;
        n += 1;
    }
    let n = n as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.log2()
        })
        .sum()
}

/// Whether the byte before `start` and the byte at `end` are not word
/// characters (ASCII alphanumerics or `_`): a cheap word-boundary check.
pub fn is_word_bounded(text: &str, start: usize, end: usize) -> bool {
    let bytes = text.as_bytes();
    let before_ok = start == 0 || !is_word_byte(bytes[start - 1]);
    let after_ok = end >= bytes.len() || !is_word_byte(bytes[end]);
    before_ok && after_ok
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_count_characters_not_bytes() {
        let text = "héllo\nwörld S1234567D\n";
        let idx = LineIndex::new(text);
        let start = text.find("S123").unwrap();
        let span = idx.span(start, start + 9);
        assert_eq!(
            span,
            Span {
                line: 2,
                column: 7,
                end_line: 2,
                end_column: 16
            }
        );
        assert_eq!(idx.line_count(), 2);
        assert_eq!(idx.line_text(2), "wörld S1234567D");
    }

    #[test]
    fn offsets_inside_a_character_and_past_the_end_are_clamped() {
        let text = "é\r\nx";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(1), (1, 1));
        assert_eq!(idx.position(100), (2, 2));
        assert_eq!(idx.line_text(1), "é");
    }

    #[test]
    fn changed_lines_filter() {
        let span = Span {
            line: 5,
            column: 1,
            end_line: 6,
            end_column: 2,
        };
        assert!(touches_changed(&span, None));
        assert!(touches_changed(
            &span,
            Some(&[LineRange { start: 6, end: 9 }])
        ));
        assert!(!touches_changed(
            &span,
            Some(&[
                LineRange { start: 1, end: 4 },
                LineRange { start: 7, end: 7 }
            ])
        ));
    }

    #[test]
    fn entropy_separates_random_from_repetitive() {
        assert!(shannon_entropy("aaaaaaaa") < 0.01);
        assert!(shannon_entropy("q8Zr2LxP0vN4kT7w") > 3.5);
    }

    #[test]
    fn context_window_respects_char_boundaries() {
        let text = "ééé account: 123 ééé";
        let s = text.find("123").unwrap();
        assert!(has_context(text, s, s + 3, 11, 3, &["account"]));
        assert!(!has_context(text, s, s + 3, 3, 3, &["account"]));
    }

    #[test]
    fn word_bounds() {
        assert!(is_word_bounded("x S1 y", 2, 4));
        assert!(!is_word_bounded("xS1 y", 1, 3));
    }
}
