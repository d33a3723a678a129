//! The sandboxed skill runtime: one wasmtime `Engine` and `Linker` per
//! process, one pre-instantiated component per skill, a fresh `Store` per
//! analysed item with CPU (fuel) and memory bounds.

use crate::cache::AotCache;
use anyhow::{Result, anyhow, bail};
use kiro_guard_skill as sdk;
use sha2::{Digest, Sha256};
use std::fmt;
use wasmtime::component::{Component, Linker, ResourceTable};
use wasmtime::{Config, Engine, Store, StoreLimits, StoreLimitsBuilder, Trap};

wasmtime::component::bindgen!({
    path: "../wit",
    world: "skill",
});

use kiro::skill::types as wit;

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

/// Why a skill call produced no usable result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkillError {
    /// The skill ran out of its CPU budget (fuel).
    CpuBudget,
    /// The skill tried to grow memory past the cap.
    Memory { limit_bytes: usize },
    /// The skill trapped (panic, unreachable, a forbidden call).
    Trap(String),
    /// The skill returned an error string.
    Reported(String),
    /// The skill returned data the host does not accept.
    Malformed(String),
    /// The host could not instantiate the skill.
    Host(String),
}

impl fmt::Display for SkillError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkillError::CpuBudget => write!(f, "skill exceeded its CPU budget and was stopped"),
            SkillError::Memory { limit_bytes } => {
                write!(
                    f,
                    "skill exceeded its memory limit of {} MiB and was stopped",
                    limit_bytes >> 20
                )
            }
            SkillError::Trap(m) => write!(f, "skill trapped: {m}"),
            SkillError::Reported(m) => write!(f, "skill reported an error: {m}"),
            SkillError::Malformed(m) => write!(f, "skill returned malformed output: {m}"),
            SkillError::Host(m) => write!(f, "host error running skill: {m}"),
        }
    }
}

pub(crate) struct HostState {
    limits: StoreLimits,
    memory_cap: usize,
    hit_memory_cap: bool,
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

/// Where a skill came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkillSource {
    Builtin,
    /// An external component file.
    External(std::path::PathBuf),
}

/// A loaded, pre-instantiated skill with its metadata.
pub struct LoadedSkill {
    pub info: sdk::SkillInfo,
    /// SHA-256 of the component bytes, hex.
    pub sha256: String,
    pub source: SkillSource,
    /// Whether loading it needed a fresh compile (cache miss).
    pub compiled: bool,
    pre: SkillPre<HostState>,
}

impl fmt::Debug for LoadedSkill {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoadedSkill")
            .field("name", &self.info.name)
            .field("sha256", &self.sha256)
            .finish()
    }
}

/// The process-wide runtime.
pub struct Runtime {
    engine: Engine,
    limits: Limits,
    cache: AotCache,
    /// Engine compatibility hash, computed once (cache keys use it).
    engine_hash: String,
}

/// SHA-256 of bytes, lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

