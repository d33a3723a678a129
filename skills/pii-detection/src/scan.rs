//! The scanner: one pass over the digit runs of the text (identity numbers,
//! cards, phones, postal codes, and the candidates for keyword-anchored
//! accounts, dates and IBANs), one two-keyword pass for SWIFT/BIC, one `@`
//! pass for emails; then overlapping hits are resolved and turned into
//! findings.
//!
//! Cost model: a text with no digits, no `swift`/`bic` and no `@` costs three
//! linear byte scans. The keyword automaton and the date regex run only on
//! short windows before long digit runs.
//! Allocation happens per finding, never per candidate.

use crate::keyword::Want;
use crate::rules;
use crate::settings::Settings;
use crate::words::is_alnum;
use kiro_guard_skill::rule::{Rule, refs};
use kiro_guard_skill::text::floor_char_boundary;
use kiro_guard_skill::{Finding, Severity, Span, evasion, mask};
use std::borrow::Cow;

/// One detected value, as a byte range of the scanned text. Its evidence
/// is empty unless an evasion view computed it from the decoded or
/// normalised value; [`to_findings`] masks the original text of the span.
pub use kiro_guard_skill::Hit;

/// What is being scanned.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    /// Language hint ("python", "log", "shell", "" for prose/unknown).
    pub language: &'a str,
    /// The text is a test fixture: block findings are capped at
    /// `settings.test_severity`.
    pub is_test: bool,
    pub settings: &'a Settings,
}

/// Per-scan state.
pub struct Scanner<'a> {
    pub text: &'a str,
    pub b: &'a [u8],
    pub opts: Options<'a>,
    pub hits: Vec<Hit>,
}

/// Maximum digit groups in a chain that card/phone/postal rules look at.
pub const MAX_GROUPS: usize = 8;

/// Digit groups joined by single spaces or dashes: `4111 1111 1111 1111`,
/// `+65-9123-4567`, `238801`.
#[derive(Debug, Clone, Copy)]
pub struct Chain {
    pub groups: [(usize, usize); MAX_GROUPS],
    pub len: usize,
    /// More than `MAX_GROUPS` groups: a table or dump, not a single value.
    pub overflow: bool,
    pub digits: usize,
    pub end: usize,
}

impl Chain {
    fn build(b: &[u8], s: usize, e: usize) -> Chain {
        let mut c = Chain {
            groups: [(0, 0); MAX_GROUPS],
            len: 1,
            overflow: false,
            digits: e - s,
            end: e,
        };
        c.groups[0] = (s, e);
        let mut j = e;
        while j + 1 < b.len() && matches!(b[j], b' ' | b'-') && b[j + 1].is_ascii_digit() {
            let gs = j + 1;
            let mut ge = gs;
            while ge < b.len() && b[ge].is_ascii_digit() {
                ge += 1;
            }
            if c.len < MAX_GROUPS {
                c.groups[c.len] = (gs, ge);
                c.len += 1;
                c.digits += ge - gs;
            } else {
                c.overflow = true;
            }
            j = ge;
        }
        c.end = j;
        c
    }

    pub fn groups(&self) -> &[(usize, usize)] {
        &self.groups[..self.len]
    }

    pub fn start(&self) -> usize {
        self.groups[0].0
    }

    /// Nothing value-like glued to the left of the chain.
    pub fn left_ok(&self, b: &[u8]) -> bool {
        let s = self.start();
        if s == 0 {
            return true;
        }
        let p = b[s - 1];
        let pp = if s >= 2 { b[s - 2] } else { b' ' };
        !(is_alnum(p)
            || p == b'_'
            || (matches!(p, b',' | b':' | b'/') && pp.is_ascii_digit())
            || (matches!(p, b'.' | b'-') && (is_alnum(pp) || pp == b'_')))
    }

    /// Nothing value-like glued to the right of the chain.
    pub fn right_ok(&self, b: &[u8]) -> bool {
        let e = self.end;
        if e >= b.len() {
            return true;
        }
        let n = b[e];
        let nn = b.get(e + 1).copied().unwrap_or(b' ');
        !(is_alnum(n)
            || n == b'_'
            || (matches!(n, b'.' | b',' | b':' | b'/') && nn.is_ascii_digit())
            || (n == b'-' && is_alnum(nn)))
    }
}

/// Programming languages where a bare number outside a string is a numeric
/// literal (a size, a timeout), not data typed by a person.
pub fn is_code_language(lang: &str) -> bool {
    matches!(
        lang,
        "python"
            | "java"
            | "kotlin"
            | "javascript"
            | "typescript"
            | "go"
            | "csharp"
            | "rust"
            | "c"
            | "cpp"
            | "php"
            | "ruby"
            | "scala"
            | "swift"
            | "json"
            | "terraform"
    )
}

