//! Ahead-of-time compiled component cache.
//!
//! Key: SHA-256 of the component bytes plus the engine's compatibility hash,
//! so a wasmtime upgrade, a config change or another CPU never loads stale
//! code. Files are written to a temporary name and renamed into place, so a
//! reader never maps a half-written file and a concurrent writer never
//! overwrites a mapped one. There are no lock files: two processes compiling
//! the same component both write and the last rename wins (same content); a
//! writer killed half-way leaves only a temporary file that nothing reads
//! and a later compile removes.
//!
//! Built-in skills never come here: they are compiled at build time and
//! embedded in the binary (see `host/build.rs`).

use anyhow::{Result, anyhow, bail};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};
use wasmtime::Engine;
use wasmtime::component::Component;

/// Turns a component into the one to compile (the pre-initialised snapshot),
/// or `None` to compile it as it is. Runs on a compile thread.
pub type Prepare = Arc<dyn Fn(&[u8]) -> Option<Vec<u8>> + Send + Sync>;

/// Prefix of this cache's temporary files. A writer killed half-way leaves
/// one behind; it is never read, and is removed once it is old.
const TMP_PREFIX: &str = ".kiro-guard-tmp-";

/// Age after which a leftover temporary file is a dead writer's.
const STALE_TMP: Duration = Duration::from_secs(600);

/// The on-disk cache of precompiled components.
#[derive(Debug, Clone)]
pub struct AotCache {
    dir: Option<PathBuf>,
}

impl AotCache {
    /// A cache in `dir`; `None` disables caching (compile every time).
    pub fn new(dir: Option<PathBuf>) -> AotCache {
        AotCache { dir }
    }

    /// The default directory: `$KIRO_GUARD_CACHE_DIR`, else
    /// `$XDG_CACHE_HOME/kiro-guard`, else `~/.cache/kiro-guard`.
    pub fn default_dir() -> Option<PathBuf> {
        if let Some(d) = std::env::var_os("KIRO_GUARD_CACHE_DIR").filter(|d| !d.is_empty()) {
            return Some(PathBuf::from(d));
        }
        if let Some(d) = std::env::var_os("XDG_CACHE_HOME").filter(|d| !d.is_empty()) {
            return Some(PathBuf::from(d).join("kiro-guard"));
        }
        std::env::var_os("HOME")
            .filter(|d| !d.is_empty())
            .map(|h| PathBuf::from(h).join(".cache").join("kiro-guard"))
    }

    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// The cache file for a component.
    pub fn path_for(&self, sha256: &str, engine_hash: &str) -> Option<PathBuf> {
        self.dir.as_ref().map(|d| {
            d.join(format!(
                "{}-{engine_hash}.cwasm",
                &sha256[..32.min(sha256.len())]
            ))
        })
    }

    /// Load the component, from the cache when possible. Returns whether it
    /// had to be compiled.
    /// On a miss, `prepare` may return a replacement (the pre-initialised
    /// component) to compile instead of `bytes`. With a `deadline`, a compile
    /// that takes longer is abandoned with an error that says to run
    /// `kiro-guard skills warm` (the compile thread still finishes and
    /// writes the cache if the process lives that long).
    pub fn load(
        &self,
        engine: &Engine,
        bytes: &[u8],
        sha256: &str,
        engine_hash: &str,
        prepare: Prepare,
        deadline: Option<Duration>,
    ) -> Result<(Component, bool)> {
        let path = self.path_for(sha256, engine_hash);
        if let Some(path) = &path
            && path.is_file()
        {
            // SAFETY: the file is one this cache wrote (atomically, via rename)
            // from a component whose hash is in its name, for an engine with
            // this compatibility hash; wasmtime also checks the header and
            // rejects mismatches cleanly (a truncated or garbage file
            // included), in which case we recompile.
            if let Ok(c) = unsafe { Component::deserialize_file(engine, path) } {
                return Ok((c, false));
            }
        }
        let compile = {
            let engine = engine.clone();
            let bytes = bytes.to_vec();
            let path = path.clone();
            move || -> Result<Vec<u8>> {
                let prepared = prepare(&bytes);
                // Validate before compiling so garbage gets a clear error.
                let native = engine
                    .precompile_component(prepared.as_deref().unwrap_or(&bytes))
                    .map_err(|e| anyhow!("invalid component: {e}"))?;
                if let Some(path) = &path {
                    remove_stale_temps(path.parent().unwrap_or(Path::new(".")));
                    if let Err(e) = write_atomic(path, &native) {
                        // An unwritable cache costs speed, not correctness.
                        eprintln!(
                            "kiro-guard: note: could not write compile cache {}: {e}",
                            path.display()
                        );
                    }
                }
                Ok(native)
            }
        };
        let native = match deadline {
            None => compile()?,
            Some(limit) => {
                let (tx, rx) = std::sync::mpsc::channel();
                std::thread::Builder::new()
                    .name("kiro-guard-compile".into())
                    .spawn(move || {
                        let _ = tx.send(compile());
                    })?;
                match rx.recv_timeout(limit) {
                    Ok(result) => result?,
                    Err(std::sync::mpsc::RecvTimeoutError::Timeout) => bail!(
                        "this skill is not compiled for this machine yet, and compiling it takes longer than the {:.1} s a hook may wait; run `kiro-guard skills warm` once to compile pinned external skills ahead of time",
                        limit.as_secs_f64()
                    ),
                    Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                        bail!("the compile thread stopped without a result")
                    }
                }
            }
        };
        // SAFETY: `native` was produced by this engine just now.
        let c = unsafe { Component::deserialize(engine, &native) }.map_err(|e| anyhow!("{e}"))?;
        Ok((c, true))
    }
}

/// Remove temporary files a killed writer left in `dir` (older than
/// [`STALE_TMP`]; a younger one may belong to a compile still running).
fn remove_stale_temps(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let stale = entry.file_name().to_string_lossy().starts_with(TMP_PREFIX)
            && entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| now.duration_since(t).unwrap_or_default() > STALE_TMP);
        if stale {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Write `bytes` to `path` through a temporary file in the same directory
/// and an atomic rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(TMP_PREFIX)
        .tempfile_in(dir)?;
    std::io::Write::write_all(&mut tmp, bytes)?;
    // Data only: the rename below is what makes the file visible.
    tmp.as_file().sync_data()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
