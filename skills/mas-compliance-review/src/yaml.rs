//! A small YAML subset reader for CloudFormation templates: block mappings
//! and sequences, plain/quoted scalars, block scalars (`|`, `>`), flow
//! collections, and CloudFormation short-form tags (`!Ref X` becomes the
//! string `"!Ref X"`). Produces a `serde_json::Value` plus a [`PathIndex`]
//! of key offsets. Anchors, aliases and multi-document streams are not
//! supported (not used by CloudFormation). Never panics; bounded depth.

use crate::json::PathIndex;
use serde_json::{Map, Value};

#[derive(Debug, Clone)]
struct Line {
    indent: usize,
    /// Byte offset of the content (after the indent) in the text.
    at: usize,
    content: String,
}

fn strip_comment(s: &str) -> &str {
    let b = s.as_bytes();
    let (mut sq, mut dq) = (false, false);
    for i in 0..b.len() {
        match b[i] {
            b'\'' if !dq => sq = !sq,
            b'"' if !sq => dq = !dq,
            b'#' if !sq && !dq && (i == 0 || b[i - 1] == b' ' || b[i - 1] == b'\t') => {
                return s[..i].trim_end();
            }
            _ => {}
        }
    }
    s.trim_end()
}

/// Parse YAML text.
pub fn parse(text: &str) -> (Value, PathIndex) {
    let mut lines = Vec::new();
    let mut off = 0;
    for raw in text.split('\n') {
        let indent = raw.len() - raw.trim_start_matches(' ').len();
        let content = strip_comment(&raw[indent..]).trim_end_matches('\r');
        if !content.is_empty() && content != "---" && content != "..." && !content.starts_with('%')
        {
            lines.push(Line {
                indent,
                at: off + indent,
                content: content.to_string(),
            });
        }
        off += raw.len() + 1;
    }
    let mut p = P {
        lines,
        pos: 0,
        idx: PathIndex::default(),
        raw_lines: text.split('\n').map(str::to_string).collect(),
    };
    let mut path = Vec::new();
    let v = if p.lines.is_empty() {
        Value::Null
    } else {
        let ind = p.lines[0].indent;
        p.block(ind, &mut path, 0)
    };
    (v, p.idx)
}

struct P {
    lines: Vec<Line>,
    pos: usize,
    idx: PathIndex,
    #[allow(dead_code)]
    raw_lines: Vec<String>,
}

fn is_seq_item(c: &str) -> bool {
    c == "-" || c.starts_with("- ")
}

/// Position of the mapping colon (`key: value` / `key:`), outside quotes.
fn colon(c: &str) -> Option<usize> {
    let b = c.as_bytes();
    let (mut sq, mut dq) = (false, false);
    if b.first().is_some_and(|x| b"[{".contains(x)) {
        return None;
    }
    for i in 0..b.len() {
        match b[i] {
            b'\'' if !dq => sq = !sq,
            b'"' if !sq => dq = !dq,
            b':' if !sq && !dq && (i + 1 == b.len() || b[i + 1] == b' ' || b[i + 1] == b'\t') => {
                return Some(i);
            }
            _ => {}
        }
    }
    None
}

fn unquote(s: &str) -> String {
    let s = s.trim();
    if s.len() >= 2 && s.starts_with('\'') && s.ends_with('\'') {
        return s[1..s.len() - 1].replace("''", "'");
    }
    if s.len() >= 2 && s.starts_with('"') && s.ends_with('"') {
        return serde_json::from_str::<String>(s).unwrap_or_else(|_| s[1..s.len() - 1].to_string());
    }
    s.to_string()
}

fn scalar(s: &str) -> Value {
    let t = s.trim();
    if t.starts_with('[') || t.starts_with('{') {
        let mut i = 0;
        return flow(t.as_bytes(), &mut i, 0);
    }
    if t.starts_with('\'') || t.starts_with('"') {
        return Value::String(unquote(t));
    }
    match t {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    if let Ok(i) = t.parse::<i64>() {
        return Value::from(i);
    }
    if t.bytes().any(|b| b.is_ascii_digit())
        && t.bytes()
            .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b))
        && let Ok(f) = t.parse::<f64>()
    {
        return Value::from(f);
    }
    Value::String(t.to_string())
}

