//! # mas-compliance-review
//!
//! Agent and MCP governance, risky shell commands and infrastructure as code,
//! checked against the MAS TRM Guidelines (Jan 2021), the PDPA and the MAS
//! Cyber Hygiene Notice. Detection is plain Rust (unit-tested natively);
//! [`kiro_guard_skill::export_skill!`] makes it a `wasm32-wasip2` component.
//!
//! ## Inputs
//! - **Files** ([`route`]): MCP configs (`.kiro/settings/mcp.json`,
//!   `*/mcp.json`, `.mcp.json`, any JSON with `mcpServers`), Kiro agents
//!   (`.kiro/agents/*.json`), Kiro v1 hooks (`.kiro/hooks/*.json`), legacy
//!   `*.kiro.hook`, Claude Code settings (`.claude/settings*.json`), Kiro
//!   settings (JSON with `kiro.*` keys or `dataResidency`), Terraform
//!   (`*.tf`), CloudFormation (`*.template.{json,yaml,yml}` or any JSON/YAML
//!   with `AWSTemplateFormatVersion` / `Resources` of `Type: AWS::...`) and CDK
//!   TypeScript (`*.ts` importing `aws-cdk-lib`). Test fixtures
//!   (`Document::is_test`) are skipped.
//! - **Commands**: parsed by the `shell` module (quotes, chaining, wrappers, aliases,
//!   variables, `bash -c`, `eval`, here-strings, decoded base64 piped to a
//!   shell, ...) and checked by the `commands` module.
//! - **Tool calls**: MCP tool calls (`server` set, `@server/tool` or
//!   `mcp__server__tool`) are checked against the server tiers; a tool call
//!   whose input has a `command` string is also checked as a command.
//!
//! ## Configuration (`[skills.mas-compliance-review]` in `.kiro-guard.toml`)
//! | key | type | default | meaning |
//! |---|---|---|---|
//! | `approved_servers` | list of strings | `[]` | MCP servers approved by the bank, matched by server name, package (without version) or URL; beats the default tiers (but a package that is itself tier 3 must be listed by package) |
//! | `tier2_servers` | list | `[]` | extra conditional (warn) servers besides GitHub, Docker, Kubernetes |
//! | `prohibited_servers` | list | `[]` | servers always blocked (name, package, URL, or a keyword of the name) |
//! | `approved_config_sha256` | string | none | SHA-256 of the approved MCP config, as the seeds' `hashlib.sha256(json.dumps(config, sort_keys=True).encode()).hexdigest()`; a differing MCP file is blocked |
//! | `production` | bool | `false` | autopilot / approvals-off settings block instead of warn |
//! | `protected_branches` | list of globs | `["main", "master", "release/*"]` | pushes to these are blocked |
//! | `allow_destroy` | bool | `false` | allow `terraform destroy`, `cdk destroy`, `aws s3 rb --force`, ... |
//! | `required_region` | string | `"ap-southeast-1"` | data residency region for settings and IaC |
//! | `require_cmk` | bool | `false` | storage must use a customer-managed KMS key |
//! | `min_log_retention_days` | integer | `365` | shorter log retention warns |
//! | `trusted_commands_allowed` | list | absent | when set, every trusted/allowed command not on this list is blocked; when absent only broad entries (`*`, shells, interpreters, `curl`, `git push`, ...) are |
//!
//! The host also sets `terraform_module_files` (list of strings: the other
//! `.tf` files of the module) when it asks about a `.tf` file. An unknown key
//! or a wrongly typed value is an error naming the key.
//!
//! ## Rules
//! See [`RULES`] (ids are stable); the TRM sub-sections each rule cites are
//! what the host's compliance report is built from.

mod commands;
mod embedded;
mod iac;
mod interp;
mod json;
mod mcp;
mod rules;
mod shell;
mod util;
mod yaml;

/// The rule catalogue; the corpus, file-command and SKILL.md tests check
/// their cases against it.
pub use rules::RULES;

/// Parser and helper internals that this crate's own integration tests call
/// directly; not an API for other crates.
#[doc(hidden)]
pub mod internals {
    /// The MCP configuration hash, for `tests/corpus.rs`.
    pub mod json {
        pub use crate::json::config_sha256;
    }
    /// The shell parser, for `tests/no_panic.rs`.
    pub mod shell {
        pub use crate::shell::parse;
    }
    /// Shell quoting, for `tests/evasion.rs`.
    pub mod util {
        pub use crate::util::shell_quote;
    }
}

