//! A tolerant lexer for Java, Kotlin and Python.
//!
//! Never fails: an unterminated string or comment runs to the end of the
//! text, an unknown byte becomes a one-byte operator. Linear in the input.
//! Python gets `Newline` tokens at logical line ends (outside brackets) and
//! each token records whether it starts a line and that line's indentation,
//! which is all the parser needs for blocks.

/// Token kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum K {
    Ident,
    Num,
    /// A string literal; `Tok::lit` indexes [`Lexed::lits`].
    Str,
    Op,
    /// End of a Python logical line.
    Newline,
}

#[derive(Debug, Clone, Copy)]
pub struct Tok {
    pub k: K,
    pub s: u32,
    pub e: u32,
    /// First token on its (physical, outside brackets) line.
    pub nl: bool,
    /// Indentation (columns) of the line this token starts, when `nl`.
    pub indent: u32,
    /// Index into [`Lexed::lits`] for `Str` tokens.
    pub lit: u32,
}

/// A decoded string literal.
#[derive(Debug, Clone, Default)]
pub struct Lit {
    /// The text between the quotes with simple escapes decoded; the
    /// interpolated parts are left out.
    pub value: String,
    /// Interpolated expressions (f-strings, Kotlin templates) as source
    /// ranges, in order.
    pub interps: Vec<(usize, usize)>,
}

pub struct Lexed {
    pub toks: Vec<Tok>,
    pub lits: Vec<Lit>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Lang {
    Java,
    Kotlin,
    Python,
    /// JavaScript and TypeScript (JSX/TSX included); lexed by the
    /// C-family lexer in `clex`.
    Js,
    /// Go; lexed by the C-family lexer in `clex`.
    Go,
    /// C#; lexed by the C-family lexer in `clex`.
    CSharp,
}

/// Three-byte operators (matched by [`is_op3`]).
#[cfg_attr(not(test), allow(dead_code))]
const OPS3: &[&str] = &[
    ">>>", "**=", "//=", ">>=", "<<=", "...", "!==", "===", "?.(", "!in", "!is",
];
/// Two-byte operators (matched by [`is_op2`]).
#[cfg_attr(not(test), allow(dead_code))]
const OPS2: &[&str] = &[
    "==", "!=", "<=", ">=", "&&", "||", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=",
    "->", "::", "?.", "?:", "!!", "**", "//", ":=", "<<", "=>",
];

/// Whether `t` (three bytes) is one of [`OPS3`].
fn is_op3(t: &[u8]) -> bool {
    matches!(
        (t[0], t[1], t[2]),
        (b'>', b'>', b'>' | b'=')
            | (b'*', b'*', b'=')
            | (b'/', b'/', b'=')
            | (b'<', b'<', b'=')
            | (b'.', b'.', b'.')
            | (b'!' | b'=', b'=', b'=')
            | (b'?', b'.', b'(')
            | (b'!', b'i', b'n' | b's')
    )
}

/// Whether `a b` is one of [`OPS2`].
fn is_op2(a: u8, b: u8) -> bool {
    matches!(
        (a, b),
        (
            b'=' | b'!'
                | b'<'
                | b'>'
                | b'+'
                | b'-'
                | b'*'
                | b'/'
                | b'%'
                | b'&'
                | b'|'
                | b'^'
                | b':',
            b'='
        ) | (b'&', b'&')
            | (b'|', b'|')
            | (b'+', b'+')
            | (b'-', b'-' | b'>')
            | (b':', b':')
            | (b'?', b'.' | b':')
            | (b'!', b'!')
            | (b'*', b'*')
            | (b'/', b'/')
            | (b'<', b'<')
            | (b'=', b'>')
    )
}

/// Identifier bytes: 1 may start one, 2 may continue one.
static ID: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        if b.is_ascii_alphabetic() || b == b'_' || b == b'$' || b >= 0x80 {
            t[c] = 3;
        } else if b.is_ascii_digit() {
            t[c] = 2;
        }
        c += 1;
    }
    t
};

#[inline]
fn is_id_start(c: u8) -> bool {
    ID[c as usize] & 1 != 0
}

#[inline]
fn is_id(c: u8) -> bool {
    ID[c as usize] & 2 != 0
}

