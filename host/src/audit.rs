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
//! - [`chain`]: line encoding, hashing, locking, append and crash repair.
//! - [`verify`]: checking the chain within and across files.
//! - [`report`]: the period summary (markdown, JSON, HTML with an SVG chart).
//! - [`rotate`]: moving old months to an archive without breaking linkage.

pub mod chain;
pub mod export;
pub mod report;
pub mod rotate;
pub mod verify;

use crate::guard::{Decision, Report, Reported};
use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};
use std::time::Duration;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Exit code: success (verification passed).
pub const EXIT_OK: i32 = 0;
/// Exit code: verification failed.
pub const EXIT_FAILED: i32 = 1;
/// Exit code: usage error.
pub const EXIT_USAGE: i32 = 2;

/// Longest evidence string kept in a record; longer ones are cut (evidence
/// is masked by the caller; this is a second line of defence).
pub const MAX_EVIDENCE_CHARS: usize = 80;
/// Longest command, path, note or message kept in a record.
pub const MAX_TEXT_CHARS: usize = 1000;
/// Most findings stored in one record; the rest are counted in
/// `findings_omitted`.
pub const MAX_FINDINGS: usize = 200;

/// An MCP tool call (`@server/tool`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct McpCall {
    pub server: String,
    pub tool: String,
}

/// One finding as kept in the audit log: no message, masked evidence only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct AuditFinding {
    pub skill: String,
    pub rule: String,
    /// "info", "warn" or "block".
    pub severity: String,
    pub path: String,
    pub line: u32,
    /// Masked evidence, at most [`MAX_EVIDENCE_CHARS`] characters.
    pub evidence: String,
    /// References as "MAS TRM 11.1", "PDPA s24", "PCI DSS 3.4.1".
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub refs: Vec<String>,
}

impl AuditFinding {
    /// From a reported finding (evidence is already masked by the skill).
    pub fn from_reported(f: &Reported) -> AuditFinding {
        AuditFinding {
            skill: f.skill.clone(),
            rule: f.rule.clone(),
            severity: f.severity.as_str().to_string(),
            path: f.path.clone(),
            line: f.line,
            evidence: f.evidence.clone(),
            refs: f
                .references
                .iter()
                .map(|r| format!("{} {}", r.framework, r.id))
                .collect(),
        }
    }
}

/// A problem that was not a finding (skill error, skipped file, I/O).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct AuditError {
    /// `skill-error`, `skipped`, `io`, `input`, `suppression`, ...
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skill: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    pub message: String,
}

/// Name, version and component hash of a skill that took part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct SkillStamp {
    pub name: String,
    pub version: String,
    pub sha256: String,
}

/// One decision record (the body of a `"kind":"decision"` line).
///
/// Build one with [`AuditRecord::new`] or [`AuditRecord::from_report`] and
/// the builder methods, then [`AuditLog::append`] it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct AuditRecord {
    /// When the decision was made, RFC 3339 UTC (`2025-01-31T09:15:02.123Z`).
    pub time: String,
    /// `hook`, `git-pre-commit`, `git-pre-push`, `scan`, `approval`, ...
    pub event: String,
    /// Hook dialect: `kiro-v1`, `kiro-cli`, `kiro-legacy`, `claude`, ...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dialect: Option<String>,
    /// Agent tool name (`fs_write`, `Bash`, `@github/create_issue`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tool: Option<String>,
    /// For MCP tool calls: server and tool.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mcp: Option<McpCall>,
    /// File path, relative to the repository.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Shell command, masked by the caller.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    /// `allow`, `warn` or `block`.
    pub decision: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<AuditFinding>,
    /// Findings not stored because the record already held [`MAX_FINDINGS`].
    #[serde(skip_serializing_if = "is_zero")]
    pub findings_omitted: u32,
    /// Findings dropped by the baseline or inline suppressions.
    #[serde(skip_serializing_if = "is_zero")]
    pub suppressed: u32,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<AuditError>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skills: Vec<SkillStamp>,
    /// kiro-guard version.
    pub kiro_guard: String,
    pub user: String,
    pub host: String,
    /// Repository name (directory name of its root) or identifier.
    pub repo: String,
    pub duration_ms: f64,
    /// Free text: the reason of a manual approval, for example.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// Current time as RFC 3339 UTC with milliseconds.
pub fn now_rfc3339() -> String {
    format_time(OffsetDateTime::now_utc())
}

