//! Reading what git is about to commit or push: staged blobs and commit
//! ranges, with only the added lines counted.

use crate::diff::added_lines;
use crate::files;
use crate::item::Item;
use crate::report::{ErrorEntry, ErrorKind};
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
///
/// Found without starting git in the common case (see [`find_work_tree`]);
/// asks `git rev-parse --show-toplevel` whenever the layout is anything but
/// plain.
pub fn repo_root(dir: &Path) -> Result<PathBuf> {
    match discover(dir) {
        Discovery::WorkTree(root) => return Ok(root),
        Discovery::NotARepository => bail!("not inside a git repository"),
        Discovery::AskGit => {}
    }
    let out = git(dir, &["rev-parse", "--show-toplevel"]).context("not inside a git repository")?;
    Ok(PathBuf::from(String::from_utf8_lossy(&out).trim()))
}

/// Environment variables that change where git looks for the repository.
const DISCOVERY_ENV: &[&str] = &[
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_CEILING_DIRECTORIES",
    "GIT_DISCOVERY_ACROSS_FILESYSTEM",
    "GIT_COMMON_DIR",
];

/// The work tree containing `dir`, as `git rev-parse --show-toplevel`
/// prints it, when it can be told from the file system alone: no discovery
/// variables in the environment, no `.git` component in the path, and the
/// nearest `.git` is a directory holding `HEAD` and `config` (a linked work
/// tree, whose `.git` is a file, or anything unusual gives `None`, and the
/// caller asks git).
pub fn find_work_tree(dir: &Path) -> Option<PathBuf> {
    match discover(dir) {
        Discovery::WorkTree(root) => Some(root),
        _ => None,
    }
}

/// What the file system alone says about the repository around a
/// directory.
#[derive(Debug, PartialEq, Eq)]
pub enum Discovery {
    /// A plain work tree with this top level.
    WorkTree(PathBuf),
    /// No `.git` in the directory or any ancestor, and nothing in the
    /// environment pointing elsewhere: git would say "not a git
    /// repository".
    NotARepository,
    /// Anything else (discovery variables, a `.git` file, a path through a
    /// `.git` directory, an unreadable entry): only git can tell.
    AskGit,
}

/// Repository discovery without starting git (see [`Discovery`]).
pub fn discover(dir: &Path) -> Discovery {
    if DISCOVERY_ENV.iter().any(|v| std::env::var_os(v).is_some()) {
        return Discovery::AskGit;
    }
    let Ok(dir) = std::fs::canonicalize(dir) else {
        return Discovery::AskGit;
    };
    if dir.components().any(|c| c.as_os_str() == ".git") {
        return Discovery::AskGit;
    }
    for d in dir.ancestors() {
        let dot_git = d.join(".git");
        match std::fs::symlink_metadata(&dot_git) {
            Ok(m) if m.is_dir() => {
                return if dot_git.join("HEAD").is_file() && dot_git.join("config").is_file() {
                    Discovery::WorkTree(d.to_path_buf())
                } else {
                    Discovery::AskGit
                };
            }
            Ok(_) => return Discovery::AskGit,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(_) => return Discovery::AskGit,
        }
    }
    Discovery::NotARepository
}

/// `git config --get <key>` for `user.email` / `user.name` in the work tree
/// `root`, read from the configuration files directly. `None` when the answer
/// needs git itself: configuration from the environment, an `include` or
/// `includeIf`, a line this reader does not understand, or a work tree
/// [`find_work_tree`] does not recognise. `Some(None)`: the key is unset.
pub fn user_config(root: &Path, key: &str) -> Option<Option<String>> {
    let (section, name) = key.split_once('.')?;
    if !section.eq_ignore_ascii_case("user") {
        return None;
    }
    let config_env = std::env::vars_os().any(|(k, _)| {
        k.to_str()
            .is_some_and(|k| k.starts_with("GIT_CONFIG") && k != "GIT_CONFIG_NOSYSTEM")
    });
    if config_env {
        return None;
    }
    let in_repo = match discover(root) {
        Discovery::WorkTree(top) if top == root => true,
        Discovery::NotARepository => false,
        _ => return None,
    };
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let xdg = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| home.as_ref().map(|h| h.join(".config")));
    let mut files = Vec::new();
    if std::env::var_os("GIT_CONFIG_NOSYSTEM").is_none() {
        files.push(PathBuf::from("/etc/gitconfig"));
    }
    files.extend(xdg.map(|x| x.join("git/config")));
    files.extend(home.map(|h| h.join(".gitconfig")));
    if in_repo {
        files.push(root.join(".git/config"));
    }
    let mut value = None;
    for f in files {
        match std::fs::read_to_string(&f) {
            Ok(text) => {
                if let Some(v) = config_value(&text, name)? {
                    value = Some(v);
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(_) => return None,
        }
    }
    Some(value)
}

/// The last `[user] <name> = value` in one configuration file; `None` when
/// the file has an include or a line outside the simple subset (quoted
/// values without escapes, `#`/`;` comments).
fn config_value(text: &str, name: &str) -> Option<Option<String>> {
    let mut in_user = false;
    let mut found = None;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if line.starts_with('[') {
            let header = line.strip_prefix('[')?.split(']').next()?.trim();
            let lower = header.to_ascii_lowercase();
            if lower.starts_with("include") {
                return None;
            }
            in_user = lower == "user";
            // `[user] email = x` on one line.
            let rest = line.split_once(']')?.1.trim();
            if !rest.is_empty() && !rest.starts_with('#') && !rest.starts_with(';') {
                return None;
            }
            continue;
        }
        if line.contains('\\') {
            return None;
        }
        if !in_user {
            continue;
        }
        let (k, v) = line.split_once('=').unwrap_or((line, ""));
        if !k.trim().eq_ignore_ascii_case(name) {
            continue;
        }
        let v = strip_comment(v.trim())?;
        found = Some(v);
    }
    Some(found)
}

