//! The formats other systems ingest, checked against their published
//! schemas (vendored in tests/data/schemas, see the README there):
//!
//! - `scan --format gitlab`: GitLab's SAST report schema 15.1.0;
//! - `audit export --format ocsf`: the OCSF 1.1.0 Detection Finding class;
//! - `audit export` (flat and OCSF): the hash chain verifies from the export
//!   alone, and a changed, removed or reordered record does not.

#[path = "support/json_schema.rs"]
mod json_schema;

use json_schema::Validator;
use kiro_guard::audit::export::{self, ExportFormat};
use kiro_guard::audit::{AuditLog, AuditRecord, parse_time};
use kiro_guard::output::gitlab;
use kiro_guard::report::{Decision, ErrorEntry, ErrorKind, Report, Reported};
use kiro_guard_contract::{Reference, RuleInfo, Severity, SkillInfo};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::io::BufRead;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_kiro-guard");

fn schema(name: &str) -> Value {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/schemas")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap()
}

fn gitlab_schema() -> Value {
    schema("gitlab-sast-report-format-15.1.0.json")
}

fn ocsf_schema() -> Value {
    schema("ocsf-1.1.0-detection_finding.json")
}

fn reference(framework: &str, id: &str, title: &str) -> Reference {
    Reference {
        framework: framework.into(),
        id: id.into(),
        title: title.into(),
    }
}

fn finding(
    skill: &str,
    rule: &str,
    severity: Severity,
    path: &str,
    line: u32,
    evidence: &str,
) -> Reported {
    Reported {
        skill: skill.into(),
        rule: rule.into(),
        severity,
        path: path.into(),
        line,
        column: 5,
        end_line: line,
        end_column: 14,
        message: format!("{rule} found"),
        evidence: evidence.into(),
        references: vec![
            reference("MAS TRM", "11.1", "Data Security"),
            reference("CWE", "CWE-798", "Use of Hard-coded Credentials"),
        ],
        remediation: "Move it to the secrets manager.".into(),
        fingerprint: format!("fp-{rule}-{line}"),
    }
}

fn sample_report() -> Report {
    Report {
        findings: vec![
            finding(
                "pii-detection",
                "nric-fin",
                Severity::Block,
                "./src/pay.py",
                7,
                "S****567D",
            ),
            finding(
                "banking-code-review",
                "weak-hash",
                Severity::Warn,
                "src/crypto.java",
                12,
                "MD5",
            ),
            finding(
                "pii-detection",
                "email",
                Severity::Info,
                "README.md",
                1,
                "a***@example.com",
            ),
        ],
        errors: vec![
            ErrorEntry {
                kind: ErrorKind::SkillError,
                skill: Some("mas-compliance-review".into()),
                path: Some("infra/main.tf".into()),
                message: "fuel exhausted".into(),
            },
            ErrorEntry {
                kind: ErrorKind::Skipped,
                skill: None,
                path: Some("big.bin".into()),
                message: "binary file".into(),
            },
        ],
        suppressed: 0,
        items: 4,
        bytes: 1000,
    }
}

fn catalogue() -> SkillInfo {
    SkillInfo {
        name: "pii-detection".into(),
        version: "0.1.0".into(),
        description: String::new(),
        rules: vec![RuleInfo {
            id: "nric-fin".into(),
            title: "NRIC number with a valid check letter".into(),
            default_severity: Severity::Block,
            languages: vec![],
            references: vec![],
            remediation: String::new(),
        }],
    }
}

// ------------------------------------------------------------ validator ----

