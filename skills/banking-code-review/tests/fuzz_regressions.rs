//! Inputs the `skill_banking` fuzz target found to panic, replayed as files
//! of every language (kept in `fuzz/corpus/skill_banking/regress-*`).

use banking_code_review::{Settings, scan_document};
use kiro_guard_skill::Document;

const PATHS: &[&str] = &[
    "src/app.py",
    "src/Main.java",
    "web/app.ts",
    "web/app.js",
    "cmd/main.go",
    "src/Api.cs",
    "config/app.yaml",
];

/// A logging call whose unterminated string literal ends inside a
/// multi-byte (U+FFFD) character: sliced off a char boundary before.
#[test]
fn unterminated_literal_ending_in_multibyte_char() {
    let data = include_bytes!("../../../fuzz/corpus/skill_banking/regress-char-boundary");
    let text = String::from_utf8_lossy(&data[1..]).into_owned();
    for path in PATHS {
        let findings = scan_document(&Document::new(*path, text.clone()), &Settings::default());
        for f in findings {
            assert!(
                f.span.line >= 1 && f.span.end_line >= f.span.line,
                "{path}: {f:?}"
            );
        }
    }
}
