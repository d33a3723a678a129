//! End-to-end: each agent integration behaves as that agent documents, and
//! fails closed. One test (or group) per problem: prompts Kiro CLI cannot
//! block, `USER_PROMPT` fallback, empty `tool_input`, v1 warnings and the
//! explicit dialect, the pre-commit framework's first push, deferred
//! `hook_events`, migrated legacy prompt hooks, a missing binary, hook
//! timeouts, Claude matchers and `NotebookEdit`.

mod common;

use common::*;
use serde_json::{Value, json};
use std::path::Path;
use std::process::{Command, Output};

const NRIC: &str = "S1234567D";

fn workspace() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("app.py"), "x = 1\n").unwrap();
    d
}

fn hook(dir: &Path, args: &[&str], payload: &Value, user_prompt: Option<&str>) -> Output {
    let mut c = kg(dir);
    c.arg("hook").args(args);
    if let Some(up) = user_prompt {
        c.env("USER_PROMPT", up);
    }
    let out = run_with_stdin(c, payload.to_string().as_bytes());
    assert_no_leak(&out);
    out
}

fn code(out: &Output) -> Option<i32> {
    out.status.code()
}

/// Run a hook command the way a POSIX agent does (`sh -c`), with `path` as PATH.
fn run_hook_command(dir: &Path, command: &str, payload: &Value, path: &str) -> Output {
    let mut c = Command::new("sh");
    c.arg("-c")
        .arg(command)
        .current_dir(dir)
        .env("PATH", path)
        .env("KIRO_GUARD_CACHE_DIR", cache_dir())
        .env("NO_COLOR", "1")
        .env_remove("USER_PROMPT");
    let out = run_with_stdin(c, payload.to_string().as_bytes());
    assert_no_leak(&out);
    out
}

/// A PATH without kiro-guard on it.
fn bare_path() -> String {
    "/usr/bin:/bin".to_string()
}

// 1. Kiro CLI 2.x cannot block userPromptSubmit: tell the model instead, and
// block the tool calls that would carry the value onward.
#[test]
fn kiro_cli_prompt_with_nric_adds_model_context_and_later_tool_calls_block() {
    let d = workspace();
    let p = json!({"hook_event_name":"userPromptSubmit","cwd":d.path(),"prompt":format!("update customer {NRIC} address")});
    let out = hook(d.path(), &["--dialect", "kiro-cli"], &p, None);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    let ctx = stdout(&out);
    assert!(ctx.contains("S****567D"), "{ctx}");
    assert!(ctx.contains("nric-fin"), "{ctx}");
    assert!(ctx.contains("Do not repeat"), "{ctx}");
    assert!(ctx.contains("tool call"), "{ctx}");
    // Detected (no --dialect) the same way.
    let out = hook(d.path(), &[], &p, None);
    assert_eq!(code(&out), Some(0));
    assert!(stdout(&out).contains("S****567D"));

    // The model then tries to store the value: the tool call is blocked.
    let shell = json!({"hook_event_name":"preToolUse","cwd":d.path(),"tool_name":"execute_bash","tool_input":{"command":format!("echo 'owner={NRIC}' >> notes.txt")}});
    let out = hook(d.path(), &["--dialect", "kiro-cli"], &shell, None);
    assert_eq!(code(&out), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("nric-fin"), "{}", stderr(&out));
    let write = json!({"hook_event_name":"preToolUse","cwd":d.path(),"tool_name":"fs_write","tool_input":{"command":"create","path":d.path().join("notes.md"),"file_text":format!("owner: {NRIC}\n")}});
    let out = hook(d.path(), &["--dialect", "kiro-cli"], &write, None);
    assert_eq!(code(&out), Some(2), "{}", stderr(&out));

    // A clean prompt adds nothing.
    let clean =
        json!({"hook_event_name":"userPromptSubmit","cwd":d.path(),"prompt":"rename the helper"});
    let out = hook(d.path(), &["--dialect", "kiro-cli"], &clean, None);
    assert_eq!(code(&out), Some(0));
    assert!(stdout(&out).is_empty(), "{}", stdout(&out));
}

