//! # pii-detection: Singapore personal data, validated and masked
//!
//! Finds NRIC/FIN numbers (checksum-validated, S/T/F/G and the 2022 M
//! series), UENs, Singapore passport numbers, payment card numbers (brand
//! ranges + Luhn), bank account numbers (next to account/bank labels),
//! Singapore phone numbers and postal codes, email addresses, dates of birth,
//! and SWIFT/BIC codes and IBANs in payment context.
//!
//! Detection is plain Rust (unit-tested natively with `cargo test`);
//! [`export_skill!`](kiro_guard_skill::export_skill) makes it a wasm component
//! when built for `wasm32-wasip2`.
//!
//! ## Findings and redaction
//!
//! Every finding's span covers exactly the sensitive value (not the label
//! next to it) and its `evidence` is the masked form of exactly that text
//! (`S****567D`, `**** **** **** 1111`, `********7890`, `j***@bank.com.sg`),
//! so the host's `kiro-guard redact` can replace span by evidence. Messages
//! never contain the value.
//!
//! ## Inputs
//!
//! - files: the text, with the language hint (or the path's) and the
//!   test-fixture flag;
//! - prompts: the prompt text (language "");
//! - shell commands: the command text (language "shell");
//! - tool calls: the `input_json` with every string literal decoded in place
//!   (see the `json` module); spans are line/column positions in the `input_json`
//!   text. A top-level `file_path`/`path` decides language and test-fixture
//!   status, as for a file. The text an edit removes (`old_string`,
//!   `old_str`) is not scanned: taking an NRIC out of a file must not block.
//!
//! ## Settings (`[skills.pii-detection]` in `.kiro-guard.toml`)
//!
//! | key | type | default | meaning |
//! |---|---|---|---|
//! | `test_severity` | `"info"`/`"warn"`/`"block"` | `"warn"` | highest severity reported in test fixtures (paths under `test/`, `tests/`, `fixtures/`, `__tests__`, `*_test.*`, `*.spec.*`, ...); `"block"` keeps block |
//! | `allow_email_domains` | list of domains | `[]` | email addresses at these domains (or their sub-domains) are not reported, e.g. the bank's own team mailboxes |
//! | `ignore_placeholder_emails` | bool | `true` | skip documentation/placeholder domains (example.com/org/net, `*.example`, `.test`, `.invalid`, `.localhost`, `localhost`) and service mailboxes (`noreply@`, `git@`) |
//! | `report_invalid_nric` | bool | `true` | report an NRIC/FIN-shaped value with a wrong check letter as `nric-fin-invalid-checksum` (info) when an NRIC/FIN label is next to it |
//! | `phone_numeric_literals` | bool | `false` | in source code, also report bare 8-digit numeric literals outside strings and comments (sizes like 33554432, timeouts like 86400000) as phone numbers when no phone word is near |
//!
//! These are all the keys: an unknown key or a wrongly typed value is an
//! error naming the key (read by `kiro_guard_skill::settings`).

mod card;
mod contact;
mod date;
mod email;
mod ids;
mod json;
mod keyword;
mod masks;
mod rules;
mod scan;
mod settings;
mod words;

use rules::RULES;
/// A raw hit (rule and byte range), returned by [`scan_hits_for`] for the
/// corpus test and the corpus dump example.
pub use scan::Hit;
use scan::Options;
pub use settings::Settings;

use kiro_guard_skill::rule::Rule;
use kiro_guard_skill::{
    Config, Document, Finding, Prompt, ShellCommand, Skill, SkillInfo, ToolCall, lang,
};

fn doc_options<'a>(doc: &'a Document, settings: &'a Settings) -> Options<'a> {
    let language = if doc.language.is_empty() {
        lang::language_from_path(&doc.path)
    } else {
        doc.language.as_str()
    };
    Options {
        language,
        is_test: doc.is_test,
        settings,
    }
}

/// Scan a document with the given settings.
pub fn scan_document(doc: &Document, settings: &Settings) -> Vec<Finding> {
    scan::scan_findings(&doc.text, doc_options(doc, settings))
}

/// The raw hits (byte ranges) for a document: for corpus metrics and
/// benchmarks, where building findings would only add noise.
pub fn scan_hits_for(doc: &Document, settings: &Settings) -> Vec<Hit> {
    scan::scan_hits(&doc.text, doc_options(doc, settings))
}

/// Scan free text (a prompt, a command) as `language`, not a test fixture.
pub fn scan_text(text: &str, language: &str, settings: &Settings) -> Vec<Finding> {
    scan::scan_findings(
        text,
        Options {
            language,
            is_test: false,
            settings,
        },
    )
}

/// Scan a tool call's JSON input: string values are decoded, spans point
/// into `input_json`.
pub fn scan_tool_input(input_json: &str, settings: &Settings) -> Vec<Finding> {
    let decoded = json::decode(input_json);
    let path = json::tool_path(input_json);
    let (language, is_test) = match &path {
        Some(p) => (lang::language_from_path(p), lang::is_test_path(p)),
        None => ("", false),
    };
    let opts = Options {
        language,
        is_test,
        settings,
    };
    let hits = scan::scan_hits(&decoded.text, opts);
    scan::to_findings(&decoded.text, input_json, &hits, language, |o| {
        decoded.raw(o)
    })
}

pub struct PiiDetection;

impl Skill for PiiDetection {
    fn new() -> Self {
        PiiDetection
    }

    fn info(&self) -> SkillInfo {
        SkillInfo {
            name: "pii-detection".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            description: "Singapore personal data: NRIC/FIN (checksum), UEN, passports, payment cards (Luhn), bank accounts, phones, postal codes, emails, dates of birth, SWIFT/IBAN; masked evidence for redaction".into(),
            rules: RULES.iter().map(Rule::info).collect(),
        }
    }

    fn analyze_file(&self, doc: &Document, config: &Config) -> Result<Vec<Finding>, String> {
        let settings = Settings::from_config(config)?;
        Ok(scan_document(doc, &settings))
    }

    fn analyze_command(&self, cmd: &ShellCommand, config: &Config) -> Result<Vec<Finding>, String> {
        let settings = Settings::from_config(config)?;
        Ok(scan_text(&cmd.command, "shell", &settings))
    }

    fn analyze_tool_call(&self, call: &ToolCall, config: &Config) -> Result<Vec<Finding>, String> {
        let settings = Settings::from_config(config)?;
        Ok(scan_tool_input(&call.input_json, &settings))
    }

    fn analyze_prompt(&self, prompt: &Prompt, config: &Config) -> Result<Vec<Finding>, String> {
        let settings = Settings::from_config(config)?;
        Ok(scan_text(&prompt.text, "", &settings))
    }
}

kiro_guard_skill::export_skill!(PiiDetection);

#[cfg(test)]
mod tests;
