//! Line/column spans and byte offsets, in both directions: [`LineIndex`]
//! turns byte ranges into spans, [`span_bytes`] turns a span back into a
//! byte range; and whether a span touches the changed lines.

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
    /// Index the line starts of `text` (one pass over it).
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

/// The text a span covers (columns are characters; `end_column` exclusive).
pub fn span_text<'a>(text: &'a str, span: &Span) -> &'a str {
    match span_bytes(text, span) {
        Some((s, e)) => &text[s..e],
        None => "",
    }
}

/// Byte range of a span in `text`, or None when it does not fit.
pub fn span_bytes(text: &str, span: &Span) -> Option<(usize, usize)> {
    span_bytes_indexed(text, &LineIndex::new(text), span)
}

/// [`span_bytes`] with a line index built once by the caller.
pub fn span_bytes_indexed(text: &str, idx: &LineIndex<'_>, span: &Span) -> Option<(usize, usize)> {
    let to_byte = |line: u32, col: u32| -> Option<usize> {
        // The position just past a trailing newline is the end of the text.
        if line as usize == idx.line_count() + 1 && col <= 1 && text.ends_with('\n') {
            return Some(text.len());
        }
        if line == 0 || line as usize > idx.line_count().max(1) {
            return None;
        }
        let range = idx.line_range(line);
        let line_text = &text[range.clone()];
        let col = col.max(1) as usize - 1;
        let off = line_text
            .char_indices()
            .nth(col)
            .map(|(i, _)| i)
            .unwrap_or(line_text.len());
        Some(range.start + off)
    };
    let s = to_byte(span.line, span.column)?;
    let e = to_byte(span.end_line, span.end_column)?;
    (e >= s).then_some((s, e))
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
    fn span_to_the_end_of_a_text_with_a_trailing_newline() {
        let t = "x = 1\n";
        let span = LineIndex::new(t).span(0, t.len());
        assert_eq!(span_bytes(t, &span), Some((0, 6)));
        assert_eq!(span_text(t, &span), t);
        let t = "a\nbc";
        let span = LineIndex::new(t).span(2, 4);
        assert_eq!(span_text(t, &span), "bc");
    }
}
