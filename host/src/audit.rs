//! The tamper-evident audit trail and the compliance officer's report.
//!
//! Every decision made in a hook is appended as one JSON line to
//! `<dir>/YYYY-MM.jsonl` (default `<repo>/.kiro-guard/audit`). Each file starts
//! with a header line; every line carries its sequence number, the SHA-256 of
//! the previous line's bytes (`prev`) and the SHA-256 of its own content
//! (`hash`), so a changed, deleted, inserted or reordered line shows up in
//! `kiro-guard audit verify`. Appends from concurrent processes are serialised
//! with an exclusive lock on `<dir>/.lock` and fsync'd. See `docs/audit.md`.
//!
//! - `record`: the record model ([`AuditRecord`]), masking and limits.
//! - `log`: the log directory ([`AuditLog`]): appends everywhere a record
//!   goes, and [`AuditLog::record`] under the failure policy.
//! - `identity`: who and where (OS account, git user, host, repository).
//! - [`chain`]: line encoding, hashing, locking, append and crash repair.
//! - [`verify`]: checking the chain within and across files.
//! - [`report`]: the period summary (markdown, JSON, HTML with an SVG chart).
//! - [`rotate`]: moving old months to an archive without breaking linkage.

pub mod chain;
pub mod export;
mod identity;
mod log;
mod record;
pub mod report;
pub mod rotate;
pub mod verify;

pub use identity::{current_user, host_name, os_user, repo_name};
pub use log::{AuditLog, DEFAULT_DIR, RecordFailure, Witness};
pub use record::*;

use anyhow::{Context, Result};
use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};

// The `audit` commands' options (the clap types are in `crate::cli::audit`).

/// Where the log is: `--dir`, else `[audit] dir` of the configuration, else
/// `<repo>/.kiro-guard/audit`.
#[derive(Debug, Clone, Default)]
pub struct LogDir {
    /// Audit log directory (default: `[audit] dir` in .kiro-guard.toml, else <repo>/.kiro-guard/audit).
    pub dir: Option<PathBuf>,
    /// Configuration file (default: nearest .kiro-guard.toml above the current directory).
    pub config: Option<PathBuf>,
}

impl LogDir {
    /// Resolve the log directory.
    pub fn log(&self) -> Result<AuditLog> {
        if let Some(d) = &self.dir {
            return Ok(AuditLog::new(d.clone()));
        }
        let cwd = std::env::current_dir()?;
        let config = match &self.config {
            Some(p) => crate::config::Config::load(p)?,
            None => crate::config::Config::discover(&cwd)?,
        };
        let root = crate::git::repo_root(&cwd)
            .ok()
            .or_else(|| config.base_dir().map(Path::to_path_buf))
            .unwrap_or(cwd);
        Ok(AuditLog::for_repo(&root, config.audit.dir.as_deref()))
    }

    /// The repository of the current directory (else the directory).
    pub fn repo_root(&self) -> PathBuf {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        crate::git::repo_root(&cwd).unwrap_or(cwd)
    }
}

#[derive(Debug)]
pub struct VerifyOptions {
    /// Month files to verify (default: every YYYY-MM.jsonl in the log directory).
    pub files: Vec<PathBuf>,
    /// Also verify the archived months in this directory (from `audit rotate`).
    pub archive: Vec<PathBuf>,
    /// Treat warnings (a repaired crash, a missing trailing newline) as failures.
    pub strict: bool,
    /// Print only problems and the final verdict.
    pub quiet: bool,
    pub log: LogDir,
}

#[derive(Debug)]
pub struct PeriodReportOptions {
    /// Start of the period: YYYY-MM-DD (UTC) or an RFC 3339 time (default: 30 days before --until).
    pub since: Option<String>,
    /// End of the period, inclusive: YYYY-MM-DD (UTC) or an RFC 3339 time (default: now).
    pub until: Option<String>,
    /// A calendar month (YYYY-MM); instead of --since/--until.
    pub month: Option<String>,
    pub format: crate::output::ReportFormat,
    /// Write the report to this file instead of stdout.
    pub output: Option<PathBuf>,
    /// Also read archived months from this directory.
    pub archive: Vec<PathBuf>,
    /// Rows in the "top" tables.
    pub top: usize,
    pub log: LogDir,
}

