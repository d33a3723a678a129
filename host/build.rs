//! Builds the built-in skills for `wasm32-wasip2`, pre-initialises them and
//! compiles them to native code for the target, and embeds both forms.
//!
//! The nested cargo uses its own target directory (`target/wasm-skills`), as
//! substrate-wasm-builder does: sharing the outer build's directory would wait
//! forever on its lock. Cargo reruns this script when a skill's sources, the
//! SDK or the WIT contract change.
//!
//! Pre-initialisation and compilation use the runtime's own code, included
//! below: the engine configuration (`engine_config.rs`), the sandbox
//! (`sandbox.rs`) with the WIT bindings (`runtime/bindings/`) and the Wizer
//! snapshot (`runtime/prewarm.rs`). The binary then
//! loads the built-ins with `Component::deserialize`: no compile, no cache.

#[allow(dead_code)]
#[path = "src/runtime/bindings/mod.rs"]
mod bindings;
#[allow(dead_code)]
#[path = "src/engine_config.rs"]
mod engine_config;
#[allow(dead_code)]
#[path = "src/runtime/prewarm.rs"]
mod prewarm;
#[allow(dead_code)]
#[path = "src/sandbox.rs"]
mod sandbox;

use sha2::{Digest, Sha256};
use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;
use wasmtime::Engine;
use wasmtime::component::Component;

/// Crates built into the binary, in order.
const BUILTIN: &[&str] = &[
    "pii-detection",
    "banking-code-review",
    "mas-compliance-review",
];
/// Test-only components (misbehaving skills) built alongside, for the host's
/// integration tests. Their paths are exported as `KIRO_GUARD_TEST_SKILLS`.
const TESTING: &[&str] = &["misbehave", "forbidden-import"];

