//! The semantic engine for Java/Kotlin, Python, JavaScript/TypeScript, Go
//! and C#: a tolerant parser per language ([`parse`] for the JVM and
//! Python, [`cparse`] for the other curly-brace languages) lowering to a
//! small IR ([`ir`]), and an
//! intraprocedural taint analysis with constant propagation ([`taint`])
//! over the API knowledge in [`sinks`].
//!
//! Severity policy: a block when untrusted input (a request parameter,
//! header, cookie, body or path variable) reaches a sink unsanitised, or a
//! definitely insecure primitive is used (DES/RC4/ECB, a constant IV,
//! `yaml.load` without a safe loader, `ObjectInputStream.readObject`
//! without a filter, MD5/SHA-1 over a password, predictable randomness for
//! a token); a warning when a non-constant value of unknown origin reaches
//! a SQL, command, eval or deserialization sink, or a lower-confidence
//! source (environment, command line) reaches any sink; nothing for
//! constant or sanitised values.

pub mod clex;
pub mod cparse;
pub mod ir;
pub mod lex;
pub mod mybatis;
pub mod parse;
pub mod sinks;
pub mod sinks_c;
pub mod taint;

use crate::Hit;
use kiro_guard_skill::Severity;
use kiro_guard_skill::rule::RuleDef;
use std::sync::LazyLock;

/// Rules the semantic engine decides for the languages it handles.
pub const RULES: &[&str] = &[
    "sql-injection",
    "command-injection",
    "path-traversal",
    "eval-injection",
    "weak-hash",
    "weak-cipher",
    "insecure-random",
    "insecure-deserialization",
    "ldap-injection",
    "xpath-injection",
    "ssrf",
    "open-redirect",
    "header-injection",
];

/// Rules the semantic engine reports in addition to the pattern rules
/// (which still run): forms a line pattern cannot see, such as TLS
/// verification switched off through an assignment, a constant or a
/// callback that returns `true`.
pub const EXTRA_RULES: &[&str] = &["tls-verification-disabled"];

/// The parser language for a kiro-guard language name.
pub fn lang_of(lang: &str) -> Option<lex::Lang> {
    match lang {
        "java" => Some(lex::Lang::Java),
        "kotlin" => Some(lex::Lang::Kotlin),
        "python" => Some(lex::Lang::Python),
        "javascript" | "typescript" => Some(lex::Lang::Js),
        "go" => Some(lex::Lang::Go),
        "csharp" => Some(lex::Lang::CSharp),
        _ => None,
    }
}

/// Each semantic rule at block and at warn severity (same id, references
/// and remediation).
static VARIANTS: LazyLock<Vec<(&'static RuleDef, &'static RuleDef)>> = LazyLock::new(|| {
    RULES
        .iter()
        .chain(EXTRA_RULES)
        .filter_map(|id| crate::rules::by_id(id))
        .map(|r| {
            let b: &'static RuleDef = Box::leak(Box::new(RuleDef {
                severity: Severity::Block,
                ..*r
            }));
            let w: &'static RuleDef = Box::leak(Box::new(RuleDef {
                severity: Severity::Warn,
                ..*r
            }));
            (b, w)
        })
        .collect()
});

fn rule_def(id: &str, block: bool) -> Option<&'static RuleDef> {
    VARIANTS
        .iter()
        .find(|(b, _)| b.id == id)
        .map(|&(b, w)| if block { b } else { w })
}

/// Findings of the semantic engine for `text` in `lang` (Java, Kotlin,
/// Python, JavaScript/TypeScript, Go or C#; nothing otherwise).
pub fn scan(text: &str, lang: &str, path: &str) -> Vec<Hit> {
    let Some(l) = lang_of(lang) else {
        return Vec::new();
    };
    let module = match l {
        lex::Lang::Js | lex::Lang::Go | lex::Lang::CSharp => cparse::parse(text, l),
        _ => parse::parse(text, l),
    };
    let mut ctx = taint::Ctx::new(
        &module,
        text,
        l == lex::Lang::Python,
        l == lex::Lang::Kotlin,
        path,
    );
    ctx.lang = l;
    ctx.run();
    let mut out = Vec::new();
    for f in ctx.findings {
        if f.pending {
            continue;
        }
        let Some(rule) = rule_def(f.rule, f.block) else {
            continue;
        };
        let (s, e) = (f.span.0 as usize, f.span.1 as usize);
        let s = kiro_guard_skill::text::floor_char_boundary(text, s.min(text.len()));
        let e = kiro_guard_skill::text::floor_char_boundary(text, e.clamp(s, text.len()));
        out.push(Hit::new(rule, (s, e), f.message, String::new()));
    }
    out
}
