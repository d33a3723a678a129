//! Literal gates: run many regexes over a text with one Aho-Corasick pass
//! instead of one full pass per regex.
//!
//! A regex usually has literals that every match contains
//! (`\.(?:execute|query)\s*\(` needs `.execute` or `.query`).
//! [`required_literals`] finds such a set from the regex's syntax tree. A
//! [`Gate`] puts the literals of all its regexes into one ASCII
//! case-insensitive automaton; [`Gate::scan`] finds every occurrence in one
//! pass, and [`GateHits::find_iter`] runs a regex only on the lines around
//! the occurrences of its own literals (the line before, the line, the line
//! after).
//!
//! Why: inside wasm there is no SIMD Teddy, so each regex whose prefilter
//! is a set of literals scans the whole text with an Aho-Corasick
//! automaton byte by byte; ten such regexes cost ten passes. A gate costs
//! one.
//!
//! This is the SDK's one regex prefilter: a skill with more than one or
//! two regexes builds one [`Gate`] over them (compiled with
//! [`crate::ascii_regex::regex`] to keep their automata small), calls
//! [`Gate::scan`] once per text, and asks the [`GateHits`] for each regex's
//! matches ([`GateHits::find_iter`]) or capture groups
//! ([`GateHits::captures`]). It replaced a keyword table (one automaton
//! choosing which regexes run over the whole text) that measured 2.5 times
//! slower on the banking code rules (`examples/prefilter_bench.rs` of
//! banking-code-review).
//!
//! ```
//! use kiro_guard_skill::ascii_regex::regex;
//! use kiro_guard_skill::gate::Gate;
//! let regexes = [regex(r"\bAKIA([0-9A-Z]{16})\b").unwrap(), regex(r"\d{3}").unwrap()];
//! let gate = Gate::new(&regexes);
//! let text = "key = AKIAABCDEFGHIJKLMNOP\n";
//! let hits = gate.scan(text);
//! assert!(gate.is_gated(0) && !gate.is_gated(1));
//! let caps = hits.captures(&gate, 0, &regexes[0], text);
//! assert_eq!(&caps[0][1], "ABCDEFGHIJKLMNOP");
//! assert!(hits.find_iter(&gate, 1, &regexes[1], text).is_empty());
//! ```
//!
//! Limits (documented, tested): a match that starts more than one line
//! before or ends more than one line after an occurrence of its literal is
//! not found; non-ASCII case variants (`ſ` for `s`, the Kelvin sign for
//! `k`) of a case-insensitive literal are not gated. A regex without a
//! useful literal set (shorter than [`MIN_LITERAL`] bytes, or too many)
//! runs on the whole text as before.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
pub use regex::{Captures, Regex};
use regex_syntax::hir::{Class, Hir, HirKind};

/// Shortest literal worth gating on (shorter ones occur everywhere).
pub const MIN_LITERAL: usize = 3;
/// Largest literal set kept per sub-expression.
const MAX_SET: usize = 64;

type Set = Vec<Vec<u8>>;

#[derive(Default)]
struct Info {
    /// Every string the node can match (ASCII lower-cased), if few.
    exact: Option<Set>,
    /// Strings one of which every match contains, if known.
    req: Option<Set>,
}

fn lower(b: &[u8]) -> Vec<u8> {
    b.to_ascii_lowercase()
}

/// Score of a literal set: its shortest member (longer is rarer), and
/// fewer members for a tie. None when a member is empty.
fn score(set: &Set) -> Option<(usize, std::cmp::Reverse<usize>)> {
    let min = set.iter().map(Vec::len).min()?;
    (min > 0).then_some((min, std::cmp::Reverse(set.len())))
}

fn better(a: Option<Set>, b: Option<Set>) -> Option<Set> {
    match (a, b) {
        (Some(a), Some(b)) => {
            if score(&b) > score(&a) {
                Some(b)
            } else {
                Some(a)
            }
        }
        (a, None) => a.filter(|s| score(s).is_some()),
        (None, b) => b.filter(|s| score(s).is_some()),
    }
}

fn dedup(mut s: Set) -> Set {
    s.sort();
    s.dedup();
    s
}

