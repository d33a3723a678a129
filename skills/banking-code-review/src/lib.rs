//! # banking-code-review: hard-coded credentials and insecure code
//!
//! A kiro-guard skill (wasm32-wasip2 component) with two halves, both plain
//! Rust and unit-tested natively:
//!
//! * `secrets`: provider-format credentials (AWS, GitHub with CRC-32
//!   checksum, GitLab, Slack, Stripe, Google, Azure, private keys, JWTs, URLs
//!   with passwords) and credential assignments with stop-words and an
//!   entropy threshold. Runs on files, prompts, shell commands and tool-call
//!   inputs. Span = exactly the secret; evidence = the masked secret.
//! * `code`: insecure code for Python, Java/Kotlin, JavaScript/TypeScript,
//!   Go and C# (SQL and command injection, path traversal, weak hashes and
//!   ciphers, insecure randomness, TLS verification off, insecure
//!   deserialization, sensitive data in logs, debug mode, permissive CORS,
//!   eval, floating point for money, stack traces to users). Matches in
//!   comments are ignored; span = the offending expression; evidence = a
//!   short code snippet with literal secrets masked.
//!
//! The rule catalogue is `rules::catalogue`: `rules::RULES` and one
//! rule per provider detector of `secrets::providers::PROVIDERS`.
//!
//! ## Configuration (`[skills.banking-code-review]` in `.kiro-guard.toml`)
//!
//! | key | type | default | meaning |
//! |---|---|---|---|
//! | `scan_test_files` | bool | `false` | also run the insecure-code rules on test files (credentials are always checked) |
//! | `credentials_only` | bool | `false` | run only the credential rules |
//! | `password_min_length` | int | `4` | shortest literal reported for password-named keys |
//! | `generic_secret_min_length` | int | `12` | shortest literal reported for token/api-key-named keys |
//! | `generic_secret_min_entropy` | float | `3.0` | minimum Shannon entropy (bits/char) for token/api-key-named keys |
//! | `extra_placeholders` | list of strings | `[]` | more case-insensitive substrings that mark a value as a placeholder |
//! | `test_paths` | list of globs | see `secrets::context` | test code and fixtures: passwords and keyword-anchored secrets there are warnings |
//! | `dev_config_paths` | list of globs | see `secrets::context` | local-dev and CI service configuration: same |
//! | `doc_paths` | list of globs | see `secrets::context` | documentation and examples: same |
//! | `gitleaks_rules` | list of tables | none | a repository's gitleaks `[[rules]]` as JSON (see `secrets::gitleaks`); findings are `gitleaks/<id>` |
//! | `gitleaks_allowlist` | table | none | the gitleaks global `[allowlist]` |
//!
//! An unknown key or a value of the wrong type is an error naming the key
//! (read by `kiro_guard_skill::settings`). The host adds `gitleaks_rules` and
//! `gitleaks_allowlist` from a repository's `.gitleaks.toml`.
//!
//! Inline suppressions, path/value allow-lists, severity overrides and the
//! changed-lines filter are applied by the host, not here.

mod code;
mod encoding;
mod rules;
mod secrets;

/// Whether a finding's rule id is a credential rule (its evidence is a
/// secret); the corpus tests and `examples/secrets_jsonl.rs` use it.
pub use secrets::is_credential_rule_id;

/// Detector internals that this crate's own integration tests and examples
/// call directly; not an API for other crates.
#[doc(hidden)]
pub mod internals {
    /// The secret scanner and its provider table, for
    /// `tests/secrets_providers.rs`.
    pub mod secrets {
        pub use crate::secrets::providers::{Kind, PROVIDERS, expand};
        pub use crate::secrets::{SecretOptions, ValueStyle, scan};
    }
    /// The rule catalogue, for `tests/secrets_providers.rs` and
    /// `examples/secrets_jsonl.rs`.
    pub mod rules {
        pub use crate::rules::{by_id, catalogue, is_credential_rule};
    }
    /// The semantic engine's parser and scan, for `examples/semantic_bench.rs`
    /// and `examples/code_scan.rs`.
    pub mod semantic {
        pub use crate::code::semantic::parse::parse;
        pub use crate::code::semantic::{lang_of, scan};
    }
    /// The code rules' gated regexes, for `examples/prefilter_bench.rs`.
    pub mod code {
        pub use crate::code::gated_regexes;
    }
}

