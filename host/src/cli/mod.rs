//! Command-line interface.

use crate::baseline::Baseline;
use crate::cache::AotCache;
use crate::config::{Config, OnError};
use crate::files::{self, Loaded};
use crate::guard::{Decision, ErrorEntry, Guard, Report, SkillSelection};
use crate::output::{self, Format};
use crate::runtime::{Limits, Runtime};
use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};
use rayon::prelude::*;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

/// Exit code: nothing at or above the fail level.
pub const EXIT_OK: i32 = 0;
/// Exit code: findings at or above the fail level.
pub const EXIT_FINDINGS: i32 = 1;
/// Exit code: usage or configuration error (and "block" for agent hooks).
pub const EXIT_USAGE: i32 = 2;

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
    Scan(ScanArgs),
    /// List skills and their rule catalogues.
    #[command(subcommand)]
    Skills(SkillsCommand),
    /// Mask PII and secrets in a file or stdin (before pasting logs into a prompt or a ticket).
    #[command(
        after_help = "Examples:\n  kiro-guard redact app.log > app.redacted.log\n  cat trace.txt | kiro-guard redact -\n  kiro-guard redact --in-place fixtures/customers.csv"
    )]
    Redact(RedactArgs),
    /// Agent hook entry point (Kiro v1, Kiro CLI, legacy Kiro IDE, Claude Code); reads the payload on stdin.
    #[command(
        after_help = "Blocks with reason on stderr and exit 2 (and Claude Code's JSON decision on stdout).\n\nExamples:\n  echo '{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"git push --force\"}}' | kiro-guard hook\n  kiro-guard hook --dialect kiro-ide-legacy --event fileEdited"
    )]
    Hook(crate::hook::HookArgs),
    /// git hook entry points: pre-commit (staged changes) and pre-push (pushed commits).
    #[command(subcommand)]
    Git(crate::githook::GitCommand),
    /// Install kiro-guard into a repository: Kiro hooks, skills, steering, config; optionally Claude Code and git hooks.
    #[command(
        after_help = "Examples:\n  kiro-guard init                  Kiro v1 hooks, SKILL.md files, steering, starter config\n  kiro-guard init --all            also legacy Kiro IDE, Kiro CLI agent, Claude Code and git hooks\n  kiro-guard init --git --dry-run  show what would change\n\nIdempotent: a second run changes nothing."
    )]
    Init(crate::init::InitArgs),
    /// Check a repository's installation: hook files, that each hook command starts kiro-guard, skills, audit log.
    #[command(
        after_help = "Runs every kiro-guard hook command the way its agent does (sh -c, cmd /C or PowerShell) with a harmless event.\nExit status 1 when something is wrong; each problem comes with a fix."
    )]
    Doctor(crate::doctor::DoctorArgs),
    /// Reports over a scanned tree (`report compliance`: the MAS TRM coverage matrix).
    #[command(subcommand)]
    Report(ReportCommand),
    /// Verify, rotate and report on the hash-chained audit log.
    #[command(subcommand)]
    Audit(crate::audit::AuditCommand),
    /// Write your own skill: scaffold, build and test a component.
    #[command(subcommand)]
    Skill(crate::authoring::SkillCommand),
    /// Managed mode: a system-wide installation the agent cannot switch off.
    #[command(subcommand)]
    Managed(crate::managed::ManagedCommand),
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

#[derive(Args, Debug)]
pub struct ScanArgs {
    /// Files or directories (default: the current directory). Directories respect .gitignore.
    pub paths: Vec<PathBuf>,
    /// Scan the staged blobs; only added lines count.
    #[arg(long, conflicts_with_all = ["diff", "paths"])]
    pub staged: bool,
    /// Scan a commit range (A..B, A...B, or A for A..HEAD); only added lines count.
    #[arg(long, value_name = "RANGE", conflicts_with = "paths")]
    pub diff: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Exit 1 when a finding is at or above this level.
    #[arg(long, value_parser = ["block", "warn", "never"])]
    pub fail_on: Option<String>,
    /// Also append this scan's decision to the audit log.
    #[arg(long)]
    pub audit: bool,
    /// Write the current findings to the baseline file and exit 0.
    #[arg(long, value_name = "FILE", num_args = 0..=1, default_missing_value = "")]
    pub write_baseline: Option<String>,
    #[command(flatten)]
    pub skill: SkillArgs,
}

#[derive(Subcommand, Debug)]
pub enum ReportCommand {
    /// MAS TRM coverage matrix for a tree: each TRM sub-section the skills check, its rules, findings and pass/fail.
    #[command(
        after_help = "Examples:\n  kiro-guard report compliance .\n  kiro-guard report compliance infra --format json\n\nExit status 1 when a TRM sub-section fails (has blocking findings)."
    )]
    Compliance(crate::compliance::ComplianceArgs),
}

