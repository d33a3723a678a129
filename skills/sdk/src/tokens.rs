//! A small lexer that tells code from comments and string literals.
//!
//! Not a parser: it knows each supported language's comment and string
//! delimiters, which is enough for rules to ignore matches inside comments,
//! or to look only inside string literals. It jumps between "interesting"
//! bytes with a lookup table rather than testing every delimiter at every
//! byte (written for banking-code-review, where lexing dominated scan time).

/// What a byte of source is part of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Region {
    /// Anything that is neither a comment nor a string literal.
    Code,
    /// A comment, delimiters included.
    Comment,
    /// A string literal, delimiters included.
    Str,
}

#[derive(Clone, Copy)]
struct Syntax {
    line_comments: &'static [&'static [u8]],
    block_comment: Option<(&'static [u8], &'static [u8])>,
    quotes: &'static [u8],
    triple_quotes: bool,
    escapes: bool,
}

fn syntax_for(language: &str) -> Syntax {
    const C_LIKE: Syntax = Syntax {
        line_comments: &[b"//"],
        block_comment: Some((b"/*", b"*/")),
        quotes: b"\"'`",
        triple_quotes: false,
        escapes: true,
    };
    const HASH: Syntax = Syntax {
        line_comments: &[b"#"],
        block_comment: None,
        quotes: b"\"'",
        triple_quotes: false,
        escapes: true,
    };
    match language {
        "python" => Syntax {
            triple_quotes: true,
            ..HASH
        },
        "shell" | "dotenv" | "yaml" | "toml" | "properties" | "makefile" | "dockerfile"
        | "ruby" | "powershell" => HASH,
        "terraform" => Syntax {
            line_comments: &[b"#", b"//"],
            block_comment: Some((b"/*", b"*/")),
            quotes: b"\"",
            triple_quotes: false,
            escapes: true,
        },
        "sql" => Syntax {
            line_comments: &[b"--"],
            block_comment: Some((b"/*", b"*/")),
            quotes: b"'\"",
            triple_quotes: false,
            escapes: false,
        },
        "java" | "kotlin" | "csharp" | "scala" | "swift" => Syntax {
            quotes: b"\"'",
            triple_quotes: true,
            ..C_LIKE
        },
        "javascript" | "typescript" | "go" | "rust" | "c" | "cpp" | "php" => C_LIKE,
        "json" => Syntax {
            line_comments: &[],
            block_comment: None,
            quotes: b"\"",
            triple_quotes: false,
            escapes: true,
        },
        "xml" | "html" => Syntax {
            line_comments: &[],
            block_comment: Some((b"<!--", b"-->")),
            quotes: b"\"'",
            triple_quotes: false,
            escapes: false,
        },
        _ => Syntax {
            line_comments: &[],
            block_comment: None,
            quotes: b"",
            triple_quotes: false,
            escapes: false,
        },
    }
}

/// Comment and string spans of a text (everything else is code).
#[derive(Debug, Clone, Default)]
pub struct Regions {
    spans: Vec<(usize, usize, Region)>,
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if from >= hay.len() || needle.is_empty() {
        return None;
    }
    let first = needle[0];
    let mut i = from;
    while i + needle.len() <= hay.len() {
        match hay[i..].iter().position(|&b| b == first) {
            None => return None,
            Some(p) => {
                i += p;
                if i + needle.len() <= hay.len() && &hay[i..i + needle.len()] == needle {
                    return Some(i);
                }
                i += 1;
            }
        }
    }
    None
}

impl Regions {
    /// Lex `text` as `language` (a name from [`crate::lang`]).
    pub fn new(text: &str, language: &str) -> Regions {
        let syn = syntax_for(language);
        let b = text.as_bytes();
        let mut interesting = [false; 256];
        for lc in syn.line_comments {
            interesting[lc[0] as usize] = true;
        }
        if let Some((open, _)) = syn.block_comment {
            interesting[open[0] as usize] = true;
        }
        for &q in syn.quotes {
            interesting[q as usize] = true;
        }
        // The interesting bytes as a fixed set of six (padded with a
        // repeat) so the skip loop below vectorises.
        let mut set = [0u8; 6];
        let mut k = 0;
        for (byte, &on) in interesting.iter().enumerate() {
            if on && k < 6 {
                set[k] = byte as u8;
                k += 1;
            }
        }
        let exact_set = k > 0 && interesting.iter().filter(|&&on| on).count() <= 6;
        let first = set[0];
        for slot in set.iter_mut().skip(k) {
            *slot = first;
        }
        let mut spans = Vec::new();
        let mut i = 0;
        let n = b.len();
        while i < n {
            if exact_set {
                i = skip_to_any(b, i, &set);
                if i >= n {
                    break;
                }
            }
            let c = b[i];
            if !interesting[c as usize] {
                i += 1;
                continue;
            }
            if let Some(lc) = syn.line_comments.iter().find(|lc| b[i..].starts_with(lc)) {
                if *lc == b"//" && i > 0 && b[i - 1] == b':' {
                    i += 2;
                    continue;
                }
                let end = b[i..]
                    .iter()
                    .position(|&x| x == b'\n')
                    .map(|p| i + p)
                    .unwrap_or(n);
                spans.push((i, end, Region::Comment));
                i = end;
                continue;
            }
            if let Some((open, close)) = syn.block_comment
                && b[i..].starts_with(open)
            {
                let end = find(b, i + open.len(), close)
                    .map(|p| p + close.len())
                    .unwrap_or(n);
                spans.push((i, end, Region::Comment));
                i = end;
                continue;
            }
            if syn.quotes.contains(&c) {
                if syn.triple_quotes && n - i >= 3 && b[i + 1] == c && b[i + 2] == c {
                    let end = find(b, i + 3, &[c, c, c]).map(|p| p + 3).unwrap_or(n);
                    spans.push((i, end, Region::Str));
                    i = end;
                    continue;
                }
                if c == b'\'' && i > 0 && b[i - 1].is_ascii_alphanumeric() {
                    i += 1;
                    continue;
                }
                let multiline = c == b'`';
                let mut j = i + 1;
                while j < n {
                    let d = b[j];
                    if syn.escapes && d == b'\\' {
                        j += 2;
                        continue;
                    }
                    if d == c {
                        j += 1;
                        break;
                    }
                    if d == b'\n' && !multiline {
                        break;
                    }
                    j += 1;
                }
                let end = j.min(n);
                spans.push((i, end, Region::Str));
                i = end;
                continue;
            }
            i += 1;
        }
        Regions { spans }
    }