fn flow(b: &[u8], i: &mut usize, depth: usize) -> Value {
    while *i < b.len() && b[*i] == b' ' {
        *i += 1;
    }
    if depth > 64 || *i >= b.len() {
        return Value::Null;
    }
    let open = b[*i];
    if open == b'[' || open == b'{' {
        let close = if open == b'[' { b']' } else { b'}' };
        *i += 1;
        let mut arr = Vec::new();
        let mut map = Map::new();
        loop {
            while *i < b.len() && matches!(b[*i], b' ' | b',') {
                *i += 1;
            }
            if *i >= b.len() {
                break;
            }
            if b[*i] == close {
                *i += 1;
                break;
            }
            let start = *i;
            if open == b'{' {
                // key
                let mut j = *i;
                let (mut sq, mut dq) = (false, false);
                while j < b.len() {
                    match b[j] {
                        b'\'' if !dq => sq = !sq,
                        b'"' if !sq => dq = !dq,
                        b':' | b',' | b'}' if !sq && !dq => break,
                        _ => {}
                    }
                    j += 1;
                }
                let key = unquote(&String::from_utf8_lossy(&b[*i..j]));
                *i = j;
                let v = if *i < b.len() && b[*i] == b':' {
                    *i += 1;
                    flow(b, i, depth + 1)
                } else {
                    Value::Null
                };
                map.insert(key, v);
            } else {
                arr.push(flow(b, i, depth + 1));
            }
            if *i == start {
                *i += 1;
            }
        }
        return if open == b'[' {
            Value::Array(arr)
        } else {
            Value::Object(map)
        };
    }
    // scalar up to , ] }
    let mut j = *i;
    let (mut sq, mut dq) = (false, false);
    while j < b.len() {
        match b[j] {
            b'\'' if !dq => sq = !sq,
            b'"' if !sq => dq = !dq,
            b',' | b']' | b'}' if !sq && !dq => break,
            _ => {}
        }
        j += 1;
    }
    let s = String::from_utf8_lossy(&b[*i..j]).to_string();
    *i = j;
    scalar(&s)
}

impl P {
    fn block(&mut self, indent: usize, path: &mut Vec<String>, depth: usize) -> Value {
        if depth > 64 || self.pos >= self.lines.len() {
            self.pos = self.lines.len().max(self.pos);
            return Value::Null;
        }
        if is_seq_item(&self.lines[self.pos].content) {
            self.seq(indent, path, depth)
        } else if colon(&self.lines[self.pos].content).is_some() {
            self.map(indent, path, depth)
        } else {
            // a bare scalar, possibly continued on following deeper lines
            let mut s = self.lines[self.pos].content.clone();
            self.pos += 1;
            while self.pos < self.lines.len() && self.lines[self.pos].indent > indent {
                s.push(' ');
                s.push_str(&self.lines[self.pos].content);
                self.pos += 1;
            }
            scalar(&s)
        }
    }

    fn value_after(
        &mut self,
        indent: usize,
        rest: &str,
        path: &mut Vec<String>,
        depth: usize,
    ) -> Value {
        let rest = rest.trim();
        // strip a tag (`!Sub`, `!If`), keep it as text for scalars
        let (tag, body) = if rest.starts_with('!') {
            match rest.split_once(' ') {
                Some((t, b)) => (Some(t), b.trim()),
                None => (Some(rest), ""),
            }
        } else {
            (None, rest)
        };
        if body.starts_with('|') || body.starts_with('>') {
            let fold = body.starts_with('>');
            let mut s = String::new();
            while self.pos < self.lines.len() && self.lines[self.pos].indent > indent {
                s.push_str(&self.lines[self.pos].content);
                s.push(if fold { ' ' } else { '\n' });
                self.pos += 1;
            }
            return Value::String(match tag {
                Some(t) => format!("{t} {s}"),
                None => s,
            });
        }
        if body.is_empty() {
            if self.pos < self.lines.len() {
                let next = &self.lines[self.pos];
                if next.indent > indent || (next.indent == indent && is_seq_item(&next.content)) {
                    let ni = next.indent;
                    return self.block(ni, path, depth + 1);
                }
            }
            return match tag {
                Some(t) => Value::String(t.to_string()),
                None => Value::Null,
            };
        }
        match tag {
            Some(t) if !body.starts_with('[') && !body.starts_with('{') => {
                Value::String(format!("{t} {}", unquote(body)))
            }
            _ => scalar(body),
        }
    }

