//! A tolerant lexer for the curly-brace languages of the semantic engine
//! beyond the JVM: JavaScript/TypeScript (template literals with `${}`
//! interpolation, regular-expression literals), Go (raw strings, runes)
//! and C# (verbatim `@"…"`, interpolated `$"…{x}…"`, raw `"""…"""`
//! strings, characters).
//!
//! Produces the same [`Lexed`] tokens as the JVM/Python lexer. Never
//! fails: an unterminated literal or comment runs to the end of the text,
//! an unknown byte becomes a one-byte operator. Linear in the input
//! (nested template interpolations are scanned once, bounded depth).

use super::lex::{K, Lang, Lexed, Lit, Tok};

const OPS3: &[&str] = &[
    ">>>", "===", "!==", "...", "**=", "<<=", ">>=", "&&=", "||=", "??=", "&^=",
];
const OPS2: &[&str] = &[
    "==", "!=", "<=", ">=", "&&", "||", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=",
    "=>", "?.", "??", "**", "<<", ":=", "<-", "&^", "::",
];

fn is_id_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c == b'$' || c >= 0x80
}

fn is_id(c: u8) -> bool {
    is_id_start(c) || c.is_ascii_digit()
}

/// Words after which a `/` starts a regular expression, not a division.
const REGEX_AFTER_WORDS: &[&str] = &[
    "return",
    "typeof",
    "case",
    "do",
    "else",
    "in",
    "of",
    "new",
    "delete",
    "void",
    "throw",
    "instanceof",
    "yield",
    "await",
];

pub fn lex(text: &str, lang: Lang) -> Lexed {
    let mut lx = Lexer {
        text,
        b: text.as_bytes(),
        lang,
        toks: Vec::with_capacity(text.len() / 4),
        lits: Vec::new(),
        line_start: true,
    };
    lx.run(0, text.len());
    Lexed {
        toks: lx.toks,
        lits: lx.lits,
    }
}

struct Lexer<'a> {
    text: &'a str,
    b: &'a [u8],
    lang: Lang,
    toks: Vec<Tok>,
    lits: Vec<Lit>,
    line_start: bool,
}

