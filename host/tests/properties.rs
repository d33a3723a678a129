//! Property tests: the stable-toolchain fallback for the cargo-fuzz
//! targets in `fuzz/` that run the host. Same entry points, fewer and faster
//! cases: hook payload parsing, diff parsing, config parsing, edit
//! application, guard-file checks, span computation and the host's handling
//! of arbitrary findings. The skills' and the SDK's are in
//! `skills/testing/properties`.
//!
//! Properties: no panic; spans round-trip through the host's `span_bytes`;
//! line ranges are 1-based and ordered.

use kiro_guard::config::{Config, OnError};
use kiro_guard::guard::{span_bytes, span_text};
use kiro_guard::hook::edit::{apply, changed_lines};
use kiro_guard::hook::payload::{Dialect, legacy_event, parse_payload, path_from_response};
use kiro_guard::report::{Report, Reported};
use kiro_guard_contract::text::{LineIndex, floor_char_boundary};
use kiro_guard_contract::{Severity, Span};
use kiro_guard_properties::{lossy, texty};
use proptest::prelude::*;
use std::path::Path;

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
    fn spans_round_trip_through_the_host(s in prop_oneof![texty(), lossy()], a in any::<usize>(), b in any::<usize>()) {
        let idx = LineIndex::new(&s);
        let fl = |i: usize| floor_char_boundary(&s, i % (s.len() + 1));
        let (x, y) = (fl(a), fl(b));
        let (start, end) = (x.min(y), x.max(y));
        let span = idx.span(start, end);
        if !s.contains('\r') {
            prop_assert_eq!(span_bytes(&s, &span), Some((start, end)));
        }
        let _ = span_text(&s, &span);
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
