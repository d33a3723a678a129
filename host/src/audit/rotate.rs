//! `kiro-guard audit rotate`: move whole month files older than a cutoff
//! into an archive directory. Nothing is deleted; the newest file (the
//! chain head) never moves; a `rotate` line records what moved.

use super::chain::{self, DirLock, Moved, Rotation, sha256_hex};
use super::{AuditLog, RotateOptions};
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use time::{Date, Duration, Month, OffsetDateTime};

/// Parse an age: `90d`, `12w`, `90` (days).
pub fn parse_age(s: &str) -> Result<Duration> {
    let s = s.trim();
    let (num, unit) = match s.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, "d"),
    };
    let n: i64 = num
        .parse()
        .with_context(|| format!("--older-than {s:?}: expected a number of days, like 90d"))?;
    match unit {
        "d" | "days" | "day" => Ok(Duration::days(n)),
        "w" | "weeks" | "week" => Ok(Duration::weeks(n)),
        _ => bail!("--older-than {s:?}: unit must be d (days) or w (weeks), like 90d"),
    }
}

/// The first instant after the month of a `YYYY-MM.jsonl` file.
fn month_end(name: &str) -> Option<OffsetDateTime> {
    let year: i32 = name.get(..4)?.parse().ok()?;
    let month: u8 = name.get(5..7)?.parse().ok()?;
    let (y, m) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    let d = Date::from_calendar_date(y, Month::try_from(m).ok()?, 1).ok()?;
    Some(d.midnight().assume_utc())
}

/// What a rotation moved (or would move).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rotated {
    pub moved: Vec<Moved>,
    pub archive: PathBuf,
}

/// Month files of `log` that lie wholly before `cutoff`, except the newest.
pub fn candidates(log: &AuditLog, cutoff: OffsetDateTime) -> Result<Vec<PathBuf>> {
    let mut files = log.files()?;
    files.pop(); // the chain head stays
    Ok(files
        .into_iter()
        .filter(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            month_end(&name).is_some_and(|end| end <= cutoff)
        })
        .collect())
}

/// Move a file: rename, or copy + fsync + compare + remove across file
/// systems. Refuses to overwrite.
fn move_file(from: &Path, to: &Path) -> Result<()> {
    if to.exists() {
        bail!(
            "{} already exists in the archive; not overwriting it",
            to.display()
        );
    }
    match std::fs::rename(from, to) {
        Ok(()) => return Ok(()),
        Err(e) if e.raw_os_error() == Some(18) => {} // EXDEV: another file system
        Err(e) => {
            return Err(e)
                .with_context(|| format!("cannot move {} to {}", from.display(), to.display()));
        }
    }
    let data = super::read_file(from)?;
    let tmp = to.with_extension("jsonl.part");
    {
        use std::io::Write;
        let mut f = std::fs::File::create_new(&tmp)
            .with_context(|| format!("cannot create {}", tmp.display()))?;
        f.write_all(&data)
            .and_then(|_| f.sync_all())
            .with_context(|| format!("cannot write {}", tmp.display()))?;
    }
    if super::read_file(&tmp)? != data {
        bail!("copy of {} to {} differs", from.display(), tmp.display());
    }
    std::fs::rename(&tmp, to).with_context(|| format!("cannot rename {}", tmp.display()))?;
    std::fs::remove_file(from).with_context(|| {
        format!(
            "copied to {} but cannot remove {}",
            to.display(),
            from.display()
        )
    })?;
    Ok(())
}

/// Move old months into `archive` under the log lock and append a `rotate`
/// line listing them (name, SHA-256, line count).
pub fn rotate(
    log: &AuditLog,
    cutoff: OffsetDateTime,
    archive: &Path,
    user: &str,
) -> Result<Rotated> {
    let lock = DirLock::acquire(log.dir())?;
    let files = candidates(log, cutoff)?;
    let mut moved = Vec::new();
    if !files.is_empty() {
        std::fs::create_dir_all(archive)
            .with_context(|| format!("cannot create archive directory {}", archive.display()))?;
    }
    for f in &files {
        let name = f
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let data = super::read_file(f)?;
        let entry = Moved {
            file: name.clone(),
            sha256: sha256_hex(&data),
            lines: data.iter().filter(|&&b| b == b'\n').count() as u64,
        };
        move_file(f, &archive.join(&name))?;
        moved.push(entry);
    }
    if let Ok(d) = std::fs::File::open(archive) {
        let _ = d.sync_all();
    }
    let archive_abs = std::fs::canonicalize(archive).unwrap_or_else(|_| archive.to_path_buf());
    if !moved.is_empty() {
        let now = super::now_rfc3339();
        let host = super::host_name();
        let body = Rotation {
            time: now.clone(),
            user: user.to_string(),
            host: host.clone(),
            archive: archive_abs.display().to_string(),
            moved: moved.clone(),
        };
        chain::append_locked(log.dir(), "rotate", &body, &now[..7], &host)?;
    }
    drop(lock);
    Ok(Rotated {
        moved,
        archive: archive_abs,
    })
}

/// `kiro-guard audit rotate`; returns the exit code.
pub fn run(a: RotateOptions) -> Result<i32> {
    let age = match parse_age(&a.older_than) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("kiro-guard: {e:#}");
            return Ok(crate::exit::USAGE);
        }
    };
    let log = a.log.log()?;
    let cutoff = OffsetDateTime::now_utc() - age;
    if a.dry_run {
        let files = candidates(&log, cutoff)?;
        for f in &files {
            println!("would move {} to {}", f.display(), a.archive.display());
        }
        if files.is_empty() {
            println!("nothing older than {} to move", a.older_than);
        }
        return Ok(crate::exit::OK);
    }
    let user = super::current_user(&a.log.repo_root());
    let r = rotate(&log, cutoff, &a.archive, &user)?;
    for m in &r.moved {
        println!(
            "moved {} ({} lines, sha256 {}) to {}",
            m.file,
            m.lines,
            m.sha256,
            r.archive.display()
        );
    }
    if r.moved.is_empty() {
        println!(
            "nothing older than {} to move (the newest month file always stays)",
            a.older_than
        );
    }
    Ok(crate::exit::OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_and_month_ends() {
        assert_eq!(parse_age("90d").unwrap(), Duration::days(90));
        assert_eq!(parse_age("2w").unwrap(), Duration::days(14));
        assert_eq!(parse_age("7").unwrap(), Duration::days(7));
        assert!(parse_age("3y").is_err());
        assert!(parse_age("d").is_err());
        assert_eq!(
            super::super::format_time(month_end("2024-12.jsonl").unwrap()),
            "2025-01-01T00:00:00.000Z"
        );
    }
}