/// The members of a small class as lower-cased strings: `[Ss]` (and
/// `[Ssſ]`, what `(?i)s` becomes) is `{"s"}`.
fn class_strings(class: &Class) -> Option<Set> {
    let mut chars: Vec<char> = Vec::new();
    match class {
        Class::Unicode(c) => {
            for r in c.ranges() {
                let n = r.end() as u32 - r.start() as u32 + 1;
                if chars.len() as u32 + n > 8 {
                    return None;
                }
                chars.extend(r.start()..=r.end());
            }
        }
        Class::Bytes(c) => {
            for r in c.ranges() {
                let n = r.end() as u32 - r.start() as u32 + 1;
                if chars.len() as u32 + n > 8 {
                    return None;
                }
                chars.extend((r.start()..=r.end()).map(char::from));
            }
        }
    }
    let has_ascii_letter = chars.iter().any(char::is_ascii_alphabetic);
    let mut out: Set = Vec::new();
    for c in chars {
        if !c.is_ascii() && has_ascii_letter {
            // A Unicode case variant of an ASCII letter (ſ, K): not gated.
            continue;
        }
        let mut buf = [0u8; 4];
        out.push(lower(c.encode_utf8(&mut buf).as_bytes()));
    }
    let out = dedup(out);
    (out.len() <= 4).then_some(out)
}

fn cross(a: &Set, b: &Set) -> Option<Set> {
    if a.len() * b.len() > MAX_SET {
        return None;
    }
    let mut out = Vec::with_capacity(a.len() * b.len());
    for x in a {
        for y in b {
            let mut s = x.clone();
            s.extend_from_slice(y);
            out.push(s);
        }
    }
    Some(dedup(out))
}

fn info(h: &Hir) -> Info {
    match h.kind() {
        HirKind::Empty | HirKind::Look(_) => Info {
            exact: Some(vec![Vec::new()]),
            req: None,
        },
        HirKind::Literal(l) => {
            let s = vec![lower(&l.0)];
            Info {
                exact: Some(s.clone()),
                req: Some(s),
            }
        }
        HirKind::Class(c) => {
            let exact = class_strings(c);
            Info {
                req: exact.clone(),
                exact,
            }
        }
        HirKind::Capture(c) => info(&c.sub),
        HirKind::Repetition(r) => {
            if r.min == 0 {
                return Info::default();
            }
            let sub = info(&r.sub);
            let req = better(sub.req, sub.exact.clone());
            Info {
                exact: if r.max == Some(1) { sub.exact } else { None },
                req,
            }
        }
        HirKind::Concat(children) => {
            let mut run: Option<Set> = Some(vec![Vec::new()]);
            let mut all_exact = true;
            let mut best: Option<Set> = None;
            for child in children {
                let ci = info(child);
                best = better(best, ci.req);
                match (&run, &ci.exact) {
                    (Some(r), Some(e)) => match cross(r, e) {
                        Some(x) => run = Some(x),
                        None => {
                            all_exact = false;
                            best = better(best, run.take());
                            run = ci.exact.clone();
                        }
                    },
                    (None, Some(e)) => run = Some(e.clone()),
                    (_, None) => {
                        all_exact = false;
                        best = better(best, run.take());
                    }
                }
            }
            let exact = if all_exact { run.clone() } else { None };
            best = better(best, run);
            Info { exact, req: best }
        }
        HirKind::Alternation(children) => {
            let infos: Vec<Info> = children.iter().map(info).collect();
            let exact = infos
                .iter()
                .try_fold(Vec::new(), |mut acc: Set, i| {
                    acc.extend(i.exact.clone()?);
                    (acc.len() <= MAX_SET).then_some(acc)
                })
                .map(dedup);
            let req = infos
                .into_iter()
                .try_fold(Vec::new(), |mut acc: Set, i| {
                    let s = better(i.req, i.exact)?;
                    acc.extend(s);
                    (acc.len() <= MAX_SET).then_some(acc)
                })
                .map(dedup);
            Info { exact, req }
        }
    }
}

