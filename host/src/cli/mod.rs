//! Command-line interface.

//!
//! Every clap type lives in this module; the library functions it calls
//! take plain values. One file per command group:
//! [`scan`], [`skills`], [`redact`], [`report`], [`hook`] (agent and git
//! hooks), [`setup`] (init, doctor, managed), [`audit`], [`skill`]
//! (authoring), and [`values`] (the command-line names of library enums).

pub mod audit;
pub mod hook;
pub mod redact;
pub mod report;
pub mod scan;
pub mod setup;
pub mod skill;
pub mod skills;
pub mod values;

use crate::guard::{SkillOptions, SkillSelection};
use anyhow::Result;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "kiro-guard",
    version,
    about = "Security and compliance guard for AI coding agents and git hooks",
    long_about = "kiro-guard runs sandboxed WebAssembly skills over files, diffs, shell commands, tool calls and prompts, \
and decides block / warn / allow. Every finding names its rule, location, masked evidence, MAS TRM / PDPA / PCI DSS \
references and a fix.\n\nBuilt-in skills: pii-detection, banking-code-review, mas-compliance-review.",
    after_help = "Examples:\n  kiro-guard scan .                       scan the working tree\n  kiro-guard scan --staged                scan what is about to be committed\n  kiro-guard scan --format sarif src > kiro-guard.sarif\n  kiro-guard skills rules pii-detection   list a skill's rules and references"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Commands,
}

#[derive(Subcommand, Debug)]
pub enum Commands {
    /// Scan files, directories, staged changes or a commit range.
    #[command(
        after_help = "Examples:\n  kiro-guard scan .\n  kiro-guard scan src/app.py --format json\n  kiro-guard scan --staged --fail-on warn\n  kiro-guard scan --diff origin/main..HEAD --format sarif\n  kiro-guard scan . --write-baseline        accept today's findings; only new ones fail\n\nExit status: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage or configuration error."
    )]
    Scan(scan::ScanArgs),
    /// List skills and their rule catalogues.
    #[command(subcommand)]
    Skills(skills::SkillsCommand),
    /// Mask PII and secrets in a file or stdin (before pasting logs into a prompt or a ticket).
    #[command(
        after_help = "Examples:\n  kiro-guard redact app.log > app.redacted.log\n  cat trace.txt | kiro-guard redact -\n  kiro-guard redact --in-place fixtures/customers.csv"
    )]
    Redact(redact::RedactArgs),
    /// Agent hook entry point (Kiro v1, Kiro CLI, legacy Kiro IDE, Claude Code); reads the payload on stdin.
    #[command(
        after_help = "Blocks with reason on stderr and exit 2 (and Claude Code's JSON decision on stdout).\n\nExamples:\n  echo '{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"git push --force\"}}' | kiro-guard hook\n  kiro-guard hook --dialect kiro-ide-legacy --event fileEdited"
    )]
    Hook(hook::HookArgs),
    /// git hook entry points: pre-commit (staged changes) and pre-push (pushed commits).
    #[command(subcommand)]
    Git(hook::GitCommand),
    /// Install kiro-guard into a repository: Kiro hooks, skills, steering, config; optionally Claude Code and git hooks.
    #[command(
        after_help = "Examples:\n  kiro-guard init                  Kiro v1 hooks, SKILL.md files, steering, starter config\n  kiro-guard init --all            also legacy Kiro IDE, Kiro CLI agent, Claude Code and git hooks\n  kiro-guard init --git --dry-run  show what would change\n\nIdempotent: a second run changes nothing."
    )]
    Init(setup::InitArgs),
    /// Check a repository's installation: hook files, that each hook command starts kiro-guard, skills, audit log.
    #[command(
        after_help = "Runs every kiro-guard hook command the way its agent does (sh -c, cmd /C or PowerShell) with a harmless event.\nExit status 1 when something is wrong; each problem comes with a fix."
    )]
    Doctor(setup::DoctorArgs),
    /// Reports over a scanned tree (`report compliance`: the MAS TRM coverage matrix).
    #[command(subcommand)]
    Report(report::ReportCommand),
    /// Verify, rotate and report on the hash-chained audit log.
    #[command(subcommand)]
    Audit(audit::AuditCommand),
    /// Write your own skill: scaffold, build and test a component.
    #[command(subcommand)]
    Skill(skill::SkillCommand),
    /// Managed mode: a system-wide installation the agent cannot switch off.
    #[command(subcommand)]
    Managed(setup::ManagedCommand),
}

/// Options shared by commands that load skills.
#[derive(Args, Debug, Clone, Default)]
pub struct SkillArgs {
    /// Configuration file (default: nearest .kiro-guard.toml above the scanned path).
    #[arg(long, value_name = "FILE", global = true)]
    pub config: Option<PathBuf>,
    /// Only run these skills (comma-separated names).
    #[arg(long, value_delimiter = ',', value_name = "A,B")]
    pub skills: Vec<String>,
    /// Also load this unpinned skill component (development; prints its SHA-256).
    #[arg(long = "with-skill", value_name = "FILE.wasm")]
    pub with_skill: Vec<PathBuf>,
}

impl SkillArgs {
    /// The skills to load.
    pub fn selection(&self) -> SkillSelection {
        SkillSelection {
            only: self.skills.clone(),
            with_skill: self.with_skill.clone(),
        }
    }
}

impl From<SkillArgs> for SkillOptions {
    fn from(a: SkillArgs) -> Self {
        SkillOptions {
            config: a.config,
            selection: SkillSelection {
                only: a.skills,
                with_skill: a.with_skill,
            },
        }
    }
}

/// Parse arguments and run; returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() {
                crate::exit::USAGE
            } else {
                crate::exit::OK
            };
            let _ = e.print();
            return code;
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("kiro-guard: error: {e:#}");
            crate::exit::USAGE
        }
    }
}

fn run(cli: Cli) -> Result<i32> {
    match cli.command {
        Commands::Scan(args) => scan::run(args),
        Commands::Skills(cmd) => skills::run(cmd),
        Commands::Redact(args) => redact::run(args),
        Commands::Hook(args) => {
            crate::runtime::limit_compile_time(crate::runtime::HOOK_COMPILE_DEADLINE);
            Ok(crate::hook::budget::run(args.into()))
        }
        Commands::Git(cmd) => {
            let (hook, skills) = cmd.split();
            crate::githook::run(hook, &skills)
        }
        Commands::Init(args) => crate::init::run(args.into()),
        Commands::Doctor(args) => crate::doctor::run(args.into()),
        Commands::Report(cmd) => report::run(cmd),
        Commands::Audit(cmd) => audit::run(cmd),
        Commands::Skill(cmd) => skill::run(cmd),
        Commands::Managed(cmd) => setup::managed(cmd),
    }
}
