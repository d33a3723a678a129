//! Spans from byte offsets, context-word windows and entropy.

pub use kiro_guard_contract::text::{
    LineIndex, ceil_char_boundary, floor_char_boundary, span_bytes, span_bytes_indexed, span_text,
    touches_changed,
};

use crate::scan::is_word_byte;

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

#[cfg(test)]
mod tests {
    use super::*;

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
