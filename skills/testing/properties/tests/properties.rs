//! Property tests: the stable-toolchain fallback for the cargo-fuzz
//! targets in `fuzz/` that run the skills and the SDK natively (the host's
//! are in `host/tests/properties.rs`). Same entry points, fewer and faster
//! cases: each skill's analysis of files, commands, prompts and tool calls,
//! the SDK's masks and evasion views.
//!
//! Properties: no panic; spans inside the input (checked with the
//! contract's `span_bytes`, the function the host uses); evidence of a
//! PII/credential finding never equals or contains the matched text of 6+
//! alphanumerics; masks hide values of 6+ alphanumerics; evasion views map
//! back inside the original text.

use kiro_guard_properties::{lossy, texty};
use kiro_guard_skill::text::span_bytes;
use kiro_guard_skill::{
    Config as SkillConfig, Document, Finding, Prompt, ShellCommand, Skill, ToolCall, evasion, mask,
};
use proptest::prelude::*;

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
}