// 2. USER_PROMPT is used whenever the stdin prompt is empty or missing.
#[test]
fn user_prompt_env_is_checked_when_the_stdin_prompt_is_empty_or_missing() {
    let d = workspace();
    let up = format!("customer {NRIC} cannot log in");
    for p in [
        json!({"session_id":"sess_1","hook_event_name":"UserPromptSubmit","cwd":d.path(),"prompt":""}),
        json!({"session_id":"sess_1","hook_event_name":"UserPromptSubmit","cwd":d.path()}),
    ] {
        let out = hook(d.path(), &["--dialect", "kiro-v1"], &p, Some(&up));
        assert_eq!(code(&out), Some(2), "{p}: {}", stderr(&out));
        assert!(stderr(&out).contains("nric-fin"), "{}", stderr(&out));
        // Detected dialect too.
        let out = hook(d.path(), &[], &p, Some(&up));
        assert_eq!(code(&out), Some(2), "{p}: {}", stderr(&out));
    }
    // A non-empty stdin prompt wins over USER_PROMPT.
    let p = json!({"session_id":"sess_1","hook_event_name":"UserPromptSubmit","cwd":d.path(),"prompt":"rename the helper"});
    let out = hook(d.path(), &["--dialect", "kiro-v1"], &p, Some(&up));
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    // Empty both ways: nothing to check.
    let p = json!({"session_id":"sess_1","hook_event_name":"UserPromptSubmit","cwd":d.path(),"prompt":""});
    let out = hook(d.path(), &["--dialect", "kiro-v1"], &p, Some(""));
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
}

// 3. A v1 write tool with `tool_input: {}` follows on_error (default block).
#[test]
fn v1_write_with_empty_tool_input_follows_on_error() {
    let d = workspace();
    let p = json!({"session_id":"sess_04","hook_event_name":"PreToolUse","cwd":d.path(),"tool_name":"fs_write","tool_input":{}});
    let out = hook(d.path(), &[], &p, None);
    assert_eq!(code(&out), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("empty tool_input"), "{err}");
    assert!(err.contains("on_error"), "{err}");
    // A read tool with empty input is not a write: allowed.
    let read = json!({"session_id":"sess_04","hook_event_name":"PreToolUse","cwd":d.path(),"tool_name":"fs_read","tool_input":{}});
    assert_eq!(code(&hook(d.path(), &[], &read, None)), Some(0));
    // on_error = "warn": let it through with a warning the user sees (v1: exit 1).
    std::fs::write(
        d.path().join(".kiro-guard.toml"),
        "version = 1\n[hooks]\non_error = \"warn\"\n[audit]\nenabled = false\n",
    )
    .unwrap();
    let out = hook(d.path(), &["--dialect", "kiro-v1"], &p, None);
    assert_eq!(code(&out), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("empty tool_input"));
}

// 4. v1 warnings use the exit code v1 shows to users; an explicit dialect
// is never replaced.
#[test]
fn v1_warnings_reach_the_user_and_the_explicit_dialect_wins() {
    let d = workspace();
    std::fs::write(d.path().join("saved.py"), format!("nric = \"{NRIC}\"\n")).unwrap();
    let p = json!({"session_id":"sess_06","hook_event_name":"PostToolUse","cwd":d.path(),"tool_name":"fs_write","tool_input":{},"tool_response":"Created the saved.py file."});
    let out = hook(d.path(), &[], &p, None);
    assert_eq!(code(&out), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("nric-fin"), "{}", stderr(&out));

    // --dialect kiro-v1 --event PostFileSave with empty stdin: still v1
    // (warning on stderr, exit 1), not the legacy IDE's stdout channel.
    let r = tempfile::tempdir().unwrap();
    init_repo(r.path());
    std::fs::write(r.path().join("new.py"), format!("nric = \"{NRIC}\"\n")).unwrap();
    let mut c = kg(r.path());
    c.args(["hook", "--dialect", "kiro-v1", "--event", "PostFileSave"]);
    let out = run_with_stdin(c, b"");
    assert_no_leak(&out);
    assert_eq!(code(&out), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("nric-fin"), "{}", stderr(&out));
    assert!(stdout(&out).is_empty(), "{}", stdout(&out));

    // An unusable payload under an explicit dialect is reported in it, and
    // follows on_error (block by default).
    let mut c = kg(d.path());
    c.args(["hook", "--dialect", "kiro-v1"]);
    let out = run_with_stdin(c, b"not json");
    assert_eq!(code(&out), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("cannot read the hook payload"),
        "{}",
        stderr(&out)
    );
    let mut c = kg(d.path());
    c.args(["hook", "--dialect", "claude"]);
    let out = run_with_stdin(c, b"not json");
    assert_eq!(code(&out), Some(2));
    assert!(
        stdout(&out).contains("permissionDecision"),
        "{}",
        stdout(&out)
    );
}

