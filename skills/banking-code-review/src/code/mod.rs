//! Insecure-code rules for Python, Java/Kotlin, JavaScript/TypeScript, Go
//! and C# (plus a few configuration-file checks).
//!
//! Works on tokens, not raw lines: comments are blanked out before matching
//! (offsets are preserved), a match must start in code (not inside a string
//! literal), call arguments are split by a bracket- and string-aware scanner,
//! and a variable passed to a sink is followed back to its assignments in
//! the same function ([`Src::assignments`]). Each rule's regexes are
//! compiled on first use and only run when the rule's literal needle occurs
//! in the file, so a file pays only for the rules it can trigger.

mod flow;
mod patterns;
pub mod semantic;
mod sensitive;

use crate::Hit;
use kiro_guard_skill::gate::{Gate, GateHits};
use kiro_guard_skill::tokens::{Region, Regions};
use regex::Regex;
use std::cell::OnceCell;
use std::sync::LazyLock;

/// Every full-text regex of the code rules behind one literal automaton
/// (`kiro_guard_skill::gate`): one pass over a file finds where each could
/// match, and each runs only on the lines around those places.
static GATE: LazyLock<Gate> = LazyLock::new(|| Gate::new(gated_regexes()));

/// The full-text regexes of the code rules, in [`GATE`]'s order (reached
/// through `internals::code` by the prefilter benchmark,
/// `examples/prefilter_bench.rs`).
pub fn gated_regexes() -> Vec<&'static Regex> {
    let mut all: Vec<&'static Regex> = Vec::new();
    all.extend(flow::gated());
    all.extend(sensitive::gated());
    all.extend(patterns::gated());
    all
}

/// A regex match as byte offsets of [`Src::code`].
#[derive(Debug, Clone, Copy)]
pub struct Found {
    start: usize,
    end: usize,
}

impl Found {
    pub fn start(&self) -> usize {
        self.start
    }

    pub fn end(&self) -> usize {
        self.end
    }
}

/// Language families (bit flags).
pub const PY: u8 = 1;
pub const JAVA: u8 = 2;
pub const JS: u8 = 4;
pub const GO: u8 = 8;
pub const CS: u8 = 16;
/// Configuration files: properties, YAML, .env, XML.
pub const CONF: u8 = 32;
pub const ALL_CODE: u8 = PY | JAVA | JS | GO | CS;

/// The family of a language name (0 when no code rule applies).
pub fn family(lang: &str) -> u8 {
    match lang {
        "python" => PY,
        "java" | "kotlin" | "scala" => JAVA,
        "javascript" | "typescript" => JS,
        "go" => GO,
        "csharp" => CS,
        "properties" | "yaml" | "dotenv" | "xml" => CONF,
        _ => 0,
    }
}

/// A source file prepared for matching.
pub struct Src<'a> {
    pub text: &'a str,
    /// `text` with comments replaced by spaces (same byte offsets).
    pub code: String,
    pub regions: &'a Regions,
    pub fam: u8,
    pub lang: &'a str,
    pub path: &'a str,
    /// Where the gate's literals occur in `code` (computed on first use).
    gate: OnceCell<GateHits>,
}

