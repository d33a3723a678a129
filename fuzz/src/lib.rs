//! Shared checks for the fuzz targets: every finding a skill returns must
//! have a span inside the input and masked evidence.

use kiro_guard_skill::{Finding, Skill};

/// Paths that route a document to each language / file kind.
pub const PATHS: &[&str] = &[
    "src/app.py",
    "src/Main.java",
    "web/app.ts",
    "web/app.js",
    "cmd/main.go",
    "src/Api.cs",
    "config/app.yaml",
    ".env",
    "main.tf",
    "infra/stack.ts",
    ".kiro/settings/mcp.json",
    ".claude/settings.json",
    "template.json",
    "notes.md",
    "app.log",
    "tests/test_app.py",
];

/// Check a finding against the text it was reported on: the span must be
/// inside the text (the host's own `span_bytes`), and for secret/PII rules the
/// evidence must not be the matched text.
pub fn check_finding(text: &str, f: &Finding, masked: bool) {
    let s = &f.span;
    assert!(s.line >= 1 && s.column >= 1, "{f:?}");
    assert!(
        (s.end_line, s.end_column) >= (s.line, s.column),
        "span out of order: {f:?}"
    );
    let Some((a, b)) = span_bytes(text, s) else {
        panic!("span outside the input: {f:?}");
    };
    assert!(a <= b && b <= text.len());
    let covered = &text[a..b];
    if masked && covered.chars().filter(|c| c.is_alphanumeric()).count() >= 6 {
        assert_ne!(f.evidence, covered, "evidence not masked: {f:?}");
        assert!(!f.evidence.contains(covered), "evidence leaks: {f:?}");
    }
    assert!(!f.rule_id.is_empty());
}

/// Run a skill on `text` as every kind of input.
pub fn run_skill<S: Skill>(skill: &S, data: &[u8], masked: &dyn Fn(&str) -> bool) {
    use kiro_guard_skill::{Config, Document, Prompt, ShellCommand, ToolCall};
    let (sel, rest) = data.split_first().unwrap_or((&0, &[]));
    let text = String::from_utf8_lossy(rest).into_owned();
    let cfg = Config::parse("").unwrap();
    let path = PATHS[*sel as usize % PATHS.len()];
    let check = |t: &str, fs: Result<Vec<Finding>, String>| {
        for f in fs.unwrap_or_default() {
            check_finding(t, &f, masked(&f.rule_id));
        }
    };
    match sel % 4 {
        0 => check(&text, skill.analyze_file(&Document::new(path, text.clone()), &cfg)),
        1 => check(
            &text,
            skill.analyze_command(
                &ShellCommand {
                    command: text.clone(),
                    cwd: "/repo".into(),
                },
                &cfg,
            ),
        ),
        2 => check(&text, skill.analyze_prompt(&Prompt { text: text.clone() }, &cfg)),
        _ => {
            // Tool-call spans are relative to the input JSON for
            // pii-detection and to each string value for the others, so
            // only the no-panic property is checked here.
            let _ = skill.analyze_tool_call(
                &ToolCall {
                    tool_name: "fs_write".into(),
                    server: String::new(),
                    input_json: text.clone(),
                },
                &cfg,
            );
        }
    }
}

/// Credential rules of banking-code-review (their evidence is masked; code
/// rules show a code snippet).
pub fn banking_credential_rule(rule: &str) -> bool {
    matches!(
        rule,
        "aws-access-key-id"
            | "aws-secret-access-key"
            | "github-token"
            | "gitlab-token"
            | "slack-token"
            | "stripe-live-key"
            | "google-api-key"
            | "azure-storage-key"
            | "jwt"
            | "database-url-password"
            | "basic-auth-url"
            | "hardcoded-password"
            | "generic-secret"
    )
}

/// Byte range of a span: the same algorithm as the host's
/// `kiro_guard::guard::span_bytes` (which the `host` targets call directly),
/// so the skill targets build without the host.
pub fn span_bytes(text: &str, span: &kiro_guard_skill::Span) -> Option<(usize, usize)> {
    let idx = kiro_guard_skill::text::LineIndex::new(text);
    let to_byte = |line: u32, col: u32| -> Option<usize> {
        // `LineIndex::position(text.len())` after a trailing newline is
        // (line_count + 1, 1); the host's `span_bytes` rejects it (reported
        // to the lead; found by these targets). Accept it here so the
        // targets keep looking for other bugs.
        if line as usize == idx.line_count() + 1 && col == 1 && text.ends_with('\n') {
            return Some(text.len());
        }
        if line == 0 || line as usize > idx.line_count().max(1) {
            return None;
        }
        let range = idx.line_range(line);
        let line_text = &text[range.clone()];
        let col = col.max(1) as usize - 1;
        let off = line_text
            .char_indices()
            .nth(col)
            .map(|(i, _)| i)
            .unwrap_or(line_text.len());
        Some(range.start + off)
    };
    let s = to_byte(span.line, span.column)?;
    let e = to_byte(span.end_line, span.end_column)?;
    (e >= s).then_some((s, e))
}
