//! The sandbox every skill instance runs in: the allowed imports, the linker
//! (a constant `insecure-seed`, every other import a trap), the store with
//! its fuel and memory caps, and the contract's version checks.
//!
//! `host/build.rs` includes this file (with `engine_config.rs` and
//! `prewarm.rs`) to pre-initialise and describe the built-in skills at build
//! time in exactly the sandbox they later run in.

use anyhow::{Result, anyhow, bail};
use wasmtime::component::{Component, Linker, ResourceTable};
use wasmtime::{Engine, Store, StoreLimits, StoreLimitsBuilder};

/// The WIT package version this host implements.
pub const CONTRACT_VERSION: &str = "0.1.0";

/// WASI interfaces a skill may import. A std `wasm32-wasip2` guest imports
/// these whether or not it uses them; all trap if called except
/// `insecure-seed`, which returns a constant (regex's hash maps call it).
/// Anything else (filesystem, sockets, clocks, http, real randomness) is
/// refused at load time.
const ALLOWED_IMPORTS: &[&str] = &[
    "wasi:io/error",
    "wasi:io/streams",
    "wasi:io/poll",
    "wasi:cli/environment",
    "wasi:cli/exit",
    "wasi:cli/stdin",
    "wasi:cli/stdout",
    "wasi:cli/stderr",
    "wasi:cli/terminal-input",
    "wasi:cli/terminal-output",
    "wasi:cli/terminal-stdin",
    "wasi:cli/terminal-stdout",
    "wasi:cli/terminal-stderr",
    "wasi:random/insecure-seed",
];

/// Resource bounds applied to every call into a skill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Fuel (≈ wasm instructions) granted per call, before the per-byte share.
    pub fuel_base: u64,
    /// Extra fuel per byte of input.
    pub fuel_per_byte: u64,
    /// Maximum linear memory per instance, in bytes.
    pub memory_bytes: usize,
    /// Maximum number of findings one call may return.
    pub max_findings: usize,
    /// Maximum length of any string in a finding, in bytes.
    pub max_string_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            fuel_base: 2_000_000_000,
            fuel_per_byte: 4_000,
            memory_bytes: 256 << 20,
            max_findings: 10_000,
            max_string_bytes: 8 << 10,
        }
    }
}

/// Per-store host state: the memory limiter.
pub struct HostState {
    limits: StoreLimits,
    memory_cap: usize,
    pub(crate) hit_memory_cap: bool,
    _table: ResourceTable,
}

impl wasmtime::ResourceLimiter for HostState {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        if desired > self.memory_cap {
            self.hit_memory_cap = true;
            return Err(wasmtime::Error::msg("memory limit exceeded"));
        }
        match self.limits.memory_growing(current, desired, maximum) {
            Ok(true) => Ok(true),
            other => {
                self.hit_memory_cap = true;
                other
            }
        }
    }
    fn table_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        self.limits.table_growing(current, desired, maximum)
    }
    fn instances(&self) -> usize {
        self.limits.instances()
    }
    fn tables(&self) -> usize {
        self.limits.tables()
    }
    fn memories(&self) -> usize {
        self.limits.memories()
    }
}

/// The sandbox linker for a component: a constant `insecure-seed`, every
/// other import a trap.
pub fn sandbox_linker(engine: &Engine, component: &Component) -> Result<Linker<HostState>> {
    let mut linker: Linker<HostState> = Linker::new(engine);
    for (name, _) in component.component_type().imports(engine) {
        if name.starts_with("wasi:random/insecure-seed@") {
            // Constant seed: skills get no entropy, and results reproduce.
            linker
                .instance(name)?
                .func_wrap("insecure-seed", |_, (): ()| {
                    Ok(((0x6b69_726f_5f67_7561u64, 0x7264_5f73_6565_6421u64),))
                })?;
        }
    }
    linker.define_unknown_imports_as_traps(component)?;
    Ok(linker)
}

/// A fresh store with the memory cap and `fuel`.
pub fn sandbox_store(engine: &Engine, limits: Limits, fuel: u64) -> Result<Store<HostState>> {
    let store_limits = StoreLimitsBuilder::new()
        .memory_size(limits.memory_bytes)
        .instances(64)
        .tables(64)
        .memories(32)
        .trap_on_grow_failure(true)
        .build();
    let mut store = Store::new(
        engine,
        HostState {
            limits: store_limits,
            memory_cap: limits.memory_bytes,
            hit_memory_cap: false,
            _table: ResourceTable::new(),
        },
    );
    store.limiter(|s| s);
    store.set_fuel(fuel).map_err(|e| anyhow!("{e}"))?;
    Ok(store)
}

/// Exports then imports, as at load time.
pub fn check_component_type(engine: &Engine, component: &Component) -> Result<()> {
    check_exports(engine, component)?;
    check_imports(engine, component).map(|_| ())
}

/// Refuse components importing anything outside [`ALLOWED_IMPORTS`],
/// naming the import.
pub fn check_imports(engine: &Engine, component: &Component) -> Result<Vec<String>> {
    let mut names = Vec::new();
    let mut refused = Vec::new();
    for (name, _) in component.component_type().imports(engine) {
        let (interface, version) = name.split_once('@').unwrap_or((name, ""));
        // The contract's own type-only interface carries no functions.
        let contract_types =
            interface == "kiro:skill/types" && compatible(version, CONTRACT_VERSION);
        if !contract_types && !ALLOWED_IMPORTS.contains(&interface) {
            refused.push(format!("`{name}`"));
        }
        names.push(name.to_string());
    }
    if !refused.is_empty() {
        bail!(
            "component imports {}, which the kiro-guard sandbox does not allow (skills get no filesystem, network, clocks or environment)",
            refused.join(", ")
        );
    }
    Ok(names)
}

/// Require a `kiro:skill/analyzer` export of a compatible version.
pub fn check_exports(engine: &Engine, component: &Component) -> Result<()> {
    let mut found = Vec::new();
    for (name, _) in component.component_type().exports(engine) {
        if let Some(version) = name.strip_prefix("kiro:skill/analyzer@") {
            found.push(version.to_string());
            if compatible(version, CONTRACT_VERSION) {
                return Ok(());
            }
        }
    }
    match found.first() {
        Some(v) => bail!(
            "component was built against kiro:skill@{v}, which this kiro-guard (kiro:skill@{CONTRACT_VERSION}) cannot load; rebuild the skill against kiro:skill@{CONTRACT_VERSION} or upgrade kiro-guard"
        ),
        None => bail!("component does not export kiro:skill/analyzer (is it a kiro-guard skill?)"),
    }
}

/// Semver compatibility as the component model's lookup applies it: same
/// major, and for 0.x the same minor; the component's patch may be older or
/// newer.
pub fn compatible(component: &str, host: &str) -> bool {
    let parse = |v: &str| -> Option<(u64, u64)> {
        let mut it = v.split('.');
        Some((it.next()?.parse().ok()?, it.next()?.parse().ok()?))
    };
    match (parse(component), parse(host)) {
        (Some((cm, cn)), Some((hm, hn))) => cm == hm && (cm != 0 || cn == hn),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_compatibility() {
        assert!(compatible("0.1.0", "0.1.3"));
        assert!(compatible("0.1.7", "0.1.0"));
        assert!(!compatible("0.2.0", "0.1.0"));
        assert!(compatible("1.4.0", "1.0.0"));
        assert!(!compatible("2.0.0", "1.0.0"));
        assert!(!compatible("x", "0.1.0"));
    }
}