fn main() {
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let root = manifest_dir.parent().unwrap().to_path_buf();
    let out_dir = PathBuf::from(env::var("OUT_DIR").unwrap());

    // A directory makes cargo scan it recursively for changes. Only what
    // goes into the embedded components (not skills/examples, whose builds
    // would otherwise rebuild the host).
    let mut watched = vec!["wit".to_string(), "skills/sdk".to_string()];
    watched.extend(BUILTIN.iter().map(|k| format!("skills/{k}/src")));
    watched.extend(BUILTIN.iter().map(|k| format!("skills/{k}/Cargo.toml")));
    watched.extend(TESTING.iter().map(|k| format!("skills/testing/{k}")));
    for dir in watched {
        println!("cargo:rerun-if-changed={}", root.join(dir).display());
    }
    println!(
        "cargo:rerun-if-changed={}",
        root.join("Cargo.lock").display()
    );
    println!("cargo:rerun-if-env-changed=KIRO_GUARD_SKILLS_TOOLCHAIN");
    println!("cargo:rerun-if-env-changed=KIRO_GUARD_SKILLS_TARGET_DIR");
    for f in [
        "engine_config.rs",
        "sandbox.rs",
        "runtime/prewarm.rs",
        "runtime/bindings/mod.rs",
        "runtime/bindings/v0_1.rs",
    ] {
        println!(
            "cargo:rerun-if-changed={}",
            manifest_dir.join("src").join(f).display()
        );
    }

    let target_dir = env::var_os("KIRO_GUARD_SKILLS_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target").join("wasm-skills"));

    // `KIRO_GUARD_SKILLS_TOOLCHAIN=stable` builds the skills with another
    // rustup toolchain than the host: the fuzz build runs on nightly, which
    // may lack the wasm32-wasip2 target that stable has.
    let toolchain = env::var("KIRO_GUARD_SKILLS_TOOLCHAIN").ok();
    let cargo = match &toolchain {
        Some(_) => "cargo".to_string(),
        None => env::var("CARGO").unwrap_or_else(|_| "cargo".into()),
    };
    let mut cmd = Command::new(&cargo);
    if let Some(toolchain) = &toolchain {
        cmd.env("RUSTUP_TOOLCHAIN", toolchain);
        for var in ["RUSTC", "RUSTDOC", "RUSTC_WRAPPER", "CARGO"] {
            cmd.env_remove(var);
        }
    }
    cmd.current_dir(&root)
        .args([
            "build",
            "--target",
            "wasm32-wasip2",
            "--profile",
            "wasm-skill",
            "--target-dir",
        ])
        .arg(&target_dir);
    for krate in BUILTIN.iter().chain(TESTING) {
        cmd.args(["-p", krate]);
    }
    // The outer build's flags (coverage, sanitizers, native CPU) must not leak
    // into the wasm build.
    for var in [
        "RUSTFLAGS",
        "CARGO_ENCODED_RUSTFLAGS",
        "CARGO_BUILD_RUSTFLAGS",
        "CARGO_TARGET_DIR",
        "CARGO_BUILD_TARGET",
        "RUSTC_WORKSPACE_WRAPPER",
        "CARGO_MAKEFLAGS",
        "MAKEFLAGS",
        "MFLAGS",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("CARGO_ENCODED_RUSTFLAGS", "-Ctarget-feature=+simd128");

    let output = cmd
        .output()
        .unwrap_or_else(|e| panic!("failed to run {cargo}: {e}"));
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        if stderr.contains("wasm32-wasip2")
            && (stderr.contains("target may not be installed")
                || stderr.contains("can't find crate for `core`")
                || stderr.contains("can't find crate for `std`"))
        {
            panic!(
                "\n\nkiro-guard embeds its skills as wasm32-wasip2 components, and the wasm32-wasip2 target is not installed.\n\
                 Install it with:\n\n    rustup target add wasm32-wasip2\n\nthen build again.\n\n{stderr}"
            );
        }
        panic!("building the built-in skills for wasm32-wasip2 failed:\n{stderr}");
    }

    let artifacts = target_dir.join("wasm32-wasip2").join("wasm-skill");
    let mut embed = String::from(
        "/// Built-in skills: (name, component bytes, SHA-256 hex).\npub const BUILTIN_SKILLS: &[(&str, &[u8], &str)] = &[\n",
    );
    let mut builtins = Vec::new();
    for krate in BUILTIN {
        let file = artifacts.join(format!("{}.wasm", krate.replace('-', "_")));
        let dest = out_dir.join(file.file_name().unwrap());
        std::fs::copy(&file, &dest).unwrap_or_else(|e| panic!("copy {}: {e}", file.display()));
        let bytes = std::fs::read(&dest).unwrap();
        // Hash at build time: hashing a megabyte on every hook call is waste.
        let sha = hex(&Sha256::digest(&bytes));
        embed.push_str(&format!(
            "    ({krate:?}, include_bytes!({:?}), {sha:?}),\n",
            dest.display().to_string()
        ));
        builtins.push((*krate, bytes, sha));
    }
    embed.push_str("];\n");
    std::fs::write(out_dir.join("builtin_skills.rs"), embed).unwrap();
    let target = env::var("TARGET").unwrap();
    let precompiled = precompile_all(&builtins, &target, &out_dir);
    std::fs::write(out_dir.join("builtin_precompiled.rs"), precompiled).unwrap();
    println!(
        "cargo:rustc-env=KIRO_GUARD_TEST_SKILLS={}",
        artifacts.display()
    );
}