impl Runtime {
    /// Create the engine. Fuel metering is on; the cache directory holds
    /// precompiled components.
    pub fn new(limits: Limits, cache: AotCache) -> Result<Runtime> {
        let mut config = Config::new();
        config.consume_fuel(true);
        config.wasm_component_model(true);
        config.cranelift_opt_level(wasmtime::OptLevel::Speed);
        // `KIRO_GUARD_PERFMAP=1` writes /tmp/perf-<pid>.map so `perf report`
        // names the skills' functions (profiling only).
        if std::env::var_os("KIRO_GUARD_PERFMAP").is_some() {
            config.profiler(wasmtime::ProfilingStrategy::PerfMap);
        }
        // One-shot processes: keep the default on-demand allocator.
        let engine = Engine::new(&config).map_err(|e| anyhow!("{e}"))?;
        let engine_hash = {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            engine.precompile_compatibility_hash().hash(&mut h);
            // "w1": components are cached pre-initialised (prewarm.rs).
            format!("{:016x}w1", h.finish())
        };
        Ok(Runtime {
            engine_hash,
            engine,
            limits,
            cache,
        })
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Whether a component with this SHA-256 is in the compile cache.
    pub fn is_cached(&self, sha256: &str) -> bool {
        self.cache
            .path_for(sha256, self.engine_hash())
            .is_some_and(|p| p.is_file())
    }

    /// A hash of everything that makes a precompiled component loadable by
    /// this engine (wasmtime version, config, CPU features).
    pub fn engine_hash(&self) -> &str {
        &self.engine_hash
    }

    /// Check a component's imports and exports against the sandbox without
    /// compiling it to native code: returns the import names on success.
    pub fn check_component(&self, bytes: &[u8]) -> Result<Vec<String>> {
        let component = Component::new(&self.engine, bytes)
            .map_err(|e| anyhow!("not a valid component: {e}"))?;
        check_exports(&self.engine, &component)?;
        check_imports(&self.engine, &component)
    }

    /// Load a component: verify its imports, compile it (or load the cached
    /// native code), pre-instantiate it and read its metadata.
    pub fn load(&self, bytes: &[u8], source: SkillSource) -> Result<LoadedSkill> {
        self.load_hashed(bytes, &sha256_hex(bytes), source)
    }

    /// [`Runtime::load`] with the component's SHA-256 already known (built-in
    /// skills are hashed at build time).
    pub fn load_hashed(
        &self,
        bytes: &[u8],
        sha256: &str,
        source: SkillSource,
    ) -> Result<LoadedSkill> {
        let sha256 = sha256.to_string();
        let limits = self.limits;
        let engine = &self.engine;
        // Only on a cache miss: pre-initialise (prewarm.rs checks the
        // original's imports and exports before running anything).
        let prepare = |b: &[u8]| -> Option<Vec<u8>> {
            match crate::prewarm::wizen(engine, b, limits) {
                Ok(w) => w,
                Err(e) => {
                    eprintln!(
                        "kiro-guard: note: could not pre-initialise a skill ({e:#}); it will initialise on every call"
                    );
                    None
                }
            }
        };
        let (component, compiled) =
            self.cache
                .load(&self.engine, bytes, &sha256, self.engine_hash(), &prepare)?;
        check_exports(&self.engine, &component)?;
        check_imports(&self.engine, &component)?;
        let linker = sandbox_linker(&self.engine, &component)?;
        let instance_pre = linker.instantiate_pre(&component)?;
        let pre = SkillPre::new(instance_pre)
            .map_err(|e| anyhow!("component does not implement kiro:skill/analyzer: {e}"))?;
        let mut skill = LoadedSkill {
            info: sdk::SkillInfo {
                name: String::new(),
                version: String::new(),
                description: String::new(),
                rules: vec![],
            },
            sha256,
            source,
            compiled,
            pre,
        };
        // describe() is static: cache it beside the compiled component so a
        // warm run instantiates nothing it does not analyse with.
        let info_path = self
            .cache
            .path_for(&skill.sha256, self.engine_hash())
            .map(|p| p.with_extension("describe.json"));
        let cached_info = match (&info_path, compiled) {
            (Some(p), false) => std::fs::read(p)
                .ok()
                .and_then(|b| serde_json::from_slice::<sdk::SkillInfo>(&b).ok()),
            _ => None,
        };
        let info = match cached_info {
            Some(info) => info,
            None => {
                let info = self
                    .describe(&skill)
                    .map_err(|e| anyhow!("describe() failed: {e}"))?;
                if let (Some(p), Ok(json)) = (&info_path, serde_json::to_vec(&info)) {
                    let _ = crate::cache::write_atomic(p, &json);
                }
                info
            }
        };
        if info.name.is_empty()
            || info.name.len() > 64
            || !info
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            bail!(
                "skill name {:?} is not a short [A-Za-z0-9_-] identifier",
                info.name
            );
        }
        skill.info = info;
        Ok(skill)
    }

    fn store(&self, fuel: u64) -> Result<Store<HostState>, SkillError> {
        sandbox_store(&self.engine, self.limits, fuel)
    }