#[test]
fn validator_rejects_what_the_gitlab_schema_forbids() {
    let s = gitlab_schema();
    let v = Validator::new(&s);
    let good = json!({
        "version": "15.1.0",
        "scan": {
            "analyzer": {"id": "a", "name": "a", "version": "1", "vendor": {"name": "v"}},
            "scanner": {"id": "a", "name": "a", "version": "1", "vendor": {"name": "v"}},
            "type": "sast", "start_time": "2025-01-01T00:00:00", "end_time": "2025-01-01T00:00:01",
            "status": "success"
        },
        "vulnerabilities": [{
            "id": "x", "name": "n", "identifiers": [{"type": "t", "name": "n", "value": "v"}],
            "location": {"file": "a.py", "start_line": 1}, "severity": "High"
        }]
    });
    assert_eq!(v.errors(&good), Vec::<String>::new());
    let mutations: &[(&str, Value)] = &[
        ("/vulnerabilities/0/severity", json!("Severe")),
        ("/scan/end_time", json!("2025-01-01T00:00:01.123Z")),
        ("/scan/type", json!("secret_detection")),
        ("/vulnerabilities/0/identifiers", json!([])),
        ("/version", json!("15.1")),
        ("/vulnerabilities/0/name", json!("n".repeat(256))),
    ];
    for (ptr, bad) in mutations {
        let mut doc = good.clone();
        *doc.pointer_mut(ptr).unwrap() = bad.clone();
        assert!(!v.errors(&doc).is_empty(), "{ptr} = {bad} was accepted");
    }
    let mut missing = good.clone();
    missing.as_object_mut().unwrap().remove("scan");
    assert!(
        !v.errors(&missing).is_empty(),
        "a report without scan was accepted"
    );
}

#[test]
fn validator_rejects_what_the_ocsf_class_forbids() {
    let s = ocsf_schema();
    let v = Validator::new(&s);
    let good = json!({
        "activity_id": 1, "category_uid": 2, "class_uid": 2004, "type_uid": 200401,
        "severity_id": 4, "time": 1,
        "finding_info": {"title": "t", "uid": "u"},
        "metadata": {"version": "1.1.0", "product": {"name": "p", "vendor_name": "v"}}
    });
    assert_eq!(v.errors(&good), Vec::<String>::new());
    let mutations: &[(&str, Value)] = &[
        ("/class_uid", json!(2001)),
        ("/type_uid", json!(200405)),
        ("/severity_id", json!(7)),
        ("/time", json!("2025-01-01")),
        ("/finding_info", json!({"title": "t"})),
        ("/metadata/product", json!({"name": "no vendor"})),
    ];
    for (ptr, bad) in mutations {
        let mut doc = good.clone();
        *doc.pointer_mut(ptr).unwrap() = bad.clone();
        assert!(!v.errors(&doc).is_empty(), "{ptr} = {bad} was accepted");
    }
    let mut extra = good.clone();
    extra["actor"] = json!({"user": {"name": "x"}});
    assert!(
        !v.errors(&extra).is_empty(),
        "a property outside the class was accepted"
    );
}

// --------------------------------------------------------------- gitlab ----

