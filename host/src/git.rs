//! Reading what git is about to commit or push: staged blobs and commit
//! ranges, with only the added lines counted.

use crate::diff::added_lines;
use crate::files;
use crate::guard::{ErrorEntry, Item};
use anyhow::{Context, Result, bail};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Run git in `dir` and return stdout, failing with git's stderr.
pub fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .context("cannot run git (is it installed?)")?;
    if !out.status.success() {
        bail!(
            "git {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(out.stdout)
}

/// The repository's top-level directory.
pub fn repo_root(dir: &Path) -> Result<PathBuf> {
    let out = git(dir, &["rev-parse", "--show-toplevel"]).context("not inside a git repository")?;
    Ok(PathBuf::from(String::from_utf8_lossy(&out).trim()))
}

/// Whether `rev` names an existing commit.
pub fn commit_exists(root: &Path, rev: &str) -> bool {
    git(root, &["cat-file", "-e", &format!("{rev}^{{commit}}")]).is_ok()
}

/// Items for the staged changes (the index), counting only added lines.
pub fn staged_items(root: &Path, max_size: u64) -> Result<(Vec<Item>, Vec<ErrorEntry>)> {
    let diff = git(
        root,
        &[
            "diff",
            "--cached",
            "-U0",
            "--no-color",
            "--no-ext-diff",
            "--diff-filter=ACMR",
            "--no-renames",
        ],
    )?;
    items_from_diff(root, &String::from_utf8_lossy(&diff), "", max_size)
}

/// Items for a commit range (`A..B`, `A...B`, or `A` meaning `A..HEAD`).
pub fn range_items(
    root: &Path,
    range: &str,
    max_size: u64,
) -> Result<(Vec<Item>, Vec<ErrorEntry>)> {
    let (range, new_side) = normalize_range(range);
    let diff = git(
        root,
        &[
            "diff",
            "-U0",
            "--no-color",
            "--no-ext-diff",
            "--diff-filter=ACMR",
            "--no-renames",
            &range,
        ],
    )?;
    items_from_diff(root, &String::from_utf8_lossy(&diff), &new_side, max_size)
}

/// `A` → (`A..HEAD`, `HEAD`); `A..B` / `A...B` → (range, `B` or HEAD).
pub fn normalize_range(range: &str) -> (String, String) {
    if let Some((_, b)) = range.split_once("...").or_else(|| range.split_once("..")) {
        let b = if b.is_empty() { "HEAD" } else { b };
        (range.to_string(), b.to_string())
    } else {
        (format!("{range}..HEAD"), "HEAD".to_string())
    }
}

fn items_from_diff(
    root: &Path,
    diff: &str,
    rev: &str,
    max_size: u64,
) -> Result<(Vec<Item>, Vec<ErrorEntry>)> {
    let mut items = Vec::new();
    let mut errors = Vec::new();
    let added = added_lines(diff);
    let specs: Vec<String> = added.keys().map(|p| format!("{rev}:{p}")).collect();
    let blobs = cat_blobs(root, &specs, max_size)?;
    for ((path, ranges), blob) in added.into_iter().zip(blobs) {
        match blob {
            Blob::Text(bytes) if files::is_binary(&bytes) => {
                errors.push(note(&path, "binary file; not scanned"))
            }
            Blob::Text(bytes) => {
                let mut doc = files::document(&path, files::decode(bytes));
                doc.changed_lines = Some(ranges);
                items.push(Item::file(doc));
            }
            Blob::TooBig(n) => errors.push(note(
                &path,
                &format!("{n} bytes is over the {max_size}-byte limit; not scanned"),
            )),
            Blob::Missing => errors.push(note(&path, "not found in git (submodule or deleted)")),
        }
    }
    Ok((items, errors))
}

fn note(path: &str, message: &str) -> ErrorEntry {
    ErrorEntry {
        kind: "skipped".into(),
        skill: None,
        path: Some(path.into()),
        message: message.into(),
    }
}

enum Blob {
    Text(Vec<u8>),
    TooBig(u64),
    Missing,
}

/// Read many blobs with one `git cat-file --batch`.
fn cat_blobs(root: &Path, specs: &[String], max_size: u64) -> Result<Vec<Blob>> {
    if specs.is_empty() {
        return Ok(Vec::new());
    }
    let mut child = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .context("cannot run git cat-file")?;
    let mut stdin = child.stdin.take().expect("piped");
    let input: String = specs.iter().map(|s| format!("{s}\n")).collect();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let mut out = Vec::new();
    child.stdout.take().expect("piped").read_to_end(&mut out)?;
    let _ = writer.join();
    child.wait()?;
    let mut blobs = Vec::new();
    let mut pos = 0;
    for _ in specs {
        let Some(nl) = out[pos..].iter().position(|&b| b == b'\n') else {
            break;
        };
        let header = String::from_utf8_lossy(&out[pos..pos + nl]).into_owned();
        pos += nl + 1;
        let parts: Vec<&str> = header.split(' ').collect();
        if parts.len() == 3 && parts[1] == "blob" {
            let size: usize = parts[2].parse().unwrap_or(0);
            let end = (pos + size).min(out.len());
            let body = out[pos..end].to_vec();
            pos = end + 1;
            if size as u64 > max_size {
                blobs.push(Blob::TooBig(size as u64));
            } else {
                blobs.push(Blob::Text(body));
            }
        } else if parts.len() == 3 {
            // Not a blob (a submodule commit): skip its content.
            let size: usize = parts[2].parse().unwrap_or(0);
            pos = (pos + size + 1).min(out.len());
            blobs.push(Blob::Missing);
        } else {
            blobs.push(Blob::Missing);
        }
    }
    while blobs.len() < specs.len() {
        blobs.push(Blob::Missing);
    }
    Ok(blobs)
}

/// Items for the working tree's uncommitted changes (tracked files: added
/// lines against HEAD; untracked files: whole), read from disk. Used where
/// an agent event names no file (legacy Kiro IDE file events).
pub fn worktree_items(root: &Path, max_size: u64) -> Result<(Vec<Item>, Vec<ErrorEntry>)> {
    let status = git(
        root,
        &["status", "--porcelain=v1", "-z", "--untracked-files=all"],
    )?;
    let has_head = commit_exists(root, "HEAD");
    let diff = if has_head {
        String::from_utf8_lossy(&git(
            root,
            &[
                "diff",
                "HEAD",
                "-U0",
                "--no-color",
                "--no-ext-diff",
                "--no-renames",
            ],
        )?)
        .into_owned()
    } else {
        String::new()
    };
    let added = added_lines(&diff);
    let mut items = Vec::new();
    let mut errors = Vec::new();
    let entries: Vec<&[u8]> = status.split(|&b| b == 0).filter(|e| e.len() > 3).collect();
    for entry in entries.into_iter().take(500) {
        let code = &entry[..2];
        let path = String::from_utf8_lossy(&entry[3..]).into_owned();
        if code.contains(&b'D') {
            continue;
        }
        match files::load(&root.join(&path), max_size) {
            files::Loaded::Item(item) => {
                if let kiro_guard_skill::Input::File(mut d) = item.input {
                    d.path = path.clone();
                    if code != b"??"
                        && let Some(r) = added.get(&path)
                    {
                        d.changed_lines = Some(r.clone());
                    }
                    items.push(Item::file(d));
                }
            }
            files::Loaded::Skipped(mut e) => {
                e.path = Some(path);
                errors.push(e);
            }
        }
    }
    Ok((items, errors))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(
            normalize_range("main"),
            ("main..HEAD".into(), "HEAD".into())
        );
        assert_eq!(normalize_range("a..b"), ("a..b".into(), "b".into()));
        assert_eq!(normalize_range("a...b"), ("a...b".into(), "b".into()));
        assert_eq!(normalize_range("a.."), ("a..".into(), "HEAD".into()));
    }
}
