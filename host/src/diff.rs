//! Unified-diff parsing: which lines of which new files a diff adds.

use kiro_guard_contract::LineRange;
use std::collections::BTreeMap;

/// Added line ranges per new-side path, from `git diff -U0` style output.
/// Deleted files are absent; renamed files use the new path.
pub fn added_lines(diff: &str) -> BTreeMap<String, Vec<LineRange>> {
    let mut out: BTreeMap<String, Vec<LineRange>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in diff.lines() {
        if let Some(rest) = line.strip_prefix("+++ ") {
            let path = rest.trim_end_matches('\t');
            current = if path == "/dev/null" {
                None
            } else {
                Some(unquote(path.strip_prefix("b/").unwrap_or(path)))
            };
            continue;
        }
        if line.starts_with("diff --git ") {
            current = None;
            continue;
        }
        let (Some(path), Some(hunk)) = (current.as_ref(), line.strip_prefix("@@ ")) else {
            continue;
        };
        // @@ -a,b +c,d @@
        let Some(plus) = hunk.split_whitespace().find(|w| w.starts_with('+')) else {
            continue;
        };
        let plus = &plus[1..];
        let (start, count) = match plus.split_once(',') {
            Some((s, c)) => (s.parse::<u32>().unwrap_or(0), c.parse::<u32>().unwrap_or(0)),
            None => (plus.parse::<u32>().unwrap_or(0), 1),
        };
        if count == 0 || start == 0 {
            continue;
        }
        out.entry(path.clone()).or_default().push(LineRange {
            start,
            end: start + count - 1,
        });
    }
    out
}

/// Git quotes paths with special characters: `"a\tb"`. Undo the common escapes.
fn unquote(p: &str) -> String {
    let Some(inner) = p.strip_prefix('"').and_then(|s| s.strip_suffix('"')) else {
        return p.to_string();
    };
    let inner = inner.strip_prefix("b/").unwrap_or(inner);
    let mut out = Vec::new();
    let bytes = inner.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' && i + 1 < bytes.len() {
            match bytes[i + 1] {
                b'n' => out.push(b'\n'),
                b't' => out.push(b'\t'),
                b'"' => out.push(b'"'),
                b'\\' => out.push(b'\\'),
                d @ b'0'..=b'7' if i + 3 < bytes.len() => {
                    let oct = std::str::from_utf8(&bytes[i + 1..i + 4])
                        .ok()
                        .and_then(|o| u8::from_str_radix(o, 8).ok());
                    match oct {
                        Some(b) => {
                            out.push(b);
                            i += 4;
                            continue;
                        }
                        None => out.push(d),
                    }
                }
                other => out.push(other),
            }
            i += 2;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_hunks_renames_and_deletions() {
        let diff = "diff --git a/src/a.py b/src/a.py\n--- a/src/a.py\n+++ b/src/a.py\n@@ -3 +3,2 @@ def f():\n-x\n+y\n+z\n@@ -10,0 +12 @@\n+w\ndiff --git a/gone.txt b/gone.txt\n--- a/gone.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-bye\ndiff --git a/old b/\"new\\tname\"\n--- a/old\n+++ \"b/new\\tname\"\n@@ -0,0 +1 @@\n+hi\n";
        let m = added_lines(diff);
        assert_eq!(
            m["src/a.py"],
            vec![
                LineRange { start: 3, end: 4 },
                LineRange { start: 12, end: 12 }
            ]
        );
        assert!(!m.contains_key("gone.txt"));
        assert_eq!(m["new\tname"], vec![LineRange { start: 1, end: 1 }]);
    }

    #[test]
    fn garbage_is_empty() {
        assert!(added_lines("@@ nonsense\n+++\n@@ -x +y @@").is_empty());
    }
}