/// RFC 3339 UTC with milliseconds (`2025-01-31T09:15:02.123Z`).
pub fn format_time(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

/// Parse an RFC 3339 time.
pub fn parse_time(s: &str) -> Result<OffsetDateTime> {
    OffsetDateTime::parse(s, &Rfc3339)
        .with_context(|| format!("{s:?} is not an RFC 3339 time (like 2025-01-31T09:15:02Z)"))
}

impl AuditRecord {
    /// A record stamped now, with this kiro-guard's version and host name.
    /// Set `user` and `repo` with [`AuditRecord::context`].
    pub fn new(event: impl Into<String>, decision: Decision) -> AuditRecord {
        AuditRecord {
            time: now_rfc3339(),
            event: event.into(),
            decision: decision.as_str().to_string(),
            kiro_guard: env!("CARGO_PKG_VERSION").to_string(),
            host: host_name(),
            ..AuditRecord::default()
        }
    }

    /// A record of a report's findings and errors under `decision`.
    pub fn from_report(event: impl Into<String>, report: &Report, decision: Decision) -> Self {
        let mut r = AuditRecord::new(event, decision).findings(&report.findings);
        r.suppressed = report.suppressed.min(u32::MAX as usize) as u32;
        r.errors = report
            .errors
            .iter()
            .map(|e| AuditError {
                kind: e.kind.clone(),
                skill: e.skill.clone(),
                path: e.path.clone(),
                message: e.message.clone(),
            })
            .collect();
        r
    }

    /// Replace the findings.
    pub fn findings(mut self, findings: &[Reported]) -> Self {
        self.findings = findings
            .iter()
            .take(MAX_FINDINGS)
            .map(AuditFinding::from_reported)
            .collect();
        self.findings_omitted = findings.len().saturating_sub(MAX_FINDINGS) as u32;
        self
    }

    /// User (git identity) and repository name of `repo_root`.
    pub fn context(mut self, repo_root: &Path) -> Self {
        self.user = current_user(repo_root);
        self.repo = repo_name(repo_root);
        self
    }
    pub fn user(mut self, user: impl Into<String>) -> Self {
        self.user = user.into();
        self
    }
    pub fn repo(mut self, repo: impl Into<String>) -> Self {
        self.repo = repo.into();
        self
    }
    pub fn dialect(mut self, dialect: impl Into<String>) -> Self {
        self.dialect = Some(dialect.into());
        self
    }
    pub fn tool(mut self, tool: impl Into<String>) -> Self {
        self.tool = Some(tool.into());
        self
    }
    pub fn mcp(mut self, server: impl Into<String>, tool: impl Into<String>) -> Self {
        self.mcp = Some(McpCall {
            server: server.into(),
            tool: tool.into(),
        });
        self
    }
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }
    /// The command, already masked by the caller.
    pub fn command(mut self, command: impl Into<String>) -> Self {
        self.command = Some(command.into());
        self
    }
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }
    pub fn time(mut self, time: OffsetDateTime) -> Self {
        self.time = format_time(time);
        self
    }
    pub fn duration(mut self, d: Duration) -> Self {
        self.duration_ms = (d.as_secs_f64() * 1e6).round() / 1e3;
        self
    }
    /// Names, versions and hashes of the skills that ran.
    pub fn skills(mut self, skills: &[crate::runtime::LoadedSkill]) -> Self {
        self.skills = skills
            .iter()
            .map(|s| SkillStamp {
                name: s.info.name.clone(),
                version: s.info.version.clone(),
                sha256: s.sha256.clone(),
            })
            .collect();
        self
    }

    /// Check the record and return a copy fit to store: a valid time and
    /// decision, evidence cut to [`MAX_EVIDENCE_CHARS`], long texts cut,
    /// unmasked-looking numbers and NRIC/FIN masked.
    pub fn sanitized(&self) -> Result<AuditRecord> {
        let mut r = self.clone();
        let t = parse_time(&r.time).context("audit record: bad `time`")?;
        r.time = format_time(t);
        if !matches!(r.decision.as_str(), "allow" | "warn" | "block") {
            bail!(
                "audit record: decision {:?}: expected \"allow\", \"warn\" or \"block\"",
                r.decision
            );
        }
        if r.event.trim().is_empty() {
            bail!("audit record: `event` is empty");
        }
        if !r.duration_ms.is_finite() || r.duration_ms < 0.0 {
            r.duration_ms = 0.0;
        }
        if r.findings.len() > MAX_FINDINGS {
            r.findings_omitted += (r.findings.len() - MAX_FINDINGS) as u32;
            r.findings.truncate(MAX_FINDINGS);
        }
        for f in &mut r.findings {
            f.evidence = cut(&scrub(&f.evidence), MAX_EVIDENCE_CHARS);
            // A file may be named after the value it holds.
            f.path = cut(&scrub(&f.path), MAX_TEXT_CHARS);
        }
        for e in &mut r.errors {
            e.message = cut(&scrub(&e.message), MAX_TEXT_CHARS);
            if let Some(p) = &mut e.path {
                *p = cut(&scrub(p), MAX_TEXT_CHARS);
            }
        }
        for v in [&mut r.command, &mut r.note, &mut r.path]
            .into_iter()
            .flatten()
        {
            *v = cut(&scrub(v), MAX_TEXT_CHARS);
        }
        Ok(r)
    }
}

