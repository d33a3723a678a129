//! A JSON-aware view of a tool call's `input_json` (SDK candidate).
//!
//! The scanner must see string values decoded (`"a\nb"` is two lines, `\u0053`
//! is `S`), while spans must point into the JSON text the host has. This
//! module decodes every string literal in place (keys too, so a key such as
//! `"accountNumber"` is context for the value after it), keeps everything
//! outside strings as is (numbers are scanned too), and records for each
//! decoded byte the raw byte it came from.
//!
//! Spans of tool-call findings are therefore line/column positions in the
//! `input_json` text (line 1 for single-line JSON).

/// Decoded text plus a map from decoded byte offsets to raw byte offsets.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub text: String,
    /// `map[i]` is the raw offset of decoded byte `i`; `map[text.len()]` is
    /// the raw length.
    map: Vec<u32>,
}

impl Decoded {
    /// The raw offset for a decoded offset (exclusive ends map to the raw
    /// position just after the escape sequence that produced the last byte).
    pub fn raw(&self, decoded: usize) -> usize {
        self.map[decoded.min(self.map.len() - 1)] as usize
    }
}

/// Decode every string literal of `raw` in place. Lenient: malformed escapes
/// are kept verbatim and an unterminated string runs to the end.
pub fn decode(raw: &str) -> Decoded {
    let b = raw.as_bytes();
    let mut text = String::with_capacity(raw.len());
    let mut map: Vec<u32> = Vec::with_capacity(raw.len() + 1);
    let mut i = 0;
    let mut in_str = false;
    // Decoded ranges of the string literals, in order.
    let mut literals: Vec<(usize, usize)> = Vec::new();
    let mut lit_start = 0;
    while i < b.len() {
        let c = b[i];
        if !in_str {
            let ch_len = utf8_len(c);
            push_raw(&mut text, &mut map, raw, i, ch_len);
            if c == b'"' {
                in_str = true;
                lit_start = text.len();
            }
            i += ch_len;
            continue;
        }
        match c {
            b'"' => {
                literals.push((lit_start, text.len()));
                push_raw(&mut text, &mut map, raw, i, 1);
                in_str = false;
                i += 1;
            }
            b'\\' if i + 1 < b.len() => {
                let e = b[i + 1];
                let simple = match e {
                    b'n' => Some('\n'),
                    b't' => Some('\t'),
                    b'r' => Some('\r'),
                    b'b' => Some('\u{8}'),
                    b'f' => Some('\u{c}'),
                    b'/' => Some('/'),
                    b'\\' => Some('\\'),
                    b'"' => Some('"'),
                    _ => None,
                };
                if let Some(ch) = simple {
                    push_char(&mut text, &mut map, ch, i);
                    i += 2;
                } else if e == b'u' {
                    match unicode_escape(b, i) {
                        Some((ch, len)) => {
                            push_char(&mut text, &mut map, ch, i);
                            i += len;
                        }
                        None => {
                            push_raw(&mut text, &mut map, raw, i, 1);
                            i += 1;
                        }
                    }
                } else {
                    push_raw(&mut text, &mut map, raw, i, 1);
                    i += 1;
                }
            }
            _ => {
                let ch_len = utf8_len(c);
                push_raw(&mut text, &mut map, raw, i, ch_len);
                i += ch_len;
            }
        }
    }
    map.push(raw.len() as u32);
    blank_removed_text(&mut text, &literals);
    Decoded { text, map }
}

/// Keys whose string value is text an edit removes (Claude Code `Edit`
/// `old_string`, Kiro `fs_write` `old_str`): PII there is being taken out,
/// not written, so the value is blanked (same length, offsets unchanged).
const REMOVED_TEXT_KEYS: &[&str] = &["old_string", "old_str", "oldString", "old_text"];