impl<'a> Scanner<'a> {
    pub fn new(text: &'a str, opts: Options<'a>) -> Scanner<'a> {
        Scanner {
            text,
            b: text.as_bytes(),
            opts,
            hits: Vec::new(),
        }
    }

    /// Whether `offset` is in code, i.e. not inside a string literal or a
    /// comment, judged from its own line only: quotes (with backslash
    /// escapes) and line-comment markers (`//`, `#`, `--`) from the line
    /// start. Cheaper than lexing the file (`tokens::Regions`), and only
    /// asked for rare candidates; multi-line strings and block comments
    /// count as code, which errs towards not reporting a bare number.
    pub fn in_code(&self, offset: usize) -> bool {
        let b = self.b;
        let ls = kiro_guard_skill::scan::line_start(b, offset);
        let lang = self.opts.language;
        let hash = matches!(lang, "python" | "ruby" | "yaml" | "shell" | "terraform");
        let slashes = !matches!(lang, "python" | "ruby" | "yaml" | "shell" | "sql");
        let dashes = lang == "sql";
        let mut quote: Option<u8> = None;
        let mut i = ls;
        while i < offset {
            let c = b[i];
            match quote {
                Some(q) => {
                    if c == b'\\' {
                        i += 1;
                    } else if c == q {
                        quote = None;
                    }
                }
                None => match c {
                    b'"' | b'`' => quote = Some(c),
                    // An apostrophe after a word character is a Rust
                    // lifetime or prose, not a string.
                    b'\'' if i == ls || !is_alnum(b[i - 1]) => quote = Some(c),
                    b'#' if hash => return false,
                    b'/' if slashes && b.get(i + 1) == Some(&b'/') => return false,
                    b'-' if dashes && b.get(i + 1) == Some(&b'-') => return false,
                    _ => {}
                },
            }
            i += 1;
        }
        quote.is_none()
    }

    /// Record a hit; the severity is capped in test fixtures.
    pub fn push(
        &mut self,
        rule: &'static Rule,
        start: usize,
        end: usize,
        severity: Severity,
        message: impl Into<Cow<'static, str>>,
    ) {
        let severity = self.opts.settings.cap(severity, self.opts.is_test);
        self.hits
            .push(Hit::new(rule, (start, end), message, String::new()).with_severity(severity));
    }

    /// Run every detector and return the resolved hits in text order.
    pub fn run(mut self) -> Vec<Hit> {
        self.digit_pass();
        self.swift_pass();
        self.email_pass();
        resolve(self.hits)
    }

    fn digit_pass(&mut self) {
        let b = self.b;
        let n = b.len();
        let mut i = 0;
        let mut chain_end = 0;
        while i < n {
            match next_digit(b, i) {
                Some(p) => i = p,
                None => break,
            }
            let s = i;
            while i < n && b[i].is_ascii_digit() {
                i += 1;
            }
            let e = i;
            let len = e - s;
            match len {
                4 => self.uen_other(s, e),
                7 => self.nric_like(s, e),
                8 | 9 => self.uen_numeric(s, e),
                _ => {}
            }
            // A separator inside or around an NRIC (`S 1234567 D`,
            // `S1234 567D`, `s 1234567 d`): only when a prefix letter
            // starts it.
            if len <= 7
                && s > 0
                && matches!(
                    b[s - 1].to_ascii_uppercase(),
                    b'S' | b'T' | b'F' | b'G' | b'M' | b' ' | b'-'
                )
            {
                self.nric_split(s, e);
            }
            if len == 4 && e + 1 < n && matches!(b[e], b'.' | b'_') && b[e + 1].is_ascii_digit() {
                self.card_dotted(s, e);
            }
            // A year (`1985`, `19850314`): maybe a date of birth.
            if (len == 4 || len == 8) && (b[s..].starts_with(b"19") || b[s..].starts_with(b"20")) {
                self.anchored(s, Want::Dob);
            }
            // `GB82…`, `DE89…`: maybe an IBAN.
            if len >= 2
                && s >= 2
                && b[s - 1].is_ascii_uppercase()
                && b[s - 2].is_ascii_uppercase()
                && (s == 2 || !is_alnum(b[s - 3]))
            {
                self.anchored(s - 2, Want::Iban);
            }
            if s >= chain_end {
                let chain = Chain::build(b, s, e);
                chain_end = chain.end;
                if chain.digits >= 9 && (s == 0 || !b[s - 1].is_ascii_digit()) {
                    self.anchored(s, Want::Account);
                }
                if chain.digits >= 6 && !chain.overflow {
                    let (left, right) = (chain.left_ok(b), chain.right_ok(b));
                    if left || right {
                        self.card(&chain, left, right);
                    }
                    if left && right {
                        self.phone(&chain);
                        self.postal(&chain);
                    }
                }
            }
        }
    }
}

