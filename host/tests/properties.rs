//! Property tests: the stable-toolchain fallback for the cargo-fuzz
//! targets in `fuzz/`. Same entry points, fewer and faster cases: hook
//! payload parsing, diff parsing, config parsing, edit application, each
//! skill's analysis natively, span and mask computation, the SDK's evasion
//! views and the host's handling of arbitrary findings.
//!
//! Properties: no panic; spans inside the input (checked with the host's own
//! `span_bytes`); evidence of a PII/credential finding never equals or
//! contains the matched text of 6+ alphanumerics; masks hide values of 6+
//! alphanumerics; line ranges are 1-based and ordered.

use kiro_guard::config::{Config, OnError};
use kiro_guard::guard::{span_bytes, span_text};
use kiro_guard::hook::edit::{apply, changed_lines};
use kiro_guard::hook::payload::{Dialect, legacy_event, parse_payload, path_from_response};
use kiro_guard::report::{Report, Reported};
use kiro_guard_skill::text::LineIndex;
use kiro_guard_skill::{
    Config as SkillConfig, Document, Finding, Prompt, Severity, ShellCommand, Skill, Span,
    ToolCall, evasion, mask,
};
use proptest::prelude::*;
use std::path::Path;

/// Text that exercises the scanners: digits, letters, quotes, escapes,
/// separators, newlines, and the Unicode the evasion layer folds.
fn texty() -> impl Strategy<Value = String> {
    let atoms = prop_oneof![
        4 => "[A-Za-z0-9]{1,12}",
        2 => "[ \t\n\r\"'`+.%\\\\=:;,/@_#-]{1,3}",
        1 => Just("S1234567D".to_string()),
        1 => Just("4111 1111 1111 1111".to_string()),
        1 => Just("ghp_".to_string()),
        1 => Just("password = ".to_string()),
        1 => Just("Ｓ１２３".to_string()),
        1 => Just("\u{200B}".to_string()),
        1 => Just("\u{00AD}".to_string()),
        1 => Just("Ѕ".to_string()),
        1 => Just("%53%31".to_string()),
        1 => Just("\\u0034".to_string()),
        1 => Just("UzEyMzQ1NjdE".to_string()),
        1 => Just("5331323334353637".to_string()),
        1 => any::<String>(),
    ];
    prop::collection::vec(atoms, 0..24).prop_map(|v| v.concat())
}

/// Arbitrary bytes decoded lossily, the way the host reads files.
fn lossy() -> impl Strategy<Value = String> {
    prop::collection::vec(any::<u8>(), 0..300)
        .prop_map(|b| String::from_utf8_lossy(&b).into_owned())
}

fn check_findings(text: &str, findings: &[Finding], masked: &dyn Fn(&str) -> bool) {
    for f in findings {
        let s = &f.span;
        assert!(s.line >= 1 && s.column >= 1, "{f:?}");
        assert!((s.end_line, s.end_column) >= (s.line, s.column), "{f:?}");
        let (a, b) = span_bytes(text, s).unwrap_or_else(|| panic!("span outside: {f:?}"));
        let covered = &text[a..b];
        if masked(&f.rule_id) && covered.chars().filter(|c| c.is_alphanumeric()).count() >= 6 {
            assert!(
                !f.evidence.contains(covered),
                "evidence leaks {covered:?}: {f:?}"
            );
        }
    }
}

fn run_skill<S: Skill>(skill: &S, path: &str, text: &str, masked: &dyn Fn(&str) -> bool) {
    let cfg = SkillConfig::parse("").unwrap();
    let doc = Document::new(path, text);
    check_findings(text, &skill.analyze_file(&doc, &cfg).unwrap(), masked);
    let cmd = ShellCommand {
        command: text.into(),
        cwd: "/repo".into(),
    };
    check_findings(text, &skill.analyze_command(&cmd, &cfg).unwrap(), masked);
    let p = Prompt { text: text.into() };
    check_findings(text, &skill.analyze_prompt(&p, &cfg).unwrap(), masked);
    let json = serde_json::json!({"file_path": path, "content": text}).to_string();
    let call = ToolCall {
        tool_name: "Write".into(),
        server: String::new(),
        input_json: json,
    };
    let _ = skill.analyze_tool_call(&call, &cfg).unwrap();
}