use kiro_guard_skill::rule::RuleDef;
use kiro_guard_skill::text::LineIndex;
use kiro_guard_skill::tokens::Regions;
use kiro_guard_skill::{
    Config, Document, Finding, Prompt, ShellCommand, Skill, SkillInfo, ToolCall,
};
use secrets::{SecretOptions, ValueStyle};

/// Credentials in `text`: the plain scan, then every evasion view of the text
/// (Unicode folding, escapes, string concatenation, base64/hex blobs that
/// decode to text: `kiro_guard_skill::evasion`), mapped back to byte ranges
/// of `text`. A hit from a view that overlaps one already found is dropped;
/// its message says how the value was hidden and its evidence is the masked
/// decoded value.
pub fn scan_secrets(
    text: &str,
    regions: &Regions,
    lang: &str,
    style: ValueStyle,
    opts: &SecretOptions,
) -> Vec<Hit> {
    let mut hits = secrets::scan(text, regions, style, opts);
    let views = kiro_guard_skill::evasion::views(text);
    let plain = hits.len();
    for v in &views {
        // Decoded blobs are data (often a config or a credentials file).
        let (vlang, vstyle) = if v.is_blob() {
            ("", ValueStyle::Config)
        } else {
            (lang, style)
        };
        let r = Regions::new(&v.text, vlang);
        for mut h in secrets::scan(&v.text, &r, vstyle, opts) {
            let (s, e) = v.original_range(h.start, h.end);
            if hits.iter().any(|f| f.start < e && s < f.end) {
                continue;
            }
            if text.get(s..e) != v.text.get(h.start..h.end) {
                h.message = format!("{} ({})", h.message, v.note()).into();
            }
            h.start = s;
            h.end = e;
            hits.push(h);
        }
    }
    if hits.len() > plain {
        hits.sort_by_key(|h| (h.start, h.end));
    }
    hits
}

pub use kiro_guard_skill::Hit;

/// The skill's settings (see the crate docs for the keys).
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub scan_test_files: bool,
    pub credentials_only: bool,
    pub secrets: SecretOptions,
    /// A repository's gitleaks rules (`gitleaks_rules`, `gitleaks_allowlist`).
    pub gitleaks: Option<std::sync::Arc<secrets::gitleaks::Rules>>,
}

/// The settings as the host passes them; every key is documented in the
/// crate docs and the README.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct RawSettings {
    scan_test_files: bool,
    credentials_only: bool,
    password_min_length: Option<f64>,
    generic_secret_min_length: Option<f64>,
    generic_secret_min_entropy: Option<f64>,
    extra_placeholders: Vec<String>,
    test_paths: Option<Vec<String>>,
    dev_config_paths: Option<Vec<String>>,
    doc_paths: Option<Vec<String>>,
    /// Checked field by field by `secrets::gitleaks::parse`.
    gitleaks_rules: Option<serde_json::Value>,
    gitleaks_allowlist: Option<serde_json::Value>,
}

impl Settings {
    /// Read the settings from the skill's configuration section. An unknown
    /// key or a value of the wrong type is an error (a typo must not
    /// silently turn a check off).
    pub fn from_config(cfg: &Config) -> Result<Settings, String> {
        let raw: RawSettings = cfg.settings("banking-code-review")?;
        let d = SecretOptions::default();
        let gitleaks = secrets::gitleaks::cached(
            raw.gitleaks_rules.as_ref(),
            raw.gitleaks_allowlist.as_ref(),
        )?;
        Ok(Settings {
            gitleaks,
            scan_test_files: raw.scan_test_files,
            credentials_only: raw.credentials_only,
            secrets: SecretOptions {
                password_min_length: raw
                    .password_min_length
                    .unwrap_or(d.password_min_length as f64)
                    .max(1.0) as usize,
                generic_min_length: raw
                    .generic_secret_min_length
                    .unwrap_or(d.generic_min_length as f64)
                    .max(1.0) as usize,
                generic_min_entropy: raw
                    .generic_secret_min_entropy
                    .unwrap_or(d.generic_min_entropy),
                extra_placeholders: raw.extra_placeholders,
                generic: true,
                test_paths: raw.test_paths.unwrap_or(d.test_paths),
                dev_config_paths: raw.dev_config_paths.unwrap_or(d.dev_config_paths),
                doc_paths: raw.doc_paths.unwrap_or(d.doc_paths),
            },
        })
    }
}

