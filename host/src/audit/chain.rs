//! Line encoding and the append path: hashing, the directory lock, reading
//! the chain head, crash repair and fsync.
//!
//! A line is a JSON object whose first keys are `kind`, `seq` and `prev`
//! and whose last key is `hash`:
//!
//! ```text
//! {"kind":"decision","seq":7,"prev":"<sha256 of line 6's bytes>",...,"hash":"<sha256 of this line without hash>"}
//! ```
//!
//! `hash` is the SHA-256 of the line's bytes with the trailing
//! `,"hash":"…"` removed (so `{…}`); `prev` is the SHA-256 of the previous
//! line's exact bytes (without the newline).

use super::AuditRecord;
use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// `prev` of the very first header of a chain.
pub const ZERO_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";
/// The `format` of a header line.
pub const FORMAT: &str = "kiro-guard-audit";
/// The log format version.
pub const FORMAT_VERSION: u32 = 1;
/// Name of the lock file in the log directory.
pub const LOCK_FILE: &str = ".lock";

const HASH_KEY: &[u8] = b",\"hash\":\"";

/// SHA-256 as lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A line being written: the envelope keys, then the body's keys.
#[derive(Serialize)]
struct Envelope<'a, T: Serialize> {
    kind: &'a str,
    seq: u64,
    prev: &'a str,
    #[serde(flatten)]
    body: &'a T,
}

/// Encode a line (without newline): the envelope, the body, then `hash`.
pub fn seal<T: Serialize>(kind: &str, seq: u64, prev: &str, body: &T) -> Result<String> {
    let mut json = serde_json::to_string(&Envelope {
        kind,
        seq,
        prev,
        body,
    })?;
    debug_assert!(json.ends_with('}'));
    let hash = sha256_hex(json.as_bytes());
    json.pop();
    json.push_str(&format!(",\"hash\":\"{hash}\"}}"));
    Ok(json)
}

/// The content a line's `hash` covers and the claimed hash, or None when the
/// line does not end with `,"hash":"<64 hex>"}`.
pub fn unseal(line: &[u8]) -> Option<(Vec<u8>, &str)> {
    let tail = HASH_KEY.len() + 64 + 2;
    if line.len() < tail + 2 || !line.ends_with(b"\"}") {
        return None;
    }
    let start = line.len() - tail;
    if &line[start..start + HASH_KEY.len()] != HASH_KEY {
        return None;
    }
    let hash = std::str::from_utf8(&line[start + HASH_KEY.len()..line.len() - 2]).ok()?;
    if !hash
        .bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return None;
    }
    let mut body = line[..start].to_vec();
    body.push(b'}');
    Some((body, hash))
}

/// The envelope of a parsed line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub kind: String,
    pub seq: u64,
    pub prev: String,
    pub value: serde_json::Value,
}

/// Parse and check one line on its own: JSON object, envelope keys, and its
/// `hash` matches its content. The error says what is wrong.
pub fn check_line(line: &[u8]) -> std::result::Result<Parsed, String> {
    let value: serde_json::Value = serde_json::from_slice(line)
        .map_err(|_| "not a valid audit line (not a JSON object)".to_string())?;
    let (body, claimed) =
        unseal(line).ok_or_else(|| "not a valid audit line (no `hash` at the end)".to_string())?;
    if sha256_hex(&body) != claimed {
        return Err(
            "content does not match its `hash` (the line was altered after it was written)".into(),
        );
    }
    let kind = value
        .get("kind")
        .and_then(|v| v.as_str())
        .ok_or("no `kind`")?
        .to_string();
    let seq = value
        .get("seq")
        .and_then(|v| v.as_u64())
        .ok_or("no `seq`")?;
    let prev = value
        .get("prev")
        .and_then(|v| v.as_str())
        .ok_or("no `prev`")?
        .to_string();
    Ok(Parsed {
        kind,
        seq,
        prev,
        value,
    })
}

/// A crash repair: the incomplete line that was terminated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Repair {
    /// Line number of the incomplete line.
    pub line: u64,
    /// Its length in bytes.
    pub bytes: u64,
    /// SHA-256 of its bytes.
    pub sha256: String,
    pub reason: String,
}