fn commit_all(repo: &Path, msg: &str) {
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-q", "--no-verify", "-m", msg]);
}

// 5. The pre-commit framework's pre-push on a first push: no FROM/TO refs,
// stdin already consumed. The range comes from git.
#[test]
fn pre_push_without_refs_scans_the_commits_no_remote_has() {
    let d = tempfile::tempdir().unwrap();
    let repo = d.path().join("repo");
    let remote = d.path().join("remote.git");
    std::fs::create_dir_all(&repo).unwrap();
    init_repo(&repo);
    git(
        d.path(),
        &["init", "-q", "--bare", remote.to_str().unwrap()],
    );
    std::fs::write(repo.join("customers.py"), format!("OWNER = \"{NRIC}\"\n")).unwrap();
    commit_all(&repo, "root commit with an NRIC");
    std::fs::write(repo.join("b.py"), "y = 2\n").unwrap();
    commit_all(&repo, "second");
    git(
        &repo,
        &["remote", "add", "origin", remote.to_str().unwrap()],
    );
    let url = remote.to_str().unwrap();

    let pre_push = |envs: &[(&str, &str)]| {
        let mut c = kg(&repo);
        c.args(["git", "pre-push", "origin", url])
            .env("PRE_COMMIT", "1")
            .env_remove("PRE_COMMIT_FROM_REF")
            .env_remove("PRE_COMMIT_TO_REF");
        for (k, v) in envs {
            c.env(k, v);
        }
        let out = run_with_stdin(c, b"");
        assert_no_leak(&out);
        out
    };
    let out = pre_push(&[]);
    assert_eq!(code(&out), Some(1), "first push passed: {}", stderr(&out));
    assert!(stderr(&out).contains("nric-fin"), "{}", stderr(&out));
    // Refs that git does not know are not trusted.
    let out = pre_push(&[
        (
            "PRE_COMMIT_FROM_REF",
            "0123456789abcdef0123456789abcdef01234567",
        ),
        ("PRE_COMMIT_TO_REF", "HEAD"),
    ]);
    assert_eq!(code(&out), Some(1), "{}", stderr(&out));
    // Refs that agree with git are used: only the second commit.
    let out = pre_push(&[
        ("PRE_COMMIT_FROM_REF", "HEAD~1"),
        ("PRE_COMMIT_TO_REF", "HEAD"),
    ]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));

    // Once the history is on the remote, nothing is left to scan.
    git(&repo, &["push", "-q", "--no-verify", "origin", "main"]);
    git(&repo, &["fetch", "-q", "origin"]);
    let out = pre_push(&[]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    // A new local commit with a secret is caught again.
    // A key id that is not AWS's documented example (built at run time).
    let key = format!("AKIA{}{}", "Q3EGRJYJ", "7UXHKZ4P");
    std::fs::write(repo.join("c.py"), format!("KEY = \"{key}\"\n")).unwrap();
    commit_all(&repo, "third");
    let out = pre_push(&[]);
    assert_eq!(code(&out), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("aws-access-key-id"));
    assert!(!stderr(&out).contains("nric-fin"), "{}", stderr(&out));
}

// 6. Kiro CLI deferred postToolUse payloads (`hook_events`).
#[test]
fn kiro_cli_deferred_post_tool_use_events_are_all_checked() {
    let d = workspace();
    std::fs::write(d.path().join("clean.py"), "x = 1\n").unwrap();
    std::fs::write(d.path().join("saved.py"), format!("nric = \"{NRIC}\"\n")).unwrap();
    let p = json!({"hook_event_name":"postToolUse","cwd":d.path(),"hook_events":[
        {"tool_name":"fs_write","tool_input":{"command":"create","path":d.path().join("clean.py"),"file_text":"x = 1\n"},"tool_response":{"success":true}},
        {"tool_name":"execute_bash","tool_input":{"command":"ls"},"tool_response":{"success":true,"result":"app.py"}},
        {"tool_name":"fs_write","tool_input":{"command":"create","path":d.path().join("saved.py"),"file_text":"x"},"tool_response":{"success":true}}
    ]});
    let out = hook(d.path(), &[], &p, None);
    // Post events cannot block; Kiro CLI shows exit-1 stderr to the user.
    assert_eq!(code(&out), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("nric-fin"), "{}", stderr(&out));
    assert!(stderr(&out).contains("saved.py"), "{}", stderr(&out));
    // Only clean files: allowed.
    std::fs::write(d.path().join("saved.py"), "nric = None\n").unwrap();
    let out = hook(d.path(), &[], &p, None);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
}