use kiro_guard_skill::text::{LineIndex, touches_changed};
use kiro_guard_skill::{Config, Document, Finding, ShellCommand, Skill, SkillInfo, Span, ToolCall};
use util::Hit;

/// Typed settings (see the module docs for each key).
#[derive(Debug, Clone)]
pub struct Settings {
    pub approved_servers: Vec<String>,
    pub tier2_servers: Vec<String>,
    pub prohibited_servers: Vec<String>,
    pub approved_config_sha256: Option<String>,
    pub production: bool,
    pub protected_branches: Vec<String>,
    pub allow_destroy: bool,
    pub required_region: String,
    pub require_cmk: bool,
    pub min_log_retention_days: u64,
    pub trusted_commands_allowed: Option<Vec<String>>,
    /// The other `.tf` files of the module a Terraform file belongs to, as
    /// texts; set per call by the host (not by users) so a file is judged
    /// with its module.
    pub terraform_module_files: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            approved_servers: Vec::new(),
            tier2_servers: Vec::new(),
            prohibited_servers: Vec::new(),
            approved_config_sha256: None,
            production: false,
            protected_branches: vec!["main".into(), "master".into(), "release/*".into()],
            allow_destroy: false,
            required_region: "ap-southeast-1".into(),
            require_cmk: false,
            min_log_retention_days: 365,
            trusted_commands_allowed: None,
            terraform_module_files: Vec::new(),
        }
    }
}

/// The settings as the host passes them: the user's keys, and
/// `terraform_module_files`, which the host adds for a Terraform file.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct RawSettings {
    approved_servers: Vec<String>,
    tier2_servers: Vec<String>,
    prohibited_servers: Vec<String>,
    approved_config_sha256: Option<String>,
    production: bool,
    protected_branches: Option<Vec<String>>,
    allow_destroy: bool,
    required_region: Option<String>,
    require_cmk: bool,
    min_log_retention_days: Option<Days>,
    trusted_commands_allowed: Option<Vec<String>>,
    terraform_module_files: Vec<String>,
}

/// A number of days: an integer, or a non-negative number (truncated).
#[derive(Debug, serde::Deserialize)]
#[serde(untagged)]
enum Days {
    Whole(u64),
    Fraction(f64),
}

impl Settings {
    /// Read settings from the skill's config section; an unknown key or a
    /// wrongly typed value is an error naming the key.
    pub fn from_config(c: &Config) -> Result<Settings, String> {
        let raw: RawSettings = c.settings("mas-compliance-review")?;
        let d = Settings::default();
        if let Some(h) = &raw.approved_config_sha256 {
            let h = h.trim().trim_start_matches("sha256:");
            if h.len() != 64 || !h.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(
                    "mas-compliance-review: approved_config_sha256 must be 64 hex digits".into(),
                );
            }
        }
        let min_log_retention_days = match raw.min_log_retention_days {
            None => d.min_log_retention_days,
            Some(Days::Whole(n)) => n,
            Some(Days::Fraction(f)) if f >= 0.0 => f as u64,
            Some(Days::Fraction(_)) => {
                return Err(
                    "mas-compliance-review: min_log_retention_days must be a non-negative integer"
                        .into(),
                );
            }
        };
        Ok(Settings {
            approved_servers: raw.approved_servers,
            tier2_servers: raw.tier2_servers,
            prohibited_servers: raw.prohibited_servers,
            approved_config_sha256: raw.approved_config_sha256,
            production: raw.production,
            protected_branches: raw.protected_branches.unwrap_or(d.protected_branches),
            allow_destroy: raw.allow_destroy,
            required_region: raw.required_region.unwrap_or(d.required_region),
            require_cmk: raw.require_cmk,
            min_log_retention_days,
            trusted_commands_allowed: raw.trusted_commands_allowed,
            terraform_module_files: raw.terraform_module_files,
        })
    }
}

/// What kind of file a path (and its content) is, for this skill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    McpConfig,
    KiroAgent,
    KiroHooks,
    LegacyHook,
    ClaudeSettings {
        local: bool,
    },
    KiroSettings,
    Terraform,
    CloudFormation,
    Cdk,
    /// A file whose commands are analysed (scripts, CI, Makefile, ...).
    Script(embedded::ScriptKind),
    Other,
}

