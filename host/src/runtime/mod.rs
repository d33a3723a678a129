//! The sandboxed skill runtime: one wasmtime `Engine` and `Linker` per
//! process, one pre-instantiated component per skill, a fresh `Store` per
//! analysed item with CPU (fuel) and memory bounds.

pub mod bindings;
pub mod prewarm;

use crate::cache::AotCache;
pub use crate::sandbox::{CONTRACT_VERSION, Limits, compatible};
use crate::sandbox::{HostState, check_exports, check_imports, sandbox_linker, sandbox_store};
use anyhow::{Result, anyhow, bail};
use bindings::SkillPre;
use bindings::v0_1::wit;
use kiro_guard_contract as sdk;
use sha2::{Digest, Sha256};
use std::fmt;
use wasmtime::component::Component;
use wasmtime::{Engine, Store, Trap};

// `BUILTIN_PRECOMPILED`: the built-in skills pre-initialised and compiled to
// native code by `host/build.rs` (see `Precompiled`).
include!(concat!(env!("OUT_DIR"), "/builtin_precompiled.rs"));

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
    /// Whether embedded native code can run in place (see `in_place`; read
    /// on x86-64 Linux only).
    #[cfg_attr(
        not(all(target_os = "linux", target_arch = "x86_64")),
        allow(dead_code)
    )]
    in_place: bool,
    /// Longest a load may spend compiling (hooks: below the agent's timeout).
    compile_deadline: Option<std::time::Duration>,
}

/// Process-wide compile deadline for new runtimes (see
/// [`limit_compile_time`]).
static COMPILE_DEADLINE: std::sync::OnceLock<std::time::Duration> = std::sync::OnceLock::new();

/// How long a hook may spend compiling an external skill that is not in the
/// compile cache: well below the agents' 10 s hook timeout, after which the
/// agent would go on as if no hook ran.
pub const HOOK_COMPILE_DEADLINE: std::time::Duration = std::time::Duration::from_secs(5);

/// Bound the compile time of every runtime created after this call (the
/// hook entry point calls it with [`HOOK_COMPILE_DEADLINE`]). A skill that
/// takes longer fails to load with a message to run `kiro-guard skills
/// warm`, and the caller's `on_error` policy applies.
pub fn limit_compile_time(deadline: std::time::Duration) {
    let _ = COMPILE_DEADLINE.set(deadline);
}

/// SHA-256 of bytes, lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

