//! `kiro-guard scan`: files, directories, staged changes or a commit range.

use super::SkillArgs;
use crate::baseline::Baseline;
use crate::config::Config;
use crate::exit;
use crate::guard::Guard;
use crate::output::{self, Format};
use crate::report::Decision;
use anyhow::Result;
use clap::Args;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

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

/// `kiro-guard scan`; returns the exit code.
pub fn run(args: ScanArgs) -> Result<i32> {
    let started = std::time::Instant::now();
    let cwd = std::env::current_dir()?;
    let start = args.paths.first().cloned().unwrap_or_else(|| cwd.clone());
    let config = Config::resolve(args.skill.config.as_deref(), &start)?;
    let fail_on = args
        .fail_on
        .clone()
        .or_else(|| config.fail_on.clone())
        .unwrap_or_else(|| "block".into());
    let on_error = config.on_error;
    let max_size = config.max_file_size();
    let mut guard = Guard::from_config(config, &args.skill.selection())?;
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
        guard.scan_items(items, errors)
    } else {
        let paths = if args.paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            args.paths.clone()
        };
        guard.scan_paths(&paths, max_size)
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
        return Ok(exit::OK);
    }

    let decision = report.decision(on_error);
    if args.audit {
        let root = crate::git::repo_root(&cwd).unwrap_or_else(|_| cwd.clone());
        let log = crate::audit::AuditLog::for_repo(&root, guard.config.audit.dir.as_deref());
        let rec = crate::audit::AuditRecord::from_report("scan", &report, decision)
            .context(&root)
            .skills(&guard.skills)
            .duration(started.elapsed());
        if let Err(failure) = log.record(&rec, on_error) {
            eprintln!("kiro-guard: {failure}");
            if failure.block {
                return Ok(exit::FAILED);
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
        exit::FAILED
    } else {
        exit::OK
    })
}

fn fail_level_reached(decision: Decision, fail_on: &str) -> bool {
    match fail_on {
        "never" => false,
        "warn" => decision >= Decision::Warn,
        _ => decision >= Decision::Block,
    }
}
