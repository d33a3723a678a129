//! `kiro-guard skill build`: cargo for wasm32-wasip2, then the sandbox check.

use crate::cache::AotCache;
use crate::runtime::{Limits, LoadedSkill, Runtime, SkillSource, sha256_hex};
use anyhow::Result;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The Rust target skills are compiled for.
pub const TARGET: &str = "wasm32-wasip2";

/// A built component, checked and loaded by the real runtime.
pub struct BuiltSkill {
    /// The `.wasm` file.
    pub wasm: PathBuf,
    pub bytes: Vec<u8>,
    pub sha256: String,
    /// Import names, all allowed by the sandbox (empty unless asked for).
    pub imports: Vec<String>,
    /// A runtime with the default limits and no compile cache.
    pub runtime: Runtime,
    pub skill: LoadedSkill,
}

/// Why a build produced no usable component.
#[derive(Debug)]
pub enum BuildError {
    /// Not a crate directory, or similar: exit 2.
    Usage(String),
    /// cargo failed, or the component is refused: exit 1.
    Failed(String),
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::Usage(m) | BuildError::Failed(m) => f.write_str(m),
        }
    }
}

impl BuildError {
    pub fn exit_code(&self) -> i32 {
        match self {
            BuildError::Usage(_) => crate::exit::USAGE,
            BuildError::Failed(_) => crate::exit::FAILED,
        }
    }
}