    fn classify(&self, store: &Store<HostState>, err: wasmtime::Error) -> SkillError {
        if store.data().hit_memory_cap {
            return SkillError::Memory {
                limit_bytes: self.limits.memory_bytes,
            };
        }
        match err.downcast_ref::<Trap>() {
            Some(Trap::OutOfFuel) => SkillError::CpuBudget,
            Some(t) => SkillError::Trap(t.to_string()),
            None => {
                let msg = format!("{err:#}");
                if msg.contains("out of fuel") {
                    SkillError::CpuBudget
                } else {
                    SkillError::Trap(first_line(&msg))
                }
            }
        }
    }

    /// Call `describe` in a fresh instance.
    pub fn describe(&self, skill: &LoadedSkill) -> Result<sdk::SkillInfo, SkillError> {
        let mut store = self.store(self.limits.fuel_base)?;
        let instance = skill
            .pre
            .instantiate(&mut store)
            .map_err(|e| self.classify(&store, e))?;
        let info = instance
            .kiro_skill_analyzer()
            .call_describe(&mut store)
            .map_err(|e| self.classify(&store, e))?;
        let info = sdk::SkillInfo {
            name: info.name,
            version: info.version,
            description: info.description,
            rules: info
                .rules
                .into_iter()
                .map(|r| sdk::RuleInfo {
                    id: r.id,
                    title: r.title,
                    default_severity: severity_from_wit(r.default_severity),
                    languages: r.languages,
                    references: r.references.into_iter().map(reference_from_wit).collect(),
                    remediation: r.remediation,
                })
                .collect(),
        };
        Ok(info)
    }

    /// Analyse one input in a fresh instance, within the CPU and memory
    /// bounds, and validate what comes back. `line_count` bounds spans for
    /// file inputs (None for inputs without lines).
    pub fn analyze(
        &self,
        skill: &LoadedSkill,
        input: &sdk::Input,
        config_json: &str,
        line_count: Option<usize>,
    ) -> Result<Vec<sdk::Finding>, SkillError> {
        let input_len = match input {
            sdk::Input::File(d) => d.text.len(),
            sdk::Input::Command(c) => c.command.len(),
            sdk::Input::Tool(t) => t.input_json.len(),
            sdk::Input::UserPrompt(p) => p.text.len(),
        };
        let fuel = self
            .limits
            .fuel_base
            .saturating_add(self.limits.fuel_per_byte.saturating_mul(input_len as u64));
        let mut store = self.store(fuel)?;
        let instance = skill
            .pre
            .instantiate(&mut store)
            .map_err(|e| self.classify(&store, e))?;
        let req = wit::Request {
            input: input_to_wit(input),
            config_json: config_json.to_string(),
        };
        let result = instance
            .kiro_skill_analyzer()
            .call_analyze(&mut store, &req)
            .map_err(|e| self.classify(&store, e))?;
        let findings = result.map_err(|m| SkillError::Reported(truncate(&m, 500)))?;
        if findings.len() > self.limits.max_findings {
            return Err(SkillError::Malformed(format!(
                "{} findings, more than the limit of {}",
                findings.len(),
                self.limits.max_findings
            )));
        }
        findings
            .into_iter()
            .map(|f| self.validate(f, line_count))
            .collect()
    }