/// Pre-initialise and compile every built-in for `target`; returns the
/// source of `builtin_precompiled.rs`. A target wasmtime cannot compile for
/// gets an empty table (the binary then compiles the built-ins on first use,
/// as it does external skills) and a build warning.
fn precompile_all(builtins: &[(&str, Vec<u8>, String)], target: &str, out_dir: &Path) -> String {
    let mut src = String::from(
        r#"/// A built-in skill pre-initialised (Wizer, after `prewarm()`) and compiled
/// to native code by the build script.
pub(crate) struct Precompiled {
    /// SHA-256 of the original component, as in `BUILTIN_SKILLS`.
    pub sha256: &'static str,
    /// `Engine::precompile_component` output, page-aligned in the binary.
    pub code: &'static [u8],
    /// The skill's `describe()`, as JSON.
    pub describe_json: &'static str,
}

/// Page alignment, so the embedded code can run where it lies.
#[allow(dead_code)] // unused when nothing could be precompiled
#[cfg_attr(target_arch = "x86_64", repr(C, align(4096)))]
#[cfg_attr(not(target_arch = "x86_64"), repr(C, align(65536)))]
struct PageAligned<T: ?Sized>(T);
"#,
    );
    let results = match precompile_engines(target) {
        Ok((native, cross)) => std::thread::scope(|s| {
            let handles: Vec<_> = builtins
                .iter()
                .map(|(name, bytes, _)| {
                    let (native, cross) = (&native, &cross);
                    s.spawn(move || {
                        precompile(native, cross, bytes)
                            .map_err(|e| format!("built-in skill {name}: {e:#}"))
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("precompile thread panicked"))
                .collect::<Result<Vec<_>, String>>()
        }),
        Err(e) => Err(format!("{e:#}")),
    };
    let entries = match results {
        Ok(entries) => entries,
        Err(e) => {
            println!(
                "cargo:warning=built-in skills not precompiled for {target} ({e}); they will be compiled on first use"
            );
            Vec::new()
        }
    };
    let mut table = String::from("pub(crate) static BUILTIN_PRECOMPILED: &[Precompiled] = &[\n");
    for (i, ((name, _, sha), (code, describe))) in builtins.iter().zip(&entries).enumerate() {
        let stem = name.replace('-', "_");
        let code_path = out_dir.join(format!("{stem}.cwasm"));
        let describe_path = out_dir.join(format!("{stem}.describe.json"));
        std::fs::write(&code_path, code).unwrap();
        std::fs::write(&describe_path, describe).unwrap();
        src.push_str(&format!(
            "static CODE_{i}: PageAligned<[u8; {}]> = PageAligned(*include_bytes!({:?}));\n",
            code.len(),
            code_path.display().to_string()
        ));
        table.push_str(&format!(
            "    Precompiled {{ sha256: {sha:?}, code: &CODE_{i}.0, describe_json: include_str!({:?}) }},\n",
            describe_path.display().to_string()
        ));
    }
    table.push_str("];\n");
    src.push_str(&table);
    src
}

/// The engine that runs code on this (build) machine, for the Wizer
/// snapshot, and the engine that compiles for `target` with the runtime's
/// configuration and the fixed CPU preset (`engine_config.rs`).
fn precompile_engines(target: &str) -> anyhow::Result<(Engine, Engine)> {
    let native = Engine::new(&engine_config::base_config())?;
    let mut config = engine_config::base_config();
    config
        .target(target)
        .map_err(|e| anyhow::anyhow!("wasmtime cannot compile for {target}: {e}"))?;
    if target.starts_with("x86_64") {
        // SAFETY: a CPU-feature preset only changes which instructions
        // Cranelift may emit; wasmtime refuses to load the result on a CPU
        // that lacks any of them (the binary then compiles the wasm).
        unsafe {
            config.cranelift_flag_enable(engine_config::X86_64_PRESET);
        }
    }
    Ok((native, Engine::new(&config)?))
}

/// Snapshot one built-in after `prewarm()`, compile it for the target and
/// read its `describe()`: (native code, describe JSON).
fn precompile(native: &Engine, cross: &Engine, bytes: &[u8]) -> anyhow::Result<(Vec<u8>, String)> {
    let limits = sandbox::Limits::default();
    let wizened = prewarm::wizen(native, bytes, limits)?
        .ok_or_else(|| anyhow::anyhow!("has no kiro:skill/prewarm export"))?;
    let code = cross.precompile_component(&wizened)?;
    // describe() from the code just compiled when this machine can run it,
    // else from the snapshot compiled for this machine.
    // SAFETY: `code` was produced by `cross` just now.
    let info = match unsafe { Component::deserialize(cross, &code) } {
        Ok(c) => bindings::describe_component(cross, &c, limits)?,
        Err(_) => bindings::describe_component(native, &Component::new(native, &wizened)?, limits)?,
    };
    Ok((code, serde_json::to_string(&info)?))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