/// Route a document by its repository-relative path and content.
pub fn route(path: &str, text: &str) -> FileKind {
    let p = path.replace('\\', "/").to_ascii_lowercase();
    let name = p.rsplit('/').next().unwrap_or(&p).to_string();
    let full = format!("/{p}");
    if name.ends_with(".kiro.hook") {
        return FileKind::LegacyHook;
    }
    let json = name.ends_with(".json") || name.ends_with(".jsonc");
    if json && full.contains("/.kiro/hooks/") {
        return FileKind::KiroHooks;
    }
    if json && full.contains("/.kiro/agents/") {
        return FileKind::KiroAgent;
    }
    if name == "mcp.json" || name == ".mcp.json" {
        return FileKind::McpConfig;
    }
    if json && full.contains("/.claude/") && name.starts_with("settings") {
        return FileKind::ClaudeSettings {
            local: name.contains(".local."),
        };
    }
    if name.ends_with(".tf") {
        return FileKind::Terraform;
    }
    if let Some(k) = embedded::script_kind(path, text) {
        return FileKind::Script(k);
    }
    let yaml = name.ends_with(".yaml") || name.ends_with(".yml");
    if name.contains(".template.") && (json || yaml) || name.ends_with(".template") {
        return FileKind::CloudFormation;
    }
    if (json || yaml)
        && (text.contains("AWSTemplateFormatVersion")
            || (text.contains("Resources") && text.contains("AWS::") && text.contains("Type")))
    {
        return FileKind::CloudFormation;
    }
    if json {
        if text.contains("\"mcpServers\"") {
            return FileKind::McpConfig;
        }
        if text.contains("\"kiro.")
            || text.contains("\"dataResidency\"")
            || full.contains("/.kiro/settings/")
        {
            return FileKind::KiroSettings;
        }
    }
    if (name.ends_with(".ts") || name.ends_with(".mts"))
        && !name.ends_with(".d.ts")
        && (text.contains("aws-cdk-lib") || text.contains("@aws-cdk/"))
    {
        return FileKind::Cdk;
    }
    if (name.ends_with(".py") && text.contains("aws_cdk"))
        || (name.ends_with(".java") && text.contains("software.amazon.awscdk"))
    {
        return FileKind::Cdk;
    }
    FileKind::Other
}

/// Analyse a file's text: hits with byte ranges into `text`.
fn analyze_text(path: &str, text: &str, s: &Settings) -> Vec<Hit> {
    // hook, MCP server and agent commands in JSON are also command lines
    let with_commands =
        |mut hits: Vec<Hit>, parsed: Option<&(serde_json::Value, json::PathIndex)>| {
            if let Some((v, idx)) = parsed {
                hits.extend(embedded::json_commands(v, idx, text, s));
            }
            hits
        };
    match route(path, text) {
        FileKind::McpConfig => match json::parse(text) {
            Some(p) => with_commands(mcp::check_mcp_config(&p.0, &p.1, s), Some(&p)),
            None => mcp::unparsable_mcp(s),
        },
        FileKind::KiroAgent => json::parse(text)
            .map(|p| with_commands(mcp::check_kiro_agent(&p.0, &p.1, s), Some(&p)))
            .unwrap_or_default(),
        FileKind::KiroHooks => json::parse(text)
            .map(|p| with_commands(mcp::check_kiro_hooks(&p.0, &p.1, s), Some(&p)))
            .unwrap_or_default(),
        FileKind::LegacyHook => json::parse(text)
            .map(|p| with_commands(mcp::check_legacy_hook(&p.0, &p.1, s), Some(&p)))
            .unwrap_or_default(),
        FileKind::ClaudeSettings { local } => json::parse(text)
            .map(|p| with_commands(mcp::check_claude(&p.0, &p.1, s, local), Some(&p)))
            .unwrap_or_default(),
        FileKind::KiroSettings => json::parse(text)
            .map(|(v, idx)| mcp::check_kiro_settings(&v, &idx, s))
            .unwrap_or_default(),
        FileKind::Terraform => {
            let mut hits = iac::check_terraform_module(text, &s.terraform_module_files, s);
            hits.extend(embedded::check_snippets(
                &embedded::terraform_local_exec(text),
                text,
                s,
            ));
            hits
        }
        FileKind::Script(k) => {
            embedded::check_snippets(&embedded::snippets(k, path, text), text, s)
        }
        FileKind::CloudFormation => {
            let parsed = json::parse(text).or_else(|| {
                let (v, idx) = yaml::parse(text);
                v.is_object().then_some((v, idx))
            });
            match parsed {
                Some((v, idx)) if iac::is_cloudformation(&v) => {
                    iac::check_cloudformation(&v, &idx, s)
                }
                _ => Vec::new(),
            }
        }
        FileKind::Cdk => iac::check_cdk(text, s),
        FileKind::Other => Vec::new(),
    }
}