impl<'a> Src<'a> {
    pub fn new(text: &'a str, regions: &'a Regions, lang: &'a str, path: &'a str) -> Src<'a> {
        let mut bytes = text.as_bytes().to_vec();
        for &(s, e, r) in regions.spans() {
            if r == Region::Comment {
                for b in &mut bytes[s..e.min(text.len())] {
                    if *b != b'\n' {
                        *b = b' ';
                    }
                }
            }
        }
        // Only ASCII bytes were written over whole comment spans, so the
        // result is valid UTF-8 unless a span boundary splits a character,
        // which the lexer never does (delimiters are ASCII).
        let code = String::from_utf8(bytes).unwrap_or_else(|e| {
            String::from_utf8_lossy(e.as_bytes())
                .chars()
                .map(|c| if c == '\u{FFFD}' { ' ' } else { c })
                .collect()
        });
        Src {
            text,
            code,
            regions,
            fam: family(lang),
            lang,
            path,
            gate: OnceCell::new(),
        }
    }

    fn gate_hits(&self) -> &GateHits {
        self.gate.get_or_init(|| GATE.scan(&self.code))
    }

    /// The matches of `re` in [`Src::code`], found through the gate when
    /// `re` is one of its regexes.
    pub fn find_iter(&self, re: &Regex) -> Vec<Found> {
        let found: Vec<(usize, usize)> = match GATE.index_of(re) {
            Some(i) => self.gate_hits().find_iter(&GATE, i, re, &self.code),
            None => re
                .find_iter(&self.code)
                .map(|m| (m.start(), m.end()))
                .collect(),
        };
        found
            .into_iter()
            .map(|(start, end)| Found { start, end })
            .collect()
    }

    /// Whether `re` matches anywhere in [`Src::code`].
    pub fn is_match(&self, re: &Regex) -> bool {
        match GATE.index_of(re) {
            Some(i) => self.gate_hits().is_match(&GATE, i, re, &self.code),
            None => re.is_match(&self.code),
        }
    }

    pub fn b(&self) -> &[u8] {
        self.code.as_bytes()
    }

    /// The comment/string region containing `i`, if any.
    pub fn region(&self, i: usize) -> Option<(usize, usize, Region)> {
        let spans = self.regions.spans();
        let idx = spans.partition_point(|&(s, _, _)| s <= i);
        let (s, e, r) = *spans.get(idx.checked_sub(1)?)?;
        (i >= s && i < e).then_some((s, e, r))
    }

    pub fn in_code(&self, i: usize) -> bool {
        self.region(i).is_none()
    }

    /// Index of the bracket closing the one at `open` (or the text end).
    pub fn close(&self, open: usize) -> usize {
        let b = self.b();
        let mut depth = 0i32;
        let limit = (open + 20_000).min(b.len());
        let mut code = CodeBytes::new(self, open);
        while let Some(i) = code.next_below(limit) {
            match b[i] {
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        return i;
                    }
                }
                _ => {}
            }
        }
        limit
    }

    /// Top-level comma-separated argument ranges of the call whose `(` is at
    /// `open`, trimmed, and the index of the closing `)`.
    pub fn args(&self, open: usize) -> (Vec<(usize, usize)>, usize) {
        let close = self.close(open);
        let b = self.b();
        let mut out = Vec::new();
        let mut depth = 0i32;
        let mut start = open + 1;
        let mut code = CodeBytes::new(self, open + 1);
        while let Some(i) = code.next_below(close) {
            match b[i] {
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => depth -= 1,
                b',' if depth == 0 => {
                    out.push(self.trim(start, i));
                    start = i + 1;
                }
                _ => {}
            }
        }
        let last = self.trim(start, close.min(b.len()));
        if last.0 < last.1 {
            out.push(last);
        }
        (out, close)
    }

    pub fn trim(&self, mut s: usize, mut e: usize) -> (usize, usize) {
        let b = self.b();
        while s < e && b[s].is_ascii_whitespace() {
            s += 1;
        }
        while e > s && b[e - 1].is_ascii_whitespace() {
            e -= 1;
        }
        (s, e)
    }

    pub fn slice(&self, r: (usize, usize)) -> &str {
        &self.code[r.0..r.1]
    }

    /// End of the expression starting at `start` (an assignment's right-hand
    /// side): `;`, or a line end that does not continue the expression, at
    /// bracket depth 0.
    pub fn expr_end(&self, start: usize) -> usize {
        let b = self.b();
        let limit = (start + 4000).min(b.len());
        let mut depth = 0i32;
        let mut i = start;
        while i < limit {
            if let Some((_, e, _)) = self.region(i) {
                i = e;
                continue;
            }
            match b[i] {
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => {
                    if depth == 0 {
                        return i;
                    }
                    depth -= 1;
                }
                b';' if depth == 0 => return i,
                b'\n' if depth == 0 => {
                    let before = self.code[start..i].trim_end();
                    let cont_before =
                        before.ends_with(['+', '(', ',', '\\', '=', '%', '.', '|', '&']);
                    let next = self.code[i + 1..limit].trim_start();
                    let cont_after =
                        next.starts_with(['+', '.', '%', '?', ':']) && !next.starts_with("...");
                    if !(cont_before || cont_after) {
                        return i;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        limit
    }

    /// Start of the line containing `i`.
    pub fn line_start(&self, i: usize) -> usize {
        kiro_guard_skill::scan::line_start(self.b(), i)
    }

    /// End of the line containing `i` (index of `\n` or text end).
    pub fn line_end(&self, i: usize) -> usize {
        kiro_guard_skill::scan::line_end(self.b(), i)
    }

    /// Start of the enclosing function (the header line), looking back at
    /// most `max_lines` lines; the window start otherwise.
    pub fn function_start(&self, i: usize, max_lines: usize) -> usize {
        let mut ls = self.line_start(i);
        for _ in 0..max_lines {
            if ls == 0 {
                return 0;
            }
            ls = self.line_start(ls - 1);
            let line = self.code[ls..self.line_end(ls)].trim_start();
            if is_function_header(line) {
                return ls;
            }
        }
        ls
    }

    /// Name of the enclosing function, when its header is found.
    pub fn function_name(&self, i: usize) -> Option<&str> {
        let fs = self.function_start(i, 40);
        let line = self.code[fs..self.line_end(fs)].trim_start();
        if !is_function_header(line) {
            return None;
        }
        let paren = line.find('(')?;
        let before = line[..paren].trim_end();
        let name_start = before
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .map(|p| p + 1)
            .unwrap_or(0);
        let name = &before[name_start..];
        (!name.is_empty()).then_some(name)
    }

    /// Right-hand sides assigned to `var` between the enclosing function's
    /// start and `before` (`var = …`, `var += …`, `var := …`, declarations).
    pub fn assignments(&self, var: &str, before: usize) -> Vec<(usize, usize)> {
        let start = self.function_start(before, 80);
        let b = self.b();
        let hay = &self.code[start..before.min(self.code.len())];
        let mut out = Vec::new();
        let mut from = 0;
        while let Some(p) = hay[from..].find(var) {
            let s = start + from + p;
            let e = s + var.len();
            from += p + var.len();
            if s > 0 && (is_word(b[s - 1]) || b[s - 1] == b'.' || b[s - 1] == b'$') {
                continue;
            }
            if e < b.len() && is_word(b[e]) {
                continue;
            }
            if !self.in_code(s) {
                continue;
            }
            let mut j = e;
            // Skip a type annotation (`q: str =`, `val q: String =`).
            while j < b.len() && b[j] == b' ' {
                j += 1;
            }
            if j < b.len() && b[j] == b':' && b.get(j + 1) != Some(&b'=') {
                let mut k = j + 1;
                while k < b.len()
                    && (is_word(b[k])
                        || matches!(b[k], b' ' | b'<' | b'>' | b'[' | b']' | b'?' | b'.'))
                {
                    k += 1;
                }
                j = k;
            }
            let rest = &b[j..];
            let op_len = if rest.starts_with(b"+=") || rest.starts_with(b":=") {
                2
            } else if rest.starts_with(b"=") && !rest.starts_with(b"==") && !rest.starts_with(b"=>")
            {
                1
            } else {
                continue;
            };
            let rhs = j + op_len;
            let end = self.expr_end(rhs);
            out.push(self.trim(rhs, end));
        }
        out
    }

    /// The string-literal regions inside `r`.
    pub fn strings_in(&self, r: (usize, usize)) -> Vec<(usize, usize)> {
        let spans = self.regions.spans();
        let first = spans.partition_point(|&(_, e, _)| e <= r.0);
        spans[first..]
            .iter()
            .take_while(|&&(s, _, _)| s < r.1)
            .filter(|&&(_, _, reg)| reg == Region::Str)
            .map(|&(s, e, _)| (s, e))
            .collect()
    }

    /// Interpolated segments of the string literal `s..e` (f-strings,
    /// template literals, C# `$""`, Kotlin `$x`/`${x}`); empty when the
    /// literal does not interpolate.
    pub fn interpolations(&self, s: usize, e: usize) -> Vec<(usize, usize)> {
        let b = self.b();
        let quote = b[s];
        // Three bytes back may fall inside a multi-byte character (found by
        // fuzzing): start at the character boundary at or before it.
        let from = kiro_guard_skill::text::floor_char_boundary(&self.code, s.saturating_sub(3));
        let prefix = &self.code[from..s];
        let mut out = Vec::new();
        let (dollar_brace, brace, dollar_ident) = match self.fam {
            PY => {
                let p: String = prefix
                    .chars()
                    .rev()
                    .take_while(|c| c.is_ascii_alphabetic())
                    .collect();
                (false, p.contains(['f', 'F']), false)
            }
            JS => {
                let tagged = s > 0 && (is_word(b[s - 1]) || b[s - 1] == b')' || b[s - 1] == b'.');
                (quote == b'`' && !tagged, false, false)
            }
            CS => (
                false,
                prefix.ends_with('$') || prefix.ends_with("$@") || prefix.ends_with("@$"),
                false,
            ),
            JAVA => (
                self.lang == "kotlin" || self.lang == "scala",
                false,
                self.lang == "kotlin",
            ),
            _ => (false, false, false),
        };
        if !(dollar_brace || brace || dollar_ident) {
            return out;
        }
        let mut i = s + 1;
        while i < e {
            if dollar_brace && b[i] == b'$' && b.get(i + 1) == Some(&b'{') {
                let close = find_byte(b, i + 2, e, b'}');
                out.push((i + 2, close));
                i = close + 1;
                continue;
            }
            if dollar_ident
                && b[i] == b'$'
                && b.get(i + 1)
                    .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
            {
                let mut j = i + 1;
                while j < e && is_word(b[j]) {
                    j += 1;
                }
                out.push((i + 1, j));
                i = j;
                continue;
            }
            if brace && b[i] == b'{' {
                if b.get(i + 1) == Some(&b'{') {
                    i += 2;
                    continue;
                }
                let close = find_byte(b, i + 1, e, b'}');
                out.push((i + 1, close));
                i = close + 1;
                continue;
            }
            i += 1;
        }
        out
    }

    /// Identifiers in `r`: in code, and in interpolated string segments.
    /// Each is `(start, end, member)` where `member` means it follows a `.`.
    pub fn idents(&self, r: (usize, usize)) -> Vec<(usize, usize, bool)> {
        let b = self.b();
        let mut out = Vec::new();
        let mut i = r.0;
        while i < r.1 {
            if let Some((s, e, reg)) = self.region(i) {
                if reg == Region::Str {
                    for seg in self.interpolations(s, e.min(b.len())) {
                        idents_plain(b, seg.0, seg.1.min(r.1), &mut out);
                    }
                }
                i = e;
                continue;
            }
            if is_word_start(b[i]) && (i == 0 || !is_word(b[i - 1])) {
                let mut j = i + 1;
                while j < r.1 && is_word(b[j]) {
                    j += 1;
                }
                let member = i > 0 && b[i - 1] == b'.';
                out.push((i, j, member));
                i = j;
                continue;
            }
            i += 1;
        }
        out
    }

    /// Whether `r` is exactly one non-interpolating string literal
    /// (optionally with a prefix such as `r`, `b`, `@`), or a concatenation
    /// of such literals and constants.
    pub fn is_literal(&self, r: (usize, usize)) -> bool {
        if r.0 >= r.1 {
            return false;
        }
        let strings = self.strings_in(r);
        if strings.is_empty() {
            return false;
        }
        if strings
            .iter()
            .any(|&(s, e)| !self.interpolations(s, e).is_empty())
        {
            return false;
        }
        // Everything outside the literals is a prefix, `+`, whitespace or a
        // constant.
        let mut i = r.0;
        let b = self.b();
        for &(s, e) in &strings {
            if !self.code[i..s.max(i)].chars().all(|c| {
                c.is_whitespace() || c == '+' || c.is_ascii_alphabetic() && s - i <= 2 || c == '@'
            }) {
                let between = &self.code[i..s.max(i)];
                if !between
                    .split('+')
                    .all(|t| is_const(t.trim()) || t.trim().is_empty())
                {
                    return false;
                }
            }
            i = e.min(r.1);
        }
        let tail = &self.code[i..r.1];
        tail.split('+').all(|t| {
            let t = t.trim();
            t.is_empty() || is_const(t)
        }) && b[r.1 - 1] != b'('
    }

    /// A plain identifier (no call, no member access).
    pub fn plain_ident(&self, r: (usize, usize)) -> Option<&str> {
        let s = self.slice(r);
        (!s.is_empty() && is_word_start(s.as_bytes()[0]) && s.bytes().all(is_word)).then_some(s)
    }

    /// Whether the expression builds a string from non-constant parts:
    /// concatenation, `%`/`.format`/`Sprintf`/`String.format` formatting, or
    /// interpolation, with at least one non-constant identifier.
    pub fn dynamic(&self, r: (usize, usize)) -> bool {
        let b = self.b();
        let mut plus = false;
        let mut fmt = false;
        let mut nonconst = false;
        let mut i = r.0;
        while i < r.1 {
            if let Some((s, e, reg)) = self.region(i) {
                if reg == Region::Str {
                    for seg in self.interpolations(s, e.min(b.len())) {
                        let mut v = Vec::new();
                        idents_plain(b, seg.0, seg.1, &mut v);
                        if v.iter().any(|&(a, z, m)| !m && !is_const(&self.code[a..z])) {
                            return true;
                        }
                    }
                    if self.fam == PY {
                        let after = self.code[e.min(r.1)..r.1].trim_start();
                        if after.starts_with('%') && !after.starts_with("%=") {
                            fmt = true;
                        }
                    }
                }
                i = e;
                continue;
            }
            let c = b[i];
            if c == b'+'
                && b.get(i + 1) != Some(&b'+')
                && b.get(i + 1) != Some(&b'=')
                && (i == 0 || b[i - 1] != b'+')
            {
                plus = true;
            }
            if is_word_start(c) && (i == 0 || !is_word(b[i - 1])) {
                let mut j = i + 1;
                while j < r.1 && is_word(b[j]) {
                    j += 1;
                }
                let id = &self.code[i..j];
                let member = i > 0 && b[i - 1] == b'.';
                let called = b.get(j) == Some(&b'(');
                let dotted = b.get(j) == Some(&b'.');
                if member {
                    if called
                        && matches!(
                            id,
                            "format"
                                | "formatted"
                                | "Sprintf"
                                | "Format"
                                | "concat"
                                | "join"
                                | "append"
                                | "Join"
                                | "Concat"
                        )
                    {
                        fmt = true;
                    }
                } else if dotted
                    && (PACKAGES.contains(&id) || id.as_bytes()[0].is_ascii_uppercase())
                {
                    // A package or class name (`fmt.`, `String.`).
                } else if !is_const(id) {
                    nonconst = true;
                }
                i = j;
                continue;
            }
            i += 1;
        }
        (plus || fmt) && nonconst
    }

    /// Identifier words (lower case) of the line around `i` (code only) and
    /// of the enclosing function's name.
    pub fn context_words(&self, i: usize, before_lines: usize, after_lines: usize) -> Vec<String> {
        let mut s = self.line_start(i);
        for _ in 0..before_lines {
            if s == 0 {
                break;
            }
            s = self.line_start(s - 1);
        }
        let mut e = self.line_end(i);
        for _ in 0..after_lines {
            if e >= self.code.len() {
                break;
            }
            e = self.line_end(e + 1);
        }
        let mut words = Vec::new();
        for (a, z, _) in self.idents((s, e)) {
            words.extend(crate::secrets::words(&self.code[a..z]));
        }
        if let Some(name) = self.function_name(i) {
            words.extend(crate::secrets::words(name));
        }
        words
    }

    /// A hit for `rule` over `start..end` (evidence is filled in later).
    pub fn hit(
        &self,
        rule: &'static kiro_guard_skill::rule::RuleDef,
        start: usize,
        end: usize,
        message: impl Into<std::borrow::Cow<'static, str>>,
    ) -> Hit {
        Hit::new(rule, (start, end.max(start)), message, String::new())
    }
}

/// Package and class names that are not data (`fmt.Sprintf`, `String.format`).
const PACKAGES: &[&str] = &[
    "fmt", "strconv", "strings", "str", "string", "os", "sys", "json", "math", "time", "path",
    "filepath", "url", "http",
];

const KEYWORDS: &[&str] = &[
    "None",
    "True",
    "False",
    "null",
    "true",
    "false",
    "nil",
    "undefined",
    "this",
    "self",
    "new",
    "str",
    "int",
    "float",
    "len",
    "String",
    "string",
    "Integer",
    "Long",
    "var",
    "val",
    "let",
    "const",
    "return",
    "await",
    "async",
    "typeof",
    "in",
    "and",
    "or",
    "not",
    "is",
    "if",
    "else",
    "as",
    "of",
    "f",
    "r",
    "b",
    "u",
    "fmt",
    "Sprintf",
    "format",
];

/// A constant: ALL_CAPS (incl. digits, `_`), a number, or a keyword.
pub fn is_const(id: &str) -> bool {
    if id.is_empty() {
        return true;
    }
    if KEYWORDS.contains(&id) {
        return true;
    }
    if id
        .bytes()
        .all(|c| c.is_ascii_digit() || c == b'.' || c == b'_')
    {
        return true;
    }
    id.len() >= 2
        && id.bytes().any(|c| c.is_ascii_uppercase())
        && id
            .bytes()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'_' || c == b'.')
}

/// Whether the byte before `s` is a `.` (a method of some other object).
pub fn after_dot(code: &str, s: usize) -> bool {
    s > 0 && code.as_bytes()[s - 1] == b'.'
}

pub use kiro_guard_skill::scan::is_word_byte as is_word;

fn is_word_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn find_byte(b: &[u8], from: usize, to: usize, c: u8) -> usize {
    b[from.min(to)..to]
        .iter()
        .position(|&x| x == c)
        .map(|p| from + p)
        .unwrap_or(to)
}

fn idents_plain(b: &[u8], s: usize, e: usize, out: &mut Vec<(usize, usize, bool)>) {
    let mut i = s;
    while i < e {
        if is_word_start(b[i]) && (i == 0 || !is_word(b[i - 1])) {
            let mut j = i + 1;
            while j < e && is_word(b[j]) {
                j += 1;
            }
            out.push((i, j, i > 0 && b[i - 1] == b'.'));
            i = j;
            continue;
        }
        i += 1;
    }
}

fn is_function_header(line: &str) -> bool {
    const STARTS: &[&str] = &[
        "def ",
        "async def ",
        "func ",
        "function ",
        "async function ",
        "export function ",
        "export async function ",
        "export default function",
        "fun ",
        "override fun ",
        "suspend fun ",
        "private fun ",
        "public fun ",
        "internal fun ",
        "public ",
        "private ",
        "protected ",
        "internal ",
        "static ",
        "override ",
        "func(",
    ];
    STARTS.iter().any(|s| line.starts_with(s))
        && line.contains('(')
        && !line.contains(" = ")
        && !line.trim_end().ends_with(';')
}

/// Scan source `text` in `lang` for insecure code.
pub fn scan(text: &str, regions: &Regions, lang: &str, path: &str) -> Vec<Hit> {
    let fam = family(lang);
    if fam == 0 {
        return Vec::new();
    }
    let src = Src::new(text, regions, lang, path);
    let mut hits = Vec::new();
    // Java, Kotlin and Python: the semantic engine decides the injection,
    // crypto, randomness and deserialization rules.
    let semantic_lang = semantic::lang_of(lang).is_some();
    let skip: &[&str] = if semantic_lang { semantic::RULES } else { &[] };
    patterns::scan(&src, &mut hits, skip);
    if lang == "xml" {
        hits.extend(semantic::mybatis::scan(text));
    }
    if fam & ALL_CODE != 0 {
        if semantic_lang {
            hits.extend(semantic::scan(text, lang, path));
        } else {
            flow::scan(&src, &mut hits);
        }
        sensitive::scan(&src, &mut hits);
    }
    // One finding per rule per line.
    hits.sort_by_key(|h| (h.start, h.rule.id));
    let mut seen = std::collections::HashSet::new();
    hits.retain(|h| seen.insert((h.rule.id, src.line_start(h.start))));
    hits
}

/// The code bytes (outside comments and string literals) from a position
/// on: one binary search at the start, then a linear walk over the region
/// list (instead of a binary search per byte).
struct CodeBytes<'s> {
    spans: &'s [(usize, usize, Region)],
    next: usize,
    i: usize,
}

impl<'s> CodeBytes<'s> {
    fn new(src: &'s Src<'_>, from: usize) -> CodeBytes<'s> {
        let spans = src.regions.spans();
        // The first region that ends after `from` (regions are sorted and
        // disjoint).
        let next = spans.partition_point(|&(_, e, _)| e <= from);
        CodeBytes {
            spans,
            next,
            i: from,
        }
    }

    /// The next code byte index below `limit`.
    fn next_below(&mut self, limit: usize) -> Option<usize> {
        while let Some(&(s, e, _)) = self.spans.get(self.next) {
            if self.i < s {
                break;
            }
            if self.i < e {
                self.i = e;
            }
            self.next += 1;
        }
        if self.i >= limit {
            return None;
        }
        let i = self.i;
        self.i += 1;
        Some(i)
    }
}