/// A value with a trailing comment removed and surrounding quotes dropped.
fn strip_comment(v: &str) -> Option<String> {
    let mut out = String::new();
    let mut quoted = false;
    for c in v.chars() {
        match c {
            '"' => quoted = !quoted,
            '#' | ';' if !quoted => break,
            _ => out.push(c),
        }
    }
    (!quoted).then(|| out.trim().to_string())
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
        kind: ErrorKind::Skipped,
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
                if let kiro_guard_contract::Input::File(mut d) = item.input {
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

    #[test]
    fn config_subset() {
        let text = "[core]\n\tbare = false\n[user]\n\temail = a@example.com # work\n\tName = \"A B\"\n[user \"x\"]\n\temail = no\n";
        assert_eq!(
            config_value(text, "email"),
            Some(Some("a@example.com".into()))
        );
        assert_eq!(config_value(text, "name"), Some(Some("A B".into())));
        assert_eq!(config_value("[core]\nx = 1\n", "email"), Some(None));
        // Anything needing git's own reader: includes, escapes, unbalanced quotes.
        assert_eq!(config_value("[include]\npath = x\n", "email"), None);
        assert_eq!(
            config_value("[includeIf \"gitdir:~/w/\"]\npath = x\n", "email"),
            None
        );
        assert_eq!(config_value("[user]\nemail = a\\tb\n", "email"), None);
        assert_eq!(config_value("[user]\nemail = \"a\n", "email"), None);
        assert_eq!(config_value("[user] email = a\n", "email"), None);
    }

    /// The file-system answers agree with git's own on this machine.
    #[test]
    fn discovery_matches_git() {
        let tmp = tempfile::tempdir().unwrap();
        let repo = tmp.path().join("r");
        std::fs::create_dir_all(repo.join("a/b")).unwrap();
        let run = |dir: &Path, args: &[&str]| {
            Command::new("git")
                .arg("-C")
                .arg(dir)
                .args(args)
                .output()
                .unwrap()
        };
        assert!(run(&repo, &["init", "-q"]).status.success());
        assert!(
            run(&repo, &["config", "user.email", "dev@example.com"])
                .status
                .success()
        );
        let git_top = |d: &Path| {
            let o = run(d, &["rev-parse", "--show-toplevel"]);
            o.status
                .success()
                .then(|| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()))
        };
        for d in [repo.clone(), repo.join("a/b")] {
            let fast = find_work_tree(&d);
            assert!(fast.is_some(), "plain layout recognised in {}", d.display());
            assert_eq!(fast, git_top(&d));
            assert_eq!(repo_root(&d).ok(), git_top(&d));
        }
        // Inside the git directory: left to git.
        assert_eq!(find_work_tree(&repo.join(".git")), None);
        // Not a repository at all (unless the temp dir sits in one).
        let outside = tmp.path().join("o");
        std::fs::create_dir(&outside).unwrap();
        assert_eq!(find_work_tree(&outside), git_top(&outside));
        if git_top(&outside).is_none() {
            assert_eq!(discover(&outside), Discovery::NotARepository);
            assert!(repo_root(&outside).is_err());
            // Identity outside a repository: the global files, as git reads them.
            if let Some(fast) = user_config(&outside, "user.email") {
                let o = run(&outside, &["config", "--get", "user.email"]);
                let git = o
                    .status
                    .success()
                    .then(|| String::from_utf8_lossy(&o.stdout).trim().to_string());
                assert_eq!(fast, git);
            }
        }
        // A linked work tree (`.git` is a file): left to git, which knows.
        std::fs::write(repo.join("f"), "x").unwrap();
        run(&repo, &["add", "f"]);
        let c = run(
            &repo,
            &["-c", "user.name=t", "commit", "-qm", "x", "--no-verify"],
        );
        assert!(c.status.success());
        let wt = tmp.path().join("wt");
        assert!(
            run(&repo, &["worktree", "add", "-q", wt.to_str().unwrap()])
                .status
                .success()
        );
        assert_eq!(find_work_tree(&wt), None);
        assert_eq!(repo_root(&wt).ok(), git_top(&wt));
        // user.email as `git config --get` prints it (the machine's global
        // configuration included), unless this machine's files need git.
        let root = find_work_tree(&repo).unwrap();
        if let Some(v) = user_config(&root, "user.email") {
            let o = run(&repo, &["config", "--get", "user.email"]);
            assert_eq!(
                v.as_deref(),
                Some(String::from_utf8_lossy(&o.stdout).trim())
            );
        }
    }
}
