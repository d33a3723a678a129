//! `kiro-guard audit verify`: check each file's hash chain and the links
//! between month files; report the first problem of each file with its line
//! number.

use super::VerifyOptions;
use super::chain::{self, Header, Moved, Repair, Rotation, ZERO_HASH, check_line, sha256_hex};
use anyhow::Result;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Context (e.g. the chain continues from a file not verified).
    Note,
    /// Not tampering, but worth knowing: a repaired crash.
    Warning,
    /// The chain is broken: verification fails.
    Error,
}

/// One problem, at a line of a file (line 0: the file as a whole).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub level: Level,
    pub file: PathBuf,
    pub line: u64,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let level = match self.level {
            Level::Note => "note",
            Level::Warning => "warning",
            Level::Error => "error",
        };
        if self.line == 0 {
            write!(f, "{level}: {}: {}", self.file.display(), self.message)
        } else {
            write!(
                f,
                "{level}: {}:{}: {}",
                self.file.display(),
                self.line,
                self.message
            )
        }
    }
}

/// What one file holds, as far as it verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileSummary {
    pub path: PathBuf,
    pub lines: u64,
    /// `decision` lines.
    pub records: u64,
    /// The last valid line's `seq` and SHA-256 (the chain head).
    pub head_seq: Option<u64>,
    pub head_sha256: Option<String>,
    /// The header's link to the previous file.
    pub prev_file: Option<String>,
    pub prev_file_seq: Option<u64>,
    pub header_prev: Option<String>,
    /// Whether no error was found.
    pub ok: bool,
    /// Files moved away by `audit rotate` (from `rotate` lines).
    #[serde(skip)]
    pub rotated: Vec<Moved>,
}

/// The result of verifying a set of files.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Verification {
    pub files: Vec<FileSummary>,
    pub problems: Vec<Problem>,
}

impl Verification {
    pub fn errors(&self) -> usize {
        self.problems
            .iter()
            .filter(|p| p.level == Level::Error)
            .count()
    }
    pub fn warnings(&self) -> usize {
        self.problems
            .iter()
            .filter(|p| p.level == Level::Warning)
            .count()
    }
    pub fn ok(&self) -> bool {
        self.errors() == 0
    }
    /// Decision records in all files.
    pub fn records(&self) -> u64 {
        self.files.iter().map(|f| f.records).sum()
    }
}

fn repair_of(p: &chain::Parsed) -> Option<Repair> {
    serde_json::from_value(p.value.get("repair")?.clone()).ok()
}

