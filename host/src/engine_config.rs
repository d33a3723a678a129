//! The one wasmtime configuration skills are compiled with.
//!
//! Shared by the runtime (which compiles external skills and loads the
//! built-ins) and by `host/build.rs` (which pre-initialises and compiles the
//! built-ins ahead of time and embeds the result): both include this file, so
//! the settings that make a compiled artefact loadable cannot drift apart.
//! Wasmtime still checks every artefact against the loading engine (version,
//! compiler flags, CPU features) and refuses a mismatch cleanly.

use wasmtime::Config;

/// The settings every engine in kiro-guard shares: fuel metering and the
/// component model. Cranelift stays at its default optimisation level
/// (`Speed`); the call that would set it does not exist in a build without a
/// compiler (the `compile` feature off), and the flag is recorded in every
/// artefact and checked on load either way.
pub fn base_config() -> Config {
    let mut config = Config::new();
    config.consume_fuel(true);
    config.wasm_component_model(true);
    config
}

/// Cranelift CPU-feature preset the built-in skills are compiled for on
/// x86_64 (`x86-64-v3`: AVX2, BMI1/2, FMA, LZCNT, POPCNT; every x86_64 CPU
/// since 2013-2015). A fixed preset, not the build machine's CPU, so the
/// embedded code is the same whichever machine built it; a CPU without
/// these features falls back to compiling the embedded wasm at run time.
/// Other architectures use Cranelift's baseline for the target.
#[allow(dead_code)] // used by host/build.rs, which includes this file
pub const X86_64_PRESET: &str = "x86-64-v3";
