//! `kiro-guard git pre-commit` and `kiro-guard git pre-push`: scan what git
//! is about to record or send, counting only added lines, and stop it with
//! a clear summary when something blocks.

use crate::audit::{AuditLog, AuditRecord};
use crate::config::Config;
use crate::git;
use crate::guard::{Guard, SkillOptions};
use crate::item::Item;
use crate::report::{Decision, ErrorKind};
use anyhow::{Context, Result};
use std::io::{BufRead, IsTerminal};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// All-zero object id: a new branch (remote side) or a deletion (local side).
const ZERO: &str = "0000000000000000000000000000000000000000";
/// git's empty tree, to diff a root commit against.
const EMPTY_TREE: &str = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

#[derive(Debug)]
pub enum GitHook {
    /// Scan the staged changes; exit 1 to stop the commit.
    PreCommit {
        /// Limit to these staged paths.
        files: Vec<PathBuf>,
    },
    /// Scan the commits being pushed (git's ref lines on stdin); exit 1 to stop the push.
    PrePush,
}

/// Run a git hook in the current repository; returns the exit code.
pub fn run(hook: GitHook, skills: &SkillOptions) -> Result<i32> {
    let started = Instant::now();
    let cwd = std::env::current_dir()?;
    let root = git::repo_root(&cwd)?;
    let event = match &hook {
        GitHook::PreCommit { .. } => "git-pre-commit",
        GitHook::PrePush => "git-pre-push",
    };
    let config = Config::resolve_for_repo(skills.config.as_deref(), &root)?;
    let on_error = config.on_error;
    let max = config.max_file_size();
    let audit = config.audit.clone();
    let mut guard = Guard::from_config(config, &skills.selection)?;
    guard.only_committed_approvals(&root);
    guard.load_gitleaks(&root, true)?;

    let (items, errors) = match &hook {
        GitHook::PreCommit { files } => {
            let (mut items, errors) = git::staged_items(&root, max)?;
            if !files.is_empty() {
                let wanted: Vec<String> = files.iter().map(|f| rel(&root, &cwd.join(f))).collect();
                items.retain(|i| wanted.contains(&i.label));
            }
            (items, errors)
        }
        GitHook::PrePush => push_items(&root, max)?,
    };
    let report = guard.scan_items(items, errors);
    let decision = report.decision(on_error);

    let what = if event == "git-pre-commit" {
        "commit"
    } else {
        "push"
    };
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    if !report.findings.is_empty() || report.errors.iter().any(|e| e.kind != ErrorKind::Skipped) {
        eprint!("{}", crate::output::text(&report, decision, color));
    }
    let code = if decision == Decision::Block {
        eprintln!(
            "\nkiro-guard stopped this {what}. Remove the values above (use a secret manager / tokenised or synthetic data), \
or for a false positive add `kiro-guard: allow <rule> -- <reason>` on or above the line, or accept legacy findings with \
`kiro-guard scan --write-baseline`."
        );
        crate::exit::FAILED
    } else {
        crate::exit::OK
    };

    if audit.enabled {
        let mut rec = AuditRecord::from_report(event, &report, decision)
            .context(&root)
            .skills(&guard.skills)
            .duration(started.elapsed());
        if event == "git-pre-push" && decision == Decision::Block {
            // Commits that reach pre-push with blocking content passed (or
            // skipped, e.g. with --no-verify) the pre-commit check.
            rec = rec.note("pushed commits contain blocking findings: the pre-commit hook was skipped (--no-verify) or not installed");
        }
        if let Err(failure) = AuditLog::for_repo(&root, audit.dir.as_deref()).record(&rec, on_error)
        {
            eprintln!("kiro-guard: {failure}");
            if failure.block {
                return Ok(crate::exit::FAILED);
            }
        }
    }
    Ok(code)
}

fn rel(root: &Path, p: &Path) -> String {
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let p = std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    p.strip_prefix(&root)
        .unwrap_or(&p)
        .to_string_lossy()
        .replace('\\', "/")
}

/// The commit ranges being pushed, from (in order of trust) git's ref lines
/// on stdin, the pre-commit framework's PRE_COMMIT_FROM_REF/TO_REF when
/// both name commits git knows, or else git itself: the commits reachable
/// from HEAD that no remote-tracking ref has. The last case covers the
/// pre-commit framework's first push, where it sets no refs and has
/// already consumed git's stdin.
fn push_items(root: &Path, max: u64) -> Result<(Vec<Item>, Vec<crate::report::ErrorEntry>)> {
    let mut ranges: Vec<(String, String)> = Vec::new();
    let mut saw_ref_lines = false;
    if !std::io::stdin().is_terminal() {
        for line in std::io::stdin().lock().lines() {
            let line = line.context("reading pre-push refs from stdin")?;
            let parts: Vec<&str> = line.split_whitespace().collect();
            if parts.len() != 4 {
                continue;
            }
            saw_ref_lines = true;
            let (local_sha, remote_sha) = (parts[1], parts[3]);
            if local_sha == ZERO {
                continue; // deleting a remote branch: nothing to scan
            }
            let base = if remote_sha == ZERO || !git::commit_exists(root, remote_sha) {
                new_branch_base(root, local_sha)
            } else {
                remote_sha.to_string()
            };
            ranges.push((base, local_sha.to_string()));
        }
    }
    if !saw_ref_lines {
        let from = std::env::var("PRE_COMMIT_FROM_REF").unwrap_or_default();
        let to = std::env::var("PRE_COMMIT_TO_REF").unwrap_or_default();
        if !from.is_empty()
            && !to.is_empty()
            && git::commit_exists(root, &from)
            && git::commit_exists(root, &to)
        {
            ranges.push((from, to));
        } else {
            if !from.is_empty() || !to.is_empty() {
                eprintln!(
                    "kiro-guard: PRE_COMMIT_FROM_REF/TO_REF do not name commits in this repository; scanning the commits on no remote-tracking ref instead"
                );
            }
            if git::commit_exists(root, "HEAD") {
                ranges.push((new_branch_base(root, "HEAD"), "HEAD".to_string()));
            }
        }
    }
    let mut items = Vec::new();
    let mut errors = Vec::new();
    for (from, to) in ranges {
        if from == to {
            continue; // everything is already on a remote
        }
        let (i, e) = git::range_items(root, &format!("{from}..{to}"), max)?;
        items.extend(i);
        errors.extend(e);
    }
    Ok((items, errors))
}

/// For a new branch: the parent of the oldest commit that no remote-tracking
/// ref has, or the empty tree when the whole history is new.
fn new_branch_base(root: &Path, local: &str) -> String {
    let out = git::git(
        root,
        &["rev-list", "--reverse", local, "--not", "--remotes"],
    )
    .unwrap_or_default();
    let text = String::from_utf8_lossy(&out);
    match text.lines().next() {
        None => local.to_string(), // everything is already on a remote
        Some(first) => {
            let parent = format!("{first}^");
            if git::commit_exists(root, &parent) {
                parent
            } else {
                EMPTY_TREE.to_string()
            }
        }
    }
}