#[cfg(test)]
pub(crate) mod testutil {
    use super::*;

    /// Rule ids found in `text` as `path`.
    pub fn rules_in(path: &str, text: &str) -> Vec<&'static str> {
        let lang = kiro_guard_skill::lang::language_from_path(path);
        let regions = Regions::new(text, lang);
        let mut v: Vec<&'static str> = scan(text, &regions, lang, path)
            .into_iter()
            .map(|h| h.rule.id)
            .collect();
        v.dedup();
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src<'a>(text: &'a str, regions: &'a Regions, lang: &'a str) -> Src<'a> {
        Src::new(text, regions, lang, "x")
    }

    #[test]
    fn args_and_dynamic() {
        let t = "cursor.execute(\"SELECT * FROM t WHERE a = '\" + name + \"'\", (1, 2))";
        let r = Regions::new(t, "python");
        let s = src(t, &r, "python");
        let open = t.find('(').unwrap();
        let (args, close) = s.args(open);
        assert_eq!(close, t.len() - 1);
        assert_eq!(args.len(), 2);
        assert!(s.dynamic(args[0]));
        assert!(!s.dynamic(args[1]));
        let t2 = "x = \"SELECT \" + TABLE + \" WHERE id = ?\"";
        let r2 = Regions::new(t2, "python");
        let s2 = src(t2, &r2, "python");
        assert!(!s2.dynamic((4, t2.len())));
        assert!(s2.is_literal((4, t2.len())));
    }

    #[test]
    fn interpolation_kinds() {
        for (t, lang, dynamic) in [
            ("f\"SELECT {name}\"", "python", true),
            ("\"SELECT {name}\"", "python", false),
            ("`SELECT ${id}`", "javascript", true),
            ("sql`SELECT ${id}`", "javascript", false),
            ("$\"SELECT {id}\"", "csharp", true),
            ("\"SELECT $id\"", "kotlin", true),
            ("\"SELECT $id\"", "java", false),
        ] {
            let r = Regions::new(t, lang);
            let s = src(t, &r, lang);
            assert_eq!(s.dynamic((0, t.len())), dynamic, "{t}");
        }
    }

    #[test]
    fn assignments_follow_same_function() {
        let t = "def a():\n    q = \"SELECT 1\"\n\ndef b(x):\n    q = \"SELECT \" + x\n    q += \" AND\"\n    run(q)\n";
        let r = Regions::new(t, "python");
        let s = src(t, &r, "python");
        let at = t.find("run(q)").unwrap();
        let a = s.assignments("q", at);
        assert_eq!(a.len(), 2);
        assert!(s.dynamic(a[0]));
        assert_eq!(s.function_name(at), Some("b"));
    }
}
