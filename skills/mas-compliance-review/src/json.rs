//! JSON helpers: JSONC comment/trailing-comma stripping (offset preserving),
//! an index from JSON paths to byte ranges of keys, and Python-compatible
//! `json.dumps(obj, sort_keys=True)` for the configuration pin.
//! (SDK candidates: `strip_jsonc`, `PathIndex`.)

use serde_json::Value;
use std::collections::HashMap;

/// Replace `//` and `/* */` comments and trailing commas with spaces, keeping
/// every byte offset (and newline) where it was.
pub fn strip_jsonc(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = b.to_vec();
    let mut i = 0;
    let mut last_comma: Option<usize> = None;
    while i < b.len() {
        match b[i] {
            b'"' => {
                last_comma = None;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                i += 1;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    out[i] = b' ';
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let start = i;
                i += 2;
                while i < b.len() && !(b[i] == b'*' && b.get(i + 1) == Some(&b'/')) {
                    i += 1;
                }
                let end = (i + 2).min(b.len());
                for (k, o) in out.iter_mut().enumerate().take(end).skip(start) {
                    if b[k] != b'\n' {
                        *o = b' ';
                    }
                }
                i = end;
            }
            b',' => {
                last_comma = Some(i);
                i += 1;
            }
            b'}' | b']' => {
                if let Some(c) = last_comma.take() {
                    out[c] = b' ';
                }
                i += 1;
            }
            c if c.is_ascii_whitespace() => i += 1,
            _ => {
                last_comma = None;
                i += 1;
            }
        }
    }
    // Only ASCII bytes were replaced by ASCII spaces: still valid UTF-8.
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// Byte ranges of keys (and array elements) by path.
#[derive(Debug, Default, Clone)]
pub struct PathIndex {
    map: HashMap<String, (usize, usize)>,
}

fn key_of(path: &[String]) -> String {
    path.join("\u{1}")
}

impl PathIndex {
    pub fn insert(&mut self, path: &[String], range: (usize, usize)) {
        self.map.entry(key_of(path)).or_insert(range);
    }

    /// The range for `path`, else for its longest indexed prefix, else (0, 0).
    pub fn get<S: AsRef<str>>(&self, path: &[S]) -> (usize, usize) {
        let p: Vec<String> = path.iter().map(|s| s.as_ref().to_string()).collect();
        for n in (1..=p.len()).rev() {
            if let Some(r) = self.map.get(&key_of(&p[..n])) {
                return *r;
            }
        }
        (0, 0)
    }

    /// Index a JSON (or stripped JSONC) text.
    pub fn json(text: &str) -> PathIndex {
        let mut idx = PathIndex::default();
        let mut s = Scan {
            b: text.as_bytes(),
            i: 0,
        };
        let mut path = Vec::new();
        s.value(&mut idx, &mut path, 0);
        idx
    }
}

struct Scan<'a> {
    b: &'a [u8],
    i: usize,
}

impl Scan<'_> {
    fn ws(&mut self) {
        while self.i < self.b.len() && self.b[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }

    fn string(&mut self) -> Option<String> {
        if self.b.get(self.i) != Some(&b'"') {
            return None;
        }
        let start = self.i;
        self.i += 1;
        while self.i < self.b.len() && self.b[self.i] != b'"' {
            if self.b[self.i] == b'\\' {
                self.i += 1;
            }
            self.i += 1;
        }
        self.i = (self.i + 1).min(self.b.len());
        let raw = std::str::from_utf8(&self.b[start..self.i]).ok()?;
        serde_json::from_str::<String>(raw).ok()
    }

    fn value(&mut self, idx: &mut PathIndex, path: &mut Vec<String>, depth: usize) {
        self.ws();
        if depth > 128 || self.i >= self.b.len() {
            self.i = self.b.len();
            return;
        }
        match self.b[self.i] {
            b'{' => {
                self.i += 1;
                loop {
                    self.ws();
                    match self.b.get(self.i) {
                        Some(b'}') => {
                            self.i += 1;
                            return;
                        }
                        Some(b',') => {
                            self.i += 1;
                            continue;
                        }
                        Some(b'"') => {}
                        _ => {
                            self.i = self.b.len();
                            return;
                        }
                    }
                    let kstart = self.i;
                    let Some(k) = self.string() else {
                        self.i = self.b.len();
                        return;
                    };
                    path.push(k);
                    idx.insert(path, (kstart, self.i));
                    self.ws();
                    if self.b.get(self.i) == Some(&b':') {
                        self.i += 1;
                    }
                    self.value(idx, path, depth + 1);
                    path.pop();
                }
            }
            b'[' => {
                self.i += 1;
                let mut n = 0usize;
                loop {
                    self.ws();
                    match self.b.get(self.i) {
                        Some(b']') => {
                            self.i += 1;
                            return;
                        }
                        Some(b',') => {
                            self.i += 1;
                            continue;
                        }
                        None => return,
                        _ => {}
                    }
                    let start = self.i;
                    path.push(n.to_string());
                    self.value(idx, path, depth + 1);
                    let end = self.i;
                    idx.insert(path, (start, end));
                    path.pop();
                    n += 1;
                    if self.i == start {
                        self.i += 1;
                    }
                }
            }
            b'"' => {
                self.string();
            }
            _ => {
                while self.i < self.b.len() && !b",}] \t\r\n".contains(&self.b[self.i]) {
                    self.i += 1;
                }
            }
        }
    }
}

