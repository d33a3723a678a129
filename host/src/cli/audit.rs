//! `kiro-guard audit ...`: verify, report on, rotate, append to and export
//! the hash-chained audit log.

use crate::audit::export::ExportFormat;
use crate::output::ReportFormat;
use anyhow::Result;
use std::path::PathBuf;

/// Where the log is: `--dir`, else `[audit] dir` of the configuration, else
/// `<repo>/.kiro-guard/audit`.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct LogDirArgs {
    /// Audit log directory (default: `[audit] dir` in .kiro-guard.toml, else <repo>/.kiro-guard/audit).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Configuration file (default: nearest .kiro-guard.toml above the current directory).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

impl From<LogDirArgs> for crate::audit::LogDir {
    fn from(a: LogDirArgs) -> Self {
        crate::audit::LogDir {
            dir: a.dir,
            config: a.config,
        }
    }
}

/// `kiro-guard audit ...` subcommands.
#[derive(clap::Subcommand, Debug)]
pub enum AuditCommand {
    /// Check the hash chain of the audit log; report the first broken, reordered, truncated or deleted line.
    #[command(
        after_help = "Examples:\n  kiro-guard audit verify                      every month file in the log directory\n  kiro-guard audit verify .kiro-guard/audit/2025-01.jsonl\n  kiro-guard audit verify --archive /srv/audit-archive   include archived months\n  kiro-guard audit verify --strict             repaired crashes count as failures\n\nExit status: 0 chain valid (warnings, such as a repaired crash, are printed), 1 verification failed \
(or a warning with --strict), 2 usage error."
    )]
    Verify(VerifyArgs),
    /// Summarise the log for a period: the compliance officer's monthly report.
    #[command(
        after_help = "Examples:\n  kiro-guard audit report                                  last 30 days, markdown\n  kiro-guard audit report --month 2025-01 --format html -o audit-2025-01.html\n  kiro-guard audit report --since 2025-01-01 --until 2025-01-31 --format json\n  kiro-guard audit report --dir /srv/kiro-guard/audit --archive /srv/audit-archive\n\n\
Dates are YYYY-MM-DD (UTC; --until is inclusive) or RFC 3339 times. The report includes the result of `audit verify`."
    )]
    Report(ReportArgs),
    /// Move whole month files older than a cutoff into an archive directory (never deletes).
    #[command(
        after_help = "Examples:\n  kiro-guard audit rotate --older-than 90d --archive /srv/audit-archive\n  kiro-guard audit rotate --older-than 12w --archive ../archive --dry-run\n\n\
A month is moved when all of it is older than the cutoff; the newest file (the chain head) is never moved. \
Each later file's header keeps the hash of the previous file's last line, and a `rotate` line recording the \
moved files' SHA-256 is appended to the log, so `audit verify --archive DIR` checks the chain across both."
    )]
    Rotate(RotateArgs),
    /// Append a record by hand (a manual approval, an imported decision) to the audit log.
    #[command(
        after_help = "Examples:\n  kiro-guard audit log --event approval --decision allow --path src/pay.py \\\n      --note \"CR-1234: test fixture card numbers approved by J. Tan\"\n  kiro-guard audit log --json records.jsonl     one JSON record per line (`-` for stdin)\n\n\
JSON records use the audit record fields (docs/audit.md); `time`, `user`, `host`, `repo` and `kiro_guard` \
default to now and the current environment. Each record is appended separately, under the log lock."
    )]
    Log(LogArgs),
    /// Stream the log to a SIEM: flat JSON lines (Splunk, Elastic) or OCSF Detection Findings (AWS Security Lake).
    #[command(
        after_help = "Examples:\n  kiro-guard audit export                               every line, flat JSON\n  kiro-guard audit export --format ocsf --since 24h\n  kiro-guard audit export --follow --dir /var/spool/kiro-guard/alice   for a log shipper\n\n\
Each flat line is the audit line with \"log_file\" put in front; each OCSF event carries its line in raw_data. \
The hash chain can be verified from either (docs/siem.md)."
    )]
    Export(ExportArgs),
}

/// Run an `audit` subcommand; returns the exit code (0 ok, 1 verification
/// failed, 2 usage error).
pub fn run(cmd: AuditCommand) -> Result<i32> {
    use crate::audit::{export, log_command, report, rotate, verify};
    match cmd {
        AuditCommand::Verify(a) => verify::run(a.into()),
        AuditCommand::Report(a) => report::run(a.into()),
        AuditCommand::Rotate(a) => rotate::run(a.into()),
        AuditCommand::Log(a) => log_command(a.into()),
        AuditCommand::Export(a) => export::run(a.into()),
    }
}

#[derive(clap::Args, Debug)]
pub struct VerifyArgs {
    /// Month files to verify (default: every YYYY-MM.jsonl in the log directory).
    pub files: Vec<PathBuf>,
    /// Also verify the archived months in this directory (from `audit rotate`).
    #[arg(long, value_name = "DIR")]
    pub archive: Vec<PathBuf>,
    /// Treat warnings (a repaired crash, a missing trailing newline) as failures.
    #[arg(long)]
    pub strict: bool,
    /// Print only problems and the final verdict.
    #[arg(long, short)]
    pub quiet: bool,
    #[command(flatten)]
    pub log: LogDirArgs,
}