/// Verify one file on its own (no cross-file links).
pub fn verify_file(path: &Path) -> Result<(FileSummary, Vec<Problem>)> {
    let data = super::read_file(path)?;
    let mut problems = Vec::new();
    let mut summary = FileSummary {
        path: path.to_path_buf(),
        lines: 0,
        records: 0,
        head_seq: None,
        head_sha256: None,
        prev_file: None,
        prev_file_seq: None,
        header_prev: None,
        ok: true,
        rotated: Vec::new(),
    };
    let err = |problems: &mut Vec<Problem>, line: u64, message: String| {
        problems.push(Problem {
            level: Level::Error,
            file: path.to_path_buf(),
            line,
            message,
        });
    };
    if data.is_empty() {
        err(
            &mut problems,
            0,
            "empty file (no header line); it was truncated or never completed".into(),
        );
        summary.ok = false;
        return Ok((summary, problems));
    }
    let terminated = data.ends_with(b"\n");
    let body = if terminated {
        &data[..data.len() - 1]
    } else {
        &data[..]
    };
    let lines: Vec<&[u8]> = body.split(|&b| b == b'\n').collect();
    summary.lines = lines.len() as u64;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();

    // The last valid line: (line number, seq, sha256).
    let mut head: Option<(u64, u64, String)> = None;
    let mut i = 0usize;
    while i < lines.len() {
        let no = i as u64 + 1;
        let line = lines[i];
        let is_last = i + 1 == lines.len();
        let parsed = match check_line(line) {
            Ok(p) => p,
            Err(why) => {
                // A crash repaired by the next append?
                if let Some(next) = lines.get(i + 1)
                    && let Ok(np) = check_line(next)
                    && let Some(r) = repair_of(&np)
                    && r.line == no
                    && r.sha256 == sha256_hex(line)
                {
                    problems.push(Problem {
                        level: Level::Warning,
                        file: path.to_path_buf(),
                        line: no,
                        message: format!(
                            "incomplete line (truncated write: a crash or a full disk), repaired by line {}, which starts a new chain segment",
                            no + 1
                        ),
                    });
                    i += 1;
                    continue;
                }
                let message = if is_last && !terminated {
                    format!(
                        "line {no} incomplete (truncated write): {} bytes without a newline at the end of the file; the next append repairs it",
                        line.len()
                    )
                } else {
                    why
                };
                err(&mut problems, no, message);
                summary.ok = false;
                break;
            }
        };
        if is_last && !terminated {
            problems.push(Problem {
                level: Level::Warning,
                file: path.to_path_buf(),
                line: no,
                message: "no newline at the end of the file (the write of the newline was interrupted); the next append adds it".into(),
            });
        }
        match &head {
            None => {
                if parsed.kind != "header" {
                    err(
                        &mut problems,
                        no,
                        format!(
                            "expected the header line (kind \"header\"), found kind {:?}; the start of the file was removed",
                            parsed.kind
                        ),
                    );
                    summary.ok = false;
                    break;
                }
                let header: Header = match serde_json::from_value(parsed.value.clone()) {
                    Ok(h) => h,
                    Err(e) => {
                        err(&mut problems, no, format!("malformed header: {e}"));
                        summary.ok = false;
                        break;
                    }
                };
                if parsed.seq != 0 {
                    err(
                        &mut problems,
                        no,
                        format!("header has seq {}, expected 0", parsed.seq),
                    );
                    summary.ok = false;
                    break;
                }
                if header.file != name {
                    err(
                        &mut problems,
                        no,
                        format!(
                            "the header names file {:?} but this file is {name:?} (renamed or replaced)",
                            header.file
                        ),
                    );
                    summary.ok = false;
                    break;
                }
                if header.prev_file.is_none() && parsed.prev != ZERO_HASH {
                    err(
                        &mut problems,
                        no,
                        "header has no previous file but a non-zero `prev`".into(),
                    );
                    summary.ok = false;
                    break;
                }
                summary.prev_file = header.prev_file;
                summary.prev_file_seq = header.prev_file_seq;
                summary.header_prev = Some(parsed.prev.clone());
            }
            Some((hno, hseq, hhash)) => {
                let link_ok = parsed.prev == *hhash;
                let seq_ok = parsed.seq == hseq + 1;
                if !link_ok || !seq_ok || parsed.kind == "header" {
                    let mut m = if parsed.kind == "header" {
                        "a second header line in the middle of the file".to_string()
                    } else if !link_ok {
                        format!(
                            "chain broken: `prev` does not match the SHA-256 of line {hno} (a line was changed, deleted, inserted or reordered before this one)"
                        )
                    } else {
                        String::from("sequence broken")
                    };
                    if !seq_ok {
                        m.push_str(&format!("; seq is {}, expected {}", parsed.seq, hseq + 1));
                    }
                    err(&mut problems, no, m);
                    summary.ok = false;
                    break;
                }
            }
        }
        match parsed.kind.as_str() {
            "decision" => summary.records += 1,
            "rotate" => {
                if let Ok(r) = serde_json::from_value::<Rotation>(parsed.value.clone()) {
                    summary.rotated.extend(r.moved);
                }
            }
            "break" => {
                if repair_of(&parsed).is_none() {
                    err(&mut problems, no, "break line without `repair`".into());
                    summary.ok = false;
                    break;
                }
            }
            "header" => {}
            other => {
                problems.push(Problem {
                    level: Level::Note,
                    file: path.to_path_buf(),
                    line: no,
                    message: format!("unknown line kind {other:?} (newer kiro-guard?)"),
                });
            }
        }
        head = Some((no, parsed.seq, sha256_hex(line)));
        i += 1;
    }
    if let Some((_, seq, hash)) = head {
        summary.head_seq = Some(seq);
        summary.head_sha256 = Some(hash);
    }
    Ok((summary, problems))
}