impl Lexer<'_> {
    fn push(&mut self, k: K, s: usize, e: usize, lit: usize) {
        let nl = std::mem::replace(&mut self.line_start, false);
        self.toks.push(Tok {
            k,
            s: s as u32,
            e: e as u32,
            nl,
            indent: 0,
            lit: lit as u32,
        });
    }

    fn push_lit(&mut self, lit: Lit, s: usize, e: usize) {
        self.lits.push(lit);
        let i = self.lits.len() - 1;
        self.push(K::Str, s, e, i);
    }

    /// Whether a `/` here starts a regular expression (JS).
    fn regex_allowed(&self) -> bool {
        let Some(t) = self.toks.last() else {
            return true;
        };
        let s = &self.text[t.s as usize..t.e as usize];
        match t.k {
            K::Num | K::Str => false,
            K::Ident => REGEX_AFTER_WORDS.contains(&s),
            _ => !matches!(s, ")" | "]" | "}" | "++" | "--"),
        }
    }

    fn run(&mut self, from: usize, to: usize) {
        let b = self.b;
        let mut i = from;
        while i < to {
            let c = b[i];
            if c == b'\n' {
                self.line_start = true;
                i += 1;
                continue;
            }
            if c.is_ascii_whitespace() {
                i += 1;
                continue;
            }
            if c == b'/' && b.get(i + 1) == Some(&b'/') {
                while i < to && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            if c == b'/' && b.get(i + 1) == Some(&b'*') {
                i += 2;
                while i + 1 < to && !(b[i] == b'*' && b[i + 1] == b'/') {
                    i += 1;
                }
                i = (i + 2).min(to);
                continue;
            }
            let start = i;
            match (self.lang, c) {
                (Lang::Js, b'`') => {
                    let (lit, end) = self.template(i, to);
                    self.push_lit(lit, start, end);
                    i = end;
                    continue;
                }
                (Lang::Js, b'\'' | b'"') | (Lang::Go | Lang::CSharp, b'"') => {
                    if self.lang == Lang::CSharp && b[i..to].starts_with(b"\"\"\"") {
                        let (lit, end) = self.cs_raw(i, to, false);
                        self.push_lit(lit, start, end);
                        i = end;
                        continue;
                    }
                    let (lit, end) = self.quoted(i, to, c);
                    self.push_lit(lit, start, end);
                    i = end;
                    continue;
                }
                (Lang::Go, b'`') => {
                    let mut j = i + 1;
                    while j < to && b[j] != b'`' {
                        j += 1;
                    }
                    let lit = Lit {
                        value: self.text[i + 1..j.min(to)].to_string(),
                        ..Lit::default()
                    };
                    let end = (j + 1).min(to);
                    self.push_lit(lit, start, end);
                    i = end;
                    continue;
                }
                (Lang::Go | Lang::CSharp, b'\'') => {
                    let mut j = i + 1;
                    while j < to && b[j] != b'\'' && b[j] != b'\n' && j - i < 12 {
                        if b[j] == b'\\' {
                            j += 1;
                        }
                        j += 1;
                    }
                    let end = (j + 1).min(to);
                    self.push(K::Num, start, end, 0);
                    i = end;
                    continue;
                }
                (Lang::CSharp, b'$' | b'@') if matches!(b.get(i + 1), Some(b'"' | b'$' | b'@')) => {
                    // `$"…"`, `@"…"`, `$@"…"`, `@$"…"`, `$"""…"""`.
                    let mut j = i;
                    let (mut interp, mut verbatim) = (false, false);
                    while j < to && matches!(b[j], b'$' | b'@') && j - i < 6 {
                        interp |= b[j] == b'$';
                        verbatim |= b[j] == b'@';
                        j += 1;
                    }
                    if j < to && b[j] == b'"' {
                        let (lit, end) = if b[j..to].starts_with(b"\"\"\"") {
                            self.cs_raw(j, to, interp)
                        } else {
                            self.cs_string(j, to, interp, verbatim)
                        };
                        self.push_lit(lit, start, end);
                        i = end;
                        continue;
                    }
                }
                (Lang::Js, b'/') if self.regex_allowed() => {
                    let end = self.regex(i, to);
                    self.push(K::Num, start, end, 0);
                    i = end;
                    continue;
                }
                _ => {}
            }
            if is_id_start(c)
                || (c == b'#' && self.lang == Lang::Js && b.get(i + 1).is_some_and(|&d| is_id(d)))
                || (c == b'@'
                    && self.lang == Lang::CSharp
                    && b.get(i + 1).is_some_and(|&d| is_id_start(d)))
            {
                let mut j = i + 1;
                while j < to && is_id(b[j]) {
                    j += 1;
                }
                while j < to && !self.text.is_char_boundary(j) {
                    j += 1;
                }
                // C# `@class` is the identifier `class`.
                let s = if c == b'@' { i + 1 } else { i };
                self.push(K::Ident, s, j, 0);
                i = j;
                continue;
            }
            if c.is_ascii_digit() || (c == b'.' && b.get(i + 1).is_some_and(|d| d.is_ascii_digit()))
            {
                let mut j = i + 1;
                while j < to
                    && (b[j].is_ascii_alphanumeric()
                        || b[j] == b'_'
                        || (b[j] == b'.' && b.get(j + 1).is_some_and(|d| d.is_ascii_digit())))
                {
                    j += 1;
                }
                self.push(K::Num, start, j, 0);
                i = j;
                continue;
            }
            let rest = &b[i..to];
            let len = if OPS3.iter().any(|o| rest.starts_with(o.as_bytes())) {
                3
            } else if OPS2.iter().any(|o| rest.starts_with(o.as_bytes())) {
                // `a ?.5 : b` is a ternary, not optional chaining.
                if rest.starts_with(b"?.") && rest.get(2).is_some_and(|d| d.is_ascii_digit()) {
                    1
                } else {
                    2
                }
            } else {
                let mut j = i + 1;
                while j < to && !self.text.is_char_boundary(j) {
                    j += 1;
                }
                j - i
            };
            self.push(K::Op, start, i + len, 0);
            i += len;
        }
    }

    /// `'…'` / `"…"` with backslash escapes (one line).
    fn quoted(&self, q: usize, to: usize, quote: u8) -> (Lit, usize) {
        let b = self.b;
        let mut lit = Lit::default();
        let mut i = q + 1;
        let mut seg = i;
        while i < to {
            let c = b[i];
            if c == b'\\' && i + 1 < to {
                lit.value.push_str(&self.text[seg..i]);
                let next = self.text[i + 1..].chars().next().unwrap_or(' ');
                escape(&mut lit.value, next);
                i += 1 + next.len_utf8();
                seg = i;
                continue;
            }
            if c == quote || c == b'\n' {
                lit.value.push_str(&self.text[seg..i]);
                return (lit, if c == quote { i + 1 } else { i });
            }
            i += 1;
        }
        lit.value.push_str(&self.text[seg.min(to)..to]);
        (lit, to)
    }

    /// A JS template literal from the backtick at `q`.
    fn template(&self, q: usize, to: usize) -> (Lit, usize) {
        let b = self.b;
        let mut lit = Lit::default();
        let mut i = q + 1;
        let mut seg = i;
        while i < to {
            let c = b[i];
            if c == b'\\' && i + 1 < to {
                lit.value.push_str(&self.text[seg..i]);
                let next = self.text[i + 1..].chars().next().unwrap_or(' ');
                escape(&mut lit.value, next);
                i += 1 + next.len_utf8();
                seg = i;
                continue;
            }
            if c == b'`' {
                lit.value.push_str(&self.text[seg..i]);
                return (lit, i + 1);
            }
            if c == b'$' && b.get(i + 1) == Some(&b'{') {
                lit.value.push_str(&self.text[seg..i]);
                let end = skip_braced(b, i + 2, to);
                lit.interps.push((i + 2, end));
                i = (end + 1).min(to);
                seg = i;
                continue;
            }
            i += 1;
        }
        lit.value.push_str(&self.text[seg.min(to)..to]);
        (lit, to)
    }

    /// A C# regular, verbatim and/or interpolated string from the quote.
    fn cs_string(&self, q: usize, to: usize, interp: bool, verbatim: bool) -> (Lit, usize) {
        let b = self.b;
        let mut lit = Lit::default();
        let mut i = q + 1;
        let mut seg = i;
        while i < to {
            let c = b[i];
            if c == b'\\' && !verbatim && i + 1 < to {
                lit.value.push_str(&self.text[seg..i]);
                let next = self.text[i + 1..].chars().next().unwrap_or(' ');
                escape(&mut lit.value, next);
                i += 1 + next.len_utf8();
                seg = i;
                continue;
            }
            if c == b'"' {
                if verbatim && b.get(i + 1) == Some(&b'"') {
                    lit.value.push_str(&self.text[seg..=i]);
                    i += 2;
                    seg = i;
                    continue;
                }
                lit.value.push_str(&self.text[seg..i]);
                return (lit, i + 1);
            }
            if c == b'\n' && !verbatim {
                lit.value.push_str(&self.text[seg..i]);
                return (lit, i);
            }
            if interp && c == b'{' {
                if b.get(i + 1) == Some(&b'{') {
                    lit.value.push_str(&self.text[seg..=i]);
                    i += 2;
                    seg = i;
                    continue;
                }
                lit.value.push_str(&self.text[seg..i]);
                let (expr_end, close) = cs_hole(b, i + 1, to);
                lit.interps.push((i + 1, expr_end));
                i = (close + 1).min(to);
                seg = i;
                continue;
            }
            if interp && c == b'}' && b.get(i + 1) == Some(&b'}') {
                lit.value.push_str(&self.text[seg..=i]);
                i += 2;
                seg = i;
                continue;
            }
            i += 1;
        }
        lit.value.push_str(&self.text[seg.min(to)..to]);
        (lit, to)
    }

    /// A C# 11 raw string `"""…"""` (interpolated with `$`).
    fn cs_raw(&self, q: usize, to: usize, interp: bool) -> (Lit, usize) {
        let b = self.b;
        let mut n = 0;
        while q + n < to && b[q + n] == b'"' {
            n += 1;
        }
        let mut lit = Lit::default();
        let mut i = q + n;
        let mut seg = i;
        while i < to {
            if b[i] == b'"' && b[i..to].len() >= n && b[i..i + n].iter().all(|&x| x == b'"') {
                lit.value.push_str(&self.text[seg..i]);
                return (lit, i + n);
            }
            if interp && b[i] == b'{' && b.get(i + 1) != Some(&b'{') {
                lit.value.push_str(&self.text[seg..i]);
                let (expr_end, close) = cs_hole(b, i + 1, to);
                lit.interps.push((i + 1, expr_end));
                i = (close + 1).min(to);
                seg = i;
                continue;
            }
            i += 1;
        }
        lit.value.push_str(&self.text[seg.min(to)..to]);
        (lit, to)
    }

    /// A JS regular expression literal from its `/`; returns its end.
    fn regex(&self, q: usize, to: usize) -> usize {
        let b = self.b;
        let mut i = q + 1;
        let mut class = false;
        while i < to {
            match b[i] {
                b'\\' => i += 1,
                b'[' => class = true,
                b']' => class = false,
                b'/' if !class => {
                    i += 1;
                    while i < to && b[i].is_ascii_alphabetic() {
                        i += 1;
                    }
                    return i;
                }
                b'\n' => return i,
                _ => {}
            }
            i += 1;
        }
        to
    }
}