fn whole_line_span(text: &str) -> Span {
    Span {
        line: 1,
        column: 1,
        end_line: 1,
        end_column: text.lines().next().map(|l| l.chars().count()).unwrap_or(0) as u32 + 1,
    }
}

/// Analyse a command line into findings (spans index into `command`).
pub fn analyze_command_text(command: &str, cwd: &str, s: &Settings) -> Vec<Finding> {
    let idx = LineIndex::new(command);
    commands::check(command, cwd, s)
        .into_iter()
        .map(|h| h.into_finding(&idx))
        .collect()
}

/// Message of the error returned for a command beyond the parser's bounds.
pub const BOUNDS_ERROR: &str = "mas-compliance-review: the command exceeds the shell analysis bounds (nesting depth, 256 KiB of text or 4096 commands) and cannot be judged; the host's on_error policy applies";

/// Analyse a command line for a hook decision: like [`analyze_command_text`],
/// but a command the parser could not analyse completely (a bound was hit)
/// is an error, so the host applies its `on_error` policy (block by default)
/// instead of a warning.
fn analyze_command_strict(command: &str, cwd: &str, s: &Settings) -> Result<Vec<Finding>, String> {
    let script = shell::parse_strict(command);
    if script.truncated {
        return Err(BOUNDS_ERROR.into());
    }
    let idx = LineIndex::new(command);
    Ok(commands::check_script(&script, cwd, s)
        .into_iter()
        .map(|h| h.into_finding(&idx))
        .collect())
}