impl Runtime {
    /// Create the engine ([`crate::engine_config::base_config`], the same
    /// configuration `host/build.rs` precompiles the built-ins with). Fuel
    /// metering is on; the cache directory holds compiled external skills.
    pub fn new(limits: Limits, cache: AotCache) -> Result<Runtime> {
        #[allow(unused_mut)]
        let mut config = crate::engine_config::base_config();
        // `KIRO_GUARD_PERFMAP=1` writes /tmp/perf-<pid>.map so `perf report`
        // names the skills' functions (profiling only).
        if std::env::var_os("KIRO_GUARD_PERFMAP").is_some() {
            config.profiler(wasmtime::ProfilingStrategy::PerfMap);
        }
        #[cfg(all(target_os = "linux", target_arch = "x86_64"))]
        let in_place = match in_place::InPlaceCode::new() {
            Some(code) => {
                config.with_custom_code_memory(Some(std::sync::Arc::new(code)));
                true
            }
            None => false,
        };
        #[cfg(not(all(target_os = "linux", target_arch = "x86_64")))]
        let in_place = false;
        config.allocation_strategy(pooling(limits));
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
            in_place,
            compile_deadline: COMPILE_DEADLINE.get().copied(),
        })
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Bound (or unbound, with `None`) the time a load may spend compiling.
    pub fn set_compile_deadline(&mut self, deadline: Option<std::time::Duration>) {
        self.compile_deadline = deadline;
    }

    /// The compile cache (external skills, and built-ins on a machine the
    /// precompiled code does not fit).
    pub fn cache(&self) -> &AotCache {
        &self.cache
    }

    /// Whether a component with this SHA-256 loads without compiling: a
    /// built-in precompiled into this binary, or a cached compile.
    pub fn is_cached(&self, sha256: &str) -> bool {
        embedded(sha256).is_some()
            || self
                .cache
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
    /// skills are hashed at build time). A built-in skill loads from the
    /// native code embedded in the binary: no compile, no cache, no write.
    pub fn load_hashed(
        &self,
        bytes: &[u8],
        sha256: &str,
        source: SkillSource,
    ) -> Result<LoadedSkill> {
        let mut fallback_reason = None;
        if let Some(p) = embedded(sha256) {
            match self.load_embedded(p) {
                Ok(component) => {
                    let info: sdk::SkillInfo = serde_json::from_str(p.describe_json)
                        .map_err(|e| anyhow!("embedded describe() of a built-in skill: {e}"))?;
                    return self.finish(component, sha256, source, false, Some(info));
                }
                Err(e) => fallback_reason = Some(e),
            }
        }
        let sha256 = sha256.to_string();
        let limits = self.limits;
        let engine = self.engine.clone();
        // Only on a cache miss: pre-initialise (prewarm.rs checks the
        // original's imports and exports before running anything).
        let prepare = std::sync::Arc::new(move |b: &[u8]| -> Option<Vec<u8>> {
            if let Some(e) = &fallback_reason {
                eprintln!(
                    "kiro-guard: note: the built-in skills precompiled into this binary do not load on this machine ({e:#}); compiling them instead (once, into the compile cache)"
                );
            }
            match prewarm::wizen(&engine, b, limits) {
                Ok(w) => w,
                Err(e) => {
                    eprintln!(
                        "kiro-guard: note: could not pre-initialise a skill ({e:#}); it will initialise on every call"
                    );
                    None
                }
            }
        });
        let (component, compiled) = self.cache.load(
            &self.engine,
            bytes,
            &sha256,
            self.engine_hash(),
            prepare,
            self.compile_deadline,
        )?;
        // describe() is static: cache it beside the compiled component so a
        // warm run instantiates nothing it does not analyse with.
        let info_path = self
            .cache
            .path_for(&sha256, self.engine_hash())
            .map(|p| p.with_extension("describe.json"));
        let cached_info = match (&info_path, compiled) {
            (Some(p), false) => std::fs::read(p)
                .ok()
                .and_then(|b| serde_json::from_slice::<sdk::SkillInfo>(&b).ok()),
            _ => None,
        };
        let had_info = cached_info.is_some();
        let skill = self.finish(component, &sha256, source, compiled, cached_info)?;
        if !had_info && let (Some(p), Ok(json)) = (&info_path, serde_json::to_vec(&skill.info)) {
            let _ = crate::cache::write_atomic(p, &json);
        }
        Ok(skill)
    }

    /// Deserialize a built-in skill's embedded native code.
    fn load_embedded(&self, p: &Precompiled) -> Result<Component> {
        #[cfg(all(target_os = "linux", target_arch = "x86_64"))]
        if self.in_place && in_place::page_aligned(p.code) && in_place::claim(p.code) {
            // SAFETY: `p.code` is the unmodified output of
            // `Engine::precompile_component`, produced by this crate's build
            // script with `engine_config::base_config()` (the configuration
            // this engine was built from) for this target, and embedded
            // read-only in the binary for the life of the process; wasmtime
            // checks its header, version, flags and CPU features and refuses
            // a mismatch. It is used in place: page-aligned, never written,
            // made executable by `in_place::InPlaceCode`.
            let memory = std::ptr::NonNull::from(p.code);
            return unsafe { Component::deserialize_raw(&self.engine, memory) }
                .map_err(|e| anyhow!("{e:#}"));
        }
        // SAFETY: as above; here wasmtime copies the bytes into memory of
        // its own.
        unsafe { Component::deserialize(&self.engine, p.code) }.map_err(|e| anyhow!("{e:#}"))
    }

    /// Check the component against the sandbox, pre-instantiate it and
    /// attach its metadata (`describe()` when not already known).
    fn finish(
        &self,
        component: Component,
        sha256: &str,
        source: SkillSource,
        compiled: bool,
        info: Option<sdk::SkillInfo>,
    ) -> Result<LoadedSkill> {
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
            sha256: sha256.to_string(),
            source,
            compiled,
            pre,
        };
        let info = match info {
            Some(info) => info,
            None => self
                .describe(&skill)
                .map_err(|e| anyhow!("describe() failed: {e}"))?,
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
            .map_err(|e| SkillError::Host(format!("{e:#}")))
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
        Ok(info.into())
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
            input: input.into(),
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
        let s = &f.span;
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
        Ok(f.into())
    }
}

fn first_line(s: &str) -> String {
    truncate(s.lines().next().unwrap_or(""), 300)
}

fn truncate(s: &str, n: usize) -> String {
    if s.len() <= n {
        s.to_string()
    } else {
        let cut = kiro_guard_contract::text::floor_char_boundary(s, n);
        format!("{}…", &s[..cut])
    }
}