pub fn lex(text: &str, lang: Lang) -> Lexed {
    let b = text.as_bytes();
    let n = b.len();
    let mut toks: Vec<Tok> = Vec::with_capacity(n / 4);
    let mut lits: Vec<Lit> = Vec::new();
    let mut i = 0usize;
    let mut depth = 0i32;
    let mut line_start = true;
    let mut indent = 0u32;
    let py = lang == Lang::Python;
    // Column counting at line starts.
    let mut col = 0u32;
    let mut counting = true;
    while i < n {
        let c = b[i];
        if c == b'\n' {
            if py && depth <= 0 && !line_start && toks.last().is_some_and(|t| t.k != K::Newline) {
                toks.push(Tok {
                    k: K::Newline,
                    s: i as u32,
                    e: i as u32,
                    nl: false,
                    indent,
                    lit: 0,
                });
            }
            if depth <= 0 || !py {
                line_start = true;
            }
            counting = true;
            col = 0;
            i += 1;
            continue;
        }
        if c == b' ' || c == b'\t' || c == b'\r' || c == 0x0c {
            if counting {
                col += if c == b'\t' { 8 - col % 8 } else { 1 };
            }
            i += 1;
            continue;
        }
        if counting {
            counting = false;
            if line_start {
                indent = col;
            }
        }
        // Line continuation.
        if c == b'\\' && py && b.get(i + 1) == Some(&b'\n') {
            i += 2;
            counting = false;
            continue;
        }
        // Comments.
        if (py && c == b'#') || (!py && c == b'/' && b.get(i + 1) == Some(&b'/')) {
            i = text[i..].find('\n').map_or(n, |k| i + k);
            continue;
        }
        if !py && c == b'/' && b.get(i + 1) == Some(&b'*') {
            i += 2;
            i = text
                .get(i..)
                .and_then(|t| t.find("*/"))
                .map_or(n, |k| i + k + 2);
            continue;
        }
        let nl = line_start;
        line_start = false;
        let start = i;
        // String literal (with a Python prefix).
        if py && is_id_start(c) {
            let mut j = i;
            while j < n && j - i < 3 && b[j].is_ascii_alphabetic() {
                j += 1;
            }
            if j < n && (b[j] == b'"' || b[j] == b'\'') {
                let prefix = text[i..j].to_ascii_lowercase();
                if prefix
                    .bytes()
                    .all(|p| matches!(p, b'r' | b'b' | b'f' | b'u'))
                {
                    let (lit, end) = py_string(text, j, &prefix);
                    lits.push(lit);
                    toks.push(tok(K::Str, start, end, nl, indent, lits.len() - 1));
                    i = end;
                    continue;
                }
            }
        }
        if py && (c == b'"' || c == b'\'') {
            let (lit, end) = py_string(text, i, "");
            lits.push(lit);
            toks.push(tok(K::Str, start, end, nl, indent, lits.len() - 1));
            i = end;
            continue;
        }
        if !py && c == b'"' {
            let (lit, end) = jvm_string(text, i, lang == Lang::Kotlin);
            lits.push(lit);
            toks.push(tok(K::Str, start, end, nl, indent, lits.len() - 1));
            i = end;
            continue;
        }
        if !py && c == b'\'' {
            // Character literal.
            let mut j = i + 1;
            while j < n && b[j] != b'\'' && b[j] != b'\n' && j - i < 12 {
                if b[j] == b'\\' {
                    j += 1;
                }
                j += 1;
            }
            let end = (j + 1).min(n);
            toks.push(tok(K::Num, start, end, nl, indent, 0));
            i = end;
            continue;
        }
        if is_id_start(c) {
            let mut j = i + 1;
            while j < n && is_id(b[j]) {
                j += 1;
            }
            // Keep whole UTF-8 characters.
            while j < n && !text.is_char_boundary(j) {
                j += 1;
            }
            toks.push(tok(K::Ident, start, j, nl, indent, 0));
            i = j;
            continue;
        }
        if c.is_ascii_digit() || (c == b'.' && b.get(i + 1).is_some_and(|d| d.is_ascii_digit())) {
            let mut j = i + 1;
            while j < n
                && (b[j].is_ascii_alphanumeric()
                    || b[j] == b'_'
                    || (b[j] == b'.' && b.get(j + 1).is_some_and(|d| d.is_ascii_digit())))
            {
                j += 1;
            }
            toks.push(tok(K::Num, start, j, nl, indent, 0));
            i = j;
            continue;
        }
        // Operators.
        let rest = &b[i..];
        let len = if rest.len() >= 3 && is_op3(&rest[..3]) {
            3
        } else if rest.len() >= 2 && is_op2(rest[0], rest[1]) {
            2
        } else {
            // One character (a whole UTF-8 character for non-ASCII).
            let mut j = i + 1;
            while j < n && !text.is_char_boundary(j) {
                j += 1;
            }
            j - i
        };
        let len = if len == 3 && rest.starts_with(b"?.(") {
            2
        } else {
            len
        };
        match c {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth = (depth - 1).max(0),
            _ => {}
        }
        toks.push(tok(K::Op, start, i + len, nl, indent, 0));
        i += len;
    }
    if py && toks.last().is_some_and(|t| t.k != K::Newline) {
        toks.push(tok(K::Newline, n, n, false, indent, 0));
    }
    Lexed { toks, lits }
}