#[derive(Debug)]
pub struct RotateOptions {
    /// Age cutoff: Nd (days), Nw (weeks), e.g. 90d.
    pub older_than: String,
    /// Directory to move old month files into (created if needed).
    pub archive: PathBuf,
    /// Show what would move, move nothing.
    pub dry_run: bool,
    pub log: LogDir,
}

#[derive(Debug)]
pub struct LogOptions {
    /// Read records from FILE (one JSON object per line; `-` for stdin) instead of the flags.
    pub json: Option<PathBuf>,
    /// Event kind, e.g. approval, exception, hook.
    pub event: Option<String>,
    /// allow, warn or block.
    pub decision: Option<String>,
    /// File path the record concerns (relative to the repository).
    pub path: Option<String>,
    /// Command the record concerns (mask secrets yourself).
    pub command: Option<String>,
    /// Tool name, e.g. @github/create_issue.
    pub tool: Option<String>,
    /// User (default: git user.email, else $USER).
    pub user: Option<String>,
    /// Why: ticket number, approver, justification.
    pub note: Option<String>,
    pub log: LogDir,
}

/// Environment variables agents set in the shells they run commands in.
const AGENT_ENV: &[&str] = &[
    "CLAUDECODE",
    "CLAUDE_CODE_ENTRYPOINT",
    "KIRO_AGENT",
    "KIRO_SESSION_ID",
    "KIRO_CLI",
    "TERM_PROGRAM_KIRO",
];

/// Why a manual record may not be written from here, if it may not: an
/// approval must come from a person at a terminal, not from an agent's shell.
pub fn agent_context() -> Option<String> {
    use std::io::IsTerminal;
    if let Some(v) = AGENT_ENV.iter().find(|v| std::env::var_os(v).is_some()) {
        return Some(format!("{v} is set: this looks like an AI agent's shell"));
    }
    if !std::io::stdin().is_terminal() {
        return Some("stdin is not a terminal".into());
    }
    None
}

/// `kiro-guard audit log`: append records by hand; returns the exit code.
pub fn log_command(a: LogOptions) -> Result<i32> {
    let log = a.log.log()?;
    let approving = a.json.is_none()
        && a.event
            .as_deref()
            .is_none_or(|e| e == "approval" || e == "exception");
    if approving && let Some(why) = agent_context() {
        eprintln!(
            "kiro-guard: audit log: refusing to record an approval: {why}. Approvals are written by a person at a terminal (an agent cannot approve its own finding)."
        );
        return Ok(crate::exit::USAGE);
    }
    let root = a.log.repo_root();
    let fill = |mut r: AuditRecord| -> AuditRecord {
        if r.time.is_empty() {
            r.time = now_rfc3339();
        }
        if r.user.is_empty() {
            r.user = a.user.clone().unwrap_or_else(|| current_user(&root));
        }
        if r.host.is_empty() {
            r.host = host_name();
        }
        if r.repo.is_empty() {
            r.repo = repo_name(&root);
        }
        if r.kiro_guard.is_empty() {
            r.kiro_guard = env!("CARGO_PKG_VERSION").into();
        }
        if r.event.is_empty() {
            r.event = "manual".into();
        }
        r
    };
    if let Some(src) = &a.json {
        let reader: Box<dyn BufRead> = if src.as_os_str() == "-" {
            Box::new(std::io::BufReader::new(std::io::stdin().lock()))
        } else {
            Box::new(std::io::BufReader::new(
                std::fs::File::open(src)
                    .with_context(|| format!("cannot read {}", src.display()))?,
            ))
        };
        let mut n = 0usize;
        for (i, line) in reader.lines().enumerate() {
            let line = line.context("reading records")?;
            if line.trim().is_empty() {
                continue;
            }
            let rec: AuditRecord = match serde_json::from_str(&line) {
                Ok(r) => r,
                Err(e) => {
                    eprintln!("kiro-guard: audit log: record {}: {e}", i + 1);
                    return Ok(crate::exit::USAGE);
                }
            };
            let rec = fill(rec);
            if matches!(rec.event.as_str(), "approval" | "exception")
                && let Some(why) = agent_context()
            {
                eprintln!(
                    "kiro-guard: audit log: record {}: refusing to import an {} record: {why}",
                    i + 1,
                    rec.event
                );
                return Ok(crate::exit::USAGE);
            }
            if let Err(e) = rec.sanitized() {
                eprintln!("kiro-guard: audit log: record {}: {e:#}", i + 1);
                return Ok(crate::exit::USAGE);
            }
            log.append(&rec)?;
            n += 1;
        }
        eprintln!(
            "kiro-guard: appended {n} record(s) to {}",
            log.dir().display()
        );
        return Ok(crate::exit::OK);
    }
    let Some(decision) = &a.decision else {
        eprintln!("kiro-guard: audit log: give --decision allow|warn|block, or --json FILE");
        return Ok(crate::exit::USAGE);
    };
    let rec = AuditRecord {
        time: now_rfc3339(),
        event: a.event.clone().unwrap_or_else(|| "approval".into()),
        decision: decision.clone(),
        path: a.path.clone(),
        command: a.command.clone(),
        tool: a.tool.clone(),
        mcp: a.tool.as_deref().and_then(split_mcp_tool),
        note: a.note.clone(),
        ..AuditRecord::default()
    };
    let rec = fill(rec);
    log.append(&rec)?;
    eprintln!("kiro-guard: appended 1 record to {}", log.dir().display());
    Ok(crate::exit::OK)
}

