//! Word-boundary-aware context words.
//!
//! SDK candidate: `kiro_guard_skill::text::has_context` matches substrings, so
//! "fin" would match "final" and "account" would match "subaccount". These
//! helpers accept a keyword only at an identifier boundary, where camelCase and
//! snake_case count as boundaries (`accountNumber`, `bank_account`, `custDob`),
//! and an optional plural `s` is allowed (`customers`).

/// ASCII letter or digit.
#[inline]
pub fn is_alnum(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// Whether a keyword starting at `i` starts a word: nothing alphanumeric
/// before it, or a camelCase hump (`custDob`: lower/digit then upper).
#[inline]
pub fn starts_word(b: &[u8], i: usize) -> bool {
    if i == 0 || i > b.len() {
        return true;
    }
    let p = b[i - 1];
    if !is_alnum(p) {
        return true;
    }
    i < b.len() && (p.is_ascii_lowercase() || p.is_ascii_digit()) && b[i].is_ascii_uppercase()
}

/// Whether a keyword ending at `j` (exclusive) ends a word: nothing
/// alphanumeric after it, or a camelCase hump (`nricNo`).
#[inline]
pub fn ends_word(b: &[u8], j: usize) -> bool {
    if j >= b.len() || j == 0 {
        return true;
    }
    let n = b[j];
    if !is_alnum(n) {
        return true;
    }
    n.is_ascii_uppercase() && b[j - 1].is_ascii_lowercase()
}

/// Whether `word` (lower-case ASCII) occurs at an identifier boundary, with an
/// optional plural `s`, anywhere in `b[from..to]`. Boundaries are judged on
/// the whole of `b`, so a window edge never fakes a boundary.
pub fn has_word_in(b: &[u8], from: usize, to: usize, word: &[u8]) -> bool {
    let to = to.min(b.len());
    if word.is_empty() || to < from + word.len() {
        return false;
    }
    let first = word[0];
    let mut i = from;
    while i + word.len() <= to {
        if b[i].to_ascii_lowercase() == first
            && b[i..i + word.len()].eq_ignore_ascii_case(word)
            && starts_word(b, i)
        {
            let j = i + word.len();
            if ends_word(b, j)
                || (j < b.len()
                    && b[j] == b's'
                    && j > 0
                    && b[j - 1].is_ascii_lowercase()
                    && ends_word(b, j + 1))
            {
                return true;
            }
        }
        i += 1;
    }
    false
}

/// Whether any of `words` occurs at a word boundary within `before` bytes
/// before `start` or `after` bytes after `end`, without crossing a line
/// break when `same_line` is set.
pub fn near(
    b: &[u8],
    start: usize,
    end: usize,
    before: usize,
    after: usize,
    same_line: bool,
    words: &[&str],
) -> bool {
    let mut lo = start.saturating_sub(before);
    let mut hi = (end + after).min(b.len());
    if same_line {
        if let Some(p) = b[lo..start].iter().rposition(|&c| c == b'\n') {
            lo += p + 1;
        }
        if let Some(p) = b[end..hi].iter().position(|&c| c == b'\n') {
            hi = end + p;
        }
    }
    words
        .iter()
        .any(|w| has_word_in(b, lo, start, w.as_bytes()) || has_word_in(b, end, hi, w.as_bytes()))
}

/// The identifier a value is assigned to, when the value directly follows
/// `key = `, `key: `, `"key": "`, `rec["key"] = `, `key,` (a CSV or
/// Markdown-table cell) and the like: looks back over at most a few
/// quote/space/operator bytes. Returns the key bytes (any case).
pub fn preceding_key(b: &[u8], start: usize) -> Option<&[u8]> {
    let mut i = start;
    let mut saw_op = false;
    let mut steps = 0;
    while i > 0 && steps < 8 {
        let c = b[i - 1];
        match c {
            // `=`/`:` assignments, `,` and `|` cells (CSV, Markdown tables).
            b'=' | b':' | b',' | b'|' => saw_op = true,
            b' ' | b'\t' | b'"' | b'\'' | b'`' | b'>' | b']' | b'[' => {}
            _ => break,
        }
        i -= 1;
        steps += 1;
    }
    if !saw_op {
        return None;
    }
    let end = i;
    while i > 0 && (is_alnum(b[i - 1]) || matches!(b[i - 1], b'_' | b'-' | b'.')) && end - i < 48 {
        i -= 1;
    }
    (i < end).then(|| &b[i..end])
}

/// Whether `key` (any case) contains one of `parts` (lower-case).
pub fn key_has(key: &[u8], parts: &[&str]) -> bool {
    parts.iter().any(|p| {
        let p = p.as_bytes();
        key.len() >= p.len() && key.windows(p.len()).any(|w| w.eq_ignore_ascii_case(p))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has(text: &str, w: &str) -> bool {
        has_word_in(text.as_bytes(), 0, text.len(), w.as_bytes())
    }

    #[test]
    fn boundaries() {
        assert!(has("FIN: G1", "fin"));
        assert!(!has("final", "fin"));
        assert!(!has("FINAL", "fin"));
        assert!(has("nricNo", "nric"));
        assert!(has("cust_nric", "nric"));
        assert!(has("accountNumber", "account"));
        assert!(has("bankAccount", "account"));
        assert!(!has("subaccount", "account"));
        assert!(has("customers", "customer"));
        assert!(!has("adobe", "dob"));
    }

    #[test]
    fn keys() {
        let t = b"order_id = 41";
        assert_eq!(preceding_key(t, 11), Some(&b"order_id"[..]));
        let t = b"{\"cardNo\": \"41";
        assert_eq!(preceding_key(t, 12), Some(&b"cardNo"[..]));
        assert_eq!(preceding_key(b"card 41", 5), None);
        assert!(key_has(b"orderId", &["order"]));
    }

    #[test]
    fn near_respects_lines() {
        let t = b"mobile\n91234567";
        assert!(near(t, 7, 15, 20, 0, false, &["mobile"]));
        assert!(!near(t, 7, 15, 20, 0, true, &["mobile"]));
    }
}
