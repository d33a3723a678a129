//! End-to-end tests of `kiro-guard scan`, `skills`, `redact`: output formats
//! (snapshots), exit codes, configuration, pins, git modes, suppression.

mod common;

use common::*;
use serde_json::Value;
use std::path::Path;

fn scan(dir: &Path, args: &[&str]) -> std::process::Output {
    let out = kg(dir).arg("scan").args(args).output().unwrap();
    assert_no_leak(&out);
    out
}

fn fixture_dir() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(d.path().join("src")).unwrap();
    std::fs::write(
        d.path().join("src/customer.py"),
        "def owner():\n    return {\"nric\": \"S1234567D\", \"card\": \"4111 1111 1111 1111\"}\n\nKEY = \"AKIAIOSFODNN7EXAMPLE\"\n",
    )
    .unwrap();
    std::fs::write(
        d.path().join("src/clean.py"),
        "def add(a, b):\n    return a + b\n",
    )
    .unwrap();
    d
}

#[test]
fn json_output_has_exactly_the_documented_shape() {
    let d = fixture_dir();
    let out = scan(d.path(), &["src", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let pos = |k: &str| {
        text.find(&format!("\"{k}\""))
            .unwrap_or_else(|| panic!("{k} missing"))
    };
    assert!(
        pos("version") < pos("decision")
            && pos("decision") < pos("findings")
            && pos("findings") < pos("errors")
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["decision", "errors", "findings", "version"]);
    assert_eq!(v["version"], 1);
    assert_eq!(v["decision"], "block");
    let f = &v["findings"].as_array().unwrap()[0];
    let mut fkeys: Vec<&str> = f.as_object().unwrap().keys().map(String::as_str).collect();
    fkeys.sort();
    let mut expected = [
        "skill",
        "rule",
        "severity",
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "message",
        "evidence",
        "references",
        "remediation",
    ];
    expected.sort();
    assert_eq!(fkeys, expected);
    let r = &f["references"][0];
    let mut rkeys: Vec<&str> = r.as_object().unwrap().keys().map(String::as_str).collect();
    rkeys.sort();
    assert_eq!(rkeys, ["framework", "id", "title"]);
    let rules: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    for expected in ["nric-fin", "payment-card", "aws-access-key-id"] {
        assert!(rules.contains(&expected), "{rules:?}");
    }
    let nric = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "nric-fin")
        .unwrap();
    assert_eq!(
        (
            nric["path"].as_str(),
            nric["line"].as_u64(),
            nric["column"].as_u64()
        ),
        (Some("src/customer.py"), Some(2), Some(22))
    );
    assert_eq!(nric["end_column"], 31);
    assert_eq!(nric["evidence"], "S****567D");
}

#[test]
fn text_output_snapshot() {
    let d = fixture_dir();
    let out = scan(d.path(), &["src/customer.py", "--skills", "pii-detection"]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!("text_output", stdout(&out));
}

#[test]
fn json_output_snapshot() {
    let d = fixture_dir();
    let out = scan(
        d.path(),
        &[
            "src/customer.py",
            "--skills",
            "pii-detection",
            "--format",
            "json",
        ],
    );
    insta::assert_snapshot!("json_output", stdout(&out));
}

#[test]
fn sarif_is_valid_2_1_0_with_rules_and_locations() {
    let d = fixture_dir();
    let out = scan(d.path(), &["src", "--format", "sarif"]);
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["version"], "2.1.0");
    assert!(v["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let run = &v["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "kiro-guard");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.len() >= 30, "every rule of every skill is listed");
    for r in rules {
        assert!(r["id"].as_str().unwrap().contains('/'));
        assert!(!r["help"]["text"].as_str().unwrap().is_empty());
        assert!(r["shortDescription"]["text"].is_string());
    }
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for res in results {
        let idx = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], res["ruleId"]);
        let region = &res["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1);
        assert!(matches!(
            res["level"].as_str(),
            Some("error" | "warning" | "note")
        ));
    }
    let results_only: Vec<Value> = results
        .iter()
        .filter(|r| r["ruleId"].as_str().unwrap().starts_with("pii-detection/"))
        .cloned()
        .collect();
    insta::assert_json_snapshot!("sarif_results", results_only);
}