fn tok(k: K, s: usize, e: usize, nl: bool, indent: u32, lit: usize) -> Tok {
    Tok {
        k,
        s: s as u32,
        e: e as u32,
        nl,
        indent,
        lit: lit as u32,
    }
}

fn escape(out: &mut String, c: char) {
    out.push(match c {
        'n' => '\n',
        't' => '\t',
        'r' => '\r',
        '0' => '\0',
        other => other,
    });
}

/// A Python string starting at the quote `q`; returns the literal and the
/// end offset.
fn py_string(text: &str, q: usize, prefix: &str) -> (Lit, usize) {
    let b = text.as_bytes();
    let quote = b[q];
    let triple = b.get(q + 1) == Some(&quote) && b.get(q + 2) == Some(&quote);
    let raw = prefix.contains('r');
    let f = prefix.contains('f');
    let mut lit = Lit::default();
    let mut i = q + if triple { 3 } else { 1 };
    let n = b.len();
    let mut seg = i;
    while i < n {
        let c = b[i];
        if c == b'\\' && i + 1 < n {
            lit.value.push_str(&text[seg..i]);
            let next = text[i + 1..].chars().next().unwrap_or(' ');
            if raw {
                lit.value.push('\\');
                lit.value.push(next);
            } else {
                escape(&mut lit.value, next);
            }
            i += 1 + next.len_utf8();
            seg = i;
            continue;
        }
        if c == quote {
            if !triple {
                lit.value.push_str(&text[seg..i]);
                return (lit, i + 1);
            }
            if b.get(i + 1) == Some(&quote) && b.get(i + 2) == Some(&quote) {
                lit.value.push_str(&text[seg..i]);
                return (lit, i + 3);
            }
        }
        if c == b'\n' && !triple {
            lit.value.push_str(&text[seg..i]);
            return (lit, i);
        }
        if f && c == b'{' {
            if b.get(i + 1) == Some(&b'{') {
                lit.value.push_str(&text[seg..=i]);
                i += 2;
                seg = i;
                continue;
            }
            lit.value.push_str(&text[seg..i]);
            // The expression ends at the matching `}` (or `!`/`:` format
            // spec at depth 0).
            let mut d = 0i32;
            let mut j = i + 1;
            let mut expr_end = None;
            while j < n && b[j] != quote && b[j] != b'\n' {
                match b[j] {
                    b'(' | b'[' | b'{' => d += 1,
                    b')' | b']' => d -= 1,
                    b'}' if d == 0 => break,
                    b'}' => d -= 1,
                    b'!' | b':' if d == 0 && expr_end.is_none() && b.get(j + 1) != Some(&b'=') => {
                        expr_end = Some(j)
                    }
                    _ => {}
                }
                j += 1;
            }
            lit.interps.push((i + 1, expr_end.unwrap_or(j)));
            i = if j < n && b[j] == b'}' { j + 1 } else { j };
            seg = i;
            continue;
        }
        i += 1;
    }
    lit.value.push_str(&text[seg.min(n)..n]);
    (lit, n)
}

