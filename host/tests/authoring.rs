//! The skill authoring kit end to end: `kiro-guard skill new | build | test`
//! on the example external skill and on a fresh scaffold, the example loaded
//! through a pinned `.kiro-guard.toml`, and the WIT versioning rules.
//!
//! These tests run cargo for wasm32-wasip2. They share one target directory,
//! `target/authoring-tests`, so repeated runs are incremental.

use kiro_guard::runtime::{CONTRACT_VERSION, compatible, sha256_hex};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn target_dir() -> PathBuf {
    repo().join("target").join("authoring-tests")
}

fn example_dir() -> PathBuf {
    repo().join("skills/examples/internal-hosts")
}

/// The kiro-guard binary with the test target dir and AOT cache, and without
/// flags from the outer build that must not reach the wasm build.
fn kiro_guard() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kiro-guard"));
    c.env("CARGO_TARGET_DIR", target_dir())
        .env("KIRO_GUARD_CACHE_DIR", target_dir().join("aot-cache"))
        .env("NO_COLOR", "1");
    for var in [
        "RUSTFLAGS",
        "CARGO_ENCODED_RUSTFLAGS",
        "CARGO_BUILD_RUSTFLAGS",
        "CARGO_BUILD_TARGET",
        "CARGO_MAKEFLAGS",
        "RUSTC_WORKSPACE_WRAPPER",
    ] {
        c.env_remove(var);
    }
    c
}

#[derive(Debug)]
struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(cmd: &mut Command) -> Out {
    let o = cmd.output().expect("run kiro-guard");
    let out = Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    };
    eprintln!(
        "$ {cmd:?}\nexit {}\n--- stdout\n{}--- stderr (last lines)\n{}",
        out.code,
        out.stdout,
        tail(&out.stderr, 15)
    );
    out
}

fn tail(s: &str, n: usize) -> String {
    let lines: Vec<&str> = s.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n") + "\n"
}

/// The component file `skill build` printed.
fn component_path(stdout: &str) -> PathBuf {
    let line = stdout
        .lines()
        .find_map(|l| l.trim().strip_prefix("component"))
        .expect("a component line");
    let p = PathBuf::from(line.trim());
    if p.is_absolute() { p } else { repo().join(p) }
}

/// Build a skill crate once per test process and return its component.
fn built(dir: &Path, cell: &'static OnceLock<PathBuf>) -> &'static Path {
    cell.get_or_init(|| {
        let out = run(kiro_guard()
            .current_dir(repo())
            .args(["skill", "build"])
            .arg(dir));
        assert_eq!(out.code, 0, "skill build {} failed", dir.display());
        component_path(&out.stdout)
    })
}

fn example_wasm() -> &'static Path {
    static CELL: OnceLock<PathBuf> = OnceLock::new();
    built(&example_dir(), &CELL)
}

#[test]
fn example_skill_build_prints_hash_and_pin_snippet() {
    let out = run(kiro_guard().current_dir(repo()).args([
        "skill",
        "build",
        "skills/examples/internal-hosts",
    ]));
    assert_eq!(out.code, 0);
    let wasm = component_path(&out.stdout);
    let sha = sha256_hex(&std::fs::read(&wasm).unwrap());
    assert!(out.stdout.contains(&format!("sha256     {sha}")));
    assert!(out.stdout.contains("built internal-hosts 0.1.0"));
    assert!(out.stdout.contains("internal-hostname"));
    assert!(out.stdout.contains("staging-credential"));
    assert!(out.stdout.contains("sandbox    ok"));
    assert!(
        out.stdout
            .contains(&format!("[[external_skills]]\npath = \"target/authoring-tests/wasm32-wasip2/release/internal_hosts.wasm\"\nsha256 = \"{sha}\"\n"))
    );
}

#[test]
fn example_skill_passes_skill_test() {
    let out = run(kiro_guard()
        .current_dir(example_dir())
        .args(["skill", "test"]));
    assert_eq!(out.code, 0, "{}", out.stdout);
    for fixture in [
        "ok    app/settings.py (3 findings)",
        "ok    src/client.ts (2 findings)",
        "ok    tests/test_settings.py (1 finding)",
        "ok    deploy.command (2 findings)",
        "ok    ask.prompt (1 finding)",
        "ok    README.md (0 findings)",
    ] {
        assert!(out.stdout.contains(fixture), "missing {fixture:?}");
    }
    assert!(out.stdout.contains("6 passed, 0 failed"));
}