fn kiro_guard_commands(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                match x.as_str() {
                    Some(c) if k == "command" && c.contains("hook") => out.push(c.to_string()),
                    _ => kiro_guard_commands(x, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| kiro_guard_commands(x, out)),
        _ => {}
    }
}

fn read_json(p: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

// 7. A legacy prompt hook migrated to IDE 1.x (stdin payload, empty
// USER_PROMPT) checks the prompt, and `init` rewrites it.
#[test]
fn migrated_legacy_prompt_hook_checks_the_stdin_prompt_and_init_rewrites_it() {
    let d = workspace();
    let p = json!({"session_id":"sess_9","hook_event_name":"UserPromptSubmit","cwd":d.path(),"prompt":format!("customer {NRIC}")});
    let out = hook(
        d.path(),
        &["--dialect", "kiro-ide-legacy", "--event", "promptSubmit"],
        &p,
        None,
    );
    assert_eq!(code(&out), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("nric-fin"));

    init_repo(d.path());
    std::fs::create_dir_all(d.path().join(".kiro/hooks")).unwrap();
    let migrated = d.path().join(".kiro/hooks/kiro-guard-prompt.json");
    std::fs::write(
        &migrated,
        json!({"version":"v1","hooks":[
            {"name":"kiro-guard (prompt)","trigger":"UserPromptSubmit","action":{"type":"command","command":"kiro-guard hook --dialect kiro-ide-legacy --event promptSubmit"},"enabled":true},
            {"name":"other","trigger":"Stop","action":{"type":"command","command":"make lint"}}
        ]})
        .to_string(),
    )
    .unwrap();
    let out = kg(d.path()).args(["init"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v = read_json(&migrated);
    let mut cmds = Vec::new();
    kiro_guard_commands(&v, &mut cmds);
    assert_eq!(cmds.len(), 1, "{v}");
    assert!(!cmds[0].contains("kiro-ide-legacy"), "{}", cmds[0]);
    assert!(cmds[0].contains("--event promptSubmit"), "{}", cmds[0]);
    assert!(v.to_string().contains("make lint"), "other hooks kept: {v}");
    // The rewritten command blocks the prompt from stdin.
    let out = run_hook_command(d.path(), &cmds[0], &p, &bare_path());
    assert_eq!(code(&out), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("nric-fin"), "{}", stderr(&out));
}

// 8. Fail closed when the binary is missing; `doctor` says so.
#[test]
fn hooks_written_by_init_block_when_the_binary_is_missing_and_doctor_reports_it() {
    let d = tempfile::tempdir().unwrap();
    init_repo(d.path());
    let missing = d.path().join("gone/kiro-guard");
    let out = kg(d.path())
        .args(["init", "--all", "--binary"])
        .arg(&missing)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let write = json!({"session_id":"a","transcript_path":"/t","cwd":d.path(),"permission_mode":"default","hook_event_name":"PreToolUse","tool_name":"Write","tool_input":{"file_path":d.path().join("a.py"),"content":"x = 1\n"}});
    let mut all = Vec::new();
    for f in [
        ".claude/settings.json",
        ".kiro/hooks/kiro-guard.json",
        ".kiro/agents/kiro-guard.json",
        ".kiro/hooks/kiro-guard-prompt.kiro.hook",
        ".kiro/hooks/kiro-guard-files.kiro.hook",
    ] {
        let mut cmds = Vec::new();
        kiro_guard_commands(&read_json(&d.path().join(f)), &mut cmds);
        assert!(!cmds.is_empty(), "{f}");
        all.extend(cmds);
    }
    for c in &all {
        let out = run_hook_command(d.path(), c, &write, &bare_path());
        assert_eq!(code(&out), Some(2), "{c}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("kiro-guard is not installed"),
            "{}",
            stderr(&out)
        );
    }
    // The git hook stops the commit with the same message.
    std::fs::write(d.path().join("a.py"), "x = 1\n").unwrap();
    git(d.path(), &["add", "a.py"]);
    let commit = Command::new("git")
        .current_dir(d.path())
        .args(["commit", "-q", "-m", "x"])
        .env("PATH", bare_path())
        .output()
        .unwrap();
    assert!(
        !commit.status.success(),
        "commit went through without kiro-guard"
    );
    assert!(
        stderr(&commit).contains("kiro-guard is not installed"),
        "{}",
        stderr(&commit)
    );

    let doc = kg(d.path())
        .args(["doctor"])
        .env("PATH", bare_path())
        .output()
        .unwrap();
    let report = stdout(&doc);
    assert_eq!(doc.status.code(), Some(1), "{report}");
    assert!(report.contains("FAIL"), "{report}");
    assert!(report.contains("kiro-guard is not installed"), "{report}");
    assert!(report.contains("fix:"), "{report}");

    // Re-run init from the real binary: the same commands now run kiro-guard,
    // even with no kiro-guard on PATH.
    let out = kg(d.path()).args(["init", "--all"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let mut cmds = Vec::new();
    kiro_guard_commands(
        &read_json(&d.path().join(".claude/settings.json")),
        &mut cmds,
    );
    let bad = json!({"session_id":"a","transcript_path":"/t","cwd":d.path(),"permission_mode":"default","hook_event_name":"PreToolUse","tool_name":"Write","tool_input":{"file_path":d.path().join("a.py"),"content":format!("owner = \"{NRIC}\"\n")}});
    for c in &cmds {
        let out = run_hook_command(d.path(), c, &bad, &bare_path());
        assert_eq!(code(&out), Some(2), "{c}: {}", stderr(&out));
        assert!(stderr(&out).contains("nric-fin"), "{}", stderr(&out));
        let out = run_hook_command(d.path(), c, &write, &bare_path());
        assert_eq!(code(&out), Some(0), "{c}: {}", stderr(&out));
    }
    let doc = kg(d.path())
        .args(["doctor"])
        .env("PATH", bare_path())
        .output()
        .unwrap();
    assert_eq!(
        doc.status.code(),
        Some(0),
        "{}{}",
        stdout(&doc),
        stderr(&doc)
    );
    assert!(
        stdout(&doc).contains("all checks passed"),
        "{}",
        stdout(&doc)
    );
}

// 8b. A bare `kiro-guard` command (an old install) is what doctor flags.
#[test]
fn doctor_flags_a_bare_command_that_is_not_on_path() {
    let d = tempfile::tempdir().unwrap();
    init_repo(d.path());
    std::fs::create_dir_all(d.path().join(".kiro/hooks")).unwrap();
    std::fs::write(
        d.path().join(".kiro/hooks/kiro-guard.json"),
        json!({"version":"v1","hooks":[{"name":"t","trigger":"PreToolUse","action":{"type":"command","command":"kiro-guard hook --dialect kiro-v1"}}]}).to_string(),
    )
    .unwrap();
    let doc = kg(d.path())
        .args(["doctor"])
        .env("PATH", bare_path())
        .output()
        .unwrap();
    let report = stdout(&doc);
    assert_eq!(doc.status.code(), Some(1), "{report}");
    assert!(report.contains("not found (exit 127)"), "{report}");
}

// 9. Hook timeouts leave room for a loaded machine.
#[test]
fn installed_hooks_have_generous_timeouts() {
    let d = tempfile::tempdir().unwrap();
    init_repo(d.path());
    let out = kg(d.path()).args(["init", "--all"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    fn walk(v: &Value, found: &mut Vec<(String, u64)>) {
        match v {
            Value::Object(o) => {
                for (k, x) in o {
                    if let Some(n) = x.as_u64().filter(|_| k == "timeout" || k == "timeout_ms") {
                        found.push((k.clone(), n));
                    } else {
                        walk(x, found);
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, found)),
            _ => {}
        }
    }
    for f in [
        ".claude/settings.json",
        ".kiro/hooks/kiro-guard.json",
        ".kiro/agents/kiro-guard.json",
    ] {
        let mut found = Vec::new();
        walk(&read_json(&d.path().join(f)), &mut found);
        assert!(!found.is_empty(), "{f}: no timeouts");
        for (k, n) in found {
            let secs = if k == "timeout_ms" { n / 1000 } else { n };
            assert!(secs >= 30, "{f}: {k} = {n} is too short for a cold start");
        }
    }
}

/// Claude Code's matcher rule: only `[A-Za-z0-9_ ,|-]` → exact names;
/// otherwise an unanchored regex.
fn claude_matches(matcher: &str, tool: &str) -> bool {
    if matcher.is_empty() || matcher == "*" {
        return true;
    }
    if matcher
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || " _,|-".contains(c))
    {
        return matcher.split(['|', ',']).any(|m| m.trim() == tool);
    }
    regex::Regex::new(matcher).unwrap().is_match(tool)
}

// 10. Claude matchers select exactly the tools kiro-guard checks; NotebookEdit is supported.
#[test]
fn claude_matchers_are_exact_and_notebook_edit_is_checked() {
    let d = tempfile::tempdir().unwrap();
    init_repo(d.path());
    let out = kg(d.path()).args(["init", "--claude"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let settings = read_json(&d.path().join(".claude/settings.json"));
    let matchers: Vec<String> = settings["hooks"]["PreToolUse"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["matcher"].as_str().unwrap_or("").to_string())
        .collect();
    let matched = |tool: &str| matchers.iter().any(|m| claude_matches(m, tool));
    for t in [
        "Write",
        "Edit",
        "MultiEdit",
        "NotebookEdit",
        "Bash",
        "PowerShell",
        "mcp__github__create_issue",
    ] {
        assert!(matched(t), "{t} not matched by {matchers:?}");
    }
    for t in ["TodoWrite", "BashOutput", "Read", "WebFetch", "KillShell"] {
        assert!(!matched(t), "{t} matched by {matchers:?}");
    }

    // NotebookEdit: the cell is checked, labelled with the notebook path.
    let nb = json!({"cells":[{"id":"c1","cell_type":"code","source":["x = 1\n"]}],"nbformat":4,"nbformat_minor":5});
    std::fs::write(d.path().join("analysis.ipynb"), nb.to_string()).unwrap();
    let p = json!({"session_id":"a","transcript_path":"/t","cwd":d.path(),"permission_mode":"default","hook_event_name":"PreToolUse","tool_name":"NotebookEdit","tool_input":{"notebook_path":d.path().join("analysis.ipynb"),"cell_id":"c1","new_source":format!("x = 1\nowner = \"{NRIC}\"\n"),"edit_mode":"replace"}});
    let out = hook(d.path(), &[], &p, None);
    assert_eq!(code(&out), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("analysis.ipynb:2"),
        "{}",
        stderr(&out)
    );
    let v: Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(v["hookSpecificOutput"]["permissionDecision"], "deny");
    // A clean cell edit passes.
    let clean = json!({"session_id":"a","transcript_path":"/t","cwd":d.path(),"permission_mode":"default","hook_event_name":"PreToolUse","tool_name":"NotebookEdit","tool_input":{"notebook_path":d.path().join("analysis.ipynb"),"cell_id":"c1","new_source":"x = 2\n"}});
    let out = hook(d.path(), &[], &clean, None);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
}

// 9b. A hook that runs out of its own time budget follows on_error instead
// of being killed by the agent (which would let the call through).
#[test]
fn a_hook_over_its_budget_follows_on_error() {
    let d = workspace();
    let p = json!({"session_id":"a","transcript_path":"/t","cwd":d.path(),"permission_mode":"default","hook_event_name":"PreToolUse","tool_name":"Write","tool_input":{"file_path":d.path().join("a.py"),"content":"x = 1\n"}});
    let mut c = kg(d.path());
    c.args(["hook", "--dialect", "claude"])
        .env("KIRO_GUARD_HOOK_BUDGET_MS", "0");
    let out = run_with_stdin(c, p.to_string().as_bytes());
    assert_eq!(code(&out), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("did not finish"), "{}", stderr(&out));
    assert!(stderr(&out).contains("on_error"), "{}", stderr(&out));
    // Given the time, the same clean call is allowed.
    let mut c = kg(d.path());
    c.args(["hook", "--dialect", "claude"])
        .env("KIRO_GUARD_HOOK_BUDGET_MS", "600000");
    let out = run_with_stdin(c, p.to_string().as_bytes());
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
}
