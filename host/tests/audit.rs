//! The audit trail: concurrency, tampering, crash repair, unwritable logs,
//! rotation and the compliance report (insta snapshots on a fixed log).

use kiro_guard::audit::chain::{self, check_line, seal, sha256_hex};
use kiro_guard::audit::report::{self, Options};
use kiro_guard::audit::verify::{self, Level};
use kiro_guard::audit::{AuditError, AuditFinding, AuditLog, AuditRecord, SkillStamp, parse_time};
use kiro_guard::output::ReportFormat;
use kiro_guard::report::{Decision, ErrorEntry, ErrorKind, Report, Reported};
use kiro_guard_contract::{Reference, Severity};
use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const BIN: &str = env!("CARGO_BIN_EXE_kiro-guard");

fn rec(time: &str, event: &str, decision: &str) -> AuditRecord {
    AuditRecord {
        time: time.into(),
        event: event.into(),
        decision: decision.into(),
        kiro_guard: "0.1.0".into(),
        user: "alice@bank.example.sg".into(),
        host: "ws-01".into(),
        repo: "payments-api".into(),
        duration_ms: 3.5,
        ..AuditRecord::default()
    }
}

fn lines_of(path: &Path) -> Vec<Vec<u8>> {
    let data = std::fs::read(path).unwrap();
    let mut v: Vec<Vec<u8>> = data.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
    if data.ends_with(b"\n") {
        v.pop();
    }
    v
}

fn write_lines(path: &Path, lines: &[Vec<u8>]) {
    let mut out = Vec::new();
    for l in lines {
        out.extend_from_slice(l);
        out.push(b'\n');
    }
    std::fs::write(path, out).unwrap();
}

/// The first error of verifying one file: (line, message).
fn first_error(path: &Path) -> Option<(u64, String)> {
    let (_, problems) = verify::verify_file(path).unwrap();
    problems
        .into_iter()
        .find(|p| p.level == Level::Error)
        .map(|p| (p.line, p.message))
}

/// A log of one month file with a header and `n` records: returns the file.
fn small_log(dir: &Path, n: usize) -> PathBuf {
    let log = AuditLog::new(dir.to_path_buf());
    for i in 0..n {
        let r = rec(
            &format!("2025-03-{:02}T10:00:00Z", i % 28 + 1),
            "hook",
            "allow",
        )
        .note(format!("record {i}"));
        log.append(&r).unwrap();
    }
    dir.join("2025-03.jsonl")
}

