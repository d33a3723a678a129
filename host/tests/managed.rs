//! Managed mode end to end, with a temporary "system" prefix: the binary is
//! installed as `<prefix>/bin/kiro-guard`, so its policy is
//! `<prefix>/etc/kiro-guard/policy.toml` (a location no environment variable
//! or repository file can change).

mod common;

use common::*;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::Command;

struct Managed {
    _dir: tempfile::TempDir,
    prefix: PathBuf,
    bin: PathBuf,
    repo: PathBuf,
}

fn managed() -> Managed {
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("sys");
    std::fs::create_dir_all(prefix.join("bin")).unwrap();
    let bin = prefix
        .join("bin")
        .join(format!("kiro-guard{}", std::env::consts::EXE_SUFFIX));
    common::copy_executable(&common::bin(), &bin);
    let out = Command::new(&bin)
        .args(["managed", "install", "--prefix"])
        .arg(&prefix)
        .arg("--binary")
        .arg(&bin)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let repo = dir.path().join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q"]);
    // A repository configuration that tries to switch everything off.
    std::fs::write(
        repo.join(".kiro-guard.toml"),
        "enabled_skills = [\"banking-code-review\"]\non_error = \"warn\"\n[rules]\nnric-fin = \"off\"\n[allow]\npaths = [\"**\"]\n[hooks]\nprotect_guard_files = false\n",
    )
    .unwrap();
    std::fs::create_dir_all(repo.join(".kiro/hooks")).unwrap();
    std::fs::create_dir_all(repo.join(".claude")).unwrap();
    std::fs::write(repo.join(".claude/settings.json"), "{}").unwrap();
    Managed {
        _dir: dir,
        prefix,
        bin,
        repo,
    }
}

/// The hook as Claude Code's managed settings run it.
fn hook(m: &Managed, tool: &str, input: serde_json::Value) -> std::process::Output {
    let payload = json!({
        "session_id": "s", "transcript_path": "/tmp/t.jsonl", "cwd": m.repo,
        "permission_mode": "default", "hook_event_name": "PreToolUse",
        "tool_name": tool, "tool_input": input,
    });
    let mut c = Command::new(&m.bin);
    c.current_dir(&m.repo)
        .arg("hook")
        .env("KIRO_GUARD_USER", "someone-else")
        .env("KIRO_GUARD_CACHE_DIR", m.repo.join("poisoned-cache"))
        .env("XDG_CONFIG_HOME", m.repo.join("xdg"));
    let out = run_with_stdin(c, payload.to_string().as_bytes());
    assert_no_leak(&out);
    out
}

fn spool_records(prefix: &Path) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    let spool = prefix.join("var/spool/kiro-guard");
    for user in std::fs::read_dir(&spool).unwrap().flatten() {
        for f in std::fs::read_dir(user.path()).unwrap().flatten() {
            for line in std::fs::read_to_string(f.path()).unwrap().lines() {
                let v: serde_json::Value = serde_json::from_str(line).unwrap();
                if v["kind"] == "decision" {
                    out.push(v);
                }
            }
        }
    }
    out
}

#[test]
fn repository_config_cannot_relax_the_policy() {
    let m = managed();
    let out = hook(
        &m,
        "Write",
        json!({"file_path": "src/a.py", "content": "ID = 'S1234567D'\n"}),
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("nric-fin"));
    // Guard files stay protected although the repository turned it off.
    let out = hook(
        &m,
        "Bash",
        json!({"command": "rm -rf .kiro .claude .kiro-guard.toml"}),
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn survives_removal_of_the_repository_files_and_records_to_the_spool() {
    let m = managed();
    // The agent's attempt is refused and recorded...
    let out = hook(
        &m,
        "Bash",
        json!({"command": "rm -rf .kiro .claude .kiro-guard.toml"}),
    );
    assert_eq!(out.status.code(), Some(2));
    // ...and even if the files are gone (removed outside the agent), the
    // next tool call is still checked.
    for p in [".kiro", ".claude"] {
        std::fs::remove_dir_all(m.repo.join(p)).unwrap();
    }
    std::fs::remove_file(m.repo.join(".kiro-guard.toml")).unwrap();
    let out = hook(
        &m,
        "Write",
        json!({"file_path": "b.py", "content": "card = '4111 1111 1111 1111'\nid = 'S1234567D'\n"}),
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let records = spool_records(&m.prefix);
    assert!(records.len() >= 2, "{records:?}");
    let blocks = records.iter().filter(|r| r["decision"] == "block").count();
    assert!(blocks >= 2, "{records:?}");
    // The audited user is the OS account, not KIRO_GUARD_USER.
    assert!(
        records.iter().all(|r| r["user"] != "someone-else"),
        "{records:?}"
    );
    // The repository's own log can be deleted; the spool keeps the record.
    let _ = std::fs::remove_dir_all(m.repo.join(".kiro-guard"));
    assert!(spool_records(&m.prefix).len() >= 2);
}

#[test]
fn check_reports_a_sound_install_and_a_tampered_one() {
    let m = managed();
    let out = Command::new(&m.bin)
        .args(["managed", "check", "--prefix"])
        .arg(&m.prefix)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // The system gitconfig points at the root-owned hooks.
    let cfg = std::fs::read_to_string(m.prefix.join("etc/gitconfig")).unwrap();
    assert!(cfg.contains("hooksPath"), "{cfg}");
    let claude: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(m.prefix.join("etc/claude-code/managed-settings.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(claude["allowManagedHooksOnly"], true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let policy = m.prefix.join("etc/kiro-guard/policy.toml");
        std::fs::set_permissions(&policy, std::fs::Permissions::from_mode(0o666)).unwrap();
        let out = Command::new(&m.bin)
            .args(["managed", "check", "--prefix"])
            .arg(&m.prefix)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&out.stdout).contains("writable"));
    }
    // A repository that overrides core.hooksPath is reported.
    git(&m.repo, &["config", "core.hooksPath", "/dev/null"]);
    let out = Command::new(&m.bin)
        .args(["managed", "check", "--prefix"])
        .arg(&m.prefix)
        .arg("--repo")
        .arg(&m.repo)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("overridden"));
}

#[test]
fn an_unreadable_policy_fails_closed() {
    let m = managed();
    std::fs::write(
        m.prefix.join("etc/kiro-guard/policy.toml"),
        "version = 1\nbogus = true\n",
    )
    .unwrap();
    let out = hook(&m, "Bash", json!({"command": "ls"}));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("bogus"), "{}", stderr(&out));
}

/// `init --managed` and `doctor --managed` are the same install and check
/// under the commands a user already knows.
#[test]
fn init_and_doctor_managed_spellings() {
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("sys");
    let out = Command::new(common::bin())
        .args(["init", "--managed", "--prefix"])
        .arg(&prefix)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(prefix.join("etc/kiro-guard/policy.toml").is_file());
    let doctor = |p: &Path| {
        Command::new(common::bin())
            .args(["doctor", "--managed", "--prefix"])
            .arg(p)
            .output()
            .unwrap()
    };
    let out = doctor(&prefix);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // A prefix with nothing installed fails the check.
    let empty = dir.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    assert_eq!(doctor(&empty).status.code(), Some(1));
    // Options for a repository install make no sense with --managed.
    let out = Command::new(common::bin())
        .args(["init", "--managed", "--claude"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