/// The first ASCII digit at or after `i` (most of a source file has no
/// digit, so the SDK's chunked search skips it 32 bytes at a time).
#[inline]
pub fn next_digit(b: &[u8], i: usize) -> Option<usize> {
    kiro_guard_skill::text::find_byte(b, i, |c| c.wrapping_sub(b'0') < 10)
}

/// Keep, among overlapping hits, the one of the highest-priority rule (a
/// card number is not also reported as a phone number).
pub fn resolve(mut hits: Vec<Hit>) -> Vec<Hit> {
    if hits.len() < 2 {
        return hits;
    }
    hits.sort_by_key(|h| (h.start, rules::priority(h.rule.id), h.end));
    let mut out: Vec<Hit> = Vec::with_capacity(hits.len());
    let mut i = 0;
    while i < hits.len() {
        // A cluster of transitively overlapping hits.
        let mut j = i + 1;
        let mut max_end = hits[i].end;
        while j < hits.len() && hits[j].start < max_end {
            max_end = max_end.max(hits[j].end);
            j += 1;
        }
        if j == i + 1 {
            out.push(hits[i].clone());
        } else {
            let mut cluster: Vec<&Hit> = hits[i..j].iter().collect();
            cluster.sort_by_key(|h| (rules::priority(h.rule.id), h.start));
            let mut kept: Vec<&Hit> = Vec::new();
            for h in cluster {
                if kept.iter().all(|k| h.end <= k.start || h.start >= k.end) {
                    kept.push(h);
                }
            }
            kept.sort_by_key(|h| h.start);
            out.extend(kept.into_iter().cloned());
        }
        i = j;
    }
    out
}

/// The masked form of `value` for a finding of `rule_id`: what the host's
/// redaction writes in place of the span.
pub fn evidence(rule_id: &str, value: &str) -> String {
    match rule_id {
        "nric-fin" | "nric-fin-invalid-checksum" | "sg-passport" => mask::mask_nric(value),
        "payment-card" => mask::mask_card(value),
        "bank-account" | "sg-phone" => mask::mask_digits_keep_last(value, 4),
        "email" => mask::mask_email(value),
        "uen" => mask::mask_middle(value, 2, 1),
        "sg-postal-code" => crate::masks::mask_postal(value),
        "date-of-birth" => crate::masks::mask_date_keep_year(value),
        "iban" => crate::masks::mask_iban(value),
        "swift-bic" => mask::mask_middle(value, 4, 0),
        _ => mask::mask_middle(value, 0, 2),
    }
}

/// Per-input references beyond the rule's own: PDPA s25 (retention) when
/// personal data sits in a log.
fn extra_references(rule: &Rule, language: &str) -> Option<kiro_guard_skill::Reference> {
    let personal = !matches!(rule.id, "swift-bic" | "nric-fin-invalid-checksum");
    (personal && language == "log").then(|| refs::PDPA_S25.to_reference())
}

/// Turn hits into findings; `to_raw` maps a scanned byte offset to an offset
/// of `raw` (identity for files; the JSON escape map for tool calls), and
/// spans are computed on `raw`.
pub fn to_findings(
    text: &str,
    raw: &str,
    hits: &[Hit],
    language: &str,
    to_raw: impl Fn(usize) -> usize,
) -> Vec<Finding> {
    if hits.is_empty() {
        return Vec::new();
    }
    let mut cur = SpanCursor::new(raw);
    hits.iter()
        .map(|h| {
            let (line, column) = cur.position(to_raw(h.start));
            let (end_line, end_column) = cur.position(to_raw(h.end).max(to_raw(h.start)));
            let span = Span {
                line,
                column,
                end_line,
                end_column,
            };
            let mut h = h.clone();
            if h.evidence.is_empty() {
                h.evidence = evidence(h.rule.id, &text[h.start..h.end]);
            }
            let rule = h.rule;
            let mut f = h.finding(span);
            f.references.extend(extra_references(rule, language));
            f
        })
        .collect()
}

/// Line/column positions for increasing byte offsets without indexing the
/// whole text first (SDK candidate: `LineIndex::new` allocates and walks the
/// entire text even when the only finding is on line 1). Offsets that go
/// backwards restart from the top, so any order is correct.
pub struct SpanCursor<'a> {
    text: &'a str,
    pos: usize,
    line: u32,
    line_start: usize,
}