#[test]
fn gitlab_report_matches_the_published_schema() {
    let info = catalogue();
    let out = gitlab::sast(
        &sample_report(),
        &[&info],
        Duration::from_millis(1500),
        parse_time("2025-01-31T09:15:02.900Z").unwrap(),
    );
    let doc: Value = serde_json::from_str(&out).unwrap();
    let s = gitlab_schema();
    assert_eq!(Validator::new(&s).errors(&doc), Vec::<String>::new());
    assert_eq!(
        doc["version"], s["self"]["version"],
        "declared version is the vendored schema's"
    );

    let vulns = doc["vulnerabilities"].as_array().unwrap();
    assert_eq!(vulns.len(), 3);
    let sev: Vec<&str> = vulns
        .iter()
        .map(|v| v["severity"].as_str().unwrap())
        .collect();
    assert_eq!(sev, ["High", "Medium", "Info"]);
    assert_eq!(vulns[0]["name"], "NRIC number with a valid check letter");
    assert_eq!(vulns[0]["location"]["file"], "src/pay.py");
    assert_eq!(
        vulns[0]["identifiers"][0]["value"],
        "pii-detection/nric-fin"
    );
    let cwe = vulns[0]["identifiers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["type"] == "cwe")
        .expect("the CWE reference is an identifier");
    assert_eq!(
        cwe["url"],
        "https://cwe.mitre.org/data/definitions/798.html"
    );
    let mut ids: Vec<&str> = vulns.iter().map(|v| v["id"].as_str().unwrap()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 3, "vulnerability ids are unique");
    assert_eq!(
        doc["scan"]["status"], "failure",
        "a skill error is a failed scan"
    );
    assert_eq!(doc["scan"]["start_time"], "2025-01-31T09:15:01");
    assert_eq!(doc["scan"]["end_time"], "2025-01-31T09:15:02");
    assert_eq!(doc["scan"]["messages"].as_array().unwrap().len(), 2);
    assert!(
        vulns[0]["description"]
            .as_str()
            .unwrap()
            .contains("S****567D")
    );
}

#[test]
fn gitlab_report_of_a_clean_scan_is_valid_and_successful() {
    let out = gitlab::sast(
        &Report::default(),
        &[],
        Duration::ZERO,
        parse_time("2025-01-31T09:15:02Z").unwrap(),
    );
    let doc: Value = serde_json::from_str(&out).unwrap();
    let s = gitlab_schema();
    assert_eq!(Validator::new(&s).errors(&doc), Vec::<String>::new());
    assert_eq!(doc["scan"]["status"], "success");
    assert_eq!(doc["vulnerabilities"], json!([]));
}

#[test]
fn scan_of_the_demo_as_gitlab_report() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/demo");
    let run = |format: &str| {
        Command::new(BIN)
            .args(["scan", "--format", format])
            .arg(&demo)
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };
    let gl = run("gitlab");
    assert_eq!(
        gl.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&gl.stderr)
    );
    let doc: Value = serde_json::from_slice(&gl.stdout).unwrap();
    let s = gitlab_schema();
    assert_eq!(Validator::new(&s).errors(&doc), Vec::<String>::new());
    let js: Value = serde_json::from_slice(&run("json").stdout).unwrap();
    let n = js["findings"].as_array().unwrap().len();
    assert!(n > 0);
    assert_eq!(doc["vulnerabilities"].as_array().unwrap().len(), n);
    let blocks = js["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "block")
        .count();
    let high = doc["vulnerabilities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["severity"] == "High")
        .count();
    assert_eq!(high, blocks);
}

// ---------------------------------------------------------- audit export ----

/// A log over two months: decisions of each kind, findings, a manual record.
fn sample_log(dir: &Path) {
    let log = AuditLog::new(dir.to_path_buf());
    let t = |s: &str| parse_time(s).unwrap();
    let nric = finding(
        "pii-detection",
        "nric-fin",
        Severity::Block,
        "src/customers.py",
        7,
        "S****567D",
    );
    let weak = finding(
        "banking-code-review",
        "weak-hash",
        Severity::Warn,
        "src/c.java",
        3,
        "MD5",
    );
    let recs = [
        AuditRecord::new("hook", Decision::Block)
            .findings(std::slice::from_ref(&nric))
            .tool("fs_write")
            .path("src/customers.py")
            .user("alice@bank.example.sg")
            .repo("payments-api")
            .time(t("2025-01-30T05:00:00.123Z")),
        AuditRecord::new("git-pre-commit", Decision::Warn)
            .findings(&[weak])
            .user("alice@bank.example.sg")
            .repo("payments-api")
            .time(t("2025-01-31T23:59:59.000Z")),
        AuditRecord::new("hook", Decision::Allow)
            .tool("Bash")
            .command("ls -la")
            .user("bob@bank.example.sg")
            .repo("payments-api")
            .time(t("2025-02-01T00:00:01.000Z")),
        AuditRecord::new("approval", Decision::Allow)
            .path("tests/fixtures/cards.csv")
            .note("CR-1234 approved")
            .user("carol@bank.example.sg")
            .repo("payments-api")
            .time(t("2025-02-03T08:00:00.000Z")),
    ];
    for r in &recs {
        log.append(r).unwrap();
    }
}

/// Every line of the log's month files, in order.
fn log_lines(dir: &Path) -> Vec<String> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    files
        .iter()
        .flat_map(|f| {
            std::fs::read_to_string(f)
                .unwrap()
                .lines()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}

fn sha(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

#[test]
fn ocsf_export_matches_the_detection_finding_class() {
    let dir = tempfile::tempdir().unwrap();
    sample_log(dir.path());
    let events = export::export_dir(dir.path(), ExportFormat::Ocsf, None).unwrap();
    assert_eq!(events.len(), 4, "one event per decision");
    let s = ocsf_schema();
    let v = Validator::new(&s);
    for e in &events {
        let doc: Value = serde_json::from_str(e).unwrap();
        assert_eq!(v.errors(&doc), Vec::<String>::new(), "{e}");
    }
    let first: Value = serde_json::from_str(&events[0]).unwrap();
    assert_eq!(first["class_uid"], 2004);
    assert_eq!(first["severity_id"], 4);
    assert_eq!(first["time"], 1738213200123_i64);
    assert_eq!(
        first["finding_info"]["types"],
        json!(["pii-detection/nric-fin"])
    );
    assert_eq!(first["resources"][0]["name"], "src/customers.py");
    assert_eq!(
        first["unmapped"]["kiro_guard"]["user"],
        "alice@bank.example.sg"
    );
    assert_eq!(
        first["unmapped"]["kiro_guard"]["findings"][0]["evidence"],
        "S****567D"
    );
    assert_eq!(
        first["unmapped"]["kiro_guard"]["chain_lines"]
            .as_array()
            .unwrap()
            .len(),
        1,
        "the January header travels with the first decision"
    );
    let sev: Vec<i64> = events
        .iter()
        .map(|e| {
            serde_json::from_str::<Value>(e).unwrap()["severity_id"]
                .as_i64()
                .unwrap()
        })
        .collect();
    assert_eq!(sev, [4, 3, 1, 1]);
}

#[test]
fn chain_verifies_from_either_export_and_catches_tampering() {
    let dir = tempfile::tempdir().unwrap();
    sample_log(dir.path());
    let lines = log_lines(dir.path());
    assert_eq!(lines.len(), 6, "two headers and four decisions");
    for format in [ExportFormat::Flat, ExportFormat::Ocsf] {
        let exported = export::export_dir(dir.path(), format, None).unwrap();
        let text = exported.join("\n") + "\n";
        let orig = export::original_lines(format, &text).unwrap();
        assert_eq!(orig, lines, "{format:?} carries every line byte for byte");
        let check = export::verify_lines(&orig).unwrap();
        assert_eq!(check.lines, 6);
        assert_eq!(check.anchor, "0".repeat(64));
        assert_eq!(check.head, sha(lines.last().unwrap()));

        // A changed decision.
        let forged = text.replacen(r#"\"decision\":\"block\""#, r#"\"decision\":\"allow\""#, 1);
        let forged = if forged == text {
            text.replacen(r#""decision":"block""#, r#""decision":"allow""#, 1)
        } else {
            forged
        };
        assert_ne!(forged, text, "{format:?}: the test changed nothing");
        let err = export::original_lines(format, &forged)
            .and_then(|l| export::verify_lines(&l))
            .unwrap_err();
        assert!(format!("{err:#}").contains("hash"), "{format:?}: {err:#}");

        // A removed record (the second exported line).
        let mut dropped = exported.clone();
        dropped.remove(1);
        let l = export::original_lines(format, &dropped.join("\n")).unwrap();
        let err = export::verify_lines(&l).unwrap_err();
        assert!(format!("{err:#}").contains("prev"), "{format:?}: {err:#}");

        // Two records swapped.
        let mut swapped = exported.clone();
        swapped.swap(1, 2);
        let l = export::original_lines(format, &swapped.join("\n")).unwrap();
        assert!(
            export::verify_lines(&l).is_err(),
            "{format:?}: a reorder verified"
        );
    }
}

#[test]
fn flat_export_is_the_log_with_its_file_name() {
    let dir = tempfile::tempdir().unwrap();
    sample_log(dir.path());
    let exported = export::export_dir(dir.path(), ExportFormat::Flat, None).unwrap();
    let files: Vec<String> = exported
        .iter()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["log_file"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        files,
        [
            "2025-01.jsonl",
            "2025-01.jsonl",
            "2025-01.jsonl",
            "2025-02.jsonl",
            "2025-02.jsonl",
            "2025-02.jsonl"
        ]
    );
    let kinds: Vec<String> = exported
        .iter()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["kind"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "header", "decision", "decision", "header", "decision", "decision"
        ]
    );
}

#[test]
fn since_starts_at_the_first_record_at_or_after_it() {
    let dir = tempfile::tempdir().unwrap();
    sample_log(dir.path());
    let since = Some(parse_time("2025-01-31T00:00:00Z").unwrap());
    let exported = export::export_dir(dir.path(), ExportFormat::Flat, since).unwrap();
    let lines = log_lines(dir.path());
    // From the second decision on: it, the February header, two decisions.
    assert_eq!(exported.len(), 4);
    let orig = export::original_lines(ExportFormat::Flat, &exported.join("\n")).unwrap();
    assert_eq!(orig, lines[2..]);
    let check = export::verify_lines(&orig).unwrap();
    assert_eq!(
        check.anchor,
        sha(&lines[1]),
        "anchored on the line before the export"
    );

    let later = Some(parse_time("2026-01-01T00:00:00Z").unwrap());
    assert!(
        export::export_dir(dir.path(), ExportFormat::Ocsf, later)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn cli_export_prints_what_the_library_exports() {
    let dir = tempfile::tempdir().unwrap();
    sample_log(dir.path());
    for (flag, format) in [("flat", ExportFormat::Flat), ("ocsf", ExportFormat::Ocsf)] {
        let out = Command::new(BIN)
            .args(["audit", "export", "--format", flag, "--dir"])
            .arg(dir.path())
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let want = export::export_dir(dir.path(), format, None)
            .unwrap()
            .join("\n")
            + "\n";
        assert_eq!(String::from_utf8(out.stdout).unwrap(), want);
    }
    let missing = dir.path().join("nope");
    let out = Command::new(BIN)
        .args(["audit", "export", "--dir"])
        .arg(&missing)
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no audit log"));
    let out = Command::new(BIN)
        .args(["audit", "export", "--since", "last tuesday", "--dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--since"));
}

#[test]
fn cli_verifies_an_export_read_back_from_a_siem() {
    let dir = tempfile::tempdir().unwrap();
    sample_log(dir.path());
    let exports = tempfile::tempdir().unwrap();
    let verify = |format: &str, text: &str| {
        let f = exports.path().join(format!("export-{format}.jsonl"));
        std::fs::write(&f, text).unwrap();
        Command::new(BIN)
            .args(["audit", "export", "--format", format, "--verify"])
            .arg(&f)
            .output()
            .unwrap()
    };
    for (flag, format) in [("flat", ExportFormat::Flat), ("ocsf", ExportFormat::Ocsf)] {
        let text = export::export_dir(dir.path(), format, None)
            .unwrap()
            .join("\n")
            + "\n";
        let ok = verify(flag, &text);
        assert_eq!(
            ok.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&ok.stdout)
        );
        assert!(String::from_utf8_lossy(&ok.stdout).contains("chain verified: 6 line(s)"));
        let lines: Vec<&str> = text.lines().collect();
        let cut = lines[..1]
            .iter()
            .chain(&lines[2..])
            .copied()
            .collect::<Vec<_>>()
            .join("\n");
        let bad = verify(flag, &cut);
        assert_eq!(
            bad.status.code(),
            Some(1),
            "{flag}: a removed record verified"
        );
        assert!(String::from_utf8_lossy(&bad.stdout).contains("FAILED"));
    }
    // The month files' own lines, as a shipper that tails them sends them.
    let raw = log_lines(dir.path()).join("\n");
    let ok = verify("flat", &raw);
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );
}

#[test]
fn follow_prints_records_as_they_are_appended() {
    let dir = tempfile::tempdir().unwrap();
    sample_log(dir.path());
    let mut child = Command::new(BIN)
        .args([
            "audit",
            "export",
            "--follow",
            "--poll-ms",
            "50",
            "--format",
            "ocsf",
            "--dir",
        ])
        .arg(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for l in std::io::BufReader::new(stdout).lines() {
            if tx.send(l.unwrap()).is_err() {
                break;
            }
        }
    });
    let wait = Duration::from_secs(20);
    for _ in 0..4 {
        rx.recv_timeout(wait).expect("the existing records");
    }
    // A new month: its header travels with the new decision.
    AuditLog::new(dir.path().to_path_buf())
        .append(
            &AuditRecord::new("hook", Decision::Block)
                .tool("fs_write")
                .path("app.py")
                .user("dave@bank.example.sg")
                .repo("payments-api")
                .time(parse_time("2025-03-01T10:00:00Z").unwrap()),
        )
        .unwrap();
    let line = rx.recv_timeout(wait).expect("the appended record");
    let _ = child.kill();
    let _ = child.wait();
    let ev: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(ev["unmapped"]["kiro_guard"]["user"], "dave@bank.example.sg");
    assert_eq!(ev["unmapped"]["kiro_guard"]["log_file"], "2025-03.jsonl");
    assert_eq!(
        ev["unmapped"]["kiro_guard"]["chain_lines"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let s = ocsf_schema();
    assert_eq!(Validator::new(&s).errors(&ev), Vec::<String>::new());
}