/// Directory holding the test-only components built alongside the built-in
/// skills (`misbehave.wasm`, `forbidden_import.wasm`); for tests.
#[doc(hidden)]
pub const TEST_SKILLS_DIR: &str = env!("KIRO_GUARD_TEST_SKILLS");

/// The instance allocator: a pool of instance slots, linear memories and
/// tables reused from one item to the next. Freeing an instance resets its
/// slot (memory back to the skill's snapshot image, copy-on-write), so the
/// next item starts from the same state as a fresh instance without a new
/// mapping per item (and the TLB shoot-downs unmapping one costs). Slots
/// cover every analysis thread holding one instance of each skill; the
/// reservation is address space, not memory.
fn pooling(limits: Limits) -> wasmtime::InstanceAllocationStrategy {
    let threads = std::thread::available_parallelism().map_or(4, |n| n.get());
    let slots = u32::try_from(16 + 4 * threads).unwrap_or(1024);
    let mut pool = wasmtime::PoolingAllocationConfig::new();
    pool.total_component_instances(slots)
        .total_core_instances(slots * 8)
        .total_memories(slots * 2)
        .total_tables(slots * 8)
        .max_memory_size(limits.memory_bytes)
        // Reset the first MiB of a freed memory with memset rather than
        // madvise: fewer page faults when the slot is reused.
        .linear_memory_keep_resident(1 << 20)
        .table_keep_resident(64 << 10);
    wasmtime::InstanceAllocationStrategy::Pooling(pool)
}

/// The embedded precompiled form of the built-in skill whose original
/// component has this SHA-256.
fn embedded(sha256: &str) -> Option<&'static Precompiled> {
    BUILTIN_PRECOMPILED.iter().find(|p| p.sha256 == sha256)
}

/// Executing the built-ins' embedded native code where it lies in the
/// binary, instead of copying megabytes into fresh memory on every process
/// start. Wasmtime calls [`InPlaceCode`] to make a compiled text section
/// executable; for code it compiled or copied itself this is exactly what it
/// would do without it (x86_64 needs no instruction-cache maintenance).
#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
mod in_place {
    use wasmtime::CustomCodeMemory;

    pub struct InPlaceCode {
        page: usize,
    }

    impl InPlaceCode {
        pub fn new() -> Option<InPlaceCode> {
            // SAFETY: sysconf has no preconditions.
            let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
            let page = usize::try_from(page).ok()?;
            page.is_power_of_two().then_some(InPlaceCode { page })
        }
    }

    /// Whether `code` starts on a page boundary (its text section then does
    /// too: the artefact aligns it to the page size), as running it in place
    /// requires.
    pub fn page_aligned(code: &[u8]) -> bool {
        InPlaceCode::new().is_some_and(|c| (code.as_ptr() as usize).is_multiple_of(c.page))
    }

    /// Claim an embedded artefact for running in place. Wasmtime registers
    /// each code image's address range once per process, so only the first
    /// load of an artefact may use it where it lies; a later load (another
    /// `Runtime` in the same process) gets a copy.
    pub fn claim(code: &[u8]) -> bool {
        static CLAIMED: std::sync::Mutex<Vec<usize>> = std::sync::Mutex::new(Vec::new());
        let addr = code.as_ptr() as usize;
        let mut claimed = CLAIMED.lock().unwrap_or_else(|e| e.into_inner());
        if claimed.contains(&addr) {
            false
        } else {
            claimed.push(addr);
            true
        }
    }

    fn protect(ptr: *const u8, len: usize, prot: libc::c_int) -> wasmtime::Result<()> {
        // SAFETY: wasmtime passes a page-aligned text section of a code
        // image it owns or that lives for the whole process (the embedded
        // built-ins); changing its protection touches nothing else.
        let rc = unsafe { libc::mprotect(ptr as *mut libc::c_void, len, prot) };
        if rc == 0 {
            Ok(())
        } else {
            Err(wasmtime::Error::msg(format!(
                "mprotect: {}",
                std::io::Error::last_os_error()
            )))
        }
    }

    impl CustomCodeMemory for InPlaceCode {
        fn required_alignment(&self) -> usize {
            self.page
        }

        fn publish_executable(&self, ptr: *const u8, len: usize) -> wasmtime::Result<()> {
            protect(ptr, len, libc::PROT_READ | libc::PROT_EXEC)
        }

        fn unpublish_executable(&self, ptr: *const u8, len: usize) -> wasmtime::Result<()> {
            protect(ptr, len, libc::PROT_READ)
        }
    }
}
