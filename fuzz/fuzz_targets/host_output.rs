#![no_main]
//! The host's handling of arbitrary skill output after validation: findings
//! with arbitrary spans and strings go through span mapping, inline
//! suppression, the decision, sorting and the JSON and text renderers.
use kiro_guard::config::OnError;
use kiro_guard::guard::{span_bytes, span_text};
use kiro_guard::report::{ErrorEntry, ErrorKind, Report, Reported};
use kiro_guard_skill::{Severity, Span};
use libfuzzer_sys::arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let text = String::arbitrary(&mut u).unwrap_or_default();
    let mut report = Report::default();
    for _ in 0..u.int_in_range(0..=8u8).unwrap_or(0) {
        let span = Span {
            line: u32::arbitrary(&mut u).unwrap_or(1) % 64,
            column: u32::arbitrary(&mut u).unwrap_or(1) % 128,
            end_line: u32::arbitrary(&mut u).unwrap_or(1) % 64,
            end_column: u32::arbitrary(&mut u).unwrap_or(1),
        };
        if let Some((s, e)) = span_bytes(&text, &span) {
            assert!(s <= e && e <= text.len());
        }
        let _ = span_text(&text, &span);
        let rule = String::arbitrary(&mut u).unwrap_or_default();
        let skill = String::arbitrary(&mut u).unwrap_or_default();
        let _ = kiro_guard::suppress::inline_suppression(&text, span.line, &skill, &rule);
        report.findings.push(Reported {
            skill,
            rule,
            severity: match u8::arbitrary(&mut u).unwrap_or(0) % 3 {
                0 => Severity::Info,
                1 => Severity::Warn,
                _ => Severity::Block,
            },
            path: String::arbitrary(&mut u).unwrap_or_default(),
            line: span.line,
            column: span.column,
            end_line: span.end_line,
            end_column: span.end_column,
            message: String::arbitrary(&mut u).unwrap_or_default(),
            evidence: String::arbitrary(&mut u).unwrap_or_default(),
            references: Vec::new(),
            remediation: String::arbitrary(&mut u).unwrap_or_default(),
            fingerprint: String::new(),
        });
    }
    if bool::arbitrary(&mut u).unwrap_or(false) {
        report.errors.push(ErrorEntry {
            kind: ErrorKind::SkillError,
            skill: Some("x".into()),
            path: None,
            message: String::arbitrary(&mut u).unwrap_or_default(),
        });
    }
    let d = report.decision(OnError::Block);
    let _ = report.decision(OnError::Warn);
    report.sort();
    let json = kiro_guard::output::json(&report, d);
    serde_json::from_str::<serde_json::Value>(&json).expect("output::json is JSON");
    let _ = kiro_guard::output::text(&report, d, false);
});
