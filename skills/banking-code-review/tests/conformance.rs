//! Conformance: the credential cases of `tests/conformance/pii-pattern-cases.tsv`
//! and `tests/conformance/hook-tool-input-cases.tsv`, placeholders expanded at
//! run time as the files' headers describe (no token-shaped literal is
//! committed).
//!
//! * `match` rows must produce a block finding of the mapped rule.
//! * `nomatch` rows must produce no block finding at all (stricter than "not
//!   this rule": a nomatch row is a value a user expects to pass).
//! * Hook rows: expected exit 2 → a block finding from the tool-call
//!   analysis; exit 0 → no finding. Rows for PII (NRIC, FIN, cards) belong to
//!   the `pii-detection` skill and are skipped here.
//!
//! Deliberate deviations: none.

use banking_code_review::{Settings, scan_command, scan_prompt, scan_tool_call};
use kiro_guard_skill::{Finding, Severity};
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/conformance")
}

/// Varied alphanumeric filler (not a real token; the GitHub CRC check fails).
fn filler(n: usize) -> String {
    const A: &[u8] = b"q7Wm2Zp9Lk4Xr8Tv3Bn6Hs1Df5Gj0Yc";
    (0..n)
        .map(|i| A[(i * 7 + i / 3) % A.len()] as char)
        .collect()
}

fn aws_example_secret() -> String {
    ["wJalrXUtnFEMI", "/K7MDENG/", "bPxRfiCY", "EXAMPLEKEY"].concat()
}

fn expand_pattern_case(s: &str) -> String {
    s.replace("{{PEM}}", &format!("{}{}", "-----BEG", "IN"))
        .replace("{{GHPAT}}", &format!("{}{}", "github_", "pat_"))
        .replace("{{GHP}}", &format!("{}{}", "gh", "p_"))
        .replace("{{GHO}}", &format!("{}{}", "gh", "o_"))
        .replace("{{TOK36}}", &filler(36))
        .replace("{{TOK82}}", &filler(82))
        .replace("{{ASIA}}", &format!("{}{}", "ASIA", "IOSFODNN7EXAMPLE"))
        .replace("{{AWS_SECRET}}", &aws_example_secret())
}

fn rules_for(pattern: &str) -> Option<&'static [&'static str]> {
    Some(match pattern {
        "aws_access_key_id" => &["aws-access-key-id"],
        "aws_secret_access_key" => &["aws-secret-access-key"],
        "github_token" => &["github-token"],
        "private_key" => &["private-key"],
        "password_assignment" => &["hardcoded-password", "generic-secret"],
        _ => return None,
    })
}

fn blocks(f: &[Finding]) -> Vec<&Finding> {
    f.iter().filter(|f| f.severity == Severity::Block).collect()
}

#[test]
fn pii_pattern_credential_cases() {
    let text = std::fs::read_to_string(root().join("pii-pattern-cases.tsv")).unwrap();
    let settings = Settings::default();
    let (mut run, mut failures) = (0, Vec::new());
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let mut cols = line.splitn(3, '\t');
        let (expect, pattern, input) = (
            cols.next().unwrap(),
            cols.next().unwrap(),
            cols.next().unwrap_or(""),
        );
        let Some(rules) = rules_for(pattern) else {
            continue;
        };
        run += 1;
        let input = expand_pattern_case(input);
        // Each row is a line of text of unknown kind: the prompt analysis
        // (prose rules, unquoted values allowed).
        let findings = scan_prompt(&input, &settings);
        let b = blocks(&findings);
        let ok = match expect {
            "match" => b.iter().any(|f| rules.contains(&f.rule_id.as_str())),
            "nomatch" => b.is_empty(),
            other => panic!("bad expectation {other}"),
        };
        // Evidence never contains the full matched input value.
        for f in &findings {
            assert!(
                !f.evidence.contains("EXAMPLEKEY") && !f.message.contains(&filler(36)),
                "unmasked evidence for {line}"
            );
        }
        if !ok {
            failures.push(format!(
                "{expect} {pattern} {line:?} -> {:?}",
                findings
                    .iter()
                    .map(|f| f.rule_id.as_str())
                    .collect::<Vec<_>>()
            ));
        }
    }
    assert!(run >= 40, "only {run} credential cases found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    println!("pii-pattern-cases: {run} credential cases passed");
}

#[test]
fn hook_tool_input_credential_cases() {
    let text = std::fs::read_to_string(root().join("hook-tool-input-cases.tsv")).unwrap();
    let settings = Settings::default();
    let gh = format!("{}{}{}", "gh", "p_", filler(36));
    let (mut run, mut failures) = (0, Vec::new());
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let mut cols = line.splitn(3, '\t');
        let (exit, desc, json) = (
            cols.next().unwrap(),
            cols.next().unwrap(),
            cols.next().unwrap(),
        );
        // PII rows belong to the pii-detection skill.
        if ["NRIC", "FIN", "card"].iter().any(|p| desc.contains(p)) {
            continue;
        }
        run += 1;
        let json = json
            .replace("__PEM_BEGIN__", &format!("{}{}", "-----BEG", "IN"))
            .replace("__GH_TOKEN__", &gh)
            .replace("__AWS_EXAMPLE_SECRET__", &aws_example_secret());
        let mut findings = scan_tool_call(&json, &settings);
        // Bash-style inputs also go through the command analysis.
        if let Some(cmd) = serde_json::from_str::<serde_json::Value>(&json)
            .ok()
            .and_then(|v| v.get("command").and_then(|c| c.as_str()).map(String::from))
        {
            findings.extend(scan_command(&cmd, &settings));
        }
        let blocked = !blocks(&findings).is_empty();
        let ok = match exit {
            "2" => blocked,
            "0" => findings.is_empty(),
            other => panic!("bad exit {other}"),
        };
        if !ok {
            failures.push(format!(
                "{exit} {desc}: {:?}",
                findings
                    .iter()
                    .map(|f| f.rule_id.as_str())
                    .collect::<Vec<_>>()
            ));
        }
    }
    assert!(run >= 10, "only {run} cases");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    println!("hook-tool-input-cases: {run} credential cases passed");
}