/// The end of a `${…}` hole starting after the `{`: the index of the
/// matching `}` (strings and nested templates inside are skipped).
fn skip_braced(b: &[u8], from: usize, to: usize) -> usize {
    let mut d = 0i32;
    let mut i = from;
    // Nested template depth bounds the work (each byte visited once).
    while i < to {
        match b[i] {
            b'{' => d += 1,
            b'}' if d == 0 => return i,
            b'}' => d -= 1,
            q @ (b'\'' | b'"' | b'`') => {
                i += 1;
                while i < to && b[i] != q {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    to
}

/// A C# interpolation hole from after `{`: (end of the expression before
/// any `,alignment`/`:format`, index of the closing `}`).
fn cs_hole(b: &[u8], from: usize, to: usize) -> (usize, usize) {
    let mut d = 0i32;
    let mut expr_end = None;
    let mut i = from;
    while i < to {
        match b[i] {
            b'(' | b'[' | b'{' => d += 1,
            b')' | b']' => d -= 1,
            b'}' if d == 0 => return (expr_end.unwrap_or(i), i),
            b'}' => d -= 1,
            b':' | b',' if d == 0 && expr_end.is_none() => expr_end = Some(i),
            b'?' if d == 0 => {
                // A conditional's `:` is not a format separator.
                while i + 1 < to && b[i + 1] != b':' && b[i + 1] != b'}' {
                    i += 1;
                }
                i += 1;
            }
            b'"' => {
                i += 1;
                while i < to && b[i] != b'"' && b[i] != b'\n' {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'\n' => return (expr_end.unwrap_or(i), i),
            _ => {}
        }
        i += 1;
    }
    (expr_end.unwrap_or(to), to)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn strs(t: &str, l: Lang) -> Vec<(String, Vec<String>)> {
        let x = lex(t, l);
        x.toks
            .iter()
            .filter(|k| k.k == K::Str)
            .map(|k| {
                let lit = &x.lits[k.lit as usize];
                (
                    lit.value.clone(),
                    lit.interps
                        .iter()
                        .map(|&(a, b)| t[a..b].to_string())
                        .collect(),
                )
            })
            .collect()
    }

    #[test]
    fn js_templates_regexes_and_strings() {
        let s = strs(
            "const q = `SELECT * FROM t WHERE id = ${req.query.id} AND n = ${f(`x${y}`)}`;",
            Lang::Js,
        );
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].0, "SELECT * FROM t WHERE id =  AND n = ");
        assert_eq!(s[0].1, vec!["req.query.id", "f(`x${y}`)"]);
        // A regex literal is one token; a division is an operator.
        let t = "a = b / c; r = /ab[/]c\\/d/gi.test(s); s = 'it\\'s'";
        let x = lex(t, Lang::Js);
        let regexes = x
            .toks
            .iter()
            .filter(|k| k.k == K::Num && t[k.s as usize..].starts_with('/'))
            .count();
        assert_eq!(regexes, 1);
        assert_eq!(x.lits.last().map(|l| l.value.as_str()), Some("it's"));
    }

    #[test]
    fn go_raw_strings_and_runes() {
        let s = strs("q := `SELECT \\n ${x}`\nc := 'x'\nd := \"a\\tb\"", Lang::Go);
        assert_eq!(s[0].0, "SELECT \\n ${x}");
        assert!(s[0].1.is_empty());
        assert_eq!(s[1].0, "a\tb");
        assert_eq!(s.len(), 2);
    }

    #[test]
    fn csharp_verbatim_interpolated_and_raw() {
        let s = strs(
            "var a = @\"C:\\dir \"\"q\"\"\"; var b = $\"id = {id:D4} and {{x}} {(c ? 1 : 2)}\"; var r = $\"\"\"\n select {x}\n \"\"\"; char c = '\\'';",
            Lang::CSharp,
        );
        assert_eq!(s[0].0, "C:\\dir \"q\"");
        assert_eq!(s[1].0, "id =  and {x} ");
        assert_eq!(s[1].1, vec!["id", "(c ? 1 : 2)"]);
        assert_eq!(s[2].1, vec!["x"]);
        assert_eq!(s.len(), 3);
    }

    #[test]
    fn garbage_never_panics() {
        for t in [
            "`unterminated ${",
            "${`${`${",
            "@\"",
            "$\"{",
            "$\"\"\"",
            "/[",
            "'",
            "\u{e9}\u{1F600}x = `\u{e9}${\u{e9}}`",
            "/* x",
            "@",
            "#",
        ] {
            for l in [Lang::Js, Lang::Go, Lang::CSharp] {
                let _ = lex(t, l);
            }
        }
    }
}