fn name_of(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Verify files and the links between them. `whole_log`: the set is the
/// whole log (a missing predecessor is an error unless a `rotate` line
/// accounts for it); otherwise a predecessor outside the set is a note.
pub fn verify_files(files: &[PathBuf], whole_log: bool) -> Result<Verification> {
    let mut files = files.to_vec();
    files.sort_by_key(|p| name_of(p));
    let mut v = Verification::default();
    for f in &files {
        let (s, mut problems) = verify_file(f)?;
        v.files.push(s);
        v.problems.append(&mut problems);
    }
    let rotated: BTreeMap<String, &Moved> = v
        .files
        .iter()
        .flat_map(|f| f.rotated.iter())
        .map(|m| (m.file.clone(), m))
        .collect();
    let by_name: BTreeMap<String, usize> = v
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| (name_of(&f.path), i))
        .collect();
    let mut link_problems = Vec::new();
    for (i, f) in v.files.iter().enumerate() {
        if f.header_prev.is_none() {
            continue; // no valid header; already reported
        }
        let earlier = i.checked_sub(1).map(|j| &v.files[j]);
        let problem = |level, message| Problem {
            level,
            file: f.path.clone(),
            line: 1,
            message,
        };
        match (&f.prev_file, earlier) {
            (None, None) => {}
            (None, Some(e)) => link_problems.push(problem(
                Level::Error,
                format!(
                    "the header starts a new chain, but {} comes before it; the link between them is missing",
                    name_of(&e.path)
                ),
            )),
            (Some(pf), _) => match by_name.get(pf) {
                Some(&j) if j + 1 == i => {
                    let p = &v.files[j];
                    if !p.ok {
                        continue;
                    }
                    if f.header_prev != p.head_sha256 || f.prev_file_seq != p.head_seq {
                        link_problems.push(problem(
                            Level::Error,
                            format!(
                                "the header's link to {pf} (seq {}) does not match its last line (seq {}): lines were removed from the end of {pf}, added after this file was started, or the file was replaced",
                                f.prev_file_seq.map_or("-".into(), |s| s.to_string()),
                                p.head_seq.map_or("-".into(), |s| s.to_string()),
                            ),
                        ));
                    }
                }
                Some(_) => link_problems.push(problem(
                    Level::Error,
                    format!("the header links to {pf}, but another file comes between them"),
                )),
                None => {
                    let inside = earlier.is_some();
                    if let Some(m) = rotated.get(pf) {
                        link_problems.push(problem(
                            Level::Note,
                            format!(
                                "the chain continues from {pf}, archived by `audit rotate` (sha256 {}); pass --archive DIR to verify it too",
                                &m.sha256[..16.min(m.sha256.len())]
                            ),
                        ));
                    } else if whole_log || inside {
                        link_problems.push(problem(
                            Level::Error,
                            format!(
                                "the chain continues from {pf}, which is missing (deleted, or moved without `audit rotate`; if archived, pass --archive DIR)"
                            ),
                        ));
                    } else {
                        link_problems.push(problem(
                            Level::Note,
                            format!("the chain continues from {pf}, which was not verified"),
                        ));
                    }
                }
            },
        }
    }
    v.problems.append(&mut link_problems);
    v.problems.sort_by(|a, b| {
        (name_of(&a.file), a.line, std::cmp::Reverse(a.level)).cmp(&(
            name_of(&b.file),
            b.line,
            std::cmp::Reverse(b.level),
        ))
    });
    Ok(v)
}

/// The files `verify` and `report` read: explicit files, else the log
/// directory's month files plus those of the archives.
pub fn collect(log_dir: &Path, archives: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = chain::month_files(log_dir)?;
    for a in archives {
        let more = chain::month_files(a)?;
        for m in more {
            if files.iter().any(|f| name_of(f) == name_of(&m)) {
                anyhow::bail!(
                    "{} is both in the log directory and in the archive {}",
                    name_of(&m),
                    a.display()
                );
            }
            files.push(m);
        }
    }
    files.sort_by_key(|p| name_of(p));
    Ok(files)
}

/// `kiro-guard audit verify`; returns the exit code.
pub fn run(a: VerifyOptions) -> Result<i32> {
    let (files, whole) = if a.files.is_empty() {
        let log = a.log.log()?;
        let files = collect(log.dir(), &a.archive)?;
        if let Some(w) = log.witness() {
            // Records were appended here before: their absence is a failure.
            let present = files
                .iter()
                .any(|f| f.file_name().is_some_and(|n| n.to_string_lossy() == w.file));
            let v = if files.is_empty() {
                None
            } else {
                verify_files(&files, true).ok()
            };
            let head = v
                .as_ref()
                .and_then(|v| v.files.iter().filter_map(|f| f.head_seq).max())
                .unwrap_or(0);
            if !present || head < w.seq {
                println!(
                    "error  {}: audit records are missing: the last record appended was seq {} in {}, but the log {}; the log was deleted or truncated",
                    log.dir().display(),
                    w.seq,
                    w.file,
                    if files.is_empty() {
                        "has no files".to_string()
                    } else {
                        format!("ends at seq {head}")
                    }
                );
                println!("verification FAILED: records missing");
                return Ok(crate::exit::FAILED);
            }
        }
        if files.is_empty() {
            eprintln!(
                "kiro-guard: no audit log files (YYYY-MM.jsonl) in {}; nothing to verify",
                log.dir().display()
            );
            return Ok(crate::exit::OK);
        }
        (files, true)
    } else {
        (a.files.clone(), false)
    };
    let v = verify_files(&files, whole)?;
    for f in &v.files {
        if !a.quiet && f.ok {
            println!(
                "ok     {}: {} lines, {} decisions, head seq {} sha256 {}",
                f.path.display(),
                f.lines,
                f.records,
                f.head_seq.map_or("-".into(), |s| s.to_string()),
                f.head_sha256.as_deref().unwrap_or("-"),
            );
        }
    }
    for p in &v.problems {
        if a.quiet && p.level == Level::Note {
            continue;
        }
        println!("{p}");
    }
    let failed = v.errors() > 0 || (a.strict && v.warnings() > 0);
    println!(
        "{}: {} file(s), {} decision(s), {} error(s), {} warning(s)",
        if failed {
            "verification FAILED"
        } else {
            "verification passed"
        },
        v.files.len(),
        v.records(),
        v.errors(),
        v.warnings()
    );
    Ok(if failed {
        crate::exit::FAILED
    } else {
        crate::exit::OK
    })
}
