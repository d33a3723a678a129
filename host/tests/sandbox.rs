//! The sandbox holds against misbehaving skills: loops, memory hogs, traps,
//! bad spans, floods, forbidden imports and tampered pins.

use kiro_guard::cache::AotCache;
use kiro_guard::runtime::{Limits, Runtime, SkillError, SkillSource, TEST_SKILLS_DIR};
use kiro_guard_contract::{Document, Input};
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn component(name: &str) -> Vec<u8> {
    let p = PathBuf::from(TEST_SKILLS_DIR).join(format!("{name}.wasm"));
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn shared_cache() -> AotCache {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("aot-cache");
    AotCache::new(Some(dir))
}

fn runtime(limits: Limits) -> Runtime {
    Runtime::new(limits, shared_cache()).unwrap()
}

fn small_limits() -> Limits {
    Limits {
        fuel_base: 200_000_000,
        fuel_per_byte: 1_000,
        memory_bytes: 64 << 20,
        ..Limits::default()
    }
}

fn file(text: &str) -> Input {
    Input::File(Document::new("src/a.py", text))
}

fn run_mode(rt: &Runtime, mode: &str) -> Result<Vec<kiro_guard_contract::Finding>, SkillError> {
    let skill = rt
        .load(&component("misbehave"), SkillSource::Builtin)
        .unwrap();
    rt.analyze(
        &skill,
        &file("one line\n"),
        &format!(r#"{{"mode":"{mode}"}}"#),
        Some(1),
    )
}

#[test]
fn well_behaved_call_returns_findings() {
    let rt = runtime(small_limits());
    let findings = run_mode(&rt, "ok").unwrap();
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].rule_id, "test-rule");
}

#[test]
fn infinite_loop_is_stopped_by_the_cpu_budget() {
    let rt = runtime(small_limits());
    let start = Instant::now();
    let err = run_mode(&rt, "loop").unwrap_err();
    assert_eq!(err, SkillError::CpuBudget);
    // Not a timing assertion on speed, a guard against "never returns".
    assert!(start.elapsed() < Duration::from_secs(60));
    assert!(err.to_string().contains("CPU budget"));
}

#[test]
fn memory_hog_is_stopped_at_the_cap() {
    let rt = runtime(small_limits());
    let err = run_mode(&rt, "oom").unwrap_err();
    assert_eq!(
        err,
        SkillError::Memory {
            limit_bytes: 64 << 20
        }
    );
    assert!(err.to_string().contains("64 MiB"), "{err}");
}

#[test]
fn trap_is_reported_not_propagated() {
    let rt = runtime(small_limits());
    let err = run_mode(&rt, "trap").unwrap_err();
    assert!(matches!(err, SkillError::Trap(_)), "{err:?}");
}

#[test]
fn out_of_range_span_is_malformed_output() {
    let rt = runtime(small_limits());
    let err = run_mode(&rt, "bad-span").unwrap_err();
    assert!(
        matches!(&err, SkillError::Malformed(m) if m.contains("10000")),
        "{err:?}"
    );
}

#[test]
fn flood_of_findings_is_refused() {
    let rt = runtime(Limits {
        fuel_base: 5_000_000_000,
        ..small_limits()
    });
    let err = run_mode(&rt, "flood").unwrap_err();
    assert!(
        matches!(&err, SkillError::Malformed(m) if m.contains("limit")),
        "{err:?}"
    );
}

#[test]
fn reported_error_is_a_skill_error() {
    let rt = runtime(small_limits());
    assert_eq!(
        run_mode(&rt, "error").unwrap_err(),
        SkillError::Reported("deliberate error".into())
    );
}

#[test]
fn a_store_is_fresh_per_call_after_a_failure() {
    let rt = runtime(small_limits());
    let skill = rt
        .load(&component("misbehave"), SkillSource::Builtin)
        .unwrap();
    let bad = rt.analyze(&skill, &file("x\n"), r#"{"mode":"trap"}"#, Some(1));
    assert!(bad.is_err());
    let good = rt
        .analyze(&skill, &file("x\n"), r#"{"mode":"ok"}"#, Some(1))
        .unwrap();
    assert_eq!(good.len(), 1);
}

#[test]
fn forbidden_import_is_refused_at_load_with_its_name() {
    let rt = runtime(small_limits());
    let err = rt
        .load(&component("forbidden_import"), SkillSource::Builtin)
        .unwrap_err()
        .to_string();
    assert!(err.contains("wasi:filesystem"), "{err}");
    assert!(err.contains("does not allow"), "{err}");
}

#[test]
fn garbage_bytes_are_a_clear_error() {
    let rt = runtime(small_limits());
    let err = rt
        .load(b"\0asm not really", SkillSource::Builtin)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("invalid component") || err.contains("not a valid component"),
        "{err}"
    );
}

#[test]
fn warm_load_reuses_the_cache_file() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = component("misbehave");
    let rt = Runtime::new(
        small_limits(),
        AotCache::new(Some(dir.path().to_path_buf())),
    )
    .unwrap();
    let first = rt.load(&bytes, SkillSource::Builtin).unwrap();
    assert!(first.compiled, "cold load compiles");
    let entries: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "cwasm"))
        .collect();
    assert_eq!(entries.len(), 1, "{entries:?}");
    let before = std::fs::metadata(&entries[0]).unwrap().modified().unwrap();
    let rt2 = Runtime::new(
        small_limits(),
        AotCache::new(Some(dir.path().to_path_buf())),
    )
    .unwrap();
    let second = rt2.load(&bytes, SkillSource::Builtin).unwrap();
    assert!(!second.compiled, "warm load must not compile");
    let after = std::fs::metadata(&entries[0]).unwrap().modified().unwrap();
    assert_eq!(before, after, "cache file rewritten on a warm load");
}

#[test]
fn corrupt_cache_file_is_recompiled() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = component("misbehave");
    let rt = Runtime::new(
        small_limits(),
        AotCache::new(Some(dir.path().to_path_buf())),
    )
    .unwrap();
    rt.load(&bytes, SkillSource::Builtin).unwrap();
    let path = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "cwasm"))
        .unwrap();
    std::fs::write(&path, b"garbage").unwrap();
    let again = rt.load(&bytes, SkillSource::Builtin).unwrap();
    assert!(again.compiled);
    assert!(rt.analyze(&again, &file("x\n"), "{}", Some(1)).is_ok());
}