fn to_findings(text: &str, hits: Vec<Hit>) -> Vec<Finding> {
    if hits.is_empty() {
        return Vec::new();
    }
    let idx = LineIndex::new(text);
    hits.into_iter().map(|h| h.into_finding(&idx)).collect()
}

/// A short (≤ 80 characters) single-line code snippet of `start..end`, with
/// any credential found by the secret rules masked.
pub fn snippet(text: &str, start: usize, end: usize, secrets: &[Hit]) -> String {
    let mut out = String::new();
    let mut i = start;
    let end = end.min(text.len());
    for h in secrets.iter().filter(|h| h.start < end && h.end > start) {
        if h.start >= i {
            out.push_str(&text[i..h.start]);
            out.push_str(&h.evidence);
            i = h.end;
        }
    }
    if i < end {
        out.push_str(&text[i..end]);
    }
    let first = out
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    let multi = out.trim().lines().count() > 1;
    let mut s: String = first.chars().take(79).collect();
    if s.chars().count() < first.chars().count() || multi {
        s.push('…');
    }
    s
}

/// Scan a file (or the content a file will have after an edit).
pub fn scan_document(doc: &Document, settings: &Settings) -> Vec<Finding> {
    let lang = if doc.language.is_empty() {
        kiro_guard_skill::lang::language_from_path(&doc.path)
    } else {
        doc.language.as_str()
    };
    let text = doc.text.as_str();
    let regions = Regions::new(text, lang);
    let mut opts = settings.secrets.clone();
    opts.generic = !secrets::is_lock_file(&doc.path);
    let mut hits = scan_secrets(text, &regions, lang, ValueStyle::for_language(lang), &opts);
    repository_rules(text, &doc.path, settings, &mut hits);
    let place = secrets::context::place(
        &doc.path,
        doc.is_test,
        &opts.test_paths,
        &opts.dev_config_paths,
        &opts.doc_paths,
    );
    secrets::context::apply(&mut hits, text, place);
    let skip_code = settings.credentials_only || (doc.is_test && !settings.scan_test_files);
    if !skip_code {
        let mut code_hits = code::scan(text, &regions, lang, &doc.path);
        for h in &mut code_hits {
            h.evidence = snippet(text, h.start, h.end, &hits);
        }
        hits.extend(code_hits);
    }
    hits.sort_by_key(|h| (h.start, h.end));
    to_findings(text, hits)
}

/// The repository's gitleaks rules, if configured. A match on exactly the
/// span of a built-in finding is reported once: as the repository's rule
/// when the built-in one is a generic assignment, else as the built-in
/// provider rule.
fn repository_rules(text: &str, path: &str, settings: &Settings, hits: &mut Vec<Hit>) {
    let Some(rules) = &settings.gitleaks else {
        return;
    };
    let mut extra = Vec::new();
    secrets::gitleaks::scan(rules, text, path, &mut extra);
    hits.retain(|h| {
        !(matches!(h.rule.id, "generic-secret" | "hardcoded-password")
            && extra.iter().any(|e| h.start == e.start && h.end == e.end))
    });
    extra.retain(|e| !hits.iter().any(|h| h.start == e.start && h.end == e.end));
    if !extra.is_empty() {
        hits.extend(extra);
        hits.sort_by_key(|h| (h.start, h.end));
    }
}

/// Scan free text (a prompt) for credentials.
pub fn scan_prompt(text: &str, settings: &Settings) -> Vec<Finding> {
    let regions = Regions::new("", "");
    let mut hits = scan_secrets(text, &regions, "", ValueStyle::Prose, &settings.secrets);
    repository_rules(text, "", settings, &mut hits);
    to_findings(text, hits)
}

