//! Regexes with ASCII Perl classes.
//!
//! In a Unicode regex, `\w`, `\d` and `\s` stand for thousands of code
//! points; one `\w{16,}` compiles to over a megabyte of automaton, and a
//! skill holds a hundred such regexes in its pre-initialised memory, which
//! the host maps into every process that runs it. Secrets, identifiers and
//! the other text the skills match are ASCII, so [`ascii_classes`] rewrites
//! each Perl class to its ASCII form (`\w` to `[[:word:]]`, `\d` to
//! `[[:digit:]]`, `\s` to `[[:space:]]`, negated forms likewise), inside and
//! outside brackets, and leaves everything else as written: `.`, negated
//! brackets, `\b` and `(?i)` keep their Unicode meaning, so the pattern
//! still matches any UTF-8 text it matched before at the same places, apart
//! from non-ASCII word characters, digits and spaces.

use regex_syntax::ast::{
    self, Ast, ClassAscii, ClassAsciiKind, ClassBracketed, ClassPerl, ClassPerlKind, ClassSet,
    ClassSetItem,
};

/// `pattern` with every Perl class made ASCII; the pattern unchanged when it
/// does not parse (compiling it then reports the error).
pub fn ascii_classes(pattern: &str) -> String {
    let Ok(mut parsed) = ast::parse::Parser::new().parse(pattern) else {
        return pattern.to_string();
    };
    rewrite(&mut parsed);
    let mut out = String::with_capacity(pattern.len() + 16);
    match ast::print::Printer::new().print(&parsed, &mut out) {
        Ok(()) => out,
        Err(_) => pattern.to_string(),
    }
}

/// [`regex::Regex::new`] of [`ascii_classes`]`(pattern)`.
pub fn regex(pattern: &str) -> Result<regex::Regex, regex::Error> {
    regex::Regex::new(&ascii_classes(pattern))
}

/// [`regex::RegexBuilder`] over [`ascii_classes`]`(pattern)`.
pub fn builder(pattern: &str) -> regex::RegexBuilder {
    regex::RegexBuilder::new(&ascii_classes(pattern))
}

/// [`regex::RegexSet::new`] with every pattern through [`ascii_classes`].
pub fn regex_set<I, S>(patterns: I) -> Result<regex::RegexSet, regex::Error>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    regex::RegexSet::new(patterns.into_iter().map(|p| ascii_classes(p.as_ref())))
}

fn ascii_kind(kind: &ClassPerlKind) -> ClassAsciiKind {
    match kind {
        ClassPerlKind::Digit => ClassAsciiKind::Digit,
        ClassPerlKind::Space => ClassAsciiKind::Space,
        ClassPerlKind::Word => ClassAsciiKind::Word,
    }
}

fn ascii_item(perl: &ClassPerl) -> ClassSetItem {
    ClassSetItem::Ascii(ClassAscii {
        span: perl.span,
        kind: ascii_kind(&perl.kind),
        negated: perl.negated,
    })
}

fn rewrite(node: &mut Ast) {
    match node {
        Ast::ClassPerl(perl) => {
            let span = perl.span;
            *node = Ast::class_bracketed(ClassBracketed {
                span,
                negated: false,
                kind: ClassSet::Item(ascii_item(perl)),
            });
        }
        Ast::ClassBracketed(b) => rewrite_set(&mut b.kind),
        Ast::Repetition(r) => rewrite(&mut r.ast),
        Ast::Group(g) => rewrite(&mut g.ast),
        Ast::Alternation(a) => a.asts.iter_mut().for_each(rewrite),
        Ast::Concat(c) => c.asts.iter_mut().for_each(rewrite),
        Ast::Empty(_)
        | Ast::Flags(_)
        | Ast::Literal(_)
        | Ast::Dot(_)
        | Ast::Assertion(_)
        | Ast::ClassUnicode(_) => {}
    }
}

fn rewrite_set(set: &mut ClassSet) {
    match set {
        ClassSet::Item(item) => rewrite_item(item),
        ClassSet::BinaryOp(op) => {
            rewrite_set(&mut op.lhs);
            rewrite_set(&mut op.rhs);
        }
    }
}

fn rewrite_item(item: &mut ClassSetItem) {
    match item {
        ClassSetItem::Perl(perl) => *item = ascii_item(perl),
        ClassSetItem::Bracketed(b) => rewrite_set(&mut b.kind),
        ClassSetItem::Union(u) => u.items.iter_mut().for_each(rewrite_item),
        ClassSetItem::Empty(_)
        | ClassSetItem::Literal(_)
        | ClassSetItem::Range(_)
        | ClassSetItem::Ascii(_)
        | ClassSetItem::Unicode(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perl_classes_become_ascii() {
        assert_eq!(ascii_classes(r"\w+"), "[[:word:]]+");
        assert_eq!(ascii_classes(r"\D\S"), "[[:^digit:]][[:^space:]]");
        assert_eq!(ascii_classes(r"[\w.-]{3}"), "[[:word:].-]{3}");
        assert_eq!(
            ascii_classes(r"[^\s'] (?i:key)\b"),
            r"[^[:space:]'] (?i:key)\b"
        );
        assert_eq!(ascii_classes(r"[a&&\d]|x"), "[a&&[:digit:]]|x");
        // Not a regex: returned as it is, so compiling reports the error.
        assert_eq!(ascii_classes("(unclosed"), "(unclosed");
        assert!(regex("(unclosed").is_err());
    }

    #[test]
    fn same_matches_on_ascii_text() {
        let patterns = [
            r#"(?i)\bapi[_-]?key\b\s*[:=]\s*(\w{16,})"#,
            r#"[^"'\s]{8,}"#,
            r"\d{4}[ -]?\d{4}",
            r"\W+",
        ];
        let hay = "x api_key = abcdefABCDEF123456; card 4111 1111, \"quoted'value\" end";
        for p in patterns {
            let a = regex::Regex::new(p).unwrap();
            let b = regex(p).unwrap();
            let ma: Vec<_> = a.find_iter(hay).map(|m| m.range()).collect();
            let mb: Vec<_> = b.find_iter(hay).map(|m| m.range()).collect();
            assert_eq!(ma, mb, "{p}");
        }
        // Non-ASCII letters are no longer word characters...
        assert!(regex::Regex::new(r"^\w+$").unwrap().is_match("pässwört"));
        assert!(!regex(r"^\w+$").unwrap().is_match("pässwört"));
        // ...while negated brackets and `.` still match them.
        assert!(regex(r#"^[^"]+$"#).unwrap().is_match("pässwört"));
        assert!(regex(r"^.+$").unwrap().is_match("pässwört"));
    }
}