/// Literals (ASCII lower-case) one of which every match of `pattern`
/// contains, compared ASCII case-insensitively; None when there is no set
/// whose members are all at least [`MIN_LITERAL`] bytes long.
pub fn required_literals(pattern: &str) -> Option<Vec<String>> {
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .ok()?;
    let i = info(&hir);
    let set = better(i.req, i.exact)?;
    if set.iter().any(|s| s.len() < MIN_LITERAL) || set.len() > MAX_SET {
        return None;
    }
    set.into_iter().map(|s| String::from_utf8(s).ok()).collect()
}

/// Regexes gated by one literal automaton.
pub struct Gate {
    ac: Option<AhoCorasick>,
    /// Per regex: its literal ids, None when it is not gated.
    lits: Vec<Option<Vec<usize>>>,
    patterns: Vec<String>,
    n_lits: usize,
}

impl Gate {
    /// A gate for these regexes (identified later by index or pattern).
    pub fn new<'r>(regexes: impl IntoIterator<Item = &'r Regex>) -> Gate {
        let mut words: Vec<String> = Vec::new();
        let mut lits = Vec::new();
        let mut patterns = Vec::new();
        for re in regexes {
            patterns.push(re.as_str().to_string());
            lits.push(required_literals(re.as_str()).map(|set| {
                set.into_iter()
                    .map(|w| match words.iter().position(|x| *x == w) {
                        Some(i) => i,
                        None => {
                            words.push(w);
                            words.len() - 1
                        }
                    })
                    .collect()
            }));
        }
        let ac = (!words.is_empty()).then(|| {
            // A DFA: an overlapping search on the default NFA costs
            // several times more per byte inside wasm.
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .kind(Some(AhoCorasickKind::DFA))
                .build(&words)
                .expect("gate literals")
        });
        Gate {
            ac,
            lits,
            patterns,
            n_lits: words.len(),
        }
    }

    /// Index of the regex with this pattern.
    pub fn index_of(&self, re: &Regex) -> Option<usize> {
        self.patterns.iter().position(|p| p == re.as_str())
    }

    /// Whether regex `i` is gated (has a literal set).
    pub fn is_gated(&self, i: usize) -> bool {
        self.lits.get(i).is_some_and(Option::is_some)
    }

    /// One pass over `text`: every occurrence of every literal.
    pub fn scan(&self, text: &str) -> GateHits {
        let mut at: Vec<Vec<usize>> = vec![Vec::new(); self.n_lits];
        if let Some(ac) = &self.ac {
            for m in ac.find_overlapping_iter(text) {
                at[m.pattern().as_usize()].push(m.start());
            }
        }
        GateHits { at }
    }
}

/// Where a gate's literals occur in one text.
pub struct GateHits {
    at: Vec<Vec<usize>>,
}

impl GateHits {
    /// Line windows (line before to line after) around the occurrences of
    /// regex `i`'s literals, merged, in text order, each passed to `visit`
    /// as soon as it is complete (`visit` returns false to stop). False
    /// when the regex is not gated.
    fn windows(
        &self,
        gate: &Gate,
        i: usize,
        text: &str,
        mut visit: impl FnMut(usize, usize) -> bool,
    ) -> bool {
        let Some(Some(ids)) = gate.lits.get(i) else {
            return false;
        };
        let mut pos: Vec<usize> = ids
            .iter()
            .flat_map(|&l| self.at[l].iter().copied())
            .collect();
        pos.sort_unstable();
        pos.dedup();
        let b = text.as_bytes();
        let mut cur: Option<(usize, usize)> = None;
        // End of the line of the position that set the current window's
        // end: positions before it cannot widen that window.
        let mut line_end = 0;
        for p in pos {
            if p < line_end {
                continue;
            }
            line_end = b[p..]
                .iter()
                .position(|&c| c == b'\n')
                .map_or(b.len(), |k| p + k);
            let (s, e) = (line_before_start(b, p), line_after_end(b, p));
            match &mut cur {
                Some(w) if s <= w.1 => w.1 = w.1.max(e),
                _ => {
                    if let Some((ws, we)) = cur.replace((s, e))
                        && !visit(ws, we)
                    {
                        return true;
                    }
                }
            }
        }
        if let Some((ws, we)) = cur {
            visit(ws, we);
        }
        true
    }