/// A Java/Kotlin string (or text block) starting at `q`.
fn jvm_string(text: &str, q: usize, kotlin: bool) -> (Lit, usize) {
    let b = text.as_bytes();
    let n = b.len();
    let triple = b.get(q + 1) == Some(&b'"') && b.get(q + 2) == Some(&b'"');
    let mut lit = Lit::default();
    let mut i = q + if triple { 3 } else { 1 };
    let mut seg = i;
    while i < n {
        let c = b[i];
        if c == b'\\' && i + 1 < n && !(kotlin && triple) {
            lit.value.push_str(&text[seg..i]);
            let next = text[i + 1..].chars().next().unwrap_or(' ');
            escape(&mut lit.value, next);
            i += 1 + next.len_utf8();
            seg = i;
            continue;
        }
        if c == b'"' {
            if !triple {
                lit.value.push_str(&text[seg..i]);
                return (lit, i + 1);
            }
            if b.get(i + 1) == Some(&b'"') && b.get(i + 2) == Some(&b'"') {
                lit.value.push_str(&text[seg..i]);
                return (lit, i + 3);
            }
        }
        if c == b'\n' && !triple {
            lit.value.push_str(&text[seg..i]);
            return (lit, i);
        }
        if kotlin && c == b'$' {
            if b.get(i + 1) == Some(&b'{') {
                lit.value.push_str(&text[seg..i]);
                let mut d = 0i32;
                let mut j = i + 2;
                while j < n && b[j] != b'\n' {
                    match b[j] {
                        b'{' => d += 1,
                        b'}' if d == 0 => break,
                        b'}' => d -= 1,
                        _ => {}
                    }
                    j += 1;
                }
                lit.interps.push((i + 2, j));
                i = (j + 1).min(n);
                seg = i;
                continue;
            }
            if b.get(i + 1)
                .is_some_and(|&x| x.is_ascii_alphabetic() || x == b'_')
            {
                lit.value.push_str(&text[seg..i]);
                let mut j = i + 1;
                while j < n && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
                    j += 1;
                }
                lit.interps.push((i + 1, j));
                i = j;
                seg = i;
                continue;
            }
        }
        i += 1;
    }
    lit.value.push_str(&text[seg.min(n)..n]);
    (lit, n)
}

#[cfg(test)]
mod tests {
    #[test]
    fn operator_matchers_agree_with_the_tables() {
        let alphabet: Vec<u8> = (0x21u8..0x7f).collect();
        for &a in &alphabet {
            for &b in &alphabet {
                let two = [a, b];
                assert_eq!(
                    super::is_op2(a, b),
                    super::OPS2.iter().any(|o| o.as_bytes() == two),
                    "{}",
                    String::from_utf8_lossy(&two)
                );
                for &c in &alphabet {
                    let three = [a, b, c];
                    assert_eq!(
                        super::is_op3(&three),
                        super::OPS3.iter().any(|o| o.as_bytes() == three),
                        "{}",
                        String::from_utf8_lossy(&three)
                    );
                }
            }
        }
    }

    use super::*;

    fn kinds(t: &str, l: Lang) -> Vec<(K, String)> {
        let x = lex(t, l);
        x.toks
            .iter()
            .map(|k| (k.k, t[k.s as usize..k.e as usize].to_string()))
            .collect()
    }

    #[test]
    fn python_lines_strings_and_fstrings() {
        let t = "def f(a,\n      b):\n    q = f\"SELECT {a} x\" # c\n    return q\n";
        let x = lex(t, Lang::Python);
        let nls = x.toks.iter().filter(|k| k.k == K::Newline).count();
        assert_eq!(nls, 3);
        let s = x.toks.iter().find(|k| k.k == K::Str).unwrap();
        let lit = &x.lits[s.lit as usize];
        assert_eq!(lit.value, "SELECT  x");
        assert_eq!(lit.interps.len(), 1);
        let (a, b) = lit.interps[0];
        assert_eq!(&t[a..b], "a");
        let ret = x
            .toks
            .iter()
            .find(|k| &t[k.s as usize..k.e as usize] == "return")
            .unwrap();
        assert!(ret.nl);
        assert_eq!(ret.indent, 4);
    }

    #[test]
    fn java_comments_text_blocks_and_kotlin_templates() {
        let k = kinds("a /* x */ + \"b\\\"c\" // y\n'c'", Lang::Java);
        assert_eq!(k.len(), 4);
        let x = lex("val s = \"id=$id and ${u.name}\"", Lang::Kotlin);
        let s = x.toks.iter().find(|k| k.k == K::Str).unwrap();
        assert_eq!(x.lits[s.lit as usize].interps.len(), 2);
        let tb = lex("String s = \"\"\"\n select 1\n\"\"\";", Lang::Java);
        assert!(tb.lits[0].value.contains("select 1"));
    }

    #[test]
    fn garbage_never_panics() {
        for t in [
            "\"unterminated",
            "f'{",
            "'''",
            "/*",
            "\u{e9}\u{1F600}x = '\u{e9}",
            "\\",
            "$\"${",
            "f\"{a!r:>{w}}\"",
        ] {
            for l in [Lang::Java, Lang::Kotlin, Lang::Python] {
                let _ = lex(t, l);
            }
        }
    }
}