fn banking_credential(rule: &str) -> bool {
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

const PATHS: &[&str] = &[
    "src/app.py",
    "src/Main.java",
    "web/app.ts",
    "cmd/main.go",
    "config/app.yaml",
    ".env",
    "main.tf",
    ".kiro/settings/mcp.json",
    "notes.md",
    "app.log",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn guard_file_checks_never_panic(s in texty(), bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join(".kiro/hooks")).unwrap();
        let g = kiro_guard::hook::guard_files::GuardFiles::new(d.path(), &[]);
        let _ = g.check_command(d.path(), &s);
        let _ = g.check_command(d.path(), &String::from_utf8_lossy(&bytes));
        let _ = g.check_tool(d.path(), "mcp__fs__write_file", &serde_json::json!({"path": s}));
        // The tolerant reader agrees with serde_json where serde_json reads.
        if let Ok(strict) = serde_json::from_slice::<serde_json::Value>(&bytes) {
            prop_assert_eq!(kiro_guard::hook::json::parse(&bytes).ok(), Some(strict));
        }
    }

    #[test]
    fn hook_payloads_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400), s in texty()) {
        let _ = parse_payload(&bytes, None);
        for d in [Dialect::KiroV1, Dialect::KiroCli, Dialect::KiroIdeLegacy, Dialect::Claude] {
            let _ = parse_payload(&bytes, Some(d));
        }
        // Structured payloads with arbitrary field values.
        let v = serde_json::json!({
            "hook_event_name": s, "cwd": "/repo", "tool_name": s,
            "tool_input": {"file_path": s, "content": s, "command": s},
            "tool_response": s,
        });
        let _ = parse_payload(v.to_string().as_bytes(), None);
        let _ = legacy_event(&s, None);
        let _ = legacy_event(&s, Some("fileEdited"));
        let _ = path_from_response(&serde_json::Value::String(s.clone()));
        let _ = path_from_response(&serde_json::json!({"result": [s]}));
    }

    #[test]
    fn diff_ranges_are_ordered(s in texty(), n in 0u32..50, m in 0u32..50) {
        let diff = format!("--- a/x\n+++ b/src/x.py\n@@ -1,{n} +{m},{n} @@\n+{s}\n");
        for text in [s.as_str(), diff.as_str()] {
            for (_, ranges) in kiro_guard::diff::added_lines(text) {
                for r in ranges {
                    prop_assert!(r.start >= 1 && r.end >= r.start, "{r:?}");
                }
            }
        }
    }

    #[test]
    fn config_parse_never_panics(s in texty(), key in "[a-z_]{1,12}", val in texty()) {
        let _ = Config::parse(&s, Path::new("/repo/.kiro-guard.toml"));
        let toml = format!("version = 1\n{key} = {val:?}\n[rules]\n{key} = {val:?}\n");
        let _ = Config::parse(&toml, Path::new("/repo/.kiro-guard.toml"));
    }

    #[test]
    fn edits_apply_without_panic(before in texty(), old in texty(), new in texty(), exists in any::<bool>()) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.py");
        if exists {
            std::fs::write(&path, &before).unwrap();
        }
        let p = path.to_string_lossy().into_owned();
        let inputs = [
            ("fs_write", serde_json::json!({"command": "str_replace", "path": p, "old_str": old, "new_str": new})),
            ("fs_write", serde_json::json!({"command": "insert", "path": p, "insert_line": 3, "new_str": new})),
            ("fs_write", serde_json::json!({"command": "append", "path": p, "new_str": new})),
            ("Edit", serde_json::json!({"file_path": p, "old_string": old, "new_string": new, "replace_all": exists})),
            ("MultiEdit", serde_json::json!({"file_path": p, "edits": [{"old_string": old, "new_string": new}]})),
            ("Write", serde_json::json!({"file_path": p, "content": new})),
        ];
        for (tool, input) in inputs {
            if let Ok(e) = apply(tool, &input, None, 1 << 20)
                && let Some(ch) = &e.changed
            {
                for r in ch {
                    prop_assert!(r.start >= 1 && r.end >= r.start, "{r:?}");
                }
            }
        }
        for r in changed_lines(&before, &new) {
            prop_assert!(r.start >= 1 && r.end >= r.start);
        }
        prop_assert!(changed_lines(&before, &before).is_empty());
    }

    #[test]
    fn pii_detection_spans_and_masks(path in prop::sample::select(PATHS), s in texty()) {
        run_skill(&pii_detection::PiiDetection::new(), path, &s, &|_| true);
    }

    #[test]
    fn banking_code_review_spans_and_masks(path in prop::sample::select(PATHS), s in texty()) {
        run_skill(&banking_code_review::BankingCodeReview::new(), path, &s, &banking_credential);
    }

    #[test]
    fn mas_compliance_review_spans(path in prop::sample::select(PATHS), s in texty()) {
        run_skill(&mas_compliance_review::MasComplianceReview::new(), path, &s, &|_| false);
    }

    #[test]
    fn skills_survive_invalid_utf8(s in lossy()) {
        run_skill(&pii_detection::PiiDetection::new(), "a.py", &s, &|_| true);
        run_skill(&banking_code_review::BankingCodeReview::new(), "a.py", &s, &banking_credential);
    }

    #[test]
    fn spans_round_trip_through_the_host(s in prop_oneof![texty(), lossy()], a in any::<usize>(), b in any::<usize>()) {
        let idx = LineIndex::new(&s);
        let fl = |i: usize| kiro_guard_skill::text::floor_char_boundary(&s, i % (s.len() + 1));
        let (x, y) = (fl(a), fl(b));
        let (start, end) = (x.min(y), x.max(y));
        let span = idx.span(start, end);
        if !s.contains('\r') {
            prop_assert_eq!(span_bytes(&s, &span), Some((start, end)));
        }
        let _ = span_text(&s, &span);
    }

    #[test]
    fn masks_hide_values(v in prop_oneof!["[A-Za-z0-9@._ -]{0,40}", any::<String>()]) {
        let alnum = v.chars().filter(|c| c.is_alphanumeric()).count();
        let digits = v.chars().filter(|c| c.is_ascii_digit()).count();
        for m in [mask::mask_nric(&v), mask::mask_email(&v), mask::mask_secret(&v), mask::mask_middle(&v, 2, 2)] {
            if alnum >= 6 {
                prop_assert_ne!(&m, &v);
            }
        }
        for m in [mask::mask_card(&v), mask::mask_digits_keep_last(&v, 4)] {
            if digits >= 6 {
                prop_assert_ne!(&m, &v);
            }
        }
    }

    #[test]
    fn evasion_views_map_inside_the_original(s in prop_oneof![texty(), lossy()]) {
        for v in evasion::views(&s) {
            if v.is_blob() {
                prop_assert!(v.text.len() <= evasion::MAX_DECODED);
            }
            let n = v.text.len();
            for (a, b) in [(0, n), (0, 0), (n / 3, n / 2), (n, n)] {
                let (x, y) = v.original_range(a, b);
                prop_assert!(x <= y && y <= s.len());
                prop_assert!(s.is_char_boundary(x) && s.is_char_boundary(y));
            }
        }
    }

    #[test]
    fn arbitrary_findings_are_handled(s in texty(), spans in prop::collection::vec((0u32..8, 0u32..40, 0u32..8, 0u32..40), 0..6), rule in "[a-z/-]{0,12}", ev in texty()) {
        let mut report = Report::default();
        for (l, c, el, ec) in spans {
            let span = Span { line: l, column: c, end_line: el, end_column: ec };
            if let Some((a, b)) = span_bytes(&s, &span) {
                prop_assert!(a <= b && b <= s.len());
            }
            let _ = kiro_guard::suppress::inline_suppression(&s, l, "pii-detection", &rule);
            report.findings.push(Reported {
                skill: "x".into(), rule: rule.clone(), severity: Severity::Warn, path: s.clone(),
                line: l, column: c, end_line: el, end_column: ec, message: s.clone(),
                evidence: ev.clone(), references: Vec::new(), remediation: String::new(),
                fingerprint: String::new(),
            });
        }
        let d = report.decision(OnError::Block);
        report.sort();
        let json = kiro_guard::output::json(&report, d);
        prop_assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok());
        let _ = kiro_guard::output::text(&report, d, false);
    }
}