    /// Whether regex `i` of `gate` may match: false only when none of its
    /// literals occurs.
    pub fn may_match(&self, gate: &Gate, i: usize) -> bool {
        match gate.lits.get(i) {
            Some(Some(ids)) => ids.iter().any(|&l| !self.at[l].is_empty()),
            _ => true,
        }
    }

    /// Whether regex `re` (gate index `i`) matches in `text`; stops at the
    /// first match.
    pub fn is_match(&self, gate: &Gate, i: usize, re: &Regex, text: &str) -> bool {
        if !self.may_match(gate, i) {
            return false;
        }
        let mut found = false;
        let gated = self.windows(gate, i, text, |ws, we| {
            found = re.find_at(&text[..we], ws).is_some();
            !found
        });
        if gated { found } else { re.is_match(text) }
    }

    /// The matches of regex `re` (gate index `i`) in `text`, as byte
    /// ranges in text order. Ungated regexes search the whole text.
    pub fn find_iter(&self, gate: &Gate, i: usize, re: &Regex, text: &str) -> Vec<(usize, usize)> {
        match self.each_match(gate, i, text, |hay, from| {
            re.find_at(hay, from)
                .map(|m| (m.start(), m.end(), (m.start(), m.end())))
        }) {
            Some(out) => out,
            None => re.find_iter(text).map(|m| (m.start(), m.end())).collect(),
        }
    }

    /// The capture groups of every match of regex `re` (gate index `i`) in
    /// `text`, in text order: the matches [`GateHits::find_iter`] finds.
    /// Ungated regexes search the whole text.
    pub fn captures<'t>(
        &self,
        gate: &Gate,
        i: usize,
        re: &Regex,
        text: &'t str,
    ) -> Vec<Captures<'t>> {
        match self.each_match(gate, i, text, |hay, from| {
            re.captures_at(hay, from).map(|c| {
                let m = c.get(0).expect("group 0");
                (m.start(), m.end(), c)
            })
        }) {
            Some(out) => out,
            None => re.captures_iter(text).collect(),
        }
    }

    /// Every match `next(haystack, from)` finds in the windows of regex
    /// `i`, in text order; None when the regex is not gated.
    fn each_match<'t, T>(
        &self,
        gate: &Gate,
        i: usize,
        text: &'t str,
        mut next: impl FnMut(&'t str, usize) -> Option<(usize, usize, T)>,
    ) -> Option<Vec<T>> {
        let mut out = Vec::new();
        let gated = self.windows(gate, i, text, |ws, we| {
            // Search text[..we] from ws: look-behind (`\b`) still sees
            // the byte before ws.
            let hay = &text[..we];
            let mut from = ws;
            while from <= we {
                let Some((start, end, m)) = next(hay, from) else {
                    break;
                };
                out.push(m);
                from = if end > start {
                    end
                } else {
                    // An empty match: step over one character.
                    match text[end..].chars().next() {
                        Some(c) => end + c.len_utf8(),
                        None => break,
                    }
                };
            }
            true
        });
        gated.then_some(out)
    }
}

/// Start of the line before the line holding `p`.
fn line_before_start(b: &[u8], p: usize) -> usize {
    let mut nl = 0;
    let mut i = p;
    while i > 0 {
        if b[i - 1] == b'\n' {
            nl += 1;
            if nl == 2 {
                return i;
            }
        }
        i -= 1;
    }
    0
}

