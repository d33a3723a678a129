//! Helpers for end-to-end tests that spawn the real binary.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_kiro-guard"))
}

/// A compile cache shared by all test processes (components are compiled
/// once per test run, not once per spawned process).
pub fn cache_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("e2e-aot-cache")
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// A command for the binary with a clean, deterministic environment.
pub fn kg(dir: &Path) -> Command {
    let mut c = Command::new(bin());
    c.current_dir(dir)
        .env("KIRO_GUARD_CACHE_DIR", cache_dir())
        .env("NO_COLOR", "1")
        .env_remove("USER_PROMPT")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com");
    c
}

/// Run with `stdin` written and closed.
pub fn run_with_stdin(mut cmd: Command, stdin: &[u8]) -> Output {
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn kiro-guard");
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = wait_with_timeout(child, Duration::from_secs(120));
    let _ = writer.join();
    out
}

/// Wait for a child, killing it (and failing) after `limit`.
pub fn wait_with_timeout(mut child: std::process::Child, limit: Duration) -> Output {
    let start = Instant::now();
    loop {
        if let Some(_status) = child.try_wait().unwrap() {
            return child.wait_with_output().unwrap();
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("kiro-guard did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

pub fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

pub fn init_repo(dir: &Path) {
    git(dir, &["init", "-q", "-b", "main", "."]);
    git(dir, &["config", "user.email", "test@example.com"]);
    git(dir, &["config", "user.name", "Test"]);
    git(dir, &["config", "commit.gpgsign", "false"]);
}

/// Full sensitive values used by the tests; none may appear in any output.
pub fn sensitive_values() -> Vec<String> {
    vec![
        "S1234567D".into(),
        "s1234567d".into(),
        "T1234567J".into(),
        "M1234567K".into(),
        "G1234567X".into(),
        "F1234567N".into(),
        "4111 1111 1111 1111".into(),
        "4111-1111-1111-1111".into(),
        "4111111111111111".into(),
        "5555555555554444".into(),
        "AKIAIOSFODNN7EXAMPLE".into(),
        ["wJalrXUtnFEMI", "/K7MDENG/bPxRfiCY", "EXAMPLEKEY"].concat(),
    ]
}

pub fn assert_no_leak(out: &Output) {
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    for v in sensitive_values() {
        assert!(
            !all.contains(&v),
            "output leaks a full sensitive value {}…: {all}",
            &v[..3]
        );
    }
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Copy an executable and wait until it can be run. While the copy is open
/// for writing, a child that another test thread forks at that moment
/// inherits the descriptor until it execs, and running the copy then fails
/// with "Text file busy" (ETXTBSY); it clears within milliseconds.
#[allow(dead_code)]
pub fn copy_executable(src: &std::path::Path, dst: &std::path::Path) {
    std::fs::copy(src, dst).unwrap();
    for _ in 0..200 {
        match std::process::Command::new(dst).arg("--version").output() {
            Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy => {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            _ => return,
        }
    }
    panic!("{} stayed busy after copying", dst.display());
}