#[derive(Subcommand, Debug)]
pub enum SkillsCommand {
    /// List the loaded skills with version, source and SHA-256.
    List {
        #[arg(long, value_enum, default_value = "text")]
        format: ListFormat,
        #[command(flatten)]
        skill: SkillArgs,
    },
    /// Compile pinned external skills ahead of time, so no hook waits for a
    /// compile (built-in skills are precompiled into the binary).
    Warm {
        #[command(flatten)]
        skill: SkillArgs,
    },
    /// Show rules (id, severity, references, fix) of one skill or all.
    Rules {
        /// Skill name (default: all).
        skill_name: Option<String>,
        #[arg(long, value_enum, default_value = "text")]
        format: ListFormat,
        #[command(flatten)]
        skill: SkillArgs,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

#[derive(Args, Debug)]
pub struct RedactArgs {
    /// Files to redact, or `-` for stdin (default).
    pub files: Vec<PathBuf>,
    /// Rewrite the files in place (atomically) instead of printing.
    #[arg(long)]
    pub in_place: bool,
    #[command(flatten)]
    pub skill: SkillArgs,
}

/// Parse arguments and run; returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
            let _ = e.print();
            return code;
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("kiro-guard: error: {e:#}");
            EXIT_USAGE
        }
    }
}

fn run(cli: Cli) -> Result<i32> {
    match cli.command {
        Commands::Scan(args) => scan(args),
        Commands::Skills(cmd) => skills(cmd),
        Commands::Redact(args) => redact(args),
        Commands::Hook(args) => {
            crate::runtime::limit_compile_time(crate::runtime::HOOK_COMPILE_DEADLINE);
            Ok(crate::hook::budget::run(args))
        }
        Commands::Git(cmd) => crate::githook::run(cmd),
        Commands::Init(args) => crate::init::run(args),
        Commands::Doctor(args) => crate::doctor::run(args),
        Commands::Report(ReportCommand::Compliance(args)) => crate::compliance::run(args),
        Commands::Audit(cmd) => crate::audit::run(cmd),
        Commands::Skill(cmd) => crate::authoring::run(cmd),
        Commands::Managed(cmd) => crate::managed::run(cmd),
    }
}

/// Load the configuration for `start` (or `--config`).
pub fn load_config(explicit: Option<&Path>, start: &Path) -> Result<Config> {
    match explicit {
        Some(p) => Config::load(p),
        None => Config::discover(start),
    }
}

/// Build the runtime and load the skills.
pub fn build_guard(config: Config, args: &SkillArgs) -> Result<Guard> {
    let mut limits = Limits::default();
    if let Some(f) = config.limits.fuel {
        limits.fuel_base = f;
    }
    if let Some(f) = config.limits.fuel_per_byte {
        limits.fuel_per_byte = f;
    }
    if let Some(m) = config.limits.memory_mib {
        limits.memory_bytes = m << 20;
    }
    let cache_dir = match &config.cache_dir {
        Some(d) => Some(
            config
                .base_dir()
                .map(|b| b.join(d))
                .unwrap_or_else(|| d.clone()),
        ),
        // Managed mode: only the policy's cache directory, never one an
        // environment variable names.
        None if crate::policy::managed() => None,
        None => AotCache::default_dir(),
    };
    let runtime = Runtime::new(limits, AotCache::new(cache_dir))?;
    let selection = SkillSelection {
        only: args.skills.clone(),
        with_skill: args.with_skill.clone(),
    };
    Guard::new(runtime, config, &selection)
}

fn fail_level_reached(decision: Decision, fail_on: &str) -> bool {
    match fail_on {
        "never" => false,
        "warn" => decision >= Decision::Warn,
        _ => decision >= Decision::Block,
    }
}