/// Scan a shell command for inline credentials.
pub fn scan_command(command: &str, settings: &Settings) -> Vec<Finding> {
    let regions = Regions::new(command, "shell");
    let mut hits = scan_secrets(
        command,
        &regions,
        "shell",
        ValueStyle::Config,
        &settings.secrets,
    );
    repository_rules(command, "", settings, &mut hits);
    to_findings(command, hits)
}

/// Scan the string values of a tool call's JSON input for credentials.
/// Spans are relative to each string value (line/column inside it); the
/// message names the JSON field. Values of credential-named members
/// (`{"password": "..."}`) are checked as assignments too.
pub fn scan_tool_call(input_json: &str, settings: &Settings) -> Vec<Finding> {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(input_json) else {
        // Not JSON: scan it as text.
        return scan_prompt(input_json, settings);
    };
    // A path in the input decides how file content is lexed.
    let path = ["file_path", "path", "filePath", "filename"]
        .iter()
        .find_map(|k| value.get(*k).and_then(|v| v.as_str()))
        .unwrap_or("");
    let lang = kiro_guard_skill::lang::language_from_path(path);
    let mut out = Vec::new();
    walk_json(&value, "", &mut |field, s| {
        let (style, lang) = if field == "command" {
            (ValueStyle::Config, "shell")
        } else {
            (
                if lang.is_empty() {
                    ValueStyle::Prose
                } else {
                    ValueStyle::for_language(lang)
                },
                lang,
            )
        };
        let regions = Regions::new(s, lang);
        let mut hits = scan_secrets(s, &regions, lang, style, &settings.secrets);
        if hits.is_empty() && !field.is_empty() {
            // `{"password": "hunter2"}` as a tool argument.
            let synthetic = format!("{}: {}", field, serde_json::Value::from(s));
            let r = Regions::new(&synthetic, "yaml");
            let offset = field.len() + 3;
            for mut h in secrets::scan(&synthetic, &r, ValueStyle::Config, &settings.secrets) {
                if h.start >= offset {
                    h.start -= offset;
                    h.end = (h.end - offset).min(s.len());
                    hits.push(h);
                }
            }
        }
        for mut f in to_findings(s, hits) {
            if !field.is_empty() {
                f.message = format!("{} (in tool input field `{field}`)", f.message);
            }
            out.push(f);
        }
    });
    out
}

fn walk_json(v: &serde_json::Value, field: &str, f: &mut dyn FnMut(&str, &str)) {
    match v {
        serde_json::Value::String(s) => f(field, s),
        serde_json::Value::Array(a) => a.iter().for_each(|x| walk_json(x, field, f)),
        serde_json::Value::Object(o) => o.iter().for_each(|(k, x)| walk_json(x, k, f)),
        _ => {}
    }
}

pub struct BankingCodeReview;

impl Skill for BankingCodeReview {
    fn new() -> Self {
        BankingCodeReview
    }
    fn info(&self) -> SkillInfo {
        SkillInfo {
            name: "banking-code-review".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            description: "Hard-coded credentials and insecure code (injection, weak crypto, TLS off, PII in logs) with MAS TRM references".into(),
            rules: rules::catalogue().into_iter().map(RuleDef::info).collect(),
        }
    }
    fn analyze_file(&self, doc: &Document, config: &Config) -> Result<Vec<Finding>, String> {
        Ok(scan_document(doc, &Settings::from_config(config)?))
    }
    fn analyze_command(&self, cmd: &ShellCommand, config: &Config) -> Result<Vec<Finding>, String> {
        Ok(scan_command(&cmd.command, &Settings::from_config(config)?))
    }
    fn analyze_tool_call(&self, call: &ToolCall, config: &Config) -> Result<Vec<Finding>, String> {
        Ok(scan_tool_call(
            &call.input_json,
            &Settings::from_config(config)?,
        ))
    }
    fn analyze_prompt(&self, prompt: &Prompt, config: &Config) -> Result<Vec<Finding>, String> {
        Ok(scan_prompt(&prompt.text, &Settings::from_config(config)?))
    }
}

kiro_guard_skill::export_skill!(BankingCodeReview);
