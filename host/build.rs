//! Builds the built-in skills for `wasm32-wasip2` and embeds them.
//!
//! The nested cargo uses its own target directory (`target/wasm-skills`), as
//! substrate-wasm-builder does: sharing the outer build's directory would wait
//! forever on its lock. Cargo reruns this script when a skill's sources, the
//! SDK or the WIT contract change.

use sha2::{Digest, Sha256};
use std::env;
use std::path::PathBuf;
use std::process::Command;

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
    for krate in BUILTIN {
        let file = artifacts.join(format!("{}.wasm", krate.replace('-', "_")));
        let dest = out_dir.join(file.file_name().unwrap());
        std::fs::copy(&file, &dest).unwrap_or_else(|e| panic!("copy {}: {e}", file.display()));
        // Hash at build time: hashing a megabyte on every hook call is waste.
        let sha = hex(&Sha256::digest(std::fs::read(&dest).unwrap()));
        embed.push_str(&format!(
            "    ({krate:?}, include_bytes!({:?}), {sha:?}),\n",
            dest.display().to_string()
        ));
    }
    embed.push_str("];\n");
    std::fs::write(out_dir.join("builtin_skills.rs"), embed).unwrap();
    println!(
        "cargo:rustc-env=KIRO_GUARD_TEST_SKILLS={}",
        artifacts.display()
    );
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
