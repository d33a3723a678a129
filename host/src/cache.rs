//! Ahead-of-time compiled component cache.
//!
//! Key: SHA-256 of the component bytes plus the engine's compatibility hash,
//! so a wasmtime upgrade, a config change or another CPU never loads stale
//! code. Files are written to a temporary name and renamed into place, so a
//! reader never maps a half-written file and a concurrent writer never
//! overwrites a mapped one.

use anyhow::{Result, anyhow};
use std::path::{Path, PathBuf};
use wasmtime::Engine;
use wasmtime::component::Component;

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
    /// component) to compile instead of `bytes`.
    pub fn load(
        &self,
        engine: &Engine,
        bytes: &[u8],
        sha256: &str,
        engine_hash: &str,
        prepare: &dyn Fn(&[u8]) -> Option<Vec<u8>>,
    ) -> Result<(Component, bool)> {
        let Some(path) = self.path_for(sha256, engine_hash) else {
            let prepared = prepare(bytes);
            let c = Component::new(engine, prepared.as_deref().unwrap_or(bytes))
                .map_err(|e| anyhow!("invalid component: {e}"))?;
            return Ok((c, true));
        };
        if path.is_file() {
            // SAFETY: the file is one this cache wrote (atomically, via rename)
            // from a component whose hash is in its name, for an engine with
            // this compatibility hash; wasmtime also checks the header and
            // rejects mismatches cleanly, in which case we recompile.
            if let Ok(c) = unsafe { Component::deserialize_file(engine, &path) } {
                return Ok((c, false));
            }
        }
        // Validate before compiling so garbage gets a clear error.
        let prepared = prepare(bytes);
        let native = engine
            .precompile_component(prepared.as_deref().unwrap_or(bytes))
            .map_err(|e| anyhow!("invalid component: {e}"))?;
        if let Err(e) = write_atomic(&path, &native) {
            // An unwritable cache costs speed, not correctness.
            eprintln!(
                "kiro-guard: note: could not write compile cache {}: {e}",
                path.display()
            );
        }
        // SAFETY: `native` was produced by this engine just now.
        let c = unsafe { Component::deserialize(engine, &native) }.map_err(|e| anyhow!("{e}"))?;
        Ok((c, true))
    }
}

/// Write `bytes` to `path` through a temporary file in the same directory
/// and an atomic rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut tmp, bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