/// Body of the header line (`kind: "header"`, `seq: 0`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub format: String,
    pub version: u32,
    pub created: String,
    /// This file's name (`2025-01.jsonl`).
    pub file: String,
    /// The previous month file of the chain; its last line's hash is `prev`.
    pub prev_file: Option<String>,
    /// `seq` of the previous file's last line.
    pub prev_file_seq: Option<u64>,
    pub kiro_guard: String,
    pub host: String,
    /// Set when the header follows an incomplete first line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repair: Option<Repair>,
}

/// Body of a `kind: "break"` line: starts a new segment after an incomplete
/// line; its `prev` links to the last complete line before it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Break {
    pub time: String,
    pub host: String,
    pub repair: Repair,
}

/// One moved file in a `kind: "rotate"` line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Moved {
    pub file: String,
    /// SHA-256 of the whole file.
    pub sha256: String,
    pub lines: u64,
}

/// Body of a `kind: "rotate"` line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rotation {
    pub time: String,
    pub user: String,
    pub host: String,
    pub archive: String,
    pub moved: Vec<Moved>,
}

/// Whether a file name is a month file `YYYY-MM.jsonl`.
pub fn is_month_file(name: &str) -> bool {
    let b = name.as_bytes();
    name.len() == 13
        && name.ends_with(".jsonl")
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
}