fn scan(args: ScanArgs) -> Result<i32> {
    let started = std::time::Instant::now();
    let cwd = std::env::current_dir()?;
    let start = args.paths.first().cloned().unwrap_or_else(|| cwd.clone());
    let config = load_config(args.skill.config.as_deref(), &start)?;
    let fail_on = args
        .fail_on
        .clone()
        .or_else(|| config.fail_on.clone())
        .unwrap_or_else(|| "block".into());
    let on_error = config.on_error;
    let max_size = config.max_file_size();
    let mut guard = build_guard(config, &args.skill)?;
    if args.write_baseline.is_some() {
        guard.set_baseline(None);
    }
    // gitleaks files: at the repository root, else the scanned directory.
    let start_dir = if start.is_dir() {
        start.clone()
    } else {
        start
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| cwd.clone())
    };
    let gitleaks_root = crate::git::repo_root(&start_dir).unwrap_or(start_dir);
    guard.load_gitleaks(&gitleaks_root, false)?;

    let mut report = if args.staged || args.diff.is_some() {
        let root = crate::git::repo_root(&cwd)?;
        let (items, errors) = match &args.diff {
            Some(range) => crate::git::range_items(&root, range, max_size)?,
            None => crate::git::staged_items(&root, max_size)?,
        };
        let items: Vec<_> = items
            .into_iter()
            .filter(|i| !guard.path_allowed(&i.label))
            .collect();
        let mut r = guard.analyze_all(items);
        r.errors.extend(errors);
        r
    } else {
        let paths = if args.paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            args.paths.clone()
        };
        scan_paths(&guard, &paths, max_size)
    };
    report.sort();

    if let Some(b) = &args.write_baseline {
        let path = if b.is_empty() {
            match (&guard.config.baseline, guard.config.base_dir()) {
                (Some(p), Some(base)) => base.join(p),
                (Some(p), None) => p.clone(),
                (None, _) => PathBuf::from(".kiro-guard-baseline.json"),
            }
        } else {
            PathBuf::from(b)
        };
        let n = Baseline::write(&path, &report.findings)?;
        eprintln!(
            "kiro-guard: wrote {n} finding fingerprint(s) to {}; set `baseline = \"{}\"` in .kiro-guard.toml to use it",
            path.display(),
            path.display()
        );
        return Ok(EXIT_OK);
    }

    let decision = report.decision(on_error);
    if args.audit {
        let root = crate::git::repo_root(&cwd).unwrap_or_else(|_| cwd.clone());
        let log = crate::audit::AuditLog::for_repo(&root, guard.config.audit.dir.as_deref());
        let rec = crate::audit::AuditRecord::from_report("scan", &report, decision)
            .context(&root)
            .skills(&guard.skills)
            .duration(started.elapsed());
        if let Err(e) = log.append_everywhere(&rec) {
            eprintln!(
                "kiro-guard: could not write the audit log {}: {e:#}",
                log.dir().display()
            );
            if on_error == OnError::Block {
                return Ok(EXIT_FINDINGS);
            }
        }
    }
    let out = match args.format {
        Format::Text => output::text(
            &report,
            decision,
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        ),
        Format::Json => output::json(&report, decision),
        Format::Sarif => output::sarif(&report, &guard),
        Format::Gitlab => output::gitlab::sast_for(&report, &guard, started.elapsed()),
    };
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(out.as_bytes());
    let _ = stdout.flush();
    Ok(if fail_level_reached(decision, &fail_on) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

/// Walk and scan paths, reading and analysing each file in parallel.
pub fn scan_paths(guard: &Guard, paths: &[PathBuf], max_size: u64) -> Report {
    let (files, walk_errors) = files::collect(paths);
    let scan_one = |p: &PathBuf| -> Report {
        let label = files::display(p);
        if guard.path_allowed(&label) {
            return Report::default();
        }
        match files::load(p, max_size) {
            Loaded::Item(item) => guard.analyze(&item),
            Loaded::Skipped(e) => Report {
                errors: vec![e],
                ..Report::default()
            },
        }
    };
    if files.len() <= 1 {
        // One file: no thread pool (threads make every memory unmap a cross-core TLB flush).
        let mut report = files
            .iter()
            .map(scan_one)
            .fold(Report::default(), |mut a, b| {
                a.merge(b);
                a
            });
        report.errors.extend(walk_errors);
        return report;
    }
    let mut report = files
        .par_iter()
        .map(scan_one)
        .reduce(Report::default, |mut a, b| {
            a.merge(b);
            a
        });
    report.errors.extend(walk_errors);
    report
}

fn skills(cmd: SkillsCommand) -> Result<i32> {
    let cwd = std::env::current_dir()?;
    match cmd {
        SkillsCommand::List { format, skill } => {
            let config = load_config(skill.config.as_deref(), &cwd)?;
            let guard = build_guard(config, &skill)?;
            match format {
                ListFormat::Json => {
                    let list: Vec<_> = guard
                        .skills
                        .iter()
                        .map(|s| {
                            serde_json::json!({
                                "name": s.info.name,
                                "version": s.info.version,
                                "description": s.info.description,
                                "source": match &s.source { crate::runtime::SkillSource::Builtin => "builtin".to_string(), crate::runtime::SkillSource::External(p) => p.display().to_string() },
                                "sha256": s.sha256,
                                "rules": s.info.rules.len(),
                            })
                        })
                        .collect();
                    println!("{}", serde_json::to_string_pretty(&list)?);
                }
                ListFormat::Text => {
                    for s in &guard.skills {
                        let source = match &s.source {
                            crate::runtime::SkillSource::Builtin => "built-in".to_string(),
                            crate::runtime::SkillSource::External(p) => p.display().to_string(),
                        };
                        println!(
                            "{} {} ({} rules, {source}, sha256 {})\n  {}",
                            s.info.name,
                            s.info.version,
                            s.info.rules.len(),
                            &s.sha256[..16],
                            s.info.description
                        );
                    }
                }
            }
            Ok(EXIT_OK)
        }
        SkillsCommand::Warm { skill } => {
            let config = load_config(skill.config.as_deref(), &cwd)?;
            let guard = build_guard(config, &skill)?;
            for s in &guard.skills {
                let how = match (&s.source, s.compiled) {
                    (crate::runtime::SkillSource::Builtin, false) => "precompiled into the binary",
                    (crate::runtime::SkillSource::Builtin, true) => {
                        "compiled now (the precompiled code does not fit this machine)"
                    }
                    (crate::runtime::SkillSource::External(_), true) => "compiled now",
                    (crate::runtime::SkillSource::External(_), false) => "already compiled",
                };
                println!("{}: {how}", s.info.name);
            }
            match guard.runtime.cache().dir() {
                Some(d) => println!("compile cache: {}", d.display()),
                None => println!("compile cache: none (external skills compile on every run)"),
            }
            Ok(EXIT_OK)
        }
        SkillsCommand::Rules {
            skill_name,
            format,
            skill,
        } => {
            let config = load_config(skill.config.as_deref(), &cwd)?;
            let guard = build_guard(config, &skill)?;
            let selected: Vec<_> = guard
                .skills
                .iter()
                .filter(|s| skill_name.as_ref().is_none_or(|n| &s.info.name == n))
                .collect();
            if selected.is_empty() {
                bail!(
                    "no skill named {:?}; loaded: {}",
                    skill_name.unwrap_or_default(),
                    guard
                        .skills
                        .iter()
                        .map(|s| s.info.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
            match format {
                ListFormat::Json => {
                    let v: Vec<_> = selected
                        .iter()
                        .map(|s| serde_json::json!({"skill": s.info.name, "rules": s.info.rules}))
                        .collect();
                    println!("{}", serde_json::to_string_pretty(&v)?);
                }
                ListFormat::Text => {
                    for s in selected {
                        println!("{} {}", s.info.name, s.info.version);
                        for r in &s.info.rules {
                            println!(
                                "  {:<34} {:<5} {}",
                                r.id,
                                r.default_severity.as_str(),
                                r.title
                            );
                            let refs: Vec<String> = r
                                .references
                                .iter()
                                .map(|x| format!("{} {} {}", x.framework, x.id, x.title))
                                .collect();
                            if !refs.is_empty() {
                                println!("      refs: {}", refs.join("; "));
                            }
                            println!("      fix:  {}", r.remediation);
                        }
                    }
                }
            }
            Ok(EXIT_OK)
        }
    }
}

fn redact(args: RedactArgs) -> Result<i32> {
    let cwd = std::env::current_dir()?;
    let files: Vec<PathBuf> = if args.files.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.files.clone()
    };
    if args.in_place && files.iter().any(|f| f.as_os_str() == "-") {
        bail!("--in-place needs file paths, not stdin");
    }
    let config = load_config(args.skill.config.as_deref(), &cwd)?;
    let mut skill_args = args.skill.clone();
    if skill_args.skills.is_empty() {
        skill_args.skills = vec!["pii-detection".into(), "banking-code-review".into()];
    }
    let guard = build_guard(config, &skill_args)?;
    let mut total = 0;
    for f in &files {
        let (label, bytes) = if f.as_os_str() == "-" {
            let mut b = Vec::new();
            std::io::stdin()
                .read_to_end(&mut b)
                .context("cannot read stdin")?;
            ("-".to_string(), b)
        } else {
            (
                files::display(f),
                std::fs::read(f).with_context(|| format!("cannot read {}", f.display()))?,
            )
        };
        if files::is_binary(&bytes) {
            bail!("{label}: binary file; refusing to redact");
        }
        let text = files::decode(bytes);
        let (redacted, n) = crate::redact::redact(&guard, &label, &text).map_err(|e| {
            anyhow::anyhow!("{label}: a skill failed, output withheld so nothing leaks: {e}")
        })?;
        total += n;
        if args.in_place {
            if n > 0 {
                crate::cache::write_atomic(f, redacted.as_bytes())
                    .with_context(|| format!("cannot write {}", f.display()))?;
            }
        } else {
            std::io::stdout().write_all(redacted.as_bytes())?;
        }
    }
    eprintln!("kiro-guard: redacted {total} value(s)");
    Ok(EXIT_OK)
}

/// Convert a failure to read or load into a report error under the policy.
pub fn error_report(kind: &str, message: String) -> Report {
    Report {
        errors: vec![ErrorEntry {
            kind: kind.into(),
            skill: None,
            path: None,
            message,
        }],
        ..Report::default()
    }
}

/// The effective failure policy for hooks.
pub fn hook_on_error(config: &Config) -> OnError {
    config.hooks.on_error.unwrap_or(config.on_error)
}