/// End (exclusive, including its newline) of the line after the line
/// holding `p`.
fn line_after_end(b: &[u8], p: usize) -> usize {
    let mut nl = 0;
    for (k, &c) in b[p..].iter().enumerate() {
        if c == b'\n' {
            nl += 1;
            if nl == 2 {
                return p + k + 1;
            }
        }
    }
    b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lits(p: &str) -> Option<Vec<String>> {
        required_literals(p)
    }

    #[test]
    fn literal_sets() {
        assert_eq!(
            lits(r"\.(?:execute|query)\s*\(").unwrap(),
            vec![".execute", ".query"]
        );
        assert_eq!(lits(r"(?i)\bselect\b").unwrap(), vec!["select"]);
        assert_eq!(
            lits(r"\bSystem\.(?:out|err)\.println\s*\(").unwrap(),
            vec!["system.err.println", "system.out.println"]
        );
        // The longest required piece of a concatenation.
        assert_eq!(lits(r"\bprint\s*\(").unwrap(), vec!["print"]);
        assert_eq!(
            lits(r"(?i)\b(?:[a-z_][\w.]*)?(?:log|logger)\s*\.\s*info\s*\(").unwrap(),
            vec!["info"]
        );
        // Nothing required, or too short: not gated.
        assert_eq!(lits(r"\w+\s*="), None);
        assert_eq!(lits(r"a|bcd"), None);
        assert_eq!(lits(r"(?:foo)?bar"), Some(vec!["bar".to_string()]));
        assert_eq!(lits(r"(?:foo)?"), None);
        assert_eq!(lits(r"["), None);
    }

    /// Gated matches equal whole-text matches for matches within a line
    /// of their literal.
    #[test]
    fn gated_matches_equal_full_matches() {
        let patterns = [
            r"\.(?:execute|executemany|raw)\s*\(",
            r"(?i)\b(?:[a-z_][\w.]*)?(?:log|logger)\s*\.\s*(?:info|debug)\s*\(",
            r"\bnew\s+(?:SqlCommand|OracleCommand)\s*\(",
            r"\w+\s*=",
        ];
        let res: Vec<Regex> = patterns.iter().map(|p| Regex::new(p).unwrap()).collect();
        let gate = Gate::new(res.iter());
        assert!(gate.is_gated(0) && gate.is_gated(1) && gate.is_gated(2) && !gate.is_gated(3));
        let pieces = [
            "cur.execute(q)\n",
            "cur.EXECUTE(q)\n",
            "x = 1\n",
            "LOGGER.Info(\"a\")\n",
            "self.log\n    .info(x)\n",
            "var c = new\n  SqlCommand(q);\n",
            "plain words only\n",
            "rawvalue.raw (x)\n",
            "ſelect\n",
        ];
        let mut seed = 7u32;
        for _ in 0..300 {
            let mut t = String::new();
            for _ in 0..40 {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                t.push_str(pieces[seed as usize % pieces.len()]);
            }
            let hits = gate.scan(&t);
            for (i, re) in res.iter().enumerate() {
                let full: Vec<(usize, usize)> =
                    re.find_iter(&t).map(|m| (m.start(), m.end())).collect();
                assert_eq!(
                    hits.find_iter(&gate, i, re, &t),
                    full,
                    "{} in {t}",
                    re.as_str()
                );
                if !hits.may_match(&gate, i) {
                    assert!(full.is_empty());
                }
                assert_eq!(hits.is_match(&gate, i, re, &t), !full.is_empty());
                let caps: Vec<(usize, usize)> = hits
                    .captures(&gate, i, re, &t)
                    .iter()
                    .map(|c| (c.get(0).unwrap().start(), c.get(0).unwrap().end()))
                    .collect();
                assert_eq!(caps, full, "captures of {}", re.as_str());
            }
        }
    }

    /// The documented limits: a match far from its literal, and a
    /// non-ASCII case variant, are not found through the gate.
    #[test]
    fn documented_limits() {
        let far = Regex::new(r"\bnew\s+SqlCommand\(").unwrap();
        let fold = Regex::new(r"(?i)\bselect\b").unwrap();
        let gate = Gate::new([&far, &fold]);
        let t = "var c = new\n\n\n  SqlCommand(q);\n";
        assert!(far.is_match(t));
        assert!(gate.scan(t).find_iter(&gate, 0, &far, t).is_empty());
        let t = "ſelect * from t\n";
        assert!(fold.is_match(t));
        assert!(!gate.scan(t).is_match(&gate, 1, &fold, t));
        // One line apart is still found.
        let t = "var c = new\n  SqlCommand(q);\n";
        assert_eq!(gate.scan(t).find_iter(&gate, 0, &far, t).len(), 1);
    }

    #[test]
    fn windows_cover_neighbouring_lines() {
        let b = b"a\nbb\nccc\ndddd\n";
        let p = 5; // the first 'c'
        assert_eq!(line_before_start(b, p), 2);
        assert_eq!(line_after_end(b, p), b.len());
        assert_eq!(line_before_start(b, 0), 0);
        assert_eq!(line_after_end(b"abc", 1), 3);
    }
}