impl From<VerifyArgs> for crate::audit::VerifyOptions {
    fn from(a: VerifyArgs) -> Self {
        crate::audit::VerifyOptions {
            files: a.files,
            archive: a.archive,
            strict: a.strict,
            quiet: a.quiet,
            log: a.log.into(),
        }
    }
}

#[derive(clap::Args, Debug)]
pub struct ReportArgs {
    /// Start of the period: YYYY-MM-DD (UTC) or an RFC 3339 time (default: 30 days before --until).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// End of the period, inclusive: YYYY-MM-DD (UTC) or an RFC 3339 time (default: now).
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// A calendar month (YYYY-MM); instead of --since/--until.
    #[arg(long, value_name = "YYYY-MM", conflicts_with_all = ["since", "until"])]
    pub month: Option<String>,
    #[arg(long, value_enum, default_value = "markdown")]
    pub format: ReportFormat,
    /// Write the report to this file instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also read archived months from this directory.
    #[arg(long, value_name = "DIR")]
    pub archive: Vec<PathBuf>,
    /// Rows in the "top" tables.
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub top: usize,
    #[command(flatten)]
    pub log: LogDirArgs,
}

impl From<ReportArgs> for crate::audit::PeriodReportOptions {
    fn from(a: ReportArgs) -> Self {
        crate::audit::PeriodReportOptions {
            since: a.since,
            until: a.until,
            month: a.month,
            format: a.format,
            output: a.output,
            archive: a.archive,
            top: a.top,
            log: a.log.into(),
        }
    }
}

#[derive(clap::Args, Debug)]
pub struct RotateArgs {
    /// Age cutoff: Nd (days), Nw (weeks), e.g. 90d.
    #[arg(long, value_name = "AGE")]
    pub older_than: String,
    /// Directory to move old month files into (created if needed).
    #[arg(long, value_name = "DIR")]
    pub archive: PathBuf,
    /// Show what would move, move nothing.
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub log: LogDirArgs,
}

impl From<RotateArgs> for crate::audit::RotateOptions {
    fn from(a: RotateArgs) -> Self {
        crate::audit::RotateOptions {
            older_than: a.older_than,
            archive: a.archive,
            dry_run: a.dry_run,
            log: a.log.into(),
        }
    }
}

#[derive(clap::Args, Debug)]
pub struct LogArgs {
    /// Read records from FILE (one JSON object per line; `-` for stdin) instead of the flags.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["decision", "event"])]
    pub json: Option<PathBuf>,
    /// Event kind, e.g. approval, exception, hook.
    #[arg(long, default_value = "approval")]
    pub event: Option<String>,
    /// allow, warn or block.
    #[arg(long, value_parser = ["allow", "warn", "block"])]
    pub decision: Option<String>,
    /// File path the record concerns (relative to the repository).
    #[arg(long)]
    pub path: Option<String>,
    /// Command the record concerns (mask secrets yourself).
    #[arg(long)]
    pub command: Option<String>,
    /// Tool name, e.g. @github/create_issue.
    #[arg(long)]
    pub tool: Option<String>,
    /// User (default: git user.email, else $USER).
    #[arg(long)]
    pub user: Option<String>,
    /// Why: ticket number, approver, justification.
    #[arg(long)]
    pub note: Option<String>,
    #[command(flatten)]
    pub log: LogDirArgs,
}

impl From<LogArgs> for crate::audit::LogOptions {
    fn from(a: LogArgs) -> Self {
        crate::audit::LogOptions {
            json: a.json,
            event: a.event,
            decision: a.decision,
            path: a.path,
            command: a.command,
            tool: a.tool,
            user: a.user,
            note: a.note,
            log: a.log.into(),
        }
    }
}

/// `kiro-guard audit export` arguments.
#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    #[arg(long, value_enum, default_value = "flat")]
    pub format: ExportFormat,
    /// Start at the first record made at or after this time (then every line after it): YYYY-MM-DD (UTC), an RFC 3339 time, or an age such as 15m, 24h, 7d.
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// Keep running and print lines as they are appended (and from the next month's file when it appears).
    #[arg(long)]
    pub follow: bool,
    /// Instead of exporting: check the hash chain of an export read back from a SIEM (FILE, or - for stdin) in --format's form; flat also accepts the audit lines as written.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["since", "follow"])]
    pub verify: Option<PathBuf>,
    /// How often --follow looks for new lines, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 1000)]
    pub poll_ms: u64,
    #[command(flatten)]
    pub log: LogDirArgs,
}

impl From<ExportArgs> for crate::audit::export::ExportOptions {
    fn from(a: ExportArgs) -> Self {
        crate::audit::export::ExportOptions {
            format: a.format,
            since: a.since,
            follow: a.follow,
            verify: a.verify,
            poll_ms: a.poll_ms,
            log: a.log.into(),
        }
    }
}
