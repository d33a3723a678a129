//! # kiro-guard-skill: write kiro-guard skills in idiomatic Rust
//!
//! A skill is a WebAssembly component implementing the `kiro:skill` WIT
//! contract (`wit/skill.wit`). This crate gives you:
//!
//! - plain Rust types for the contract ([`Document`], [`Finding`], ...), so
//!   detection logic compiles and unit-tests natively;
//! - the [`Skill`] trait with one method per input kind (all default to "no
//!   findings"), and [`export_skill!`] to turn an implementation into the
//!   component's exports when built for `wasm32-wasip2`;
//! - helpers every skill needs: spans from byte offsets ([`text::LineIndex`]),
//!   masking ([`mask`]), checksums ([`checksum`]), entropy and context windows
//!   ([`text`]), language and test-file detection ([`lang`]), a comment/string
//!   lexer ([`tokens`]) and one literal prefilter for many regexes
//!   ([`gate`]);
//! - one [`Hit`] type (a finding as a byte range, [`Hit::into_finding`])
//!   and one strict settings reader ([`settings`]).
//!
//! ```ignore
//! use kiro_guard_skill::{Skill, SkillInfo, Document, Finding, Config, rule::RuleDef};
//!
//! struct MySkill;
//! impl Skill for MySkill {
//!     fn new() -> Self { MySkill }
//!     fn info(&self) -> SkillInfo { /* name, version, rules */ }
//!     fn analyze_file(&self, doc: &Document, cfg: &Config) -> Result<Vec<Finding>, String> { Ok(vec![]) }
//! }
//! kiro_guard_skill::export_skill!(MySkill);
//! ```

pub mod ascii_regex;
pub mod checksum;
pub mod evasion;
pub mod gate;
pub mod hit;
pub mod mask;
pub mod prewarm;
pub mod rule;
pub mod scan;
pub mod settings;
pub mod text;
pub mod tokens;
pub use hit::Hit;
// The contract's types, line/column conversion, language detection and
// reference tables live in `kiro-guard-contract`, shared with the host.
pub use kiro_guard_contract::lang;
pub use kiro_guard_contract::shell;
pub use kiro_guard_contract::{
    Document, Finding, Input, LineRange, Prompt, Reference, Request, RuleInfo, Severity,
    ShellCommand, SkillInfo, Span, ToolCall,
};

/// The WIT contract version this SDK implements.
pub use kiro_guard_contract::CONTRACT_VERSION;

/// A skill's settings section from `.kiro-guard.toml`, as JSON.
#[derive(Debug, Clone, Default)]
pub struct Config(pub serde_json::Value);

impl Config {
    /// Parse the JSON the host passes ("" or "{}" when there are no settings).
    pub fn parse(json: &str) -> Result<Config, String> {
        if json.trim().is_empty() {
            return Ok(Config(serde_json::Value::Object(Default::default())));
        }
        serde_json::from_str(json)
            .map(Config)
            .map_err(|e| format!("invalid skill configuration: {e}"))
    }

    /// A top-level value.
    pub fn get(&self, key: &str) -> Option<&serde_json::Value> {
        self.0.get(key)
    }

    /// A boolean setting, or `default`.
    pub fn bool_or(&self, key: &str, default: bool) -> bool {
        self.get(key).and_then(|v| v.as_bool()).unwrap_or(default)
    }

    /// A number setting, or `default`.
    pub fn f64_or(&self, key: &str, default: f64) -> f64 {
        self.get(key).and_then(|v| v.as_f64()).unwrap_or(default)
    }

    /// A string setting.
    pub fn str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(|v| v.as_str())
    }

    /// A list-of-strings setting (empty when absent).
    pub fn str_list(&self, key: &str) -> Vec<String> {
        self.get(key)
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The skill's typed settings, read strictly: an unknown key or a
    /// wrongly typed value is an error naming `skill` and the key; absent
    /// keys take `T::default()`'s values (see [`settings`]).
    pub fn settings<T: serde::de::DeserializeOwned + Default>(
        &self,
        skill: &str,
    ) -> Result<T, String> {
        settings::from_value(skill, &self.0)
    }

    /// Deserialize the whole section into a typed settings struct.
    pub fn deserialize<T: serde::de::DeserializeOwned>(&self) -> Result<T, String> {
        serde_json::from_value(self.0.clone())
            .map_err(|e| format!("invalid skill configuration: {e}"))
    }
}

