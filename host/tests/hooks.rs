//! End-to-end: `kiro-guard hook` with real payload shapes for every dialect
//! (fixtures in `tests/payloads/`, one per documented payload shape),
//! and the git hooks installed by `kiro-guard init` in real repositories.

mod common;

use common::*;
use serde_json::Value;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

/// A workspace with an existing `app.py` and a config without audit noise.
fn workspace() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("app.py"), "x = 1\ny = 2\n").unwrap();
    std::fs::create_dir_all(d.path().join("src")).unwrap();
    d
}

fn payload(name: &str, cwd: &Path) -> Vec<u8> {
    let p = repo_root().join("tests/payloads").join(name);
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    text.replace("__CWD__", &cwd.to_string_lossy()).into_bytes()
}

fn hook(dir: &Path, payload: &[u8]) -> std::process::Output {
    let mut c = kg(dir);
    c.arg("hook");
    let out = run_with_stdin(c, payload);
    assert_no_leak(&out);
    out
}

fn blocked(name: &str, expect_rule: &str) -> (String, String) {
    let d = workspace();
    let out = hook(d.path(), &payload(name, d.path()));
    let err = stderr(&out);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{name}: expected block, stderr: {err}"
    );
    assert!(
        err.contains(expect_rule),
        "{name}: expected {expect_rule} in: {err}"
    );
    (stdout(&out), err)
}

#[test]
fn kiro_v1_write_with_nric_is_blocked_with_masked_evidence() {
    let (_, err) = blocked("kiro-v1-fs_write.json", "pii-detection/nric-fin");
    assert!(err.contains("S****567D"), "{err}");
    assert!(err.contains("src/customer.py:1"), "{err}");
    assert!(err.contains("Instead:"), "{err}");
}

#[test]
fn kiro_v1_str_replace_with_card_is_blocked() {
    let (_, err) = blocked("kiro-v1-str_replace.json", "payment-card");
    assert!(err.contains("1111"), "{err}");
}

#[test]
fn kiro_v1_force_push_behind_and_is_blocked() {
    blocked("kiro-v1-execute_bash.json", "mas-compliance-review/");
}

#[test]
fn kiro_v1_prompt_with_pii_is_blocked_with_redact_hint() {
    let (_, err) = blocked("kiro-v1-prompt.json", "nric-fin");
    assert!(err.contains("kiro-guard redact"), "{err}");
}

#[test]
fn kiro_cli_fs_write_commands_are_applied_and_blocked() {
    for name in [
        "kiro-cli-str_replace.json",
        "kiro-cli-create.json",
        "kiro-cli-insert.json",
        "kiro-cli-append.json",
    ] {
        blocked(name, "nric-fin");
    }
}

#[test]
fn kiro_cli_nested_bash_c_force_push_is_blocked() {
    blocked("kiro-cli-execute_bash.json", "mas-compliance-review/");
}

#[test]
fn mcp_tool_arguments_are_scanned_for_pii() {
    blocked("kiro-cli-mcp.json", "nric-fin");
}

#[test]
fn claude_write_edit_multiedit_bash_block_with_json_decision() {
    for (name, rule) in [
        ("claude-write.json", "aws-access-key-id"),
        ("claude-edit.json", "nric-fin"),
        ("claude-multiedit.json", "payment-card"),
        ("claude-bash.json", "mas-compliance-review/"),
    ] {
        let (out, _) = blocked(name, rule);
        let v: Value = serde_json::from_str(out.trim())
            .unwrap_or_else(|e| panic!("{name}: stdout not JSON ({e}): {out}"));
        assert_eq!(
            v["hookSpecificOutput"]["permissionDecision"], "deny",
            "{name}"
        );
        assert_eq!(v["hookSpecificOutput"]["hookEventName"], "PreToolUse");
    }
}

#[test]
fn claude_prompt_block_uses_decision_block() {
    let (out, _) = blocked("claude-prompt.json", "nric-fin");
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["decision"], "block");
}

#[test]
fn clean_edit_is_allowed_silently() {
    let d = workspace();
    let out = hook(d.path(), &payload("claude-clean-edit.json", d.path()));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
}