fn kiro(args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn append_writes_header_and_chain() {
    let dir = tempfile::tempdir().unwrap();
    let file = small_log(dir.path(), 3);
    let lines = lines_of(&file);
    assert_eq!(lines.len(), 4);
    let header = check_line(&lines[0]).unwrap();
    assert_eq!(header.kind, "header");
    assert_eq!(header.seq, 0);
    assert_eq!(header.prev, chain::ZERO_HASH);
    assert_eq!(header.value["file"], "2025-03.jsonl");
    for i in 1..4 {
        let p = check_line(&lines[i]).unwrap();
        assert_eq!(p.kind, "decision");
        assert_eq!(p.seq, i as u64);
        assert_eq!(p.prev, sha256_hex(&lines[i - 1]));
        assert_eq!(p.value["event"], "hook");
    }
    let v = verify::verify_files(&[file], true).unwrap();
    assert!(v.ok(), "{:?}", v.problems);
    assert_eq!(v.records(), 3);
    assert!(v.problems.is_empty(), "{:?}", v.problems);
}

#[test]
fn concurrent_processes_append_exactly_once_with_a_valid_chain() {
    const PROCS: usize = 50;
    const EACH: usize = 100;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap().to_string();
    let start = Instant::now();
    let children: Vec<_> = (0..PROCS)
        .map(|p| {
            let mut child = Command::new(BIN)
                .args(["audit", "log", "--dir", &d, "--json", "-"])
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            let mut input = String::new();
            for i in 0..EACH {
                let r = rec("2025-04-01T08:00:00Z", "hook", "allow")
                    .user(format!("dev{p}"))
                    .note(format!("p{p}-{i}"));
                input.push_str(&serde_json::to_string(&r).unwrap());
                input.push('\n');
            }
            child
                .stdin
                .take()
                .unwrap()
                .write_all(input.as_bytes())
                .unwrap();
            child
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let elapsed = start.elapsed();
    eprintln!("{PROCS} processes x {EACH} appends: {elapsed:?}");
    let file = dir.path().join("2025-04.jsonl");
    let lines = lines_of(&file);
    assert_eq!(
        lines.len(),
        1 + PROCS * EACH,
        "header + one line per append"
    );
    let mut notes = HashSet::new();
    for (i, l) in lines.iter().enumerate().skip(1) {
        let p = check_line(l).unwrap();
        assert_eq!(p.seq, i as u64);
        assert!(notes.insert(p.value["note"].as_str().unwrap().to_string()));
    }
    assert_eq!(notes.len(), PROCS * EACH, "no lost or duplicated record");
    let v = verify::verify_files(&[file], true).unwrap();
    assert!(v.ok() && v.warnings() == 0, "{:?}", v.problems);
    assert_eq!(v.records(), (PROCS * EACH) as u64);
    let out = kiro(&["audit", "verify", "--dir", &d, "--quiet"]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn tampering_is_detected_at_the_right_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = small_log(dir.path(), 8); // lines 1 (header) ..= 9
    let orig = lines_of(&file);
    assert!(first_error(&file).is_none());
    let case = |name: &str, lines: Vec<Vec<u8>>, raw_tail: Option<&[u8]>| -> (u64, String) {
        let p = dir.path().join(format!("{name}.jsonl"));
        write_lines(&p, &lines);
        if let Some(t) = raw_tail {
            let mut f = std::fs::OpenOptions::new().append(true).open(&p).unwrap();
            f.write_all(t).unwrap();
        }
        // Keep the header's file name check out of the way: verify under the original name.
        let target = dir.path().join("case").join("2025-03.jsonl");
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(&p, &target).unwrap();
        first_error(&target).unwrap_or_else(|| panic!("{name}: not detected"))
    };

    // A changed field (the line's own hash no longer matches).
    let mut l = orig.clone();
    l[4] = String::from_utf8(l[4].clone())
        .unwrap()
        .replace("\"allow\"", "\"block\"")
        .into_bytes();
    let (line, msg) = case("changed", l, None);
    assert_eq!(line, 5, "{msg}");
    assert!(msg.contains("altered"), "{msg}");

    // A changed field with its own hash recomputed: the next line's link breaks.
    let mut l = orig.clone();
    let mut v: serde_json::Value = serde_json::from_slice(&l[4]).unwrap();
    v["decision"] = "block".into();
    let obj = v.as_object_mut().unwrap();
    obj.remove("hash");
    let (kind, seq, prev) = (
        obj.remove("kind").unwrap(),
        obj.remove("seq").unwrap(),
        obj.remove("prev").unwrap(),
    );
    l[4] = seal(
        kind.as_str().unwrap(),
        seq.as_u64().unwrap(),
        prev.as_str().unwrap(),
        &v,
    )
    .unwrap()
    .into_bytes();
    assert!(check_line(&l[4]).is_ok());
    let (line, msg) = case("rehashed", l, None);
    assert_eq!(line, 6, "{msg}");
    assert!(msg.contains("chain broken"), "{msg}");

    // A deleted line.
    let mut l = orig.clone();
    l.remove(3);
    let (line, msg) = case("deleted", l, None);
    assert_eq!(line, 4, "{msg}");
    assert!(msg.contains("chain broken") && msg.contains("seq"), "{msg}");

    // Swapped lines.
    let mut l = orig.clone();
    l.swap(5, 6);
    let (line, msg) = case("swapped", l, None);
    assert_eq!(line, 6, "{msg}");

    // A truncated last line.
    let mut l = orig.clone();
    let last = l.pop().unwrap();
    let (line, msg) = case("truncated", l, Some(&last[..last.len() / 2]));
    assert_eq!(line, 9, "{msg}");
    assert!(msg.contains("line 9 incomplete (truncated write)"), "{msg}");

    // An appended forged line with a valid hash of its own but a wrong link.
    let mut l = orig.clone();
    let forged = seal(
        "decision",
        9,
        &sha256_hex(b"not the last line"),
        &rec("2025-03-30T00:00:00Z", "hook", "allow"),
    )
    .unwrap();
    assert!(check_line(forged.as_bytes()).is_ok());
    l.push(forged.into_bytes());
    let (line, msg) = case("forged", l, None);
    assert_eq!(line, 10, "{msg}");
    assert!(msg.contains("chain broken"), "{msg}");

    // The header removed.
    let mut l = orig.clone();
    l.remove(0);
    let (line, msg) = case("no-header", l, None);
    assert_eq!(line, 1, "{msg}");
    assert!(msg.contains("header"), "{msg}");

    // The CLI reports the line and exits 1.
    let mut l = orig.clone();
    l.remove(7);
    let p = dir.path().join("cli").join("2025-03.jsonl");
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    write_lines(&p, &l);
    let out = kiro(&["audit", "verify", p.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("2025-03.jsonl:8: chain broken"), "{stdout}");
    assert!(stdout.contains("verification FAILED"), "{stdout}");
}

#[test]
fn crash_mid_write_is_reported_then_repaired_by_the_next_append() {
    let dir = tempfile::tempdir().unwrap();
    let file = small_log(dir.path(), 3);
    let good = std::fs::read(&file).unwrap();
    // A crash: half of a fourth line, no newline.
    let partial = seal(
        "decision",
        4,
        &sha256_hex(lines_of(&file).last().unwrap()),
        &rec("2025-03-05T00:00:00Z", "hook", "block"),
    )
    .unwrap();
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&file)
        .unwrap();
    f.write_all(&partial.as_bytes()[..60]).unwrap();
    drop(f);
    let (line, msg) = first_error(&file).unwrap();
    assert_eq!(line, 5);
    assert!(msg.contains("line 5 incomplete (truncated write)"), "{msg}");
    let d = dir.path().to_str().unwrap();
    assert_eq!(
        kiro(&["audit", "verify", "--dir", d]).status.code(),
        Some(1)
    );

    // The next append terminates it and starts a new segment.
    let log = AuditLog::new(dir.path().to_path_buf());
    log.append(&rec("2025-03-06T00:00:00Z", "hook", "warn"))
        .unwrap();
    let lines = lines_of(&file);
    assert_eq!(lines.len(), 7, "4 good + partial + break + new record");
    assert!(std::fs::read(&file).unwrap().starts_with(&good));
    let brk = check_line(&lines[5]).unwrap();
    assert_eq!(brk.kind, "break");
    assert_eq!(brk.seq, 4);
    assert_eq!(
        brk.prev,
        sha256_hex(&lines[3]),
        "links over the broken line"
    );
    assert_eq!(brk.value["repair"]["line"], 5);
    assert_eq!(brk.value["repair"]["bytes"], 60);
    let rec7 = check_line(&lines[6]).unwrap();
    assert_eq!(rec7.seq, 5);

    let (summary, problems) = verify::verify_file(&file).unwrap();
    assert!(summary.ok, "{problems:?}");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].level, Level::Warning);
    assert_eq!(problems[0].line, 5);
    assert!(problems[0].message.contains("repaired by line 6"));
    let out = kiro(&["audit", "verify", "--dir", d]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("warning:") && stdout.contains(":5: incomplete line"));
    let out = kiro(&["audit", "verify", "--dir", d, "--strict"]);
    assert_eq!(out.status.code(), Some(1));

    // Tampering after the repair is still caught.
    let mut l = lines_of(&file);
    l.remove(2);
    write_lines(&file, &l);
    assert_eq!(first_error(&file).unwrap().0, 3);
}

#[test]
fn crash_while_writing_the_header_is_repaired() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("2025-03.jsonl");
    std::fs::write(&file, br#"{"kind":"header","seq":0,"pr"#).unwrap();
    assert_eq!(first_error(&file).unwrap().0, 1);
    let log = AuditLog::new(dir.path().to_path_buf());
    log.append(&rec("2025-03-06T00:00:00Z", "hook", "allow"))
        .unwrap();
    let lines = lines_of(&file);
    assert_eq!(lines.len(), 3);
    let h = check_line(&lines[1]).unwrap();
    assert_eq!(h.kind, "header");
    assert_eq!(h.value["repair"]["line"], 1);
    let (summary, problems) = verify::verify_file(&file).unwrap();
    assert!(summary.ok, "{problems:?}");
    assert_eq!(summary.records, 1);
    assert_eq!(problems[0].level, Level::Warning);
}

#[test]
fn a_complete_line_missing_only_its_newline_is_finished_not_broken() {
    let dir = tempfile::tempdir().unwrap();
    let file = small_log(dir.path(), 2);
    let data = std::fs::read(&file).unwrap();
    std::fs::write(&file, &data[..data.len() - 1]).unwrap();
    let (_, problems) = verify::verify_file(&file).unwrap();
    assert!(
        problems.iter().all(|p| p.level == Level::Warning),
        "{problems:?}"
    );
    AuditLog::new(dir.path().to_path_buf())
        .append(&rec("2025-03-07T00:00:00Z", "hook", "allow"))
        .unwrap();
    let (summary, problems) = verify::verify_file(&file).unwrap();
    assert!(summary.ok && problems.is_empty(), "{problems:?}");
    assert_eq!(summary.records, 3);
}

#[test]
fn unwritable_log_or_full_disk_is_an_error_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let r = rec("2025-03-06T00:00:00Z", "hook", "allow");

    // A directory that cannot be created (a file is in the way).
    std::fs::write(dir.path().join("plain-file"), "x").unwrap();
    let bad = dir.path().join("plain-file").join("audit");
    let err = format!("{:#}", AuditLog::new(bad.clone()).append(&r).unwrap_err());
    assert!(err.contains(&bad.display().to_string()), "{err}");

    // A read-only directory. Root ignores permission bits, so as root the
    // directory is made immutable instead (chattr +i) when that is possible.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        struct Restore(PathBuf);
        impl Drop for Restore {
            fn drop(&mut self) {
                let _ = Command::new("chattr").arg("-i").arg(&self.0).output();
                let _ = std::fs::set_permissions(&self.0, std::fs::Permissions::from_mode(0o755));
            }
        }
        let ro = dir.path().join("ro");
        std::fs::create_dir(&ro).unwrap();
        let _restore = Restore(ro.clone());
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
        if std::fs::write(ro.join("probe"), "x").is_ok() {
            let _ = std::fs::remove_file(ro.join("probe"));
            let _ = Command::new("chattr").arg("+i").arg(&ro).output();
        }
        if std::fs::write(ro.join("probe"), "x").is_err() {
            let err = format!("{:#}", AuditLog::new(ro.clone()).append(&r).unwrap_err());
            assert!(err.contains(&ro.display().to_string()), "{err}");
            assert!(
                err.contains("ermission denied") || err.contains("not permitted"),
                "{err}"
            );
        } else {
            eprintln!("cannot make a read-only directory here: case skipped");
        }
    }

    // A full disk: the month file is /dev/full.
    #[cfg(target_os = "linux")]
    if Path::new("/dev/full").exists() {
        let full = dir.path().join("full");
        std::fs::create_dir(&full).unwrap();
        std::os::unix::fs::symlink("/dev/full", full.join("2025-03.jsonl")).unwrap();
        let err = format!("{:#}", AuditLog::new(full.clone()).append(&r).unwrap_err());
        assert!(err.contains("2025-03.jsonl"), "{err}");
        assert!(err.contains("No space left on device"), "{err}");
    }
}