/// Read a whole file as bytes (with the path in errors).
pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    std::fs::File::open(path)
        .and_then(|mut f| f.read_to_end(&mut buf))
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Decision;

    #[test]
    fn scrub_masks_unmasked_values() {
        assert_eq!(scrub("card 4111111111111111 x"), "card ************1111 x");
        assert_eq!(scrub("4111 1111 1111 1111"), "**** **** **** 1111");
        assert_eq!(scrub("nric S1234567D."), "nric S****567D.");
        assert_eq!(scrub("S****567D"), "S****567D");
        assert_eq!(scrub("port 8080, 2025-01-31"), "port 8080, 2025-01-31");
        assert_eq!(scrub("id abc123456789012"), "id abc123456789012");
    }

    #[test]
    fn paths_are_masked() {
        let mut r = AuditRecord::new("hook", Decision::Block);
        r.path = Some("exports/S1234567D.csv".into());
        r.findings.push(AuditFinding {
            path: "customers/4111-1111-1111-1111_S1234567D.json".into(),
            ..Default::default()
        });
        r.errors.push(AuditError {
            kind: "io".into(),
            path: Some("in/S1234567D.txt".into()),
            message: "x".into(),
            ..Default::default()
        });
        let s = r.sanitized().unwrap();
        let text = serde_json::to_string(&s).unwrap();
        assert!(!text.contains("S1234567D"), "{text}");
        assert!(!text.contains("4111-1111-1111-1111"), "{text}");
        assert!(text.contains("S****567D"), "{text}");
    }

    #[test]
    fn sanitized_cuts_and_validates() {
        let mut r = AuditRecord::new("hook", Decision::Block);
        r.findings.push(AuditFinding {
            evidence: "x".repeat(500),
            ..Default::default()
        });
        let s = r.sanitized().unwrap();
        assert_eq!(s.findings[0].evidence.chars().count(), MAX_EVIDENCE_CHARS);
        r.decision = "maybe".into();
        assert!(r.sanitized().is_err());
        r.decision = "allow".into();
        r.time = "yesterday".into();
        assert!(r.sanitized().is_err());
    }

    #[test]
    fn time_format_is_utc_millis() {
        let t = parse_time("2025-01-31T17:15:02.123456+08:00").unwrap();
        assert_eq!(format_time(t), "2025-01-31T09:15:02.123Z");
    }

    #[test]
    fn mcp_names_split() {
        assert_eq!(
            split_mcp_tool("@github/create_issue"),
            Some(McpCall {
                server: "github".into(),
                tool: "create_issue".into()
            })
        );
        assert_eq!(split_mcp_tool("fs_write"), None);
    }

    #[test]
    fn for_repo_resolves_dirs() {
        let root = Path::new("/repo");
        assert_eq!(
            AuditLog::for_repo(root, None).dir(),
            Path::new("/repo/.kiro-guard/audit")
        );
        assert_eq!(
            AuditLog::for_repo(root, Some(Path::new("logs"))).dir(),
            Path::new("/repo/logs")
        );
        assert_eq!(
            AuditLog::for_repo(root, Some(Path::new("/srv/a"))).dir(),
            Path::new("/srv/a")
        );
    }
}