/// Parse JSON or JSONC; the value and an index over the original offsets.
pub fn parse(text: &str) -> Option<(Value, PathIndex)> {
    let stripped = strip_jsonc(text);
    let v: Value = serde_json::from_str(&stripped).ok()?;
    Some((v, PathIndex::json(&stripped)))
}

/// `json.dumps(v, sort_keys=True)` as CPython writes it (separators `", "`
/// and `": "`, `ensure_ascii=True`, float repr).
pub fn python_dumps(v: &Value) -> String {
    let mut out = String::new();
    dump(v, &mut out);
    out
}

fn dump(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                out.push_str(&i.to_string());
            } else if let Some(u) = n.as_u64() {
                out.push_str(&u.to_string());
            } else if let Some(f) = n.as_f64() {
                out.push_str(&py_float(f));
            }
        }
        Value::String(s) => dump_str(s, out),
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                dump(x, out);
            }
            out.push(']');
        }
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                dump_str(k, out);
                out.push_str(": ");
                dump(&m[k.as_str()], out);
            }
            out.push('}');
        }
    }
}

fn dump_str(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7e && (c as u32) != 0x7f => {
                let mut buf = [0u16; 2];
                for u in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{:04x}", u));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn py_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    let sci = format!("{f:e}");
    let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if (-4..16).contains(&exp) {
        let s = format!("{f}");
        if s.contains('.') { s } else { format!("{s}.0") }
    } else {
        format!("{mant}e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs())
    }
}

/// Lower-case hex SHA-256 of the Python-canonical form of `v`.
pub fn config_sha256(v: &Value) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(python_dumps(v).as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonc_keeps_offsets() {
        let t = "{\n // c\n \"a\": 1, /* x */\n \"b\": [1,2,],\n}";
        let s = strip_jsonc(t);
        assert_eq!(s.len(), t.len());
        let v: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v["b"][1], 2);
        let idx = PathIndex::json(&s);
        let (a, b) = idx.get(&["b"]);
        assert_eq!(&t[a..b], "\"b\"");
        let (a, _) = idx.get(&["b", "1"]);
        assert_eq!(&t[a..a + 1], "2");
        assert_eq!(idx.get(&["b", "9", "x"]), idx.get(&["b"]));
    }

    #[test]
    fn python_dumps_matches_cpython() {
        // json.dumps({"b": [1, 2.5, "é"], "a": {"y": None, "x": True}}, sort_keys=True)
        let v: Value =
            serde_json::from_str(r#"{"b":[1,2.5,"é"],"a":{"y":null,"x":true}}"#).unwrap();
        assert_eq!(
            python_dumps(&v),
            r#"{"a": {"x": true, "y": null}, "b": [1, 2.5, "\u00e9"]}"#
        );
        assert_eq!(py_float(1e16), "1e+16");
        assert_eq!(py_float(0.0001), "0.0001");
        assert_eq!(py_float(1e-5), "1e-05");
        assert_eq!(py_float(3.0), "3.0");
        // sha256 of '{}' (python: hashlib.sha256(json.dumps({}).encode()).hexdigest())
        assert_eq!(
            config_sha256(&serde_json::json!({})),
            "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
        );
    }

    #[test]
    fn garbage_does_not_panic() {
        for t in ["", "{", "[\"", "{\"a\":", "{\"a\" 1}", "]]]", "\"\\"] {
            let _ = PathIndex::json(t);
            let _ = parse(t);
            let _ = strip_jsonc(t);
        }
    }
}