#[test]
fn records_keep_no_full_values_and_validate() {
    let dir = tempfile::tempdir().unwrap();
    let log = AuditLog::new(dir.path().to_path_buf());
    let mut r = rec("2025-03-06T00:00:00Z", "hook", "block");
    r.findings.push(AuditFinding {
        skill: "pii-detection".into(),
        rule: "card-number".into(),
        severity: "block".into(),
        path: "src/a.py".into(),
        line: 3,
        evidence: format!("card = 4111111111111111 {}", "z".repeat(200)),
        refs: vec!["PCI DSS 3.4.1".into()],
    });
    r.command = Some("echo S1234567D".into());
    log.append(&r).unwrap();
    let text = std::fs::read_to_string(dir.path().join("2025-03.jsonl")).unwrap();
    assert!(!text.contains("4111111111111111"), "{text}");
    assert!(text.contains("************1111"), "{text}");
    assert!(
        !text.contains("S1234567D") && text.contains("S****567D"),
        "{text}"
    );
    let stored: AuditRecord = serde_json::from_value(
        check_line(lines_of(&dir.path().join("2025-03.jsonl"))[1].as_slice())
            .unwrap()
            .value,
    )
    .unwrap();
    assert_eq!(stored.findings[0].evidence.chars().count(), 80);

    let mut bad = rec("2025-03-06T00:00:00Z", "hook", "maybe");
    assert!(log.append(&bad).is_err());
    bad.decision = "allow".into();
    bad.time = "last tuesday".into();
    assert!(log.append(&bad).is_err());
}