/// Month files in `dir`, oldest first (empty when `dir` does not exist).
pub fn month_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let rd = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(e).with_context(|| format!("cannot list audit log {}", dir.display()));
        }
    };
    let mut files = Vec::new();
    for entry in rd {
        let entry = entry.with_context(|| format!("cannot list audit log {}", dir.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if is_month_file(&name) {
            files.push(entry.path());
        }
    }
    files.sort();
    Ok(files)
}

/// An exclusive lock on `<dir>/.lock`, released on drop.
pub struct DirLock {
    _file: File,
}

impl DirLock {
    /// Create the directory if needed and take the lock (blocking).
    pub fn acquire(dir: &Path) -> Result<DirLock> {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create audit log directory {}", dir.display()))?;
        let path = dir.join(LOCK_FILE);
        // flock works on a read-only descriptor too: in a shared directory
        // the lock file may belong to another user.
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(&path)
            .or_else(|e| File::open(&path).map_err(|_| e))
            .with_context(|| format!("cannot open audit log lock file {}", path.display()))?;
        file.lock()
            .with_context(|| format!("cannot lock audit log {}", path.display()))?;
        Ok(DirLock { _file: file })
    }
}

/// The end of a file: its last complete line and a trailing incomplete one.
#[derive(Debug, Default)]
pub struct Tail {
    pub last: Option<Vec<u8>>,
    pub partial: Option<Vec<u8>>,
}

/// Read the last complete line and any incomplete line after it, reading
/// backwards from the end.
pub fn read_tail(file: &mut File) -> io::Result<Tail> {
    let len = file.metadata()?.len();
    let mut window: u64 = 64 << 10;
    loop {
        let w = window.min(len);
        let start = len - w;
        file.seek(SeekFrom::Start(start))?;
        let mut buf = vec![0u8; w as usize];
        file.read_exact(&mut buf)?;
        let whole = start == 0;
        let (complete, partial) = match buf.iter().rposition(|&b| b == b'\n') {
            Some(i) => (
                &buf[..i],
                (i + 1 < buf.len()).then(|| buf[i + 1..].to_vec()),
            ),
            None if whole => {
                return Ok(Tail {
                    last: None,
                    partial: (!buf.is_empty()).then_some(buf),
                });
            }
            None => {
                window *= 4;
                continue;
            }
        };
        let last = match complete.iter().rposition(|&b| b == b'\n') {
            Some(j) => complete[j + 1..].to_vec(),
            None if whole => complete.to_vec(),
            None => {
                window *= 4;
                continue;
            }
        };
        return Ok(Tail {
            last: Some(last),
            partial,
        });
    }
}

/// Number of newline characters in a file.
fn count_newlines(file: &mut File) -> io::Result<u64> {
    file.seek(SeekFrom::Start(0))?;
    let mut buf = vec![0u8; 1 << 16];
    let mut n = 0u64;
    loop {
        let k = file.read(&mut buf)?;
        if k == 0 {
            return Ok(n);
        }
        n += buf[..k].iter().filter(|&&b| b == b'\n').count() as u64;
    }
}

/// `seq` of a line, if it parses.
fn seq_of(line: &[u8]) -> Option<u64> {
    serde_json::from_slice::<serde_json::Value>(line)
        .ok()?
        .get("seq")?
        .as_u64()
}

/// Where the next line of a file links to.
struct Head {
    prev: String,
    seq: u64,
}

fn write_line(file: &mut File, path: &Path, line: &str) -> Result<()> {
    let mut bytes = Vec::with_capacity(line.len() + 1);
    bytes.extend_from_slice(line.as_bytes());
    bytes.push(b'\n');
    file.write_all(&bytes)
        .with_context(|| format!("cannot write audit log {}", path.display()))
}

fn sync(file: &File, path: &Path) -> Result<()> {
    file.sync_data()
        .with_context(|| format!("cannot sync audit log {} to disk", path.display()))
}

fn sync_dir(dir: &Path) {
    // Best effort: makes a new file's directory entry durable.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Make a file ready for appending and return its head: terminate and
/// record an incomplete last line (a crash mid-write), write the header of
/// an empty file. `prev_file` is the previous month file (for a header).
fn prepare(
    file: &mut File,
    path: &Path,
    prev_file: Option<&Path>,
    host: &str,
    now: &str,
) -> Result<(Head, bool)> {
    let tail = read_tail(file).with_context(|| format!("cannot read {}", path.display()))?;
    let mut repair = None;
    if let Some(partial) = &tail.partial {
        // Complete but for the newline?
        if let Ok(p) = check_line(partial) {
            let links = match &tail.last {
                Some(last) => p.prev == sha256_hex(last),
                None => p.kind == "header" && p.seq == 0,
            };
            if links {
                file.write_all(b"\n")
                    .with_context(|| format!("cannot write audit log {}", path.display()))?;
                return Ok((
                    Head {
                        prev: sha256_hex(partial),
                        seq: p.seq,
                    },
                    false,
                ));
            }
        }
        let line_no =
            count_newlines(file).with_context(|| format!("cannot read {}", path.display()))? + 1;
        file.write_all(b"\n")
            .with_context(|| format!("cannot write audit log {}", path.display()))?;
        repair = Some(Repair {
            line: line_no,
            bytes: partial.len() as u64,
            sha256: sha256_hex(partial),
            reason: "incomplete line (truncated write, e.g. a crash or a full disk); terminated by the next append, which starts a new chain segment".into(),
        });
    }
    match tail.last {
        Some(last) => {
            let mut head = Head {
                prev: sha256_hex(&last),
                seq: seq_of(&last).unwrap_or(0),
            };
            if let Some(repair) = repair {
                let line = seal(
                    "break",
                    head.seq + 1,
                    &head.prev,
                    &Break {
                        time: now.to_string(),
                        host: host.to_string(),
                        repair,
                    },
                )?;
                write_line(file, path, &line)?;
                head = Head {
                    prev: sha256_hex(line.as_bytes()),
                    seq: head.seq + 1,
                };
            }
            Ok((head, false))
        }
        None => {
            // Empty, or only an incomplete first line: write the header.
            let (prev, prev_file_name, prev_file_seq) = match prev_file {
                Some(pf) => {
                    let h = link_head(pf, host, now)?;
                    (h.prev, Some(file_name(pf)), Some(h.seq))
                }
                None => (ZERO_HASH.to_string(), None, None),
            };
            let header = Header {
                format: FORMAT.into(),
                version: FORMAT_VERSION,
                created: now.to_string(),
                file: file_name(path),
                prev_file: prev_file_name,
                prev_file_seq,
                kiro_guard: env!("CARGO_PKG_VERSION").into(),
                host: host.to_string(),
                repair,
            };
            let line = seal("header", 0, &prev, &header)?;
            write_line(file, path, &line)?;
            Ok((
                Head {
                    prev: sha256_hex(line.as_bytes()),
                    seq: 0,
                },
                true,
            ))
        }
    }
}

/// The head of the previous month file, repairing it first if its last
/// line is incomplete (so the new header links to a complete line).
fn link_head(path: &Path, host: &str, now: &str) -> Result<Head> {
    let mut file = OpenOptions::new()
        .read(true)
        .append(true)
        .open(path)
        .with_context(|| format!("cannot open audit log {}", path.display()))?;
    let (head, _) = prepare(&mut file, path, None, host, now)?;
    sync(&file, path)?;
    Ok(head)
}

/// Where an append went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appended {
    pub file: PathBuf,
    pub seq: u64,
}

/// Append a decision record (already sanitised).
pub fn append_record(dir: &Path, record: &AuditRecord) -> Result<Appended> {
    let month = record.time.get(..7).unwrap_or("").to_string();
    let _lock = DirLock::acquire(dir)?;
    append_locked(dir, "decision", record, &month, &record.host)
}

/// Append a line of `kind` with `body` while holding the [`DirLock`]. The
/// file is `<month>.jsonl`, or the newest month file if that is later (a
/// chain only moves forward).
pub fn append_locked<T: Serialize>(
    dir: &Path,
    kind: &str,
    body: &T,
    month: &str,
    host: &str,
) -> Result<Appended> {
    if !is_month_file(&format!("{month}.jsonl")) {
        bail!("audit record: bad month {month:?}");
    }
    let files = month_files(dir)?;
    let mut name = format!("{month}.jsonl");
    if let Some(newest) = files.last() {
        let newest = file_name(newest);
        if newest > name {
            name = newest;
        }
    }
    let path = dir.join(&name);
    let prev_file = files.iter().rev().find(|p| file_name(p) < name).cloned();
    let now = super::now_rfc3339();
    let mut file = OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .open(&path)
        .with_context(|| format!("cannot open audit log {} for appending", path.display()))?;
    let (head, created) = prepare(&mut file, &path, prev_file.as_deref(), host, &now)?;
    let seq = head.seq + 1;
    let line = seal(kind, seq, &head.prev, body)?;
    write_line(&mut file, &path, &line)?;
    sync(&file, &path)?;
    if created {
        sync_dir(dir);
    }
    Ok(Appended { file: path, seq })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_and_unseal_round_trip() {
        let line = seal("decision", 3, ZERO_HASH, &serde_json::json!({"a": 1})).unwrap();
        assert!(line.starts_with(r#"{"kind":"decision","seq":3,"prev":"000"#));
        let p = check_line(line.as_bytes()).unwrap();
        assert_eq!(p.seq, 3);
        let altered = line.replace(r#""a":1"#, r#""a":2"#);
        assert!(
            check_line(altered.as_bytes())
                .unwrap_err()
                .contains("altered")
        );
        assert!(check_line(b"{\"kind\":\"x\"}").is_err());
        assert!(check_line(b"garbage").is_err());
    }

    #[test]
    fn month_file_names() {
        assert!(is_month_file("2025-01.jsonl"));
        assert!(!is_month_file("2025-1.jsonl"));
        assert!(!is_month_file("notes.jsonl"));
    }

    #[test]
    fn tail_reading() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t");
        type Case<'a> = (&'a [u8], Option<&'a [u8]>, Option<&'a [u8]>);
        let cases: &[Case] = &[
            (b"", None, None),
            (b"abc", None, Some(b"abc")),
            (b"a\n", Some(b"a"), None),
            (b"a\nbb\n", Some(b"bb"), None),
            (b"a\nbb\ncc", Some(b"bb"), Some(b"cc")),
        ];
        for (content, last, partial) in cases {
            std::fs::write(&p, content).unwrap();
            let t = read_tail(&mut File::open(&p).unwrap()).unwrap();
            assert_eq!(t.last.as_deref(), *last, "{content:?}");
            assert_eq!(t.partial.as_deref(), *partial, "{content:?}");
        }
        // Longer than the first window.
        let long = "x".repeat(200_000);
        std::fs::write(&p, format!("h\n{long}\nyy")).unwrap();
        let t = read_tail(&mut File::open(&p).unwrap()).unwrap();
        assert_eq!(t.last.unwrap().len(), 200_000);
        assert_eq!(t.partial.as_deref(), Some(&b"yy"[..]));
    }
}