    fn map(&mut self, indent: usize, path: &mut Vec<String>, depth: usize) -> Value {
        let mut m = Map::new();
        while self.pos < self.lines.len() {
            let line = self.lines[self.pos].clone();
            if line.indent != indent || is_seq_item(&line.content) {
                if line.indent > indent {
                    // stray deeper line: skip
                    self.pos += 1;
                    continue;
                }
                break;
            }
            let Some(c) = colon(&line.content) else {
                self.pos += 1;
                continue;
            };
            let key = unquote(&line.content[..c]);
            let rest = line.content[c + 1..].to_string();
            self.pos += 1;
            path.push(key.clone());
            self.idx.insert(path, (line.at, line.at + c));
            let v = self.value_after(indent, &rest, path, depth);
            path.pop();
            m.insert(key, v);
        }
        Value::Object(m)
    }

    fn seq(&mut self, indent: usize, path: &mut Vec<String>, depth: usize) -> Value {
        let mut arr = Vec::new();
        while self.pos < self.lines.len() {
            let line = self.lines[self.pos].clone();
            if line.indent != indent || !is_seq_item(&line.content) {
                if line.indent > indent {
                    self.pos += 1;
                    continue;
                }
                break;
            }
            path.push(arr.len().to_string());
            self.idx
                .insert(path, (line.at, line.at + line.content.len()));
            let item = line.content[1..].trim_start();
            let shift = line.content.len() - item.len();
            if item.is_empty() {
                self.pos += 1;
                let v = if self.pos < self.lines.len() && self.lines[self.pos].indent > indent {
                    let ni = self.lines[self.pos].indent;
                    self.block(ni, path, depth + 1)
                } else {
                    Value::Null
                };
                arr.push(v);
            } else if colon(item).is_some() || is_seq_item(item) {
                // `- key: v` starts a mapping at the item's column
                let l = &mut self.lines[self.pos];
                l.indent = indent + shift;
                l.at += shift;
                l.content = item.to_string();
                let v = self.block(indent + shift, path, depth + 1);
                arr.push(v);
            } else {
                self.pos += 1;
                let item = item.to_string();
                let v = self.value_after(indent, &item, path, depth);
                arr.push(v);
            }
            path.pop();
        }
        Value::Array(arr)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cloudformation_subset() {
        let t = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Bucket:\n    Type: AWS::S3::Bucket # c\n    Properties:\n      BucketName: !Sub '${AWS::StackName}-x'\n      Tags:\n        - Key: a\n          Value: b\n        - plain\n      PublicAccessBlockConfiguration: {BlockPublicAcls: true, BlockPublicPolicy: false}\n      Policy: |\n        line1\n        line2\n  Trail:\n    Type: \"AWS::CloudTrail::Trail\"\n    Properties:\n      EnableLogFileValidation: false\n      Retention: 30\n";
        let (v, idx) = parse(t);
        assert_eq!(v["Resources"]["Bucket"]["Type"], "AWS::S3::Bucket");
        assert_eq!(
            v["Resources"]["Bucket"]["Properties"]["Tags"][0]["Value"],
            "b"
        );
        assert_eq!(v["Resources"]["Bucket"]["Properties"]["Tags"][1], "plain");
        assert_eq!(
            v["Resources"]["Bucket"]["Properties"]["PublicAccessBlockConfiguration"]["BlockPublicPolicy"],
            false
        );
        assert!(
            v["Resources"]["Bucket"]["Properties"]["BucketName"]
                .as_str()
                .unwrap()
                .starts_with("!Sub")
        );
        assert_eq!(
            v["Resources"]["Trail"]["Properties"]["EnableLogFileValidation"],
            false
        );
        assert_eq!(v["Resources"]["Trail"]["Properties"]["Retention"], 30);
        let (a, b) = idx.get(&[
            "Resources",
            "Trail",
            "Properties",
            "EnableLogFileValidation",
        ]);
        assert_eq!(&t[a..b], "EnableLogFileValidation");
    }

    #[test]
    fn garbage() {
        for t in [
            "",
            "-",
            "- - -",
            ":",
            "a: [",
            "a: {b: [c, {d",
            "  - x\n- y\n    z: 1",
            "a:\n  - b: |\n",
        ] {
            let _ = parse(t);
        }
    }
}