    /// The region containing byte `offset`.
    pub fn at(&self, offset: usize) -> Region {
        let idx = self.spans.partition_point(|&(s, _, _)| s <= offset);
        match idx.checked_sub(1).map(|k| self.spans[k]) {
            Some((s, e, r)) if offset >= s && offset < e => r,
            _ => Region::Code,
        }
    }

    /// Whether the byte at `offset` is inside a comment.
    pub fn in_comment(&self, offset: usize) -> bool {
        self.at(offset) == Region::Comment
    }

    /// Whether the byte at `offset` is inside a string literal.
    pub fn in_string(&self, offset: usize) -> bool {
        self.at(offset) == Region::Str
    }

    /// The byte range of the string literal containing `offset`, if any.
    pub fn string_at(&self, offset: usize) -> Option<(usize, usize)> {
        let idx = self.spans.partition_point(|&(s, _, _)| s <= offset);
        let (s, e, r) = *self.spans.get(idx.checked_sub(1)?)?;
        (r == Region::Str && offset >= s && offset < e).then_some((s, e))
    }

    /// All comment and string spans, sorted.
    pub fn spans(&self) -> &[(usize, usize, Region)] {
        &self.spans
    }
}

/// The first index at or after `i` holding one of the six bytes of `set`
/// (`b.len()` if none).
fn skip_to_any(b: &[u8], i: usize, set: &[u8; 6]) -> usize {
    let hit = |c: u8| {
        (c == set[0])
            | (c == set[1])
            | (c == set[2])
            | (c == set[3])
            | (c == set[4])
            | (c == set[5])
    };
    crate::text::find_byte(b, i, hit).unwrap_or(b.len())
}

#[cfg(test)]
mod tests {
    use super::skip_to_any;

    #[test]
    fn skip_to_any_finds_the_first_of_the_set() {
        let set = *b"#\"'`/#";
        let mut t = vec![b'x'; 100];
        assert_eq!(skip_to_any(&t, 0, &set), 100);
        for k in [0, 31, 32, 33, 64, 99] {
            for &c in b"#\"'`/" {
                t[k] = c;
                assert_eq!(skip_to_any(&t, 0, &set), k);
                assert_eq!(skip_to_any(&t, k + 1, &set), 100);
                t[k] = b'x';
            }
        }
    }

    use super::*;

    #[test]
    fn python_comments_and_strings() {
        let src = "x = 'a#b'  # md5 here\ny = \"\"\"doc\nmd5\"\"\"\nz = md5(x)\n";
        let r = Regions::new(src, "python");
        assert_eq!(r.at(src.find("'a#b'").unwrap() + 2), Region::Str);
        assert_eq!(r.at(src.find("# md5").unwrap() + 2), Region::Comment);
        assert_eq!(r.at(src.find("md5\"\"\"").unwrap()), Region::Str);
        assert_eq!(r.at(src.find("md5(x)").unwrap()), Region::Code);
    }

    #[test]
    fn c_like_comments_urls_and_escapes() {
        let src = "let u = \"http://x\\\"y\"; /* block\n md5 */ call(); // line\nnext";
        let r = Regions::new(src, "javascript");
        assert_eq!(r.at(src.find("x\\").unwrap()), Region::Str);
        assert_eq!(r.at(src.find("y\"").unwrap()), Region::Str);
        assert_eq!(r.at(src.find("md5").unwrap()), Region::Comment);
        assert_eq!(r.at(src.find("call").unwrap()), Region::Code);
        assert_eq!(r.at(src.find("line").unwrap()), Region::Comment);
        assert_eq!(r.at(src.find("next").unwrap()), Region::Code);
        let url = "fetch(x) // see http://a";
        assert!(Regions::new(url, "javascript").in_comment(url.find("http").unwrap()));
    }

    #[test]
    fn unterminated_string_stops_at_line_end() {
        let src = "a = \"open\nb = 1";
        let r = Regions::new(src, "java");
        assert_eq!(r.at(src.find("b =").unwrap()), Region::Code);
        assert_eq!(r.string_at(src.find("open").unwrap()), Some((4, 9)));
    }

    #[test]
    fn unknown_language_is_all_code() {
        assert_eq!(Regions::new("# x 'y'", "").at(0), Region::Code);
    }
}
