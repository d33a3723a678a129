//! The runtime's load paths: built-ins from the code embedded at build time
//! (no compile, no cache, no write), external skills through the compile
//! cache, which a killed compile cannot break and a hook never waits on for
//! long.

mod common;

use common::{bin, repo_root};
use kiro_guard::cache::AotCache;
use kiro_guard::guard::{Guard, SkillSelection};
use kiro_guard::runtime::{Limits, Runtime, SkillSource, TEST_SKILLS_DIR, sha256_hex};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime};

fn misbehave() -> Vec<u8> {
    std::fs::read(PathBuf::from(TEST_SKILLS_DIR).join("misbehave.wasm")).unwrap()
}

fn runtime(dir: &Path) -> Runtime {
    Runtime::new(Limits::default(), AotCache::new(Some(dir.to_path_buf()))).unwrap()
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// The cache file a runtime uses for a component.
fn cache_file(rt: &Runtime, bytes: &[u8]) -> PathBuf {
    rt.cache()
        .path_for(&sha256_hex(bytes), rt.engine_hash())
        .unwrap()
}

#[test]
fn builtins_load_from_the_binary_without_compiling_or_writing() {
    let cache = tempfile::tempdir().unwrap();
    let rt = runtime(cache.path());
    let guard = Guard::new(
        rt,
        kiro_guard::config::Config::default(),
        &SkillSelection::default(),
    )
    .unwrap();
    let names: Vec<&str> = guard.skills.iter().map(|s| s.info.name.as_str()).collect();
    assert_eq!(
        names,
        kiro_guard::builtin::builtin_names(),
        "every built-in loads, in order"
    );
    for s in &guard.skills {
        assert_eq!(s.source, SkillSource::Builtin);
        assert!(!s.compiled, "{} was compiled at run time", s.info.name);
        assert!(!s.info.rules.is_empty(), "{} has no rules", s.info.name);
        assert!(guard.runtime.is_cached(&s.sha256));
    }
    assert_eq!(
        files_in(cache.path()),
        Vec::<String>::new(),
        "loading built-ins wrote to the cache directory"
    );
}

/// `scan` with every cache location below a regular file: nothing can be
/// created there (as root too), and the findings are still right.
#[test]
fn scan_with_no_writable_cache_finds_the_demo_findings() {
    let demo = repo_root().join("examples").join("demo");
    let start = std::time::Instant::now();
    let out = Command::new(bin())
        .current_dir(&demo)
        .args(["scan", ".", "--format", "json", "--fail-on", "never"])
        .env("HOME", "/dev/null/x")
        .env("XDG_CACHE_HOME", "/dev/null/x")
        .env_remove("KIRO_GUARD_CACHE_DIR")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let elapsed = start.elapsed();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        !err.contains("compile cache") && !err.contains("compiling"),
        "a built-in was compiled or a cache write attempted: {err}"
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = v["findings"].as_array().unwrap();
    let found = |skill: &str, file: &str| {
        findings
            .iter()
            .any(|f| f["skill"] == skill && f["path"].as_str().is_some_and(|p| p.ends_with(file)))
    };
    assert!(found("pii-detection", "payments.py"), "{v}");
    assert!(found("banking-code-review", "payments.py"), "{v}");
    assert!(found("mas-compliance-review", "main.tf"), "{v}");
    assert_eq!(v["errors"].as_array().map(Vec::len), Some(0), "{v}");
    // Warm-call time, not compile time (compiling the three built-ins takes
    // several seconds even in a release build).
    assert!(
        elapsed < Duration::from_secs(20),
        "scan took {elapsed:?} without a cache"
    );
}

/// A compile killed half-way (a truncated artefact where a non-atomic
/// writer would have left it, a temporary file, a lock file from some other
/// tool) breaks nothing: the next load recompiles, repairs the cache and
/// removes the dead writer's old temporary file.
#[test]
fn killed_compile_leaves_nothing_that_breaks_the_next_call() {
    let cache = tempfile::tempdir().unwrap();
    let bytes = misbehave();
    let rt = runtime(cache.path());
    let path = cache_file(&rt, &bytes);
    // A real artefact, truncated.
    let first = rt
        .load(&bytes, SkillSource::External("misbehave.wasm".into()))
        .unwrap();
    assert!(first.compiled);
    let full = std::fs::read(&path).unwrap();
    std::fs::write(&path, &full[..full.len() / 2]).unwrap();
    let _ = std::fs::remove_file(path.with_extension("describe.json"));
    // Leftovers of a killed writer: an old temporary file and a lock file.
    let tmp = cache.path().join(".kiro-guard-tmp-dead01");
    std::fs::write(&tmp, &full[..100]).unwrap();
    let old = SystemTime::now() - Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(&tmp)
        .unwrap()
        .set_modified(old)
        .unwrap();
    let young = cache.path().join(".kiro-guard-tmp-live01");
    std::fs::write(&young, b"a compile still running").unwrap();
    std::fs::write(path.with_extension("lock"), b"pid 99999").unwrap();

    let rt = runtime(cache.path());
    let again = rt
        .load(&bytes, SkillSource::External("misbehave.wasm".into()))
        .unwrap();
    assert!(again.compiled, "the truncated artefact was used");
    assert_eq!(again.info.name, "misbehave");
    assert_eq!(std::fs::read(&path).unwrap(), full, "cache repaired");
    assert!(!tmp.exists(), "the dead writer's temporary file is removed");
    assert!(
        young.exists(),
        "a young temporary file may be a live compile"
    );
    // And the repaired cache is used.
    let rt = runtime(cache.path());
    let third = rt
        .load(&bytes, SkillSource::External("misbehave.wasm".into()))
        .unwrap();
    assert!(!third.compiled);
}

/// A hook never waits long for a compile: past the deadline the load fails
/// with a message naming `kiro-guard skills warm`; once warmed it loads.
#[test]
fn compile_deadline_names_skills_warm() {
    let cache = tempfile::tempdir().unwrap();
    let bytes = misbehave();
    let mut rt = runtime(cache.path());
    rt.set_compile_deadline(Some(Duration::from_millis(1)));
    let err = rt
        .load(&bytes, SkillSource::External("misbehave.wasm".into()))
        .unwrap_err();
    let msg = format!("{err:#}");
    assert!(msg.contains("kiro-guard skills warm"), "{msg}");
    // Warm (no deadline), then a deadline-bound load finds it compiled.
    let rt = runtime(cache.path());
    assert!(
        rt.load(&bytes, SkillSource::External("misbehave.wasm".into()))
            .unwrap()
            .compiled
    );
    let mut rt = runtime(cache.path());
    rt.set_compile_deadline(Some(Duration::from_millis(1)));
    let warm = rt
        .load(&bytes, SkillSource::External("misbehave.wasm".into()))
        .unwrap();
    assert!(!warm.compiled);
}

#[test]
fn skills_warm_compiles_pinned_external_skills_once() {
    let d = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let bytes = misbehave();
    std::fs::write(d.path().join("skill.wasm"), &bytes).unwrap();
    std::fs::write(
        d.path().join(".kiro-guard.toml"),
        format!(
            "[[external_skills]]\npath = \"skill.wasm\"\nsha256 = \"{}\"\n",
            sha256_hex(&bytes)
        ),
    )
    .unwrap();
    let warm = || {
        let out = Command::new(bin())
            .current_dir(d.path())
            .args(["skills", "warm"])
            .env("KIRO_GUARD_CACHE_DIR", cache.path())
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let first = warm();
    assert!(first.contains("misbehave: compiled now"), "{first}");
    assert!(
        first.contains("pii-detection: precompiled into the binary"),
        "{first}"
    );
    let second = warm();
    assert!(second.contains("misbehave: already compiled"), "{second}");
}

/// Instance slots are reused from item to item (pooling allocator), never
/// the state inside them: a batch of files, analysed in parallel and
/// interleaved with items that make a skill trap and exhaust its memory,
/// gets for every file exactly the findings that file gets alone.
#[test]
fn reused_instance_slots_leak_nothing_between_files() {
    use kiro_guard::item::Item;
    use kiro_guard_contract::Document;
    let demo = repo_root().join("examples").join("demo");
    let mut docs = Vec::new();
    for rel in ["src/payments.py", "infra/main.tf", "README.md"] {
        let text = std::fs::read_to_string(demo.join(rel)).unwrap();
        docs.push((rel.to_string(), text));
    }
    // Clean files between the dirty ones: findings must not carry over.
    for i in 0..6 {
        docs.push((
            format!("clean{i}.py"),
            "def add(a, b):\n    return a + b\n".repeat(50),
        ));
    }
    let doc = |(path, text): &(String, String)| {
        Item::file(Document {
            path: path.clone(),
            language: String::new(),
            text: text.clone(),
            changed_lines: None,
            is_test: false,
        })
    };
    let cache = tempfile::tempdir().unwrap();
    let guard = Guard::new(
        runtime(cache.path()),
        kiro_guard::config::Config::default(),
        &SkillSelection::default(),
    )
    .unwrap();
    let key = |r: &kiro_guard::report::Reported| {
        format!(
            "{} {} {}:{}:{}-{}:{} {}",
            r.skill, r.rule, r.path, r.line, r.column, r.end_line, r.end_column, r.evidence
        )
    };
    let alone: Vec<Vec<String>> = docs
        .iter()
        .map(|d| {
            let mut v: Vec<String> = guard.analyze(&doc(d)).findings.iter().map(key).collect();
            v.sort();
            v
        })
        .collect();
    assert!(!alone[0].is_empty(), "payments.py has findings");
    assert!(alone[3].is_empty(), "a clean file has none");
    // Twice over, interleaved, in parallel.
    let batch: Vec<Item> = docs.iter().chain(docs.iter().rev()).map(doc).collect();
    let report = guard.analyze_all(batch);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    for (d, want) in docs.iter().zip(&alone) {
        let mut got: Vec<String> = report
            .findings
            .iter()
            .filter(|r| r.path == d.0)
            .map(key)
            .collect();
        got.sort();
        got.dedup();
        let mut want = want.clone();
        want.dedup();
        assert_eq!(&got, &want, "{}", d.0);
    }
    // A skill that traps or runs out of memory is discarded, and the next
    // item through the same slots is unaffected.
    let misbehave_path = PathBuf::from(TEST_SKILLS_DIR).join("misbehave.wasm");
    for mode in ["trap", "oom"] {
        let mut config = kiro_guard::config::Config::default();
        config.skills.insert(
            "misbehave".into(),
            toml::from_str(&format!("mode = \"{mode}\"")).unwrap(),
        );
        let guard = Guard::new(
            runtime(cache.path()),
            config,
            &SkillSelection {
                only: vec![],
                with_skill: vec![misbehave_path.clone()],
            },
        )
        .unwrap();
        let report = guard.analyze_all(docs.iter().map(doc).collect());
        assert_eq!(
            report.errors.len(),
            docs.len(),
            "{mode}: one error per file"
        );
        for (d, want) in docs.iter().zip(&alone) {
            let mut got: Vec<String> = report
                .findings
                .iter()
                .filter(|r| r.path == d.0)
                .map(key)
                .collect();
            got.sort();
            assert_eq!(&got, want, "{mode}: {}", d.0);
        }
    }
}