/// Run `cargo build --target wasm32-wasip2 --release` in `dir` (cargo's own
/// output goes to stderr) and return the `.wasm` it produced.
pub fn cargo_build(dir: &Path) -> Result<PathBuf, BuildError> {
    if !dir.join("Cargo.toml").is_file() {
        return Err(BuildError::Usage(format!(
            "{} has no Cargo.toml: run this in a skill crate, or create one with `kiro-guard skill new NAME`",
            dir.display()
        )));
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut child = Command::new(&cargo)
        .current_dir(dir)
        .args([
            "build",
            "--target",
            TARGET,
            "--release",
            "--message-format=json-render-diagnostics",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            BuildError::Failed(format!(
                "cannot run {}: {e} (is Rust installed? see https://rustup.rs)",
                Path::new(&cargo).display()
            ))
        })?;
    // Forward cargo's progress and diagnostics as they come, keeping a copy
    // to recognise a missing target.
    let stderr = child.stderr.take().expect("piped stderr");
    let tee = std::thread::spawn(move || {
        let mut seen = String::new();
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            eprintln!("{line}");
            seen.push_str(&line);
            seen.push('\n');
        }
        seen
    });
    let mut wasm = Vec::new();
    let stdout = child.stdout.take().expect("piped stdout");
    for line in BufReader::new(stdout).lines().map_while(Result::ok) {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(&line) else {
            continue;
        };
        if msg["reason"] != "compiler-artifact" {
            continue;
        }
        let is_cdylib = msg["target"]["kind"]
            .as_array()
            .is_some_and(|k| k.iter().any(|k| k == "cdylib"));
        if !is_cdylib {
            continue;
        }
        for f in msg["filenames"].as_array().into_iter().flatten() {
            if let Some(f) = f.as_str().filter(|f| f.ends_with(".wasm")) {
                wasm.push(PathBuf::from(f));
            }
        }
    }
    let status = child
        .wait()
        .map_err(|e| BuildError::Failed(format!("waiting for cargo: {e}")))?;
    let seen = tee.join().unwrap_or_default();
    if !status.success() {
        if seen.contains(TARGET)
            && (seen.contains("target may not be installed")
                || seen.contains("can't find crate for `core`")
                || seen.contains("can't find crate for `std`"))
        {
            return Err(BuildError::Failed(format!(
                "the {TARGET} Rust target is not installed; install it with\n\n    rustup target add {TARGET}\n\nand run this again"
            )));
        }
        return Err(BuildError::Failed(format!(
            "cargo build --target {TARGET} --release failed in {} ({status}); see the errors above",
            dir.display()
        )));
    }
    match wasm.len() {
        0 => Err(BuildError::Failed(
            "cargo built no .wasm component: set `crate-type = [\"cdylib\", \"rlib\"]` in the [lib] section of Cargo.toml".into(),
        )),
        1 => Ok(wasm.remove(0)),
        _ => Err(BuildError::Failed(format!(
            "cargo built several components ({}); a skill crate builds exactly one",
            wasm.iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// Check a component file against the sandbox and load it with the real
/// runtime (default limits), as `scan` would. `Runtime::load` applies the
/// same import and export checks as `Runtime::check_component`; the latter
/// also lists the imports, at the cost of a second compile, so only `build`
/// asks for it. Components cargo built get a compile cache next to them
/// (`<target>/wasm32-wasip2/release/kiro-guard-aot/`, removed by `cargo
/// clean`), so repeated `skill test` runs do not recompile.
pub fn check_and_load(wasm: &Path, list_imports: bool) -> Result<BuiltSkill, BuildError> {
    let bytes = std::fs::read(wasm)
        .map_err(|e| BuildError::Usage(format!("cannot read {}: {e}", wasm.display())))?;
    let cache = if is_cargo_artifact(wasm) {
        wasm.parent().map(|d| d.join("kiro-guard-aot"))
    } else {
        None
    };
    let runtime = Runtime::new(Limits::default(), AotCache::new(cache))
        .map_err(|e| BuildError::Failed(format!("cannot start the runtime: {e:#}")))?;
    let refused = |e: anyhow::Error| {
        BuildError::Failed(format!("kiro-guard would refuse {}: {e:#}", wasm.display()))
    };
    let skill = runtime
        .load(&bytes, SkillSource::External(wasm.to_path_buf()))
        .map_err(refused)?;
    let imports = if list_imports {
        runtime.check_component(&bytes).map_err(refused)?
    } else {
        Vec::new()
    };
    Ok(BuiltSkill {
        wasm: wasm.to_path_buf(),
        sha256: sha256_hex(&bytes),
        bytes,
        imports,
        runtime,
        skill,
    })
}

/// Whether `wasm` sits in cargo's `<target>/wasm32-wasip2/<profile>/`.
fn is_cargo_artifact(wasm: &Path) -> bool {
    wasm.parent()
        .and_then(Path::parent)
        .and_then(Path::file_name)
        .is_some_and(|n| n == TARGET)
}

/// Build the crate in `dir` and check the component.
pub fn build_skill(dir: &Path, list_imports: bool) -> Result<BuiltSkill, BuildError> {
    let wasm = cargo_build(dir)?;
    check_and_load(&wasm, list_imports)
}

/// Problems in a skill's catalogue that the host tolerates but authors
/// should fix.
pub fn catalogue_warnings(skill: &LoadedSkill) -> Vec<String> {
    let info = &skill.info;
    let mut out = Vec::new();
    let numeric = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    let core = info.version.split(['-', '+']).next().unwrap_or("");
    let parts: Vec<&str> = core.split('.').collect();
    if parts.len() != 3 || !parts.iter().all(|p| numeric(p)) {
        out.push(format!(
            "version {:?} is not semver (MAJOR.MINOR.PATCH)",
            info.version
        ));
    }
    if info.rules.is_empty() {
        out.push("describe() lists no rules".into());
    }
    let mut seen = std::collections::HashSet::new();
    for r in &info.rules {
        if !seen.insert(r.id.as_str()) {
            out.push(format!("rule id {:?} is listed twice", r.id));
        }
        if r.id.is_empty()
            || !r
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            out.push(format!("rule id {:?} is not kebab-case", r.id));
        }
        if r.remediation.trim().is_empty() {
            out.push(format!("rule {} has no remediation", r.id));
        }
    }
    out
}

/// A path as the user would type it from the current directory.
pub fn display_relative(path: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    let rel = cwd
        .as_deref()
        .and_then(|c| path.strip_prefix(c).ok())
        .unwrap_or(path);
    rel.to_string_lossy().replace('\\', "/")
}

/// The `.kiro-guard.toml` snippet that pins a component.
pub fn pin_snippet(path: &str, sha256: &str) -> String {
    format!(
        "[[external_skills]]\npath = {}\nsha256 = \"{sha256}\"\n",
        toml::Value::String(path.to_string())
    )
}

/// `kiro-guard skill build [DIR]`.
pub fn build_command(dir: &Path) -> Result<i32> {
    let built = match build_skill(dir, true) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("kiro-guard: skill build: {e}");
            return Ok(e.exit_code());
        }
    };
    print_summary(&built)?;
    Ok(crate::exit::OK)
}

fn print_summary(b: &BuiltSkill) -> Result<()> {
    let info = &b.skill.info;
    let path = display_relative(&b.wasm);
    let size = b.bytes.len();
    println!(
        "built {} {} — {}",
        info.name, info.version, info.description
    );
    println!("  component  {path}");
    println!(
        "  size       {size} bytes ({:.1} KiB)",
        size as f64 / 1024.0
    );
    println!("  sha256     {}", b.sha256);
    println!(
        "  sandbox    ok: {} import(s), all allowed ({})",
        b.imports.len(),
        short_imports(&b.imports)
    );
    println!(
        "  contract   kiro:skill@{}",
        crate::runtime::CONTRACT_VERSION
    );
    println!("  rules      {}", info.rules.len());
    for r in &info.rules {
        println!(
            "    {:<32} {:<5} {}",
            r.id,
            r.default_severity.as_str(),
            r.title
        );
    }
    for w in catalogue_warnings(&b.skill) {
        println!("  warning: {w}");
    }
    println!(
        "\nPin it in .kiro-guard.toml (`path` is relative to that file; copy the .wasm into your repository\nand adjust it — the sha256 stays the same):\n"
    );
    print!("{}", pin_snippet(&path, &b.sha256));
    Ok(())
}

fn short_imports(imports: &[String]) -> String {
    let mut names: Vec<&str> = imports
        .iter()
        .map(|i| i.split('@').next().unwrap_or(i))
        .collect();
    names.dedup();
    if names.is_empty() {
        return "none".into();
    }
    names.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_quotes_the_path() {
        assert_eq!(
            pin_snippet("skills/a b.wasm", "ab"),
            "[[external_skills]]\npath = \"skills/a b.wasm\"\nsha256 = \"ab\"\n"
        );
    }

    #[test]
    fn missing_crate_is_a_usage_error() {
        let dir = tempfile::tempdir().unwrap();
        let e = cargo_build(dir.path()).unwrap_err();
        assert_eq!(e.exit_code(), crate::exit::USAGE);
        assert!(e.to_string().contains("skill new"));
    }
}