/// Write a config pinning `wasm` (copied into `dir/skills/`) and return the
/// pinned copy.
fn pin(dir: &Path, wasm: &Path, sha256: &str) -> PathBuf {
    let dest = dir.join("skills").join("internal-hosts.wasm");
    std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
    std::fs::copy(wasm, &dest).unwrap();
    std::fs::write(
        dir.join(".kiro-guard.toml"),
        format!(
            "[[external_skills]]\npath = \"skills/internal-hosts.wasm\"\nsha256 = \"{sha256}\"\n\n[skills.internal-hosts]\nallow_hosts = [\"docs.corp.internal\"]\n"
        ),
    )
    .unwrap();
    dest
}

#[test]
fn pinned_external_skill_runs_in_scan_and_tampering_is_refused() {
    let wasm = example_wasm();
    let sha = sha256_hex(&std::fs::read(wasm).unwrap());
    let tmp = tempfile::tempdir().unwrap();
    let pinned = pin(tmp.path(), wasm, &sha);
    let app = tmp.path().join("app.py");
    std::fs::write(
        &app,
        "API = \"https://payments.corp.internal/v1\"\nDOCS = \"https://docs.corp.internal/\"\n",
    )
    .unwrap();

    let out = run(kiro_guard()
        .current_dir(tmp.path())
        .args(["scan", "--format", "json"])
        .arg(&app));
    assert_eq!(out.code, 1, "a block finding fails the scan");
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["decision"], "block");
    let ours: Vec<&serde_json::Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["skill"] == "internal-hosts")
        .collect();
    assert_eq!(
        ours.len(),
        1,
        "the skill's setting allows docs.corp.internal"
    );
    assert_eq!(ours[0]["rule"], "internal-hostname");
    assert_eq!(ours[0]["line"], 1);
    assert_eq!(ours[0]["column"], 16);
    assert_eq!(ours[0]["evidence"], "payments.corp.internal");
    assert_eq!(ours[0]["references"][0]["framework"], "MAS TRM");

    // The skill shows up in `skills list` with its hash.
    let out = run(kiro_guard()
        .current_dir(tmp.path())
        .args(["skills", "list", "--format", "json"]));
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("\"internal-hosts\""));
    assert!(out.stdout.contains(&sha));

    // One byte changed after pinning: refused, naming both hashes.
    let mut bytes = std::fs::read(&pinned).unwrap();
    let i = bytes.len() / 2;
    bytes[i] ^= 0x01;
    std::fs::write(&pinned, &bytes).unwrap();
    let out = run(kiro_guard()
        .current_dir(tmp.path())
        .args(["scan", "--format", "json"])
        .arg(&app));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("refused"), "{}", out.stderr);
    assert!(out.stderr.contains(&sha));
    assert!(out.stderr.contains(&sha256_hex(&bytes)));
}

#[test]
fn scaffold_builds_and_tests_unchanged_then_detects_a_mismatch() {
    // Inside the repository, so the SDK resolves by relative path.
    let parent = target_dir().join("scaffold");
    let dir = parent.join("my-skill");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&parent).unwrap();

    let out = run(kiro_guard()
        .current_dir(&parent)
        .args(["skill", "new", "my-skill"]));
    assert_eq!(out.code, 0);
    assert!(
        out.stdout
            .contains("SDK: kiro-guard-skill by path (../../../../skills/sdk)")
    );
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("kiro-guard-skill = { path = \"../../../../skills/sdk\" }"));
    assert!(manifest.contains("[workspace]"));
    assert!(manifest.contains("crate-type = [\"cdylib\", \"rlib\"]"));

    // Refuses to overwrite.
    let again = run(kiro_guard()
        .current_dir(&parent)
        .args(["skill", "new", "my-skill"]));
    assert_eq!(again.code, 2);

    // The template's unit tests pass natively.
    let unit = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", target_dir())
        .args(["test", "--quiet"])
        .output()
        .unwrap();
    assert!(
        unit.status.success(),
        "cargo test in the scaffold:\n{}{}",
        String::from_utf8_lossy(&unit.stdout),
        String::from_utf8_lossy(&unit.stderr)
    );

    let out = run(kiro_guard().current_dir(&dir).args(["skill", "build"]));
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("built my-skill 0.1.0"));
    assert!(!out.stdout.contains("warning:"));

    let out = run(kiro_guard().current_dir(&dir).args(["skill", "test"]));
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("3 passed, 0 failed"));

    // Change an expectation: a readable diff and exit 1.
    let exp = dir.join("fixtures/settings.py.expected.json");
    let original = std::fs::read_to_string(&exp).unwrap();
    let edited = original.replacen("\"block\"", "\"warn\"", 1);
    assert_ne!(edited, original);
    std::fs::write(&exp, &edited).unwrap();
    let out = run(kiro_guard().current_dir(&dir).args(["skill", "test"]));
    assert_eq!(out.code, 1);
    assert!(out.stdout.contains("FAIL  settings.py: findings differ"));
    assert!(
        out.stdout
            .contains("- 3:25 warn internal-hostname \"payments.corp.internal\"")
    );
    assert!(
        out.stdout
            .contains("+ 3:25 block internal-hostname \"payments.corp.internal\"")
    );
    assert!(out.stdout.contains("--update"));

    // A new input without an expectation fails until --update records it.
    std::fs::write(
        dir.join("fixtures/new.go"),
        "package main\n\nconst api = \"http://api.corp.internal\"\n",
    )
    .unwrap();
    let out = run(kiro_guard().current_dir(&dir).args(["skill", "test"]));
    assert_eq!(out.code, 1);
    assert!(
        out.stdout
            .contains("FAIL  new.go: no fixtures/new.go.expected.json")
    );

    let out = run(kiro_guard()
        .current_dir(&dir)
        .args(["skill", "test", "--update"]));
    assert_eq!(out.code, 0);
    assert_eq!(std::fs::read_to_string(&exp).unwrap(), original);
    let recorded: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("fixtures/new.go.expected.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(recorded[0]["evidence"], "api.corp.internal");
    assert_eq!(recorded[0]["line"], 3);

    let out = run(kiro_guard().current_dir(&dir).args(["skill", "test"]));
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("4 passed, 0 failed"));
}

