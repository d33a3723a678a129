//! Reading what git is about to commit or push: staged blobs and commit
//! ranges, with only the added lines counted.

use crate::diff::added_lines;
use crate::files;
use crate::guard::{ErrorEntry, Item};
use anyhow::{Context, Result, bail};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Configuration that changes what `git diff` prints, pinned for every git
/// call: neither `git -c`, the environment nor a repository, global or
/// include file can change the prefixes, hide lines as binary or route the
/// diff through an external program or text conversion.
const PINNED: &[&str] = &[
    "-c",
    "diff.noprefix=false",
    "-c",
    "diff.mnemonicPrefix=false",
    "-c",
    "diff.relative=false",
    "-c",
    "diff.external=",
    "-c",
    "core.quotePath=true",
    "-c",
    "core.attributesFile=",
];

/// Options every `git diff` here takes, for the same reason as [`PINNED`].
pub const DIFF_PINNED: &[&str] = &[
    "--no-color",
    "--no-ext-diff",
    "--no-textconv",
    "--text",
    "--src-prefix=a/",
    "--dst-prefix=b/",
    "--no-relative",
];

/// Environment variables through which a caller (`git -c ...`,
/// `GIT_CONFIG_COUNT=...`) injects configuration into git hooks and our git
/// calls; removed for every git call.
const SCRUBBED_ENV: &[&str] = &[
    "GIT_CONFIG_PARAMETERS",
    "GIT_CONFIG_COUNT",
    "GIT_EXTERNAL_DIFF",
    "GIT_DIFF_OPTS",
    "GIT_ATTR_SOURCE",
    "GIT_CONFIG_NOSYSTEM",
];

/// A git command with pinned configuration and a scrubbed environment.
pub fn command(dir: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.arg("-C").arg(dir).args(PINNED);
    for v in SCRUBBED_ENV {
        cmd.env_remove(v);
    }
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy();
        if k.starts_with("GIT_CONFIG_KEY_") || k.starts_with("GIT_CONFIG_VALUE_") {
            cmd.env_remove(k.as_ref());
        }
    }
    cmd
}

/// Run git in `dir` and return stdout, failing with git's stderr.
pub fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>> {
    let out = command(dir)
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
            &[
                "diff",
                "--cached",
                "-U0",
                "--diff-filter=ACMR",
                "--no-renames",
            ][..],
            DIFF_PINNED,
        ]
        .concat(),
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
            &["diff", "-U0", "--diff-filter=ACMR", "--no-renames"][..],
            DIFF_PINNED,
            &[range.as_str()],
        ]
        .concat(),
    )?;
    items_from_diff(root, &String::from_utf8_lossy(&diff), &new_side, max_size)
}

/// The git directory of the repository containing `start`, found without
/// running git (`.git` directory, or a `.git` file's `gitdir:` line).
pub fn git_dir_of(start: &Path) -> Option<PathBuf> {
    let abs = std::fs::canonicalize(start).ok()?;
    abs.ancestors().find_map(|a| {
        let g = a.join(".git");
        if g.is_dir() {
            Some(g)
        } else if g.is_file() {
            let text = std::fs::read_to_string(&g).ok()?;
            let rel = text.trim().strip_prefix("gitdir:")?.trim().to_string();
            let p = PathBuf::from(&rel);
            Some(if p.is_absolute() { p } else { a.join(p) })
        } else {
            None
        }
    })
}

/// The bytes of one blob (`HEAD:path`, `:path` for the index).
pub fn show_blob(root: &Path, spec: &str) -> Result<Vec<u8>> {
    git(root, &["cat-file", "blob", spec])
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
    let mut child = command(root)
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
            &[&["diff", "HEAD", "-U0", "--no-renames"][..], DIFF_PINNED].concat(),
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
