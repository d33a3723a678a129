//! Plain Rust mirrors of the `kiro:skill` WIT types.
//!
//! Skills work with these types natively (unit tests need no wasm); the
//! SDK's export glue and the host's bindings convert them to and from the
//! generated WIT bindings.

use serde::{Deserialize, Serialize};

/// How serious a finding is. Ordered: `Info < Warn < Block`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Context only; never fails a scan by default.
    Info,
    /// Reported, does not stop the agent or commit.
    Warn,
    /// Stops the agent's tool call, the commit or the push.
    Block,
}

impl Severity {
    /// Lower-case name as used in output and configuration.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warn => "warn",
            Severity::Block => "block",
        }
    }

    /// Parse `info`, `warn`/`warning` or `block`/`error`.
    pub fn parse(s: &str) -> Option<Severity> {
        match s.to_ascii_lowercase().as_str() {
            "info" | "note" => Some(Severity::Info),
            "warn" | "warning" => Some(Severity::Warn),
            "block" | "error" => Some(Severity::Block),
            _ => None,
        }
    }
}

/// A regulatory or standards reference.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Reference {
    /// "MAS TRM", "PDPA", "PCI DSS", "MAS Notice", "PDPC NRIC Guidelines", "CWE", ...
    pub framework: String,
    /// "11.1", "s24", "3.5.1", ...
    pub id: String,
    /// Human-readable title of the section.
    pub title: String,
}

/// One rule in a skill's catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleInfo {
    /// Stable kebab-case id, unique within the skill.
    pub id: String,
    /// One-line description of what the rule finds.
    pub title: String,
    /// The severity of its findings unless the skill or the configuration
    /// says otherwise.
    pub default_severity: Severity,
    /// Languages or input kinds it applies to ("python", "shell", "any", ...).
    pub languages: Vec<String>,
    /// Regulatory references, primary first.
    pub references: Vec<Reference>,
    /// What to do instead.
    pub remediation: String,
}

/// Skill metadata and rule catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkillInfo {
    /// The skill's name, which its `[skills.<name>]` settings table uses.
    pub name: String,
    /// The skill's version (its crate version for the SDK's skills).
    pub version: String,
    /// One-line description of what the skill checks.
    pub description: String,
    /// The rule catalogue.
    pub rules: Vec<RuleInfo>,
}

/// An inclusive range of 1-based line numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineRange {
    /// First line of the range.
    pub start: u32,
    /// Last line of the range (inclusive).
    pub end: u32,
}

/// A file, or the content a file will have after an edit.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Document {
    /// Path relative to the repository root, `/`-separated.
    pub path: String,
    /// Language hint ("python", "java", "json", ...; empty when unknown).
    pub language: String,
    /// The full text (the content after the edit, for an edit).
    pub text: String,
    /// Only findings touching these lines are wanted, when present.
    pub changed_lines: Option<Vec<LineRange>>,
    /// True when the path looks like a test fixture.
    pub is_test: bool,
}

impl Document {
    /// A document with the language and test flag derived from the path.
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Document {
        let path = path.into();
        Document {
            language: crate::lang::language_from_path(&path).to_string(),
            is_test: crate::lang::is_test_path(&path),
            path,
            text: text.into(),
            changed_lines: None,
        }
    }
}

/// A shell command an agent is about to run.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ShellCommand {
    /// The command line, as the agent would pass it to the shell.
    pub command: String,
    /// The directory it runs in (empty when unknown).
    pub cwd: String,
}

/// A tool call an agent is about to make.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ToolCall {
    /// The tool's name (`fs_write`, `@server/tool`, `mcp__server__tool`, ...).
    pub tool_name: String,
    /// MCP server name for MCP tools, else empty.
    pub server: String,
    /// Tool input as JSON text.
    pub input_json: String,
}

/// A prompt a user is about to send.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Prompt {
    /// The prompt text.
    pub text: String,
}

/// The thing to analyse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Input {
    /// A file, or the content a file will have after an edit.
    File(Document),
    /// A shell command an agent is about to run.
    Command(ShellCommand),
    /// A tool call an agent is about to make.
    Tool(ToolCall),
    /// A prompt a user is about to send.
    UserPrompt(Prompt),
}

/// A 1-based span; `end_column` is exclusive; columns count characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Span {
    /// 1-based line where the span starts.
    pub line: u32,
    /// 1-based column (in characters) where the span starts.
    pub column: u32,
    /// 1-based line where the span ends.
    pub end_line: u32,
    /// 1-based column (in characters) just past the span's end.
    pub end_column: u32,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// The id of the rule that reports it.
    pub rule_id: String,
    /// How serious it is.
    pub severity: Severity,
    /// What was found, for people (never the sensitive value itself).
    pub message: String,
    /// Where it is in the analysed text; for a sensitive value, exactly the
    /// value (what `kiro-guard redact` replaces).
    pub span: Span,
    /// Masked evidence; never the full sensitive value.
    pub evidence: String,
    /// Regulatory references, primary first.
    pub references: Vec<Reference>,
    /// What to do instead.
    pub remediation: String,
}

/// An analysis request: input plus the skill's settings as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    /// What to analyse.
    pub input: Input,
    /// The skill's settings as JSON (`"{}"` when it has none).
    pub config_json: String,
}