#[test]
fn contract_versions_compatible_within_the_minor() {
    assert_eq!(CONTRACT_VERSION, "0.1.0");
    // A patch-level difference either way is accepted...
    assert!(compatible("0.1.0", CONTRACT_VERSION));
    assert!(compatible("0.1.9", CONTRACT_VERSION));
    assert!(compatible("0.1.0", "0.1.4"));
    // ...a minor bump in 0.x (or a major bump from 1.0) is not.
    assert!(!compatible("0.2.0", CONTRACT_VERSION));
    assert!(!compatible("0.0.9", CONTRACT_VERSION));
    assert!(compatible("1.3.0", "1.0.0"));
    assert!(!compatible("2.0.0", "1.9.0"));
}

#[test]
fn patch_level_contract_difference_loads_and_runs() {
    static CELL: OnceLock<PathBuf> = OnceLock::new();
    let wasm = built(&repo().join("skills/testing/wit-0-1-9"), &CELL);
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("a.txt");
    std::fs::write(&file, "hello\n").unwrap();
    let out = run(kiro_guard()
        .current_dir(tmp.path())
        .args([
            "scan",
            "--format",
            "json",
            "--skills",
            "patch-skill",
            "--with-skill",
        ])
        .arg(wasm)
        .arg(&file));
    assert_eq!(out.code, 0);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["findings"][0]["skill"], "patch-skill");
    assert_eq!(report["findings"][0]["rule"], "patch-level");
}

#[test]
fn incompatible_contract_is_refused_naming_both_versions() {
    let dir = repo().join("skills/testing/wit-0-2-0");
    let out = run(kiro_guard()
        .current_dir(repo())
        .args(["skill", "build"])
        .arg(&dir));
    assert_eq!(out.code, 1, "the sandbox check refuses it");
    let both = |s: &str| s.contains("kiro:skill@0.2.0") && s.contains("kiro:skill@0.1.0");
    assert!(both(&out.stderr), "{}", tail(&out.stderr, 5));

    // And `scan` refuses to load it.
    let wasm = target_dir().join("wasm32-wasip2/release/wit_0_2_0.wasm");
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("a.txt");
    std::fs::write(&file, "hello\n").unwrap();
    let out = run(kiro_guard()
        .current_dir(tmp.path())
        .args(["scan", "--with-skill"])
        .arg(&wasm)
        .arg(&file));
    assert_eq!(out.code, 2);
    assert!(both(&out.stderr), "{}", out.stderr);
    assert!(out.stderr.contains("cannot load"));
}

#[test]
fn usage_errors_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(kiro_guard()
        .current_dir(tmp.path())
        .args(["skill", "new", "Bad_Name"]));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("lower-case"));

    let out = run(kiro_guard()
        .current_dir(tmp.path())
        .args(["skill", "build"]));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("no Cargo.toml"));

    let out = run(kiro_guard().current_dir(tmp.path()).args(["skill", "test"]));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("no fixtures/"));

    for sub in ["new", "build", "test"] {
        let out = run(kiro_guard().args(["skill", sub, "--help"]));
        assert_eq!(out.code, 0);
        assert!(out.stdout.contains("Examples:"), "skill {sub} --help");
    }
}
