//! The log directory: appending a record to the month file, the witness
//! and syslog copies, and the failure policy for a record the log cannot
//! take.

use super::identity::sanitize_name;
use super::*;
use crate::config::OnError;
use anyhow::Result;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Where the log lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditLog {
    dir: PathBuf,
}

/// A decision the audit log could not take.
#[derive(Debug)]
pub struct RecordFailure {
    /// The log directory.
    pub dir: PathBuf,
    pub error: anyhow::Error,
    /// The failure policy is "block": the action must not go through.
    pub block: bool,
}

impl std::fmt::Display for RecordFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "could not write the audit log {}: {:#}",
            self.dir.display(),
            self.error
        )
    }
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

    /// Record a decision ([`AuditLog::append_everywhere`]). A failure comes
    /// back with what the failure policy makes of it: with `on_error =
    /// "block"` the caller must not let the action through.
    pub fn record(&self, record: &AuditRecord, on_error: OnError) -> Result<(), RecordFailure> {
        self.append_everywhere(record)
            .map_err(|error| RecordFailure {
                dir: self.dir.clone(),
                error,
                block: on_error == OnError::Block,
            })
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