/// A kiro-guard skill. Implement the methods for the inputs you check; the
/// others default to "no findings".
pub trait Skill: Sized + Send + Sync + 'static {
    /// Create the skill (called once per instance; build rule tables here or
    /// lazily).
    fn new() -> Self;

    /// Metadata and the rule catalogue.
    fn info(&self) -> SkillInfo;

    /// A file, or the content a file will have after an edit.
    fn analyze_file(&self, _doc: &Document, _config: &Config) -> Result<Vec<Finding>, String> {
        Ok(Vec::new())
    }

    /// A shell command an agent is about to run.
    fn analyze_command(
        &self,
        _cmd: &ShellCommand,
        _config: &Config,
    ) -> Result<Vec<Finding>, String> {
        Ok(Vec::new())
    }

    /// A tool call an agent is about to make.
    fn analyze_tool_call(
        &self,
        _call: &ToolCall,
        _config: &Config,
    ) -> Result<Vec<Finding>, String> {
        Ok(Vec::new())
    }

    /// A prompt a user is about to send.
    fn analyze_prompt(&self, _prompt: &Prompt, _config: &Config) -> Result<Vec<Finding>, String> {
        Ok(Vec::new())
    }

    /// Warm caches before the host snapshots the instance (see the
    /// `prewarm` interface in `wit/skill.wit`). The default runs every
    /// analysis method on a small built-in sample so lazily built regexes and
    /// automata exist in the snapshot. Must be deterministic.
    fn prewarm(&self) {
        let config = Config::default();
        for (path, text) in prewarm::SAMPLES {
            let _ = self.analyze_file(&Document::new(*path, *text), &config);
        }
        for cmd in prewarm::COMMANDS {
            let _ = self.analyze_command(
                &ShellCommand {
                    command: cmd.to_string(),
                    cwd: String::new(),
                },
                &config,
            );
        }
        let _ = self.analyze_tool_call(
            &ToolCall {
                tool_name: "@github/create_issue".into(),
                server: "github".into(),
                input_json: prewarm::TOOL_JSON.into(),
            },
            &config,
        );
        let _ = self.analyze_prompt(
            &Prompt {
                text: prewarm::SAMPLES[0].1.to_string(),
            },
            &config,
        );
    }

    /// Dispatch a request to the method for its input kind.
    fn analyze(&self, req: &Request) -> Result<Vec<Finding>, String> {
        let config = Config::parse(&req.config_json)?;
        match &req.input {
            Input::File(d) => self.analyze_file(d, &config),
            Input::Command(c) => self.analyze_command(c, &config),
            Input::Tool(t) => self.analyze_tool_call(t, &config),
            Input::UserPrompt(p) => self.analyze_prompt(p, &config),
        }
    }
}

/// Generated WIT bindings (wasm only).
#[cfg(target_arch = "wasm32")]
#[doc(hidden)]
pub mod bindings {
    wit_bindgen::generate!({
        path: "../../wit",
        world: "skill-sdk",
        pub_export_macro: true,
        export_macro_name: "__export_kiro_skill_bindings",
        default_bindings_module: "kiro_guard_skill::bindings",
    });
}

/// Conversions between the SDK types and the generated bindings (wasm only).
#[cfg(target_arch = "wasm32")]
#[doc(hidden)]
pub mod glue;

/// Export a [`Skill`] implementation as the component's `analyzer`
/// interface. Does nothing when not compiling for wasm, so the same crate
/// unit-tests natively.
#[macro_export]
macro_rules! export_skill {
    ($ty:ty) => {
        #[cfg(target_arch = "wasm32")]
        const _: () = {
            struct __KiroGuardSkillExport;
            impl $crate::bindings::exports::kiro::skill::analyzer::Guest for __KiroGuardSkillExport {
                fn describe() -> $crate::bindings::kiro::skill::types::SkillInfo {
                    $crate::glue::describe::<$ty>()
                }
                fn analyze(
                    req: $crate::bindings::kiro::skill::types::Request,
                ) -> ::core::result::Result<::std::vec::Vec<$crate::bindings::kiro::skill::types::Finding>, ::std::string::String>
                {
                    $crate::glue::analyze::<$ty>(req)
                }
            }
            impl $crate::bindings::exports::kiro::skill::prewarm::Guest for __KiroGuardSkillExport {
                fn prewarm() {
                    $crate::glue::prewarm::<$ty>()
                }
            }
            $crate::bindings::__export_kiro_skill_bindings!(__KiroGuardSkillExport with_types_in $crate::bindings);
        };
    };
}