/// Cut to `max` characters, marking the cut with `…`.
fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Defensive masking of values that look unmasked: runs of 9 or more digits
/// (card and account numbers; last 4 kept) and NRIC/FIN (`S****567D`).
pub fn scrub(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let boundary = i == 0 || !chars[i - 1].is_ascii_alphanumeric();
        // NRIC / FIN: [STFGM] + 7 digits + letter, on word boundaries.
        if boundary
            && matches!(c.to_ascii_uppercase(), 'S' | 'T' | 'F' | 'G' | 'M')
            && i + 9 <= chars.len()
            && chars[i + 1..i + 8].iter().all(char::is_ascii_digit)
            && chars[i + 8].is_ascii_alphabetic()
            && chars.get(i + 9).is_none_or(|c| !c.is_ascii_alphanumeric())
        {
            out.push(c);
            out.push_str("****");
            out.extend(&chars[i + 5..i + 9]);
            i += 9;
            continue;
        }
        if c.is_ascii_digit() && boundary {
            // A run of digits, possibly grouped by single spaces or dashes.
            let mut j = i;
            let mut digits = 0;
            while j < chars.len() {
                if chars[j].is_ascii_digit() {
                    digits += 1;
                    j += 1;
                } else if matches!(chars[j], ' ' | '-')
                    && chars.get(j + 1).is_some_and(char::is_ascii_digit)
                {
                    j += 1;
                } else {
                    break;
                }
            }
            let end_ok = chars.get(j).is_none_or(|c| !c.is_ascii_alphanumeric());
            if digits >= 9 && end_ok {
                let mut seen = 0;
                for &d in &chars[i..j] {
                    if d.is_ascii_digit() {
                        seen += 1;
                        out.push(if digits - seen < 4 { d } else { '*' });
                    } else {
                        out.push(d);
                    }
                }
            } else {
                out.extend(&chars[i..j]);
            }
            i = j;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Where the log lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditLog {
    dir: PathBuf,
}

/// The default log directory, relative to the repository root.
pub const DEFAULT_DIR: &str = ".kiro-guard/audit";

impl AuditLog {
    pub fn new(dir: PathBuf) -> Self {
        AuditLog { dir }
    }

    /// The log of a repository: `configured` (absolute, or relative to
    /// `repo_root`), else `<repo_root>/.kiro-guard/audit`.
    pub fn for_repo(repo_root: &Path, configured: Option<&Path>) -> Self {
        let dir = match configured {
            Some(d) if d.is_absolute() => d.to_path_buf(),
            Some(d) => repo_root.join(d),
            None => repo_root.join(DEFAULT_DIR),
        };
        AuditLog { dir }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Append one record to `YYYY-MM.jsonl` (the month of `record.time`, or
    /// the newest existing month if that is later) with the hash chain,
    /// under an exclusive lock, fsync'd. Repairs a truncated last line
    /// first. Errors name the path and the cause (unwritable, disk full).
    pub fn append(&self, record: &AuditRecord) -> Result<()> {
        let record = record.sanitized()?;
        let appended = chain::append_record(&self.dir, &record)?;
        // Best effort: the witness is a second line of evidence, not the log.
        let _ = self.write_witness(&appended);
        Ok(())
    }

    /// Append to this log and to every audit destination of the policies in
    /// force (spool directories, syslog). The first failure is returned
    /// after every destination was tried.
    pub fn append_everywhere(&self, record: &AuditRecord) -> Result<()> {
        let mut record = record.clone();
        if crate::policy::managed() {
            // The audited identity is the OS account, not a variable.
            record.user = os_user();
        }
        let mut first_err = self.append(&record).err();
        for dest in crate::policy::audit_destinations() {
            if let Some(spool) = &dest.spool_dir {
                let per_user = spool.join(sanitize_name(&os_user()));
                if let Err(e) = AuditLog::new(per_user).append(&record) {
                    first_err.get_or_insert(e.context("cannot append to the policy's audit spool"));
                }
            }
            if dest.syslog
                && let Err(e) = syslog::send(&record)
            {
                first_err.get_or_insert(e);
            }
        }
        match first_err {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Where the head witness of this log is kept: inside the git directory
    /// of the repository holding the log (outside the working tree, so
    /// `git clean -fdX` or deleting the log directory leaves it), or None.
    pub fn witness_path(&self) -> Option<PathBuf> {
        // The log directory may be gone (that is what the witness is for):
        // resolve its nearest existing ancestor and append the rest.
        let mut existing = self.dir.clone();
        let mut rest = Vec::new();
        let base = loop {
            if let Ok(c) = std::fs::canonicalize(&existing) {
                break c;
            }
            rest.push(existing.file_name()?.to_os_string());
            existing = existing.parent()?.to_path_buf();
        };
        let git_dir = crate::git::git_dir_of(&base)?;
        let mut abs = base;
        for r in rest.iter().rev() {
            abs.push(r);
        }
        let key = hex::encode(&Sha256::digest(abs.to_string_lossy().as_bytes())[..8]);
        Some(
            git_dir
                .join("kiro-guard")
                .join("audit-heads")
                .join(format!("{key}.json")),
        )
    }

    fn write_witness(&self, appended: &chain::Appended) -> Result<()> {
        let Some(path) = self.witness_path() else {
            return Ok(());
        };
        if let Some(d) = path.parent() {
            std::fs::create_dir_all(d)?;
        }
        let w = Witness {
            dir: self.dir.to_string_lossy().into_owned(),
            file: appended
                .file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            seq: appended.seq,
        };
        crate::cache::write_atomic(&path, serde_json::to_string(&w)?.as_bytes())?;
        Ok(())
    }

    /// The head witness, if one was written.
    pub fn witness(&self) -> Option<Witness> {
        let text = std::fs::read_to_string(self.witness_path()?).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// Month files in the directory (`YYYY-MM.jsonl`), oldest first.
    pub fn files(&self) -> Result<Vec<PathBuf>> {
        chain::month_files(&self.dir)
    }
}

/// The last record appended to a log, kept outside the working tree so that
/// a deleted or truncated log is detected by `audit verify`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Witness {
    pub dir: String,
    /// Month file of the last record.
    pub file: String,
    /// Its sequence number.
    pub seq: u64,
}

/// The operating-system account running this process.
pub fn os_user() -> String {
    #[cfg(unix)]
    {
        unsafe extern "C" {
            // getuid has no preconditions and cannot fail.
            safe fn getuid() -> u32;
        }
        let uid = getuid();
        if let Ok(passwd) = std::fs::read_to_string("/etc/passwd") {
            for line in passwd.lines() {
                let f: Vec<&str> = line.split(':').collect();
                if f.len() > 2 && f[2] == uid.to_string() {
                    return f[0].to_string();
                }
            }
        }
        format!("uid-{uid}")
    }
    #[cfg(not(unix))]
    {
        std::env::var("USERNAME").unwrap_or_else(|_| "unknown".into())
    }
}

fn sanitize_name(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect::<String>()
        .trim_start_matches('.')
        .to_string()
}

/// Records to the system log.
mod syslog {
    use super::AuditRecord;
    use anyhow::Result;

    /// Send one record as an RFC 3164 message (facility authpriv, severity
    /// notice) to `/dev/log`.
    #[cfg(unix)]
    pub fn send(record: &AuditRecord) -> Result<()> {
        use anyhow::Context;
        let body = serde_json::to_string(&record.sanitized()?)?;
        let msg = format!("<85>kiro-guard: {body}");
        let sock = std::os::unix::net::UnixDatagram::unbound()?;
        let mut bytes = msg.into_bytes();
        bytes.truncate(60_000);
        sock.send_to(&bytes, "/dev/log")
            .context("cannot send the audit record to syslog (/dev/log)")?;
        Ok(())
    }

    #[cfg(not(unix))]
    pub fn send(record: &AuditRecord) -> Result<()> {
        // The Windows Event Log through the stock eventcreate tool.
        let body = serde_json::to_string(&record.sanitized()?)?;
        let status = std::process::Command::new("eventcreate")
            .args([
                "/L",
                "APPLICATION",
                "/T",
                "INFORMATION",
                "/SO",
                "kiro-guard",
                "/ID",
                "100",
                "/D",
            ])
            .arg(body.chars().take(30_000).collect::<String>())
            .status()?;
        anyhow::ensure!(status.success(), "eventcreate failed");
        Ok(())
    }
}

/// The repository's display name: its root directory's name.
pub fn repo_name(repo_root: &Path) -> String {
    let abs = std::fs::canonicalize(repo_root).unwrap_or_else(|_| repo_root.to_path_buf());
    abs.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| abs.display().to_string())
}

/// Current user: `KIRO_GUARD_USER`, else git `user.email`, else
/// `user.name`, else `$USER` / `$USERNAME`, else "unknown".
pub fn current_user(repo_root: &Path) -> String {
    if crate::policy::managed() {
        return os_user();
    }
    if let Ok(u) = std::env::var("KIRO_GUARD_USER")
        && !u.trim().is_empty()
    {
        return u.trim().to_string();
    }
    for key in ["user.email", "user.name"] {
        match crate::git::user_config(repo_root, key) {
            Some(Some(v)) if !v.is_empty() => return v,
            Some(_) => continue,
            None => {}
        }
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(repo_root)
            .args(["config", "--get", key])
            .stdin(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .output();
        if let Ok(o) = out {
            let v = String::from_utf8_lossy(&o.stdout).trim().to_string();
            if o.status.success() && !v.is_empty() {
                return v;
            }
        }
    }
    for var in ["USER", "USERNAME", "LOGNAME"] {
        if let Ok(u) = std::env::var(var)
            && !u.trim().is_empty()
        {
            return u.trim().to_string();
        }
    }
    "unknown".into()
}

/// Host name: `/proc/sys/kernel/hostname`, `/etc/hostname`, `$HOSTNAME`,
/// `$COMPUTERNAME`, else "unknown".
pub fn host_name() -> String {
    for f in ["/proc/sys/kernel/hostname", "/etc/hostname"] {
        if let Ok(s) = std::fs::read_to_string(f) {
            let s = s.trim();
            if !s.is_empty() {
                return s.to_string();
            }
        }
    }
    for var in ["HOSTNAME", "COMPUTERNAME"] {
        if let Ok(h) = std::env::var(var)
            && !h.trim().is_empty()
        {
            return h.trim().to_string();
        }
    }
    "unknown".into()
}

// ---------------------------------------------------------------- CLI ----

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

impl LogDirArgs {
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

    fn repo_root(&self) -> PathBuf {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        crate::git::repo_root(&cwd).unwrap_or(cwd)
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
    Export(export::ExportArgs),
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Markdown,
    Json,
    Html,
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

/// Runs a subcommand; returns the exit code (0 ok, 1 verification failed,
/// 2 usage error).
pub fn run(cmd: AuditCommand) -> Result<i32> {
    match cmd {
        AuditCommand::Verify(a) => verify::run(a),
        AuditCommand::Report(a) => report::run(a),
        AuditCommand::Rotate(a) => rotate::run(a),
        AuditCommand::Log(a) => run_log(a),
        AuditCommand::Export(a) => export::run(a),
    }
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

fn run_log(a: LogArgs) -> Result<i32> {
    let log = a.log.log()?;
    let approving = a.json.is_none()
        && a.event
            .as_deref()
            .is_none_or(|e| e == "approval" || e == "exception");
    if approving && let Some(why) = agent_context() {
        eprintln!(
            "kiro-guard: audit log: refusing to record an approval: {why}. Approvals are written by a person at a terminal (an agent cannot approve its own finding)."
        );
        return Ok(EXIT_USAGE);
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
                    return Ok(EXIT_USAGE);
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
                return Ok(EXIT_USAGE);
            }
            if let Err(e) = rec.sanitized() {
                eprintln!("kiro-guard: audit log: record {}: {e:#}", i + 1);
                return Ok(EXIT_USAGE);
            }
            log.append(&rec)?;
            n += 1;
        }
        eprintln!(
            "kiro-guard: appended {n} record(s) to {}",
            log.dir().display()
        );
        return Ok(EXIT_OK);
    }
    let Some(decision) = &a.decision else {
        eprintln!("kiro-guard: audit log: give --decision allow|warn|block, or --json FILE");
        return Ok(EXIT_USAGE);
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
    Ok(EXIT_OK)
}

/// `@server/tool` → server and tool.
pub fn split_mcp_tool(name: &str) -> Option<McpCall> {
    let rest = name.strip_prefix('@')?;
    let (server, tool) = rest.split_once('/')?;
    Some(McpCall {
        server: server.into(),
        tool: tool.into(),
    })
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