/// Kiro's `use_aws` tool input (`{"service_name": "ec2", "operation_name":
/// "terminate-instances", "parameters": {...}, "region": "..."}`) as the
/// equivalent `aws` command line, so the cloud rules judge it.
fn use_aws_command(input_json: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(input_json).ok()?;
    let svc = v.get("service_name").and_then(|x| x.as_str())?;
    let op = v.get("operation_name").and_then(|x| x.as_str())?;
    let mut words = vec!["aws".to_string(), svc.to_ascii_lowercase(), kebab(op)];
    if let Some(r) = v.get("region").and_then(|x| x.as_str()) {
        words.push("--region".into());
        words.push(r.into());
    }
    if let Some(p) = v.get("parameters").and_then(|x| x.as_object()) {
        for (k, val) in p.iter().take(64) {
            words.push(format!("--{}", kebab(k)));
            match val {
                serde_json::Value::Bool(true) => {}
                serde_json::Value::String(s) => words.push(s.clone()),
                other => words.push(other.to_string()),
            }
        }
    }
    Some(
        words
            .iter()
            .map(|w| util::shell_quote(w))
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// `TerminateInstances` / `terminate_instances` / `terminate-instances` → `terminate-instances`.
fn kebab(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if c == '_' || c == ' ' {
            out.push('-');
        } else if c.is_ascii_uppercase() {
            if i > 0 && !out.ends_with('-') {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

pub struct MasComplianceReview;

impl Skill for MasComplianceReview {
    fn new() -> Self {
        MasComplianceReview
    }

    fn info(&self) -> SkillInfo {
        SkillInfo {
            name: "mas-compliance-review".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            description: "Agent and MCP governance, risky shell commands and infrastructure as code against MAS TRM, PDPA and the Cyber Hygiene Notice".into(),
            rules: RULES.iter().map(|r| r.info()).collect(),
        }
    }

    fn analyze_file(&self, doc: &Document, config: &Config) -> Result<Vec<Finding>, String> {
        let s = Settings::from_config(config)?;
        if doc.is_test {
            return Ok(Vec::new());
        }
        let idx = LineIndex::new(&doc.text);
        Ok(analyze_text(&doc.path, &doc.text, &s)
            .into_iter()
            .map(|h| h.into_finding(&idx))
            .filter(|f| {
                f.rule_id == rules::MCP_HASH_MISMATCH.id
                    || touches_changed(&f.span, doc.changed_lines.as_deref())
            })
            .collect())
    }

    fn analyze_command(&self, cmd: &ShellCommand, config: &Config) -> Result<Vec<Finding>, String> {
        let s = Settings::from_config(config)?;
        analyze_command_strict(&cmd.command, &cmd.cwd, &s)
    }

    fn analyze_tool_call(&self, call: &ToolCall, config: &Config) -> Result<Vec<Finding>, String> {
        let s = Settings::from_config(config)?;
        let mut out: Vec<Finding> = mcp::check_tool_call(&call.tool_name, &call.server, &s)
            .into_iter()
            .map(|h| {
                let span = whole_line_span(&h.evidence);
                h.finding(span)
            })
            .collect();
        // an MCP tool that runs a command (e.g. @shell-server/run {"command": ...})
        let is_mcp = !call.server.is_empty() || mcp::split_tool_name(&call.tool_name).is_some();
        if is_mcp
            && let Ok(v) = serde_json::from_str::<serde_json::Value>(&call.input_json)
            && let Some(c) = ["command", "cmd", "script"]
                .iter()
                .find_map(|k| v.get(*k).and_then(|x| x.as_str()))
        {
            out.extend(analyze_command_strict(c, "", &s)?);
        }
        // Kiro's built-in AWS tool: judged as the equivalent aws command
        let bare = call.tool_name.rsplit(['/', '.']).next().unwrap_or("");
        if (bare == "use_aws" || call.tool_name.ends_with("__use_aws"))
            && let Some(c) = use_aws_command(&call.input_json)
        {
            let idx = LineIndex::new(&c);
            out.extend(
                commands::check(&c, "", &s)
                    .into_iter()
                    .map(|h| h.into_finding(&idx)),
            );
        }
        Ok(out)
    }
}

kiro_guard_skill::export_skill!(MasComplianceReview);

#[cfg(test)]
mod tests {
    use super::*;

    /// Every rule's own samples (see [`rules`]), through the skill's real
    /// analysis. A command beyond the parser's bounds is an error (the
    /// host's on_error applies); it counts as `shell-analysis-incomplete`.
    #[test]
    fn every_rule_sample_holds() {
        use kiro_guard_skill::rule::{Sample, check_samples, split_settings};
        let mut deep = String::from("true");
        for _ in 0..12 {
            deep = format!("bash -c '{}'", deep.replace('\'', "'\\''"));
        }
        let token = format!("ghp_{}", "Tk4".repeat(12));
        let skill = MasComplianceReview;
        check_samples(RULES, |_, sample| {
            let sample = sample.replace("{deep}", &deep).replace("{token}", &token);
            let (settings, sample) = split_settings(&sample);
            let cfg = Config::parse(settings.unwrap_or("{}"))?;
            match Sample::parse(sample) {
                Sample::Command(c) => match skill.analyze_command(
                    &ShellCommand {
                        command: c.into(),
                        cwd: String::new(),
                    },
                    &cfg,
                ) {
                    Err(e) if e == BOUNDS_ERROR => Ok(vec![rules::SHELL_INCOMPLETE.finding(
                        Span {
                            line: 1,
                            column: 1,
                            end_line: 1,
                            end_column: 1,
                        },
                        e,
                        "",
                    )]),
                    other => other,
                },
                Sample::File { path, text } => {
                    skill.analyze_file(&Document::new(path.unwrap_or("deploy.sh"), text), &cfg)
                }
                Sample::Prompt(p) => {
                    skill.analyze_prompt(&kiro_guard_skill::Prompt { text: p.into() }, &cfg)
                }
            }
        });
    }

    #[test]
    fn catalogue_is_consistent() {
        let mut ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
        let n = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), n, "duplicate rule ids");
        for r in RULES {
            assert!(
                r.id.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{}",
                r.id
            );
            assert!(
                r.references.iter().any(|x| x.framework == "MAS TRM"),
                "{} cites no TRM sub-section",
                r.id
            );
            assert!(!r.remediation.is_empty() && !r.languages.is_empty());
        }
        assert!(RULES.iter().any(|r| {
            r.id == "cloudtrail-log-validation-disabled"
                && r.references
                    .iter()
                    .any(|x| x.framework == "MAS TRM" && x.id == "12.2")
        }));
    }

    #[test]
    fn config_parsing() {
        let c = Config::parse(r#"{"production": true, "protected_branches": ["main", "prod/*"], "min_log_retention_days": 400}"#).unwrap();
        let s = Settings::from_config(&c).unwrap();
        assert!(s.production);
        assert_eq!(s.min_log_retention_days, 400);
        assert!(
            Settings::from_config(&Config::parse(r#"{"production": "yes"}"#).unwrap()).is_err()
        );
        assert!(
            Settings::from_config(&Config::parse(r#"{"approved_config_sha256": "abc"}"#).unwrap())
                .is_err()
        );
        assert!(
            Settings::from_config(&Config::parse(r#"{"approved-servers": []}"#).unwrap()).is_err()
        );
        assert!(Settings::from_config(&Config::parse("").unwrap()).is_ok());
        let e = Settings::from_config(&Config::parse(r#"{"production_mode": true}"#).unwrap())
            .unwrap_err();
        assert!(
            e.starts_with("mas-compliance-review: unknown setting `production_mode`"),
            "{e}"
        );
        // The key the host adds for a Terraform file is accepted.
        let s = Settings::from_config(
            &Config::parse(r#"{"terraform_module_files": ["resource \"x\" \"y\" {}"]}"#).unwrap(),
        )
        .unwrap();
        assert_eq!(s.terraform_module_files.len(), 1);
        let s =
            Settings::from_config(&Config::parse(r#"{"min_log_retention_days": 90.5}"#).unwrap())
                .unwrap();
        assert_eq!(s.min_log_retention_days, 90);
        assert!(
            Settings::from_config(&Config::parse(r#"{"min_log_retention_days": -1}"#).unwrap())
                .is_err()
        );
    }

    #[test]
    fn routing() {
        assert_eq!(route(".kiro/settings/mcp.json", "{}"), FileKind::McpConfig);
        assert_eq!(route(".mcp.json", "{}"), FileKind::McpConfig);
        assert_eq!(route(".kiro/agents/dev.json", "{}"), FileKind::KiroAgent);
        assert_eq!(route(".kiro/hooks/guard.json", "{}"), FileKind::KiroHooks);
        assert_eq!(route(".kiro/hooks/x.kiro.hook", "{}"), FileKind::LegacyHook);
        assert_eq!(
            route(".claude/settings.local.json", "{}"),
            FileKind::ClaudeSettings { local: true }
        );
        assert_eq!(
            route(
                ".vscode/settings.json",
                "{\"kiro.telemetry.enabled\": true}"
            ),
            FileKind::KiroSettings
        );
        assert_eq!(route("infra/main.tf", ""), FileKind::Terraform);
        assert_eq!(
            route("cfn/app.yaml", "AWSTemplateFormatVersion: x"),
            FileKind::CloudFormation
        );
        assert_eq!(
            route("lib/stack.ts", "import * as cdk from 'aws-cdk-lib';"),
            FileKind::Cdk
        );
        assert_eq!(route("src/app.ts", "const x = 1"), FileKind::Other);
        assert_eq!(
            route("package.json", "{\"name\": \"x\"}"),
            FileKind::Script(embedded::ScriptKind::PackageJson)
        );
        assert_eq!(route("README.md", "rm -rf /"), FileKind::Other);
    }

    #[test]
    fn json_spans_point_at_the_key() {
        let text = "{\n  \"mcpServers\": {\n    \"brave\": {\"command\": \"npx\", \"args\": [\"-y\", \"@modelcontextprotocol/server-brave-search@1.0.0\"]}\n  }\n}\n";
        let doc = Document::new(".kiro/settings/mcp.json", text);
        let f = MasComplianceReview
            .analyze_file(&doc, &Config::parse("{}").unwrap())
            .unwrap();
        let p = f
            .iter()
            .find(|f| f.rule_id == "mcp-server-prohibited")
            .unwrap();
        assert_eq!((p.span.line, p.span.column), (3, 5));
    }

    #[test]
    fn tool_call_with_command_input() {
        let call = ToolCall {
            tool_name: "@shell/run_command".into(),
            server: String::new(),
            input_json: r#"{"command": "git push --force"}"#.into(),
        };
        let f = MasComplianceReview
            .analyze_tool_call(&call, &Config::parse("{}").unwrap())
            .unwrap();
        let ids: Vec<&str> = f.iter().map(|f| f.rule_id.as_str()).collect();
        assert!(
            ids.contains(&"mcp-server-unapproved") && ids.contains(&"git-force-push"),
            "{ids:?}"
        );
    }
}