#[test]
fn agent_may_not_rewrite_the_guard_config() {
    let d = workspace();
    let out = hook(d.path(), &payload("claude-guard-edit.json", d.path()));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("protected-guard-file"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn finding_already_in_the_file_does_not_block_an_unrelated_edit() {
    let d = workspace();
    std::fs::write(
        d.path().join("app.py"),
        "x = 1\ny = 2\nlegacy = \"S1234567D\"\n",
    )
    .unwrap();
    let out = hook(d.path(), &payload("claude-clean-edit.json", d.path()));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let edit_same_line = payload("claude-clean-edit.json", d.path());
    let s = String::from_utf8(edit_same_line)
        .unwrap()
        .replace("\"x = 1\"", "\"legacy = \\\"S1234567D\\\"\"")
        .replace("\"x = 3\"", "\"legacy = \\\"S1234567D\\\"  # moved\"");
    let out = hook(d.path(), s.as_bytes());
    assert_eq!(
        out.status.code(),
        Some(0),
        "re-touching a line with an existing value: {}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("already in the file"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn empty_payloads_allow_and_malformed_ones_block() {
    let d = workspace();
    // Nothing arrived, or an event with nothing to check: allowed.
    for input in [&b""[..], b"{}"] {
        let out = hook(d.path(), input);
        assert_eq!(
            out.status.code(),
            Some(0),
            "input {:?}: {}",
            String::from_utf8_lossy(input),
            stderr(&out)
        );
    }
    // A payload that arrived but cannot be read follows on_error (block).
    for input in [
        &b"not json"[..],
        b"[]",
        b"{\"hook_event_name\": \"PreToolUse\", ",
    ] {
        let out = hook(d.path(), input);
        assert_eq!(
            out.status.code(),
            Some(2),
            "input {:?}: {}",
            String::from_utf8_lossy(input),
            stderr(&out)
        );
        assert!(
            stderr(&out).contains("cannot read the hook payload"),
            "{}",
            stderr(&out)
        );
        assert!(stderr(&out).contains("on_error"), "{}", stderr(&out));
    }
}

#[test]
fn post_tool_use_scans_the_saved_file_and_only_warns() {
    let d = workspace();
    std::fs::write(d.path().join("saved.py"), "nric = \"S1234567D\"\n").unwrap();
    let out = hook(d.path(), &payload("kiro-v1-post-file-save.json", d.path()));
    // Kiro v1 shows stderr to the user for exit codes other than 0 and 2.
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("nric-fin"), "{}", stderr(&out));
}

#[test]
fn legacy_ide_with_a_stdin_that_never_closes_finishes() {
    let d = workspace();
    init_repo(d.path());
    std::fs::write(d.path().join("new.py"), "nric = \"S1234567D\"\n").unwrap();
    let mut c = kg(d.path());
    c.args(["hook", "--event", "fileEdited"])
        .env("USER_PROMPT", "{}")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let start = Instant::now();
    let mut child = c.spawn().unwrap();
    // Keep stdin open and unwritten, as the legacy IDE does.
    let _stdin = child.stdin.take();
    let out = wait_with_timeout(child, Duration::from_secs(60));
    assert!(start.elapsed() < Duration::from_secs(60));
    assert_eq!(out.status.code(), Some(0));
    // Working-tree scan found the new file and warned via stdout (legacy context channel).
    assert!(
        stdout(&out).contains("nric-fin"),
        "stdout: {} stderr: {}",
        stdout(&out),
        stderr(&out)
    );
    assert_no_leak(&out);
}

#[test]
fn legacy_ide_prompt_from_user_prompt_env() {
    let d = workspace();
    let mut c = kg(d.path());
    c.args([
        "hook",
        "--dialect",
        "kiro-ide-legacy",
        "--event",
        "promptSubmit",
    ])
    .env("USER_PROMPT", "customer S1234567D");
    c.stdin(Stdio::null());
    let out = c.output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_no_leak(&out);
}

/// The seed project's hook conformance cases: tool_input as a Claude Write
/// (content) or Bash (command).
#[test]
fn conformance_hook_tool_input_cases() {
    let cases =
        std::fs::read_to_string(repo_root().join("tests/conformance/hook-tool-input-cases.tsv"))
            .unwrap();
    let pem = ["-----", "BEGIN"].concat();
    let gh = format!(
        "{}{}",
        ["gh", "p_"].concat(),
        "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5"
    );
    let aws_secret = ["wJalrXUtnFEMI", "/K7MDENG/bPxRfiCY", "EXAMPLEKEY"].concat();
    let d = workspace();
    let mut n = 0;
    for line in cases
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let cols: Vec<&str> = line.splitn(3, '\t').collect();
        let (expected, desc, input) = (cols[0], cols[1], cols[2]);
        let input = input
            .replace("__PEM_BEGIN__", &pem)
            .replace("__GH_TOKEN__", &gh)
            .replace("__AWS_EXAMPLE_SECRET__", &aws_secret);
        let tool_input: Value = serde_json::from_str(&input).unwrap();
        let (tool, tool_input) = match tool_input.get("command") {
            Some(_) => ("Bash", tool_input),
            None => (
                "Write",
                serde_json::json!({"file_path": d.path().join("case.txt"), "content": tool_input["content"]}),
            ),
        };
        let p = serde_json::json!({"session_id":"c","transcript_path":"/t","cwd":d.path(),"permission_mode":"default","hook_event_name":"PreToolUse","tool_name":tool,"tool_input":tool_input});
        let mut c = kg(d.path());
        c.arg("hook");
        let out = run_with_stdin(c, p.to_string().as_bytes());
        let all = format!("{}{}", stdout(&out), stderr(&out));
        assert_eq!(
            out.status.code().map(|c| c.to_string()).as_deref(),
            Some(expected),
            "case {desc:?}: {all}"
        );
        assert!(
            !all.contains(&gh) && !all.contains(&aws_secret),
            "case {desc:?} leaks a secret"
        );
        n += 1;
    }
    assert_eq!(n, 17);
}

#[test]
fn git_hooks_installed_by_init_stop_bad_commits_and_pushes() {
    let d = tempfile::tempdir().unwrap();
    let repo = d.path().join("repo");
    let remote = d.path().join("remote.git");
    std::fs::create_dir_all(&repo).unwrap();
    init_repo(&repo);
    git(
        d.path(),
        &["init", "-q", "--bare", remote.to_str().unwrap()],
    );
    // An existing hook is chained, not replaced.
    std::fs::write(
        repo.join(".git/hooks/pre-commit"),
        "#!/bin/sh\necho previous-hook >> \"$(git rev-parse --git-dir)/chained.log\"\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            repo.join(".git/hooks/pre-commit"),
            std::fs::Permissions::from_mode(0o755),
        )
        .unwrap();
    }
    let out = kg(&repo).args(["init", "--git"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(repo.join(".git/hooks/pre-commit.local").exists());

    let path_env = format!(
        "{}:{}",
        bin().parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let commit = |msg: &str| {
        std::process::Command::new("git")
            .current_dir(&repo)
            .args(["commit", "-q", "-m", msg])
            .env("PATH", &path_env)
            .env("KIRO_GUARD_CACHE_DIR", cache_dir())
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };
    git(&repo, &["add", "-A"]);
    let ok = commit("install kiro-guard");
    assert!(ok.status.success(), "clean commit refused: {}", stderr(&ok));
    assert!(
        repo.join(".git/chained.log").exists(),
        "previous hook did not run"
    );

    std::fs::write(repo.join("customers.py"), "OWNER = \"S1234567D\"\n").unwrap();
    git(&repo, &["add", "customers.py"]);
    let bad = commit("add customer");
    assert!(!bad.status.success(), "commit with an NRIC went through");
    assert!(stderr(&bad).contains("nric-fin"), "{}", stderr(&bad));
    assert_no_leak(&bad);

    // Skip the pre-commit hook; pre-push must still stop the secret.
    std::fs::write(
        repo.join("customers.py"),
        "KEY = \"AKIAIOSFODNN7EXAMPLE\"\n",
    )
    .unwrap();
    git(&repo, &["add", "customers.py"]);
    git(&repo, &["commit", "-q", "--no-verify", "-m", "sneak"]);
    git(
        &repo,
        &["remote", "add", "origin", remote.to_str().unwrap()],
    );
    let push = std::process::Command::new("git")
        .current_dir(&repo)
        .args(["push", "-q", "origin", "main"])
        .env("PATH", &path_env)
        .env("KIRO_GUARD_CACHE_DIR", cache_dir())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!push.status.success(), "push with a secret went through");
    assert!(
        stderr(&push).contains("aws-access-key-id"),
        "{}",
        stderr(&push)
    );
    assert_no_leak(&push);
}

#[test]
fn init_is_idempotent_and_preserves_existing_settings() {
    let d = tempfile::tempdir().unwrap();
    init_repo(d.path());
    std::fs::create_dir_all(d.path().join(".claude")).unwrap();
    std::fs::write(d.path().join(".claude/settings.json"), r#"{"model":"opus","hooks":{"PreToolUse":[{"matcher":"Read","hooks":[{"type":"command","command":"audit-read"}]}]}}"#).unwrap();
    let out = kg(d.path()).args(["init", "--all"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let snapshot = |root: &Path| -> Vec<(String, Vec<u8>)> {
        let mut v = Vec::new();
        for e in walk(root) {
            if e.components()
                .any(|c| c.as_os_str() == "objects" || c.as_os_str() == "logs")
            {
                continue;
            }
            v.push((
                e.strip_prefix(root).unwrap().display().to_string(),
                std::fs::read(&e).unwrap(),
            ));
        }
        v.sort();
        v
    };
    let first = snapshot(d.path());
    let out = kg(d.path()).args(["init", "--all"]).output().unwrap();
    assert!(
        stderr(&out).contains("already installed"),
        "{}",
        stderr(&out)
    );
    assert_eq!(first, snapshot(d.path()), "second init changed the tree");
    let settings: Value = serde_json::from_str(
        &std::fs::read_to_string(d.path().join(".claude/settings.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(settings["model"], "opus");
    assert!(settings.to_string().contains("audit-read"));
    assert!(settings.to_string().contains("hook --dialect claude"));
    assert!(settings.to_string().contains("kiro-guard is not installed"));
    for f in [
        ".kiro/hooks/kiro-guard.json",
        ".kiro/steering/kiro-guard.md",
        ".kiro/skills/pii-detection/SKILL.md",
        ".kiro-guard.toml",
        ".kiro/agents/kiro-guard.json",
    ] {
        assert!(d.path().join(f).exists(), "{f} missing");
    }
    let dry = kg(d.path())
        .args(["init", "--all", "--dry-run"])
        .output()
        .unwrap();
    assert!(dry.status.success());
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// A repository's `.gitleaks.toml` adds credential rules (`gitleaks/<id>`)
/// and its `.gitleaksignore` suppresses listed findings. `scan` reads the
/// working tree; a hook reads both files from `HEAD`, so an agent's own
/// uncommitted ignore entry does not suppress, and neither does an
/// uncommitted rule file change what is enforced.
#[test]
fn gitleaks_files_add_rules_and_suppress_by_fingerprint() {
    let d = tempfile::tempdir().unwrap();
    init_repo(d.path());
    let token = format!("acme_{}", "q7w8e9r0t1y2u3i4o5p6a7s8");
    let rules = "[[rules]]\nid = \"acme-internal\"\ndescription = \"ACME internal API token\"\nregex = '''acme_[a-z0-9]{24}'''\nkeywords = [\"acme_\"]\n";
    std::fs::write(d.path().join(".gitleaks.toml"), rules).unwrap();
    std::fs::write(d.path().join("svc.py"), format!("ref = \"{token}\"\n")).unwrap();
    let rules_of = |out: &std::process::Output| -> Vec<String> {
        let v: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(out), stderr(out)));
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .collect()
    };
    let scan = |dir: &Path| {
        let out = kg(dir)
            .args(["scan", "svc.py", "--format", "json"])
            .output()
            .unwrap();
        assert_no_leak(&out);
        out
    };
    let out = scan(d.path());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(rules_of(&out), ["gitleaks/acme-internal"]);

    // A gitleaks fingerprint (file:rule-id:line) suppresses it in `scan`.
    std::fs::write(
        d.path().join(".gitleaksignore"),
        "# reviewed: test fixture\nsvc.py:acme-internal:1\n",
    )
    .unwrap();
    let out = scan(d.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(rules_of(&out).is_empty());

    // An invalid file is a clear error naming it, not a silent allow.
    std::fs::write(d.path().join(".gitleaksignore"), "not a fingerprint\n").unwrap();
    let out = scan(d.path());
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(
        stderr(&out).contains(".gitleaksignore:1"),
        "{}",
        stderr(&out)
    );

    // Hooks: nothing committed yet, so the rule is not in force.
    let write = |name: &str| {
        let p = serde_json::json!({"session_id":"c","transcript_path":"/t","cwd":d.path(),"permission_mode":"default","hook_event_name":"PreToolUse","tool_name":"Write","tool_input":{"file_path": d.path().join(name), "content": format!("ref = \"{token}\"\n")}});
        hook(d.path(), p.to_string().as_bytes())
    };
    std::fs::remove_file(d.path().join(".gitleaksignore")).unwrap();
    let out = write("new.py");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // Committed rules are enforced by the hook ...
    git(d.path(), &["add", ".gitleaks.toml"]);
    git(d.path(), &["commit", "-q", "-m", "gitleaks rules"]);
    let out = write("new.py");
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("gitleaks/acme-internal"),
        "{}",
        stderr(&out)
    );
    // ... and an ignore entry the agent has not committed does not count.
    std::fs::write(d.path().join(".gitleaksignore"), "new.py:acme-internal:1\n").unwrap();
    let out = write("new.py");
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    // Once a human commits it, it does.
    git(d.path(), &["add", ".gitleaksignore"]);
    git(d.path(), &["commit", "-q", "-m", "reviewed"]);
    let out = write("new.py");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}