#[test]
fn exit_codes_follow_fail_on() {
    let d = fixture_dir();
    assert_eq!(scan(d.path(), &["src/clean.py"]).status.code(), Some(0));
    assert_eq!(scan(d.path(), &["src/customer.py"]).status.code(), Some(1));
    assert_eq!(
        scan(d.path(), &["src/customer.py", "--fail-on", "never"])
            .status
            .code(),
        Some(0)
    );
    std::fs::write(
        d.path().join("warn.py"),
        "contact = \"jane.tan@dbs.com.sg\"\n",
    )
    .unwrap();
    assert_eq!(scan(d.path(), &["warn.py"]).status.code(), Some(0));
    assert_eq!(
        scan(d.path(), &["warn.py", "--fail-on", "warn"])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(scan(d.path(), &["--bogus"]).status.code(), Some(2));
    let missing = scan(d.path(), &["no-such-dir"]);
    assert_eq!(
        missing.status.code(),
        Some(1),
        "a missing path is an io error, which blocks under on_error = block"
    );
}

#[test]
fn config_errors_name_the_key_and_file() {
    let d = fixture_dir();
    std::fs::write(d.path().join(".kiro-guard.toml"), "enabled_skils = []\n").unwrap();
    let out = scan(d.path(), &["src"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("enabled_skils") && err.contains(".kiro-guard.toml"),
        "{err}"
    );
}

#[test]
fn rule_overrides_and_allowlists() {
    let d = fixture_dir();
    std::fs::write(
        d.path().join(".kiro-guard.toml"),
        "[rules]\nnric-fin = \"off\"\n\"pii-detection/payment-card\" = \"warn\"\n[allow]\nvalues = [\"^AKIA\"]\n",
    )
    .unwrap();
    let out = scan(d.path(), &["src", "--format", "json"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: Vec<(String, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(!rules.iter().any(|(r, _)| r == "nric-fin"), "{rules:?}");
    assert!(
        !rules.iter().any(|(r, _)| r == "aws-access-key-id"),
        "{rules:?}"
    );
    assert!(
        rules.contains(&("payment-card".into(), "warn".into())),
        "{rules:?}"
    );
}

#[test]
fn inline_suppression_needs_a_reason() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("a.py"),
        "x = \"S1234567D\"  # kiro-guard: allow nric-fin -- synthetic value for the demo\n",
    )
    .unwrap();
    assert_eq!(scan(d.path(), &["a.py"]).status.code(), Some(0));
    std::fs::write(
        d.path().join("a.py"),
        "x = \"S1234567D\"  # kiro-guard: allow nric-fin\n",
    )
    .unwrap();
    let out = scan(d.path(), &["a.py"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("has no reason"), "{}", stdout(&out));
}

#[test]
fn baseline_accepts_legacy_findings_and_catches_new_ones() {
    let d = fixture_dir();
    std::fs::write(
        d.path().join(".kiro-guard.toml"),
        "baseline = \"baseline.json\"\n",
    )
    .unwrap();
    let out = kg(d.path())
        .args(["scan", "src", "--write-baseline"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let baseline = std::fs::read_to_string(d.path().join("baseline.json")).unwrap();
    for v in sensitive_values() {
        assert!(!baseline.contains(&v), "baseline stores a value");
    }
    assert_eq!(scan(d.path(), &["src"]).status.code(), Some(0));
    std::fs::write(d.path().join("src/new.py"), "y = \"T1234567J\"\n").unwrap();
    let out = scan(d.path(), &["src", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["findings"].as_array().unwrap().len(), 1);
}

#[test]
fn staged_and_diff_count_only_added_lines() {
    let d = tempfile::tempdir().unwrap();
    init_repo(d.path());
    std::fs::write(d.path().join("a.py"), "legacy = \"S1234567D\"\n").unwrap();
    git(d.path(), &["add", "a.py"]);
    git(d.path(), &["commit", "-q", "--no-verify", "-m", "legacy"]);
    std::fs::write(d.path().join("a.py"), "legacy = \"S1234567D\"\nx = 1\n").unwrap();
    git(d.path(), &["add", "a.py"]);
    assert_eq!(
        scan(d.path(), &["--staged"]).status.code(),
        Some(0),
        "legacy line must not count"
    );
    std::fs::write(
        d.path().join("a.py"),
        "legacy = \"S1234567D\"\nx = 1\nnew = \"T1234567J\"\n",
    )
    .unwrap();
    // Unstaged change: --staged must not see it.
    assert_eq!(scan(d.path(), &["--staged"]).status.code(), Some(0));
    git(d.path(), &["add", "a.py"]);
    let out = scan(d.path(), &["--staged", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["findings"][0]["line"], 3);
    git(d.path(), &["commit", "-q", "--no-verify", "-m", "new"]);
    let out = scan(d.path(), &["--diff", "HEAD~1..HEAD", "--format", "json"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["findings"].as_array().unwrap().len(), 1);
    assert_eq!(v["findings"][0]["line"], 3);
}

#[test]
fn binary_oversized_and_non_utf8_files() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("blob.bin"), b"\x00\x01S1234567D\x00").unwrap();
    let mut bytes = b"caf\xe9 latin-1 line\n".to_vec();
    bytes.extend_from_slice(b"id = \"S1234567D\"\n");
    std::fs::write(d.path().join("latin1.txt"), bytes).unwrap();
    std::fs::write(d.path().join("big.txt"), "a".repeat(3 << 20)).unwrap();
    let out = scan(d.path(), &[".", "--format", "json"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = v["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0]["path"], "latin1.txt");
    assert_eq!(findings[0]["line"], 2);
    assert_eq!(findings[0]["column"], 7);
    let notes: Vec<String> = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["message"].as_str().unwrap().to_string())
        .collect();
    assert!(notes.iter().any(|n| n.contains("binary")), "{notes:?}");
    assert!(notes.iter().any(|n| n.contains("limit")), "{notes:?}");
}

#[test]
fn redact_masks_values_and_keeps_every_other_byte() {
    let d = tempfile::tempdir().unwrap();
    let input =
        "2026-11-01 INFO login user=S1234567D card=4111 1111 1111 1111 ok\nplain line stays\n";
    let mut c = kg(d.path());
    c.args(["redact", "-"]);
    let out = run_with_stdin(c, input.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_no_leak(&out);
    let red = stdout(&out);
    assert_eq!(
        red,
        "2026-11-01 INFO login user=S****567D card=**** **** **** 1111 ok\nplain line stays\n"
    );
    let f = d.path().join("log.txt");
    std::fs::write(&f, input).unwrap();
    let out = kg(d.path())
        .args(["redact", "--in-place", "log.txt"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(std::fs::read_to_string(&f).unwrap(), red);
}

/// Credentials of every provider are redacted, not only a fixed list: the
/// skill's credential rules are those citing CWE-798.
#[test]
fn redact_masks_provider_tokens() {
    let d = tempfile::tempdir().unwrap();
    // An npm access token shape, built at run time.
    let token = format!("npm_{}{}", "aB3dE5gH7jK9mN1pQ3sT5vW7y", "Z9b2C4d6F8h0");
    let input = format!("NPM_TOKEN={token}\nplain line stays\n");
    let mut c = kg(d.path());
    c.args(["redact", "-"]);
    let out = run_with_stdin(c, input.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let red = stdout(&out);
    assert!(!red.contains(&token), "token redacted: {red}");
    assert!(red.ends_with("\nplain line stays\n"), "{red}");
}

#[test]
fn skills_list_and_rules() {
    let d = tempfile::tempdir().unwrap();
    let out = kg(d.path())
        .args(["skills", "list", "--format", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "pii-detection",
            "banking-code-review",
            "mas-compliance-review"
        ]
    );
    let out = kg(d.path())
        .args(["skills", "rules", "pii-detection", "--format", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules = v[0]["rules"].as_array().unwrap();
    assert!(
        rules
            .iter()
            .any(|r| r["id"] == "nric-fin" && r["default_severity"] == "block")
    );
    assert!(
        rules
            .iter()
            .all(|r| !r["references"].as_array().unwrap().is_empty()),
        "every rule cites a reference"
    );
    let out = kg(d.path())
        .args(["skills", "rules", "nope"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn external_skills_are_pinned_and_tampering_is_refused() {
    let d = tempfile::tempdir().unwrap();
    let src = std::path::PathBuf::from(kiro_guard::runtime::TEST_SKILLS_DIR).join("misbehave.wasm");
    let bytes = std::fs::read(&src).unwrap();
    std::fs::write(d.path().join("skill.wasm"), &bytes).unwrap();
    let sha = kiro_guard::runtime::sha256_hex(&bytes);
    std::fs::write(
        d.path().join(".kiro-guard.toml"),
        format!("[[external_skills]]\npath = \"skill.wasm\"\nsha256 = \"{sha}\"\n"),
    )
    .unwrap();
    std::fs::write(d.path().join("a.txt"), "hello\n").unwrap();
    let out = scan(d.path(), &["a.txt", "--format", "json"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["skill"] == "misbehave"),
        "{v}"
    );
    // Tamper with one byte after pinning.
    let mut tampered = bytes.clone();
    let n = tampered.len();
    tampered[n - 1] ^= 0xff;
    std::fs::write(d.path().join("skill.wasm"), &tampered).unwrap();
    let out = scan(d.path(), &["a.txt"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("refused") && err.contains(&sha), "{err}");
}

#[test]
fn with_skill_prints_hash_and_pin_snippet() {
    let d = tempfile::tempdir().unwrap();
    let src = std::path::PathBuf::from(kiro_guard::runtime::TEST_SKILLS_DIR).join("misbehave.wasm");
    std::fs::write(d.path().join("a.txt"), "hello\n").unwrap();
    let out = kg(d.path())
        .args(["scan", "a.txt", "--with-skill"])
        .arg(&src)
        .output()
        .unwrap();
    let err = stderr(&out);
    let sha = kiro_guard::runtime::sha256_hex(&std::fs::read(&src).unwrap());
    assert!(
        err.contains(&sha) && err.contains("[[external_skills]]"),
        "{err}"
    );
    let forbidden = std::path::PathBuf::from(kiro_guard::runtime::TEST_SKILLS_DIR)
        .join("forbidden_import.wasm");
    let out = kg(d.path())
        .args(["scan", "a.txt", "--with-skill"])
        .arg(&forbidden)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("wasi:filesystem"), "{}", stderr(&out));
}

#[test]
fn skill_errors_follow_on_error() {
    let d = tempfile::tempdir().unwrap();
    let src = std::path::PathBuf::from(kiro_guard::runtime::TEST_SKILLS_DIR).join("misbehave.wasm");
    std::fs::write(d.path().join("a.txt"), "hello\n").unwrap();
    for (policy, code) in [("block", 1), ("warn", 0)] {
        std::fs::write(
            d.path().join(".kiro-guard.toml"),
            format!("on_error = \"{policy}\"\nenabled_skills = [\"misbehave\"]\n[skills.misbehave]\nmode = \"trap\"\n"),
        )
        .unwrap();
        let out = kg(d.path())
            .args(["scan", "a.txt", "--format", "json", "--with-skill"])
            .arg(&src)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(code), "{policy}: {}", stderr(&out));
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["errors"][0]["kind"], "skill-error");
        assert!(
            v["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("trapped")
        );
    }
}

#[test]
fn compliance_report_has_a_trm_matrix() {
    let d = fixture_dir();
    let out = kg(d.path())
        .args(["report", "compliance", "src", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_no_leak(&out);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let sections = v["sections"].as_array().unwrap();
    let s111 = sections
        .iter()
        .find(|s| s["section"] == "11.1")
        .expect("TRM 11.1 checked");
    assert_eq!(s111["status"], "fail");
    assert!(
        s111["rules"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r == "pii-detection/nric-fin")
    );
    assert!(v["failed"].as_u64().unwrap() >= 1);
    assert_eq!(
        v["total_sections"].as_u64().unwrap() as usize,
        sections.len()
    );
    let clean = kg(d.path())
        .args(["report", "compliance", "src/clean.py"])
        .output()
        .unwrap();
    assert_eq!(clean.status.code(), Some(0));
    assert!(
        stdout(&clean).contains("| 11.1 | Data Security | PASS |"),
        "{}",
        stdout(&clean)
    );
}

#[test]
fn scan_with_audit_appends_a_verifiable_record() {
    let d = fixture_dir();
    init_repo(d.path());
    let out = scan(d.path(), &["src", "--audit"]);
    assert_eq!(out.status.code(), Some(1));
    let dir = d.path().join(".kiro-guard/audit");
    let files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "jsonl"))
        .collect();
    assert_eq!(files.len(), 1);
    let log = std::fs::read_to_string(files[0].path()).unwrap();
    assert!(
        log.contains("\"event\":\"scan\"") && log.contains("nric-fin"),
        "{log}"
    );
    for v in sensitive_values() {
        assert!(!log.contains(&v), "audit log stores a full value");
    }
    let verify = kg(d.path())
        .args(["audit", "verify", "--dir"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(
        verify.status.code(),
        Some(0),
        "{}{}",
        stdout(&verify),
        stderr(&verify)
    );
}
