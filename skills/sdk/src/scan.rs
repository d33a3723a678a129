//! Small byte-level scanning helpers detectors share: line bounds, word
//! bytes, quoted strings and bracket matching (over bytes, or over any
//! token sequence).
//!
//! All work on byte offsets of ASCII syntax, so they are safe on any UTF-8
//! text: the bytes they stop at (`\n`, quotes, brackets) never occur inside
//! a multi-byte character.

/// Start of the line holding byte `at` (`at` is clamped to the text): the
/// offset just past the previous `\n`, or 0.
pub fn line_start(b: &[u8], at: usize) -> usize {
    b[..at.min(b.len())]
        .iter()
        .rposition(|&c| c == b'\n')
        .map_or(0, |p| p + 1)
}

/// End of the line holding byte `at`: the offset of the next `\n` at or
/// after `at`, or the text's length.
pub fn line_end(b: &[u8], at: usize) -> usize {
    let at = at.min(b.len());
    b[at..]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(b.len(), |p| at + p)
}

/// Whether `c` can be part of an identifier: an ASCII letter or digit, or
/// `_`.
pub fn is_word_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// The offset just past the string literal whose opening quote is at `i`
/// (`'`, `"` or `` ` ``, whichever byte is there): backslash escapes are
/// skipped, and three quotes open a triple-quoted string that only three
/// quotes close. The text's length when the string is not closed.
pub fn skip_quoted(b: &[u8], i: usize) -> usize {
    let q = b[i];
    let triple = b.get(i + 1) == Some(&q) && b.get(i + 2) == Some(&q);
    let mut j = i + if triple { 3 } else { 1 };
    while j < b.len() {
        if b[j] == b'\\' {
            j += 2;
            continue;
        }
        if b[j] == q {
            if !triple {
                return j + 1;
            }
            if b.get(j + 1) == Some(&q) && b.get(j + 2) == Some(&q) {
                return j + 3;
            }
        }
        j += 1;
    }
    b.len()
}

/// The offset of the bracket closing the one at `open` (any of `()[]{}`,
/// counted together), skipping string literals ([`skip_quoted`]); the
/// text's length when it is not closed.
pub fn matching_close(b: &[u8], open: usize) -> usize {
    let mut depth = 0usize;
    let mut j = open;
    while j < b.len() {
        match b[j] {
            b'\'' | b'"' | b'`' => {
                j = skip_quoted(b, j);
                continue;
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return j;
                }
            }
            _ => {}
        }
        j += 1;
    }
    b.len()
}

/// What an item of a token sequence is, for [`matching`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bracket {
    /// An opening bracket.
    Open,
    /// A closing bracket.
    Close,
    /// Anything else.
    Other,
}

/// The index of the item closing the bracket at `open` in a sequence of
/// `len` items that `bracket` classifies (tokens of a parser, say): the
/// first closer that brings the depth back to zero (or below, for a closer
/// with no opener); `len` when there is none.
pub fn matching(len: usize, open: usize, bracket: impl Fn(usize) -> Bracket) -> usize {
    let mut depth = 0i32;
    for k in open..len {
        match bracket(k) {
            Bracket::Open => depth += 1,
            Bracket::Close => {
                depth -= 1;
                if depth <= 0 {
                    return k;
                }
            }
            Bracket::Other => {}
        }
    }
    len
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_bounds() {
        let t = b"ab\ncd\n\nef";
        assert_eq!((line_start(t, 0), line_end(t, 0)), (0, 2));
        assert_eq!((line_start(t, 4), line_end(t, 4)), (3, 5));
        // On the newline itself: that line.
        assert_eq!((line_start(t, 5), line_end(t, 5)), (3, 5));
        assert_eq!((line_start(t, 6), line_end(t, 6)), (6, 6));
        assert_eq!((line_start(t, 8), line_end(t, 8)), (7, 9));
        // Past the end: clamped.
        assert_eq!((line_start(t, 99), line_end(t, 99)), (7, 9));
        assert_eq!((line_start(b"", 0), line_end(b"", 0)), (0, 0));
    }

    #[test]
    fn word_bytes() {
        assert!(is_word_byte(b'a') && is_word_byte(b'Z') && is_word_byte(b'0'));
        assert!(is_word_byte(b'_'));
        assert!(!is_word_byte(b'-') && !is_word_byte(b' ') && !is_word_byte(0xc3));
    }

    #[test]
    fn quoted_strings() {
        let t = br#"x = "a\"b" + 'c' + """d " e""" + "open"#;
        let s = t.iter().position(|&c| c == b'"').unwrap();
        assert_eq!(&t[s..skip_quoted(t, s)], br#""a\"b""#);
        let s = t.iter().position(|&c| c == b'\'').unwrap();
        assert_eq!(&t[s..skip_quoted(t, s)], b"'c'");
        let s = t.windows(3).position(|w| w == b"\"\"\"").unwrap();
        assert_eq!(&t[s..skip_quoted(t, s)], br#""""d " e""""#);
        let s = t.len() - 5;
        assert_eq!(skip_quoted(t, s), t.len());
    }

    #[test]
    fn closing_brackets_skip_strings() {
        let t = br#"f(a[1], ")", {b: ')'}) + g"#;
        assert_eq!(matching_close(t, 1), t.len() - 5);
        assert_eq!(matching_close(t, 3), 5);
        assert_eq!(matching_close(b"f(a", 1), 3);
    }

    #[test]
    fn token_brackets() {
        let toks = ["(", "a", "[", "b", "]", ")", ")"];
        let kind = |k: usize| match toks[k] {
            "(" | "[" => Bracket::Open,
            ")" | "]" => Bracket::Close,
            _ => Bracket::Other,
        };
        assert_eq!(matching(toks.len(), 0, kind), 5);
        assert_eq!(matching(toks.len(), 2, kind), 4);
        // A closer with no opener closes at once.
        assert_eq!(matching(toks.len(), 6, kind), 6);
        assert_eq!(matching(5, 0, kind), 5);
    }
}