impl<'a> SpanCursor<'a> {
    pub fn new(text: &'a str) -> SpanCursor<'a> {
        SpanCursor {
            text,
            pos: 0,
            line: 1,
            line_start: 0,
        }
    }

    /// 1-based (line, column) of byte `offset`; columns count characters.
    pub fn position(&mut self, offset: usize) -> (u32, u32) {
        let off = floor_char_boundary(self.text, offset.min(self.text.len()));
        if off < self.pos {
            *self = SpanCursor::new(self.text);
        }
        let seg = &self.text.as_bytes()[self.pos..off];
        let newlines = seg.iter().filter(|&&c| c == b'\n').count();
        if newlines > 0 {
            self.line += newlines as u32;
            self.line_start = self.pos + seg.iter().rposition(|&c| c == b'\n').unwrap() + 1;
        }
        self.pos = off;
        let column = self.text[self.line_start..off].chars().count() as u32 + 1;
        (self.line, column)
    }
}

/// Scan `text` and return its findings (spans on `text`).
pub fn scan_findings(text: &str, opts: Options<'_>) -> Vec<Finding> {
    let hits = scan_hits(text, opts);
    to_findings(text, text, &hits, opts.language, |o| o)
}

/// Scan `text`, then every evasion view of it (Unicode folding, escapes,
/// string concatenation, base64/hex blobs: `kiro_guard_skill::evasion`),
/// and return the resolved hits as byte ranges of `text`.
pub fn scan_hits(text: &str, opts: Options<'_>) -> Vec<Hit> {
    let hits = Scanner::new(text, opts).run();
    let views = evasion::views(text);
    if views.is_empty() {
        return hits;
    }
    let mut all = hits;
    let before = all.len();
    for v in &views {
        // A decoded blob is the content of a string: a number in it is data,
        // not a numeric literal of the surrounding code.
        let view_opts = if v.is_blob() {
            Options {
                language: "",
                ..opts
            }
        } else {
            opts
        };
        for h in Scanner::new(&v.text, view_opts).run() {
            if !view_rule_ok(v, h.rule.id) {
                continue;
            }
            let (s, e) = v.original_range(h.start, h.end);
            let value = &v.text[h.start..h.end];
            let ev = evidence(h.rule.id, value);
            // Already found as is on the plain text.
            if all[..before]
                .iter()
                .any(|o| o.start == s && o.end == e && o.rule.id == h.rule.id)
            {
                continue;
            }
            let message: Cow<'static, str> = if &text[s..e] == value {
                h.message
            } else {
                format!("{} ({})", h.message, v.note()).into()
            };
            all.push(Hit {
                start: s,
                end: e,
                message,
                evidence: ev,
                ..h
            });
        }
    }
    resolve(all)
}

/// Rules a decoded, unescaped or joined view may report: values with a
/// checksum, a brand range or a label. The weaker heuristics (phones, postal
/// codes, dates, UEN, SWIFT) only run on the plain and Unicode-folded text,
/// so decoding random-looking data cannot add noise.
fn view_rule_ok(view: &evasion::View, rule_id: &str) -> bool {
    view.unicode_only()
        || matches!(
            rule_id,
            "nric-fin" | "payment-card" | "bank-account" | "sg-passport" | "iban" | "email"
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use kiro_guard_skill::text::LineIndex;

    #[test]
    fn in_code_is_line_local() {
        let settings = Settings::default();
        let check = |text: &str, lang: &str, needle: &str| {
            let s = Scanner::new(
                text,
                Options {
                    language: lang,
                    is_test: false,
                    settings: &settings,
                },
            );
            s.in_code(text.find(needle).unwrap())
        };
        assert!(check("x = 91234567", "python", "912"));
        assert!(!check("x = \"a 91234567\"", "python", "912"));
        assert!(!check("x = 1  # 91234567", "python", "912"));
        assert!(!check("f(1); // 91234567", "java", "912"));
        assert!(check("f('a', 91234567)", "java", "912"));
        assert!(!check("s = 'it\\'s 91234567'", "python", "912"));
        assert!(check("fn f<'a>(x: &'a u8) { 91234567 }", "rust", "912"));
        assert!(!check("SELECT 1 -- 91234567", "sql", "912"));
    }

    #[test]
    fn next_digit_finds_every_digit() {
        let mut t = vec![b'x'; 200];
        assert_eq!(next_digit(&t, 0), None);
        for k in [0, 31, 32, 33, 64, 150, 199] {
            t[k] = b'7';
            assert_eq!(next_digit(&t, 0), Some(k));
            assert_eq!(next_digit(&t, k + 1), None);
            t[k] = b'x';
        }
    }

    #[test]
    fn cursor_agrees_with_line_index() {
        let text = "héllo\nwörld S1234567D\n\n末尾 x\r\nlast";
        let idx = LineIndex::new(text);
        let mut cur = SpanCursor::new(text);
        let offsets: Vec<usize> = (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        for &o in &offsets {
            assert_eq!(cur.position(o), idx.position(o), "offset {o}");
        }
        // Going backwards restarts correctly.
        for &o in offsets.iter().rev().step_by(3) {
            assert_eq!(cur.position(o), idx.position(o), "offset {o}");
        }
    }
}