#[test]
fn record_from_report() {
    let report = Report {
        findings: vec![Reported {
            skill: "banking-code-review".into(),
            rule: "aws-access-key-id".into(),
            severity: Severity::Block,
            path: "app/config.py".into(),
            line: 12,
            column: 5,
            end_line: 12,
            end_column: 25,
            message: "AWS access key".into(),
            evidence: "AKIA************MPLE".into(),
            references: vec![
                Reference {
                    framework: "MAS TRM".into(),
                    id: "9.2".into(),
                    title: "Privileged Access Management".into(),
                },
                Reference {
                    framework: "PCI DSS".into(),
                    id: "8.6.2".into(),
                    title: String::new(),
                },
            ],
            remediation: "use a secrets manager".into(),
            fingerprint: String::new(),
        }],
        errors: vec![ErrorEntry {
            kind: ErrorKind::SkillError,
            skill: Some("pii-detection".into()),
            path: Some("app/config.py".into()),
            message: "CPU budget exceeded".into(),
        }],
        suppressed: 2,
        items: 1,
        bytes: 100,
    };
    let r = AuditRecord::from_report("hook", &report, Decision::Block)
        .dialect("claude")
        .tool("Write")
        .path("app/config.py")
        .user("bob")
        .repo("payments-api")
        .duration(std::time::Duration::from_micros(4250));
    assert_eq!(r.decision, "block");
    assert_eq!(r.findings[0].refs, ["MAS TRM 9.2", "PCI DSS 8.6.2"]);
    assert_eq!(r.findings[0].evidence, "AKIA************MPLE");
    assert_eq!(r.errors[0].kind, "skill-error");
    assert_eq!(r.suppressed, 2);
    assert_eq!(r.duration_ms, 4.25);
    assert!(parse_time(&r.time).is_ok());
    assert_eq!(r.kiro_guard, env!("CARGO_PKG_VERSION"));
    let mcp = AuditRecord::new("hook", Decision::Allow).mcp("github", "create_issue");
    assert_eq!(mcp.mcp.unwrap().server, "github");
}