    fn validate(
        &self,
        f: wit::Finding,
        line_count: Option<usize>,
    ) -> Result<sdk::Finding, SkillError> {
        let max = self.limits.max_string_bytes;
        for (what, s) in [
            ("rule id", &f.rule_id),
            ("message", &f.message),
            ("evidence", &f.evidence),
            ("remediation", &f.remediation),
        ] {
            if s.len() > max {
                return Err(SkillError::Malformed(format!(
                    "{what} of {} bytes exceeds {max}",
                    s.len()
                )));
            }
        }
        if f.rule_id.is_empty() {
            return Err(SkillError::Malformed("finding without a rule id".into()));
        }
        let s = f.span;
        let bad_order = s.line == 0
            || s.column == 0
            || s.end_line < s.line
            || (s.end_line == s.line && s.end_column < s.column);
        let past_end = line_count
            .is_some_and(|n| s.line as usize > n.max(1) || s.end_line as usize > n.max(1) + 1);
        if bad_order || past_end {
            return Err(SkillError::Malformed(format!(
                "rule {} reported span {}:{}-{}:{} outside the input",
                f.rule_id, s.line, s.column, s.end_line, s.end_column
            )));
        }
        Ok(sdk::Finding {
            rule_id: f.rule_id,
            severity: severity_from_wit(f.severity),
            message: f.message,
            span: sdk::Span {
                line: s.line,
                column: s.column,
                end_line: s.end_line,
                end_column: s.end_column,
            },
            evidence: f.evidence,
            references: f.references.into_iter().map(reference_from_wit).collect(),
            remediation: f.remediation,
        })
    }
}

/// The sandbox linker for a component: a constant `insecure-seed`, every
/// other import a trap.
pub(crate) fn sandbox_linker(engine: &Engine, component: &Component) -> Result<Linker<HostState>> {
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
pub(crate) fn sandbox_store(
    engine: &Engine,
    limits: Limits,
    fuel: u64,
) -> Result<Store<HostState>, SkillError> {
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
    store
        .set_fuel(fuel)
        .map_err(|e| SkillError::Host(e.to_string()))?;
    Ok(store)
}

fn first_line(s: &str) -> String {
    truncate(s.lines().next().unwrap_or(""), 300)
}

fn truncate(s: &str, n: usize) -> String {
    if s.len() <= n {
        s.to_string()
    } else {
        let cut = kiro_guard_skill::text::floor_char_boundary(s, n);
        format!("{}…", &s[..cut])
    }
}

/// Exports then imports, as at load time.
pub(crate) fn check_component_type(engine: &Engine, component: &Component) -> Result<()> {
    check_exports(engine, component)?;
    check_imports(engine, component).map(|_| ())
}

/// Refuse components importing anything outside [`ALLOWED_IMPORTS`],
/// naming the import.
fn check_imports(engine: &Engine, component: &Component) -> Result<Vec<String>> {
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
fn check_exports(engine: &Engine, component: &Component) -> Result<()> {
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

fn severity_from_wit(s: wit::Severity) -> sdk::Severity {
    match s {
        wit::Severity::Info => sdk::Severity::Info,
        wit::Severity::Warn => sdk::Severity::Warn,
        wit::Severity::Block => sdk::Severity::Block,
    }
}

fn reference_from_wit(r: wit::Reference) -> sdk::Reference {
    sdk::Reference {
        framework: r.framework,
        id: r.id,
        title: r.title,
    }
}

fn input_to_wit(input: &sdk::Input) -> wit::Input {
    match input {
        sdk::Input::File(d) => wit::Input::File(wit::Document {
            path: d.path.clone(),
            language: d.language.clone(),
            text: d.text.clone(),
            changed_lines: d.changed_lines.as_ref().map(|v| {
                v.iter()
                    .map(|r| wit::LineRange {
                        start: r.start,
                        end: r.end,
                    })
                    .collect()
            }),
            is_test: d.is_test,
        }),
        sdk::Input::Command(c) => wit::Input::Command(wit::ShellCommand {
            command: c.command.clone(),
            cwd: c.cwd.clone(),
        }),
        sdk::Input::Tool(t) => wit::Input::Tool(wit::ToolCall {
            tool_name: t.tool_name.clone(),
            server: t.server.clone(),
            input_json: t.input_json.clone(),
        }),
        sdk::Input::UserPrompt(p) => wit::Input::UserPrompt(wit::Prompt {
            text: p.text.clone(),
        }),
    }
}

/// Directory holding the test-only components built alongside the built-in
/// skills (`misbehave.wasm`, `forbidden_import.wasm`); for tests.
#[doc(hidden)]
pub const TEST_SKILLS_DIR: &str = env!("KIRO_GUARD_TEST_SKILLS");

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
