//! A tolerant reader for hook payloads.
//!
//! Agents produce JSON that a strict reader refuses, and an attacker can
//! shape a payload so that it is refused on purpose. This reader accepts:
//!
//! * lone UTF-16 surrogate escapes (`"\ud800"`, valid in JavaScript's
//!   `JSON.parse`), replaced by U+FFFD before parsing;
//! * nesting up to [`MAX_DEPTH`] levels (serde_json's default stops at 128),
//!   parsed on a thread with a stack sized for that depth;
//! * invalid UTF-8 inside strings (replaced by U+FFFD).
//!
//! Anything it still cannot read is an error, which the hook turns into its
//! `on_error` decision (block by default): a payload is never allowed because
//! it could not be read.

use serde::Deserialize;
use serde_json::Value;

/// Deepest nesting accepted.
pub const MAX_DEPTH: usize = 10_000;

/// Parse a payload tolerantly.
pub fn parse(bytes: &[u8]) -> Result<Value, String> {
    let text = String::from_utf8_lossy(bytes);
    let mut fixed = text.into_owned().into_bytes();
    replace_lone_surrogates(&mut fixed);
    let depth = max_depth(&fixed);
    if depth > MAX_DEPTH {
        return Err(format!(
            "payload nests {depth} levels deep, over the {MAX_DEPTH}-level limit"
        ));
    }
    if depth < 100 {
        return serde_json::from_slice(&fixed).map_err(|e| format!("invalid JSON payload: {e}"));
    }
    // Deep: parse without serde_json's recursion limit on a thread whose
    // stack fits the depth (each level costs well under 1 KiB).
    let handle = std::thread::Builder::new()
        .stack_size(16 << 20 | (depth * 1024))
        .spawn(move || {
            let mut de = serde_json::Deserializer::from_slice(&fixed);
            de.disable_recursion_limit();
            let v = Value::deserialize(&mut de).map_err(|e| format!("invalid JSON payload: {e}"));
            de.end().map_err(|e| format!("invalid JSON payload: {e}"))?;
            v
        })
        .map_err(|e| format!("cannot start the payload reader: {e}"))?;
    handle
        .join()
        .unwrap_or_else(|_| Err("the payload reader failed".into()))
}

/// Deepest `[`/`{` nesting outside strings.
fn max_depth(b: &[u8]) -> usize {
    let (mut depth, mut max, mut in_str, mut esc) = (0usize, 0usize, false, false);
    for &c in b {
        if in_str {
            if esc {
                esc = false;
            } else if c == b'\\' {
                esc = true;
            } else if c == b'"' {
                in_str = false;
            }
            continue;
        }
        match c {
            b'"' => in_str = true,
            b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

fn hex4(b: &[u8]) -> Option<u16> {
    let s = std::str::from_utf8(b.get(..4)?).ok()?;
    u16::from_str_radix(s, 16).ok()
}

/// Replace `\uD800`–`\uDFFF` escapes that do not form a pair with
/// `\uFFFD` (same length, so offsets stay put).
fn replace_lone_surrogates(b: &mut [u8]) {
    let (mut i, mut in_str) = (0usize, false);
    while i < b.len() {
        let c = b[i];
        if !in_str {
            in_str = c == b'"';
            i += 1;
            continue;
        }
        match c {
            b'"' => {
                in_str = false;
                i += 1;
            }
            b'\\' if b.get(i + 1) == Some(&b'u') => {
                let Some(u) = hex4(&b[i + 2..]) else {
                    i += 2;
                    continue;
                };
                let next = if b.get(i + 6) == Some(&b'\\') && b.get(i + 7) == Some(&b'u') {
                    hex4(&b[i + 8..])
                } else {
                    None
                };
                match u {
                    0xD800..=0xDBFF if next.is_some_and(|n| (0xDC00..=0xDFFF).contains(&n)) => {
                        i += 12;
                    }
                    0xD800..=0xDFFF => {
                        b[i + 2..i + 6].copy_from_slice(b"FFFD");
                        i += 6;
                    }
                    _ => i += 6,
                }
            }
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lone_surrogates_are_accepted() {
        let v =
            parse(br#"{"a":"x\ud800y","b":"\udc00","c":"\ud83d\ude00","d":"\\ud800"}"#).unwrap();
        assert_eq!(v["a"], "x\u{FFFD}y");
        assert_eq!(v["b"], "\u{FFFD}");
        assert_eq!(v["c"], "\u{1F600}");
        assert_eq!(v["d"], "\\ud800");
    }

    #[test]
    fn deep_nesting_is_read_and_too_deep_is_an_error() {
        let deep = format!("{{\"x\":{}1{}}}", "[".repeat(500), "]".repeat(500));
        assert!(parse(deep.as_bytes()).unwrap()["x"].is_array());
        let too_deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert!(
            parse(too_deep.as_bytes())
                .unwrap_err()
                .contains("levels deep")
        );
    }

    #[test]
    fn invalid_utf8_and_garbage() {
        let v = parse(b"{\"a\":\"\xff\"}").unwrap();
        assert_eq!(v["a"], "\u{FFFD}");
        assert!(parse(b"{\"a\":").is_err());
        assert!(parse(b"").is_err());
    }
}