#[test]
fn month_files_link_and_rotation_keeps_the_chain() {
    let dir = tempfile::tempdir().unwrap();
    let logdir = dir.path().join("log");
    let archive = dir.path().join("archive");
    let log = AuditLog::new(logdir.clone());
    for (m, n) in [("2024-01", 3), ("2024-02", 2), ("2024-03", 4)] {
        for i in 0..n {
            log.append(&rec(&format!("{m}-1{i}T09:00:00Z"), "hook", "allow"))
                .unwrap();
        }
    }
    // A late record for an earlier month goes to the newest file.
    log.append(&rec("2024-02-28T23:59:59Z", "hook", "allow"))
        .unwrap();
    assert_eq!(lines_of(&logdir.join("2024-03.jsonl")).len(), 6);
    let h2 = check_line(&lines_of(&logdir.join("2024-02.jsonl"))[0]).unwrap();
    assert_eq!(h2.value["prev_file"], "2024-01.jsonl");
    assert_eq!(h2.value["prev_file_seq"], 3);
    assert_eq!(
        h2.prev,
        sha256_hex(lines_of(&logdir.join("2024-01.jsonl")).last().unwrap())
    );
    let all = log.files().unwrap();
    let v = verify::verify_files(&all, true).unwrap();
    assert!(v.ok() && v.problems.is_empty(), "{:?}", v.problems);

    // Removing the last line of January breaks February's header link.
    let jan = logdir.join("2024-01.jsonl");
    let saved = std::fs::read(&jan).unwrap();
    let mut l = lines_of(&jan);
    l.pop();
    write_lines(&jan, &l);
    let v = verify::verify_files(&all, true).unwrap();
    let e = v.problems.iter().find(|p| p.level == Level::Error).unwrap();
    assert!(e.file.ends_with("2024-02.jsonl") && e.line == 1, "{e:?}");
    std::fs::write(&jan, &saved).unwrap();

    // Deleting a whole month (not by rotate) is an error.
    std::fs::rename(&jan, dir.path().join("hidden.jsonl")).unwrap();
    let d = logdir.to_str().unwrap();
    let out = kiro(&["audit", "verify", "--dir", d]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("2024-02.jsonl:1:") && stdout.contains("2024-01.jsonl, which is missing"),
        "{stdout}"
    );
    std::fs::rename(dir.path().join("hidden.jsonl"), &jan).unwrap();

    // Rotate: months older than 90 days move; the newest stays.
    let out = kiro(&[
        "audit",
        "rotate",
        "--older-than",
        "90d",
        "--archive",
        archive.to_str().unwrap(),
        "--dir",
        d,
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(archive.join("2024-01.jsonl").exists() && archive.join("2024-02.jsonl").exists());
    assert!(!jan.exists());
    assert!(
        logdir.join("2024-03.jsonl").exists(),
        "the chain head stays"
    );
    // The rotation itself was logged, with the moved files' hashes.
    let now_file = log.files().unwrap().last().unwrap().clone();
    let last = check_line(lines_of(&now_file).last().unwrap()).unwrap();
    assert_eq!(last.kind, "rotate");
    assert_eq!(last.value["moved"][0]["file"], "2024-01.jsonl");
    assert_eq!(last.value["moved"][0]["sha256"], sha256_hex(&saved));

    // The log alone verifies (the predecessor is accounted for by the rotate line) ...
    let out = kiro(&["audit", "verify", "--dir", d]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("archived by `audit rotate`"), "{stdout}");
    // ... and with the archive the chain is checked across all files.
    let out = kiro(&[
        "audit",
        "verify",
        "--dir",
        d,
        "--archive",
        archive.to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(!stdout.contains("note:"), "{stdout}");
    // The old head month moves next time (a newer file now holds the head) ...
    let rotate = || {
        kiro(&[
            "audit",
            "rotate",
            "--older-than",
            "90d",
            "--archive",
            archive.to_str().unwrap(),
            "--dir",
            d,
        ])
    };
    let out = rotate();
    assert!(String::from_utf8_lossy(&out.stdout).contains("moved 2024-03.jsonl"));
    let out = kiro(&[
        "audit",
        "verify",
        "--dir",
        d,
        "--archive",
        archive.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = kiro(&["audit", "verify", "--dir", d]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // ... then there is nothing left to move.
    let out = rotate();
    assert!(String::from_utf8_lossy(&out.stdout).contains("nothing older"));
    // A tampered archive is caught.
    let feb = archive.join("2024-02.jsonl");
    let mut l = lines_of(&feb);
    l.remove(1);
    write_lines(&feb, &l);
    let out = kiro(&[
        "audit",
        "verify",
        "--dir",
        d,
        "--archive",
        archive.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn manual_approval_via_cli() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let args = [
        "audit",
        "log",
        "--dir",
        d,
        "--decision",
        "allow",
        "--path",
        "tests/fixtures/cards.csv",
        "--user",
        "jtan@bank.example.sg",
        "--note",
        "CR-1234: synthetic test cards approved",
    ];
    // Without a terminal (an agent's shell) the approval is refused.
    let out = kiro(&args);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("refusing"));
    // A person at a terminal: run under a pseudo-terminal (util-linux script).
    let quoted: Vec<String> = std::iter::once(BIN.to_string())
        .chain(args.iter().map(|a| a.to_string()))
        .map(|a| format!("'{}'", a.replace('\'', "'\\''")))
        .collect();
    let out = Command::new("script")
        .args(["-qec", &quoted.join(" "), "/dev/null"])
        .env_remove("CLAUDECODE")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let files = AuditLog::new(dir.path().to_path_buf()).files().unwrap();
    let lines = lines_of(&files[0]);
    let r: AuditRecord = serde_json::from_value(check_line(&lines[1]).unwrap().value).unwrap();
    assert_eq!(r.event, "approval");
    assert_eq!(r.user, "jtan@bank.example.sg");
    assert_eq!(
        r.note.as_deref(),
        Some("CR-1234: synthetic test cards approved")
    );
    // Usage errors exit 2.
    let out = kiro(&["audit", "log", "--dir", d]);
    assert_eq!(out.status.code(), Some(2));
    let out = kiro(&["audit", "log", "--dir", d, "--decision", "perhaps"]);
    assert_eq!(out.status.code(), Some(2));
    let out = kiro(&[
        "audit",
        "rotate",
        "--older-than",
        "soon",
        "--archive",
        d,
        "--dir",
        d,
    ]);
    assert_eq!(out.status.code(), Some(2));
}

// ---------------------------------------------------------------- report --

fn finding(skill: &str, rule: &str, sev: &str, path: &str, refs: &[&str]) -> AuditFinding {
    AuditFinding {
        skill: skill.into(),
        rule: rule.into(),
        severity: sev.into(),
        path: path.into(),
        line: 7,
        evidence: "S****567D".into(),
        refs: refs.iter().map(|s| s.to_string()).collect(),
    }
}

/// A fixed log: December 2024 to February 2025, three users, two repos.
fn fixed_log(dir: &Path) -> AuditLog {
    let log = AuditLog::new(dir.to_path_buf());
    let stamp = vec![
        SkillStamp {
            name: "pii-detection".into(),
            version: "0.1.0".into(),
            sha256: "a".repeat(64),
        },
        SkillStamp {
            name: "banking-code-review".into(),
            version: "0.1.0".into(),
            sha256: "b".repeat(64),
        },
    ];
    let nric = || {
        finding(
            "pii-detection",
            "nric-fin",
            "block",
            "src/customers.py",
            &["MAS TRM 11.1", "PDPA s24", "PDPC NRIC Guidelines 2018"],
        )
    };
    let key = || {
        finding(
            "banking-code-review",
            "aws-access-key-id",
            "block",
            "app/settings.py",
            &["MAS TRM 9.2", "MAS TRM 10.2", "PCI DSS 8.6.2"],
        )
    };
    let md5 = || {
        finding(
            "banking-code-review",
            "weak-hash",
            "warn",
            "app/crypto.py",
            &["MAS TRM 10.1", "PCI DSS 4.2.1"],
        )
    };
    let push = || {
        finding(
            "mas-compliance-review",
            "force-push",
            "block",
            "<command>",
            &["MAS TRM 7.5"],
        )
    };
    let r = |t: &str, ev: &str, d: &str, user: &str, repo: &str| {
        let mut x = rec(t, ev, d);
        x.user = user.into();
        x.repo = repo.into();
        x.skills = stamp.clone();
        x
    };
    let alice = "alice@bank.example.sg";
    let bob = "bob@bank.example.sg";
    let carol = "carol@bank.example.sg";
    let mut records = vec![
        // Outside the January period.
        r(
            "2024-12-31T23:59:59Z",
            "hook",
            "block",
            alice,
            "payments-api",
        ),
        {
            let mut x = r(
                "2025-01-02T01:15:00Z",
                "hook",
                "block",
                alice,
                "payments-api",
            )
            .dialect("kiro-v1")
            .tool("fs_write")
            .path("src/customers.py");
            x.findings = vec![nric()];
            x
        },
        r(
            "2025-01-02T03:00:00Z",
            "hook",
            "allow",
            alice,
            "payments-api",
        )
        .dialect("kiro-v1")
        .tool("fs_write")
        .path("src/app.py"),
        {
            let mut x = r(
                "2025-01-03T09:30:00Z",
                "git-pre-commit",
                "block",
                bob,
                "cards-web",
            );
            x.findings = vec![key(), md5()];
            x
        },
        {
            let mut x = r("2025-01-03T10:00:00Z", "hook", "warn", bob, "cards-web")
                .dialect("claude")
                .tool("Edit")
                .path("app/crypto.py");
            x.findings = vec![md5()];
            x
        },
        r(
            "2025-01-06T02:00:00Z",
            "hook",
            "allow",
            carol,
            "payments-api",
        )
        .dialect("kiro-cli")
        .tool("@github/create_issue")
        .mcp("github", "create_issue"),
        r(
            "2025-01-06T02:05:00Z",
            "hook",
            "allow",
            carol,
            "payments-api",
        )
        .dialect("kiro-cli")
        .tool("@github/create_issue")
        .mcp("github", "create_issue"),
        {
            let mut x = r(
                "2025-01-06T02:10:00Z",
                "hook",
                "block",
                carol,
                "payments-api",
            )
            .dialect("kiro-cli")
            .tool("@postgres/query")
            .mcp("postgres", "query");
            x.findings = vec![nric()];
            x
        },
        {
            let mut x = r(
                "2025-01-10T08:00:00Z",
                "hook",
                "block",
                alice,
                "payments-api",
            )
            .dialect("claude")
            .tool("Bash")
            .command("git push --force origin main");
            x.findings = vec![push()];
            x
        },
        {
            let mut x = r("2025-01-14T05:00:00Z", "hook", "block", bob, "cards-web")
                .dialect("kiro-v1")
                .tool("fs_write")
                .path("app/big.py");
            x.errors = vec![AuditError {
                kind: "skill-error".into(),
                skill: Some("banking-code-review".into()),
                path: Some("app/big.py".into()),
                message: "CPU budget exceeded".into(),
            }];
            x
        },
        {
            let mut x = r(
                "2025-01-14T06:00:00Z",
                "git-pre-commit",
                "allow",
                bob,
                "cards-web",
            );
            x.errors = vec![AuditError {
                kind: "skipped".into(),
                skill: None,
                path: Some("assets/logo.png".into()),
                message: "binary file".into(),
            }];
            x
        },
        r(
            "2025-01-20T07:00:00Z",
            "approval",
            "allow",
            carol,
            "payments-api",
        )
        .path("tests/fixtures/cards.csv")
        .note("CR-1234: synthetic test card numbers, approved by J. Tan"),
        r(
            "2025-01-28T11:00:00Z",
            "git-pre-push",
            "allow",
            alice,
            "payments-api",
        ),
        {
            let mut x = r(
                "2025-01-31T15:59:59Z",
                "scan",
                "warn",
                alice,
                "payments-api",
            );
            x.findings = vec![md5(), md5()];
            x
        },
        // Outside the period.
        r("2025-02-01T00:00:00Z", "hook", "block", bob, "cards-web"),
    ];
    for x in records.drain(..) {
        log.append(&x).unwrap();
    }
    log
}

fn fixed_report(dir: &Path) -> report::ComplianceReport {
    let log = fixed_log(dir);
    let files = log.files().unwrap();
    let v = verify::verify_files(&files, true).unwrap();
    assert!(v.ok(), "{:?}", v.problems);
    let (records, unreadable) = report::read_records(&files).unwrap();
    assert_eq!(records.len(), 15);
    let (since, until) = report::parse_month("2025-01").unwrap();
    report::build(
        &records,
        &v,
        unreadable,
        &Options {
            since,
            until,
            generated: parse_time("2025-02-01T01:00:00Z").unwrap(),
            top: 20,
            max_incidents: 50,
        },
    )
}

/// The chain head hash depends on the header (host name, creation time).
fn redact_hashes(s: String) -> String {
    regex::Regex::new(r"\b[0-9a-f]{64}\b")
        .unwrap()
        .replace_all(&s, "[sha256]")
        .into_owned()
}

#[test]
fn report_snapshots() {
    let dir = tempfile::tempdir().unwrap();
    let r = fixed_report(dir.path());
    assert_eq!(r.total_events, 13);
    assert_eq!(r.decisions.block, 5);
    assert_eq!(r.unique_users, 3);
    assert_eq!(r.mcp_tool_usage, 3);
    assert_eq!(r.failed_hooks, 1);
    assert_eq!(r.skipped_hooks, 1);
    let render = |f| redact_hashes(report::render(&r, f).unwrap());
    insta::assert_snapshot!("report_markdown", render(ReportFormat::Markdown));
    insta::assert_snapshot!("report_json", render(ReportFormat::Json));
    insta::assert_snapshot!("report_html", render(ReportFormat::Html));
}

#[test]
fn html_report_is_self_contained() {
    let dir = tempfile::tempdir().unwrap();
    let html = report::render(&fixed_report(dir.path()), ReportFormat::Html).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<svg id=\"daily-chart\""));
    assert_eq!(
        html.matches("class=\"bar-block\"").count(),
        5,
        "5 days with blocks"
    );
    assert_eq!(
        html.matches("class=\"bar-warn\"").count(),
        2,
        "2 days with warnings"
    );
    for banned in ["<script", "src=", "href=", "url(", "@import", "https://"] {
        assert!(!html.contains(banned), "{banned}");
    }
    // The only http URL is the SVG namespace.
    assert_eq!(html.matches("http://").count(), 1);
    assert!(!html.contains("S1234567D"));
}

#[test]
fn report_cli_formats_and_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    fixed_log(dir.path());
    let d = dir.path().to_str().unwrap();
    let out = kiro(&[
        "audit", "report", "--dir", d, "--month", "2025-01", "--format", "json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["period"], "2025-01-01 to 2025-01-31");
    assert_eq!(v["total_events"], 13);
    assert_eq!(v["integrity"]["verified"], true);
    let out = kiro(&[
        "audit",
        "report",
        "--dir",
        d,
        "--since",
        "2025-01-03",
        "--until",
        "2025-01-06",
    ]);
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(md.contains("| Decisions (total events) | 5 |"), "{md}");
    let html = dir.path().join("r.html");
    let out = kiro(&[
        "audit",
        "report",
        "--dir",
        d,
        "--month",
        "2025-01",
        "--format",
        "html",
        "-o",
        html.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(std::fs::read_to_string(&html).unwrap().contains("</svg>"));
    let out = kiro(&["audit", "report", "--dir", d, "--since", "tomorrow"]);
    assert_eq!(out.status.code(), Some(2));
    // A tampered log: the report says so and exits 1.
    let f = dir.path().join("2025-01.jsonl");
    let mut l = lines_of(&f);
    l.remove(3);
    write_lines(&f, &l);
    let out = kiro(&["audit", "report", "--dir", d, "--month", "2025-01"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("**FAILED** verification"));
}

#[test]
fn html_report_escapes_log_content() {
    let dir = tempfile::tempdir().unwrap();
    let log = AuditLog::new(dir.path().to_path_buf());
    let mut r = rec("2025-01-05T00:00:00Z", "hook", "block")
        .user("<script>alert(1)</script>")
        .path("a\"><img src=x onerror=alert(1)>.py");
    r.repo = "</td></tr></table><iframe src=//evil>".into();
    log.append(&r).unwrap();
    let files = log.files().unwrap();
    let v = verify::verify_files(&files, true).unwrap();
    let (records, bad) = report::read_records(&files).unwrap();
    let (since, until) = report::parse_month("2025-01").unwrap();
    let out = report::html(&report::build(
        &records,
        &v,
        bad,
        &Options {
            since,
            until,
            generated: since,
            top: 20,
            max_incidents: 50,
        },
    ));
    for banned in ["<script", "<img", "<iframe"] {
        assert!(!out.contains(banned), "{banned}");
    }
    assert!(out.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}