fn blank_removed_text(text: &mut String, literals: &[(usize, usize)]) {
    let mut blank: Vec<(usize, usize)> = Vec::new();
    for w in literals.windows(2) {
        let (ks, ke) = w[0];
        let (vs, ve) = w[1];
        // `"key"` then optional spaces, `:`, spaces, `"value"`.
        let between = &text.as_bytes()[ke + 1..vs.saturating_sub(1).max(ke + 1)];
        if REMOVED_TEXT_KEYS.contains(&&text[ks..ke])
            && between
                .iter()
                .filter(|c| !c.is_ascii_whitespace())
                .eq([b':'].iter())
        {
            blank.push((vs, ve));
        }
    }
    if blank.is_empty() {
        return;
    }
    // Replacing every byte (multi-byte characters included) with an ASCII
    // space keeps the text valid UTF-8 and the offsets unchanged.
    let mut bytes = std::mem::take(text).into_bytes();
    for (s, e) in blank {
        bytes[s..e].fill(b' ');
    }
    *text = String::from_utf8(bytes).expect("ASCII spaces keep UTF-8 valid");
}

fn utf8_len(first: u8) -> usize {
    match first {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        _ => 4,
    }
}

fn push_raw(text: &mut String, map: &mut Vec<u32>, raw: &str, i: usize, len: usize) {
    let end = (i + len).min(raw.len());
    text.push_str(&raw[i..end]);
    for k in i..end {
        map.push(k as u32);
    }
}

fn push_char(text: &mut String, map: &mut Vec<u32>, ch: char, raw_at: usize) {
    let mut buf = [0u8; 4];
    let s = ch.encode_utf8(&mut buf);
    text.push_str(s);
    for _ in 0..s.len() {
        map.push(raw_at as u32);
    }
}

/// `\uXXXX`, with a following `\uXXXX` low surrogate when the first is high.
fn unicode_escape(b: &[u8], i: usize) -> Option<(char, usize)> {
    let hex = |at: usize| -> Option<u32> {
        let s = std::str::from_utf8(b.get(at..at + 4)?).ok()?;
        u32::from_str_radix(s, 16).ok()
    };
    let hi = hex(i + 2)?;
    if (0xd800..0xdc00).contains(&hi) {
        if b.get(i + 6) == Some(&b'\\')
            && b.get(i + 7) == Some(&b'u')
            && let Some(lo) = hex(i + 8)
            && (0xdc00..0xe000).contains(&lo)
        {
            let cp = 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
            return Some((char::from_u32(cp)?, 12));
        }
        return Some(('\u{fffd}', 6));
    }
    Some((char::from_u32(hi).unwrap_or('\u{fffd}'), 6))
}

/// The path a tool call writes to (`path`, `file_path`, `filePath`,
/// `notebook_path`, `target_file`), when the input is a JSON object that has
/// one at its top level.
pub fn tool_path(input_json: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(input_json).ok()?;
    let obj = v.as_object()?;
    [
        "file_path",
        "path",
        "filePath",
        "notebook_path",
        "target_file",
        "filename",
    ]
    .iter()
    .find_map(|k| obj.get(*k).and_then(|p| p.as_str()).map(str::to_string))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_with_offsets() {
        let raw = r#"{"content":"a\nS123\u0034567D é"}"#;
        let d = decode(raw);
        assert_eq!(d.text, "{\"content\":\"a\nS1234567D é\"}");
        let s = d.text.find("S123").unwrap();
        let e = s + 9;
        assert_eq!(&raw[d.raw(s)..d.raw(e)], r"S123\u0034567D");
        assert_eq!(d.raw(d.text.len()), raw.len());
    }

    #[test]
    fn removed_text_is_blanked() {
        let raw = r#"{"file_path":"a.py","old_string":"nric = \"S1234567D\" é","new_string":"nric = load()"}"#;
        let d = decode(raw);
        assert!(!d.text.contains("S1234567D"));
        assert!(d.text.contains("\"new_string\":\"nric = load()\""));
        assert_eq!(d.raw(d.text.len()), raw.len());
        // A value that merely mentions the key name is not blanked.
        let d = decode(r#"{"content":"old_string","x":"S1234567D"}"#);
        assert!(d.text.contains("S1234567D"));
    }

    #[test]
    fn surrogates_and_malformed() {
        let d = decode(r#"["\ud83d\ude00", "\uZZ", "\q"]"#);
        assert!(d.text.contains('😀'));
        assert!(d.text.contains(r"\uZZ"));
        assert!(d.text.contains(r"\q"));
    }

    #[test]
    fn path() {
        assert_eq!(
            tool_path(r#"{"file_path":"tests/a.py","content":"x"}"#).as_deref(),
            Some("tests/a.py")
        );
        assert_eq!(tool_path("not json"), None);
    }
}
