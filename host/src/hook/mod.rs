//! `kiro-guard hook`: one entry point for every agent dialect.
//!
//! Reads the payload (stdin with a deadline, or `USER_PROMPT` for the legacy
//! Kiro IDE), builds the items to check (the file as it will be after an
//! edit, a shell command, an MCP call, a prompt, a saved file), runs the
//! skills, and answers in the dialect's blocking convention: reason on stderr
//! and exit 2 to block, everywhere; Claude Code also gets its JSON decision.

pub mod budget;
mod decide;
pub mod edit;
pub mod executed;
pub mod guard_files;
pub mod json;
pub mod payload;
mod render;

pub use decide::decide;
pub use render::render;

use crate::audit::{AuditLog, AuditRecord};
use crate::config::{Config, OnError};
use crate::guard::{Guard, SkillOptions, span_text};
use crate::item::Item;
use crate::report::{Decision, ErrorEntry, ErrorKind, Report, Reported};
use kiro_guard_contract::{Document, Severity};
use payload::{Dialect, EventKind, HookEvent, ToolKind};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Largest stdin payload accepted (a 10 MB write plus JSON overhead).
const MAX_PAYLOAD: usize = 64 << 20;
/// Largest file content scanned in a hook.
const MAX_HOOK_FILE: u64 = 16 << 20;
/// Note prefix of a payload that arrived but could not be read.
const UNREADABLE: &str = "kiro-guard cannot read the hook payload";
/// Findings listed in a block message (the rest are counted).
pub(crate) const MAX_LISTED: usize = 8;

#[derive(Debug, Clone)]
pub struct HookOptions {
    /// Force the dialect instead of detecting it from the payload.
    pub dialect: Option<Dialect>,
    /// Event name, for legacy `.kiro.hook` files that pass nothing else
    /// (fileEdited, fileCreated, promptSubmit, preToolUse, postToolUse).
    pub event: Option<String>,
    /// How long to wait for stdin to close, in milliseconds.
    pub stdin_timeout: u64,
    /// Configuration file and skills.
    pub skill: SkillOptions,
}

/// What a hook call concluded, before it is rendered for a dialect.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub decision: Decision,
    /// The text the agent (model) reads.
    pub message: String,
    /// Notes for stderr that never change the decision.
    pub notes: Vec<String>,
}

/// Rendered output: exit code, stdout, stderr.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Entry point: never panics outward, never hangs; returns the exit code.
pub fn run(args: HookOptions) -> i32 {
    let started = Instant::now();
    let (event, notes) = read_event(&args);
    let rendered = match event {
        Some(ev) => {
            let outcome = decide(&args, &ev, started);
            let mut o = outcome;
            o.notes.splice(0..0, notes);
            render(ev.dialect, ev.kind, &o)
        }
        None if notes.iter().any(|n| n.starts_with(UNREADABLE)) => {
            // A payload that arrived but cannot be read follows on_error: an
            // agent must not get past the guard by sending one.
            let cwd = std::env::current_dir().unwrap_or_default();
            let on_error = Config::resolve_for_repo(args.skill.config.as_deref(), &repo_root(&cwd))
                .map(|c| c.hook_on_error())
                .unwrap_or(OnError::Block);
            let why = notes
                .iter()
                .find(|n| n.starts_with(UNREADABLE))
                .cloned()
                .unwrap_or_default();
            let o = failure(on_error, why);
            render(
                args.dialect.unwrap_or(Dialect::KiroV1),
                EventKind::PreToolUse,
                &o,
            )
        }
        None => {
            // Nothing arrived (no stdin, no USER_PROMPT): nothing to check;
            // with an explicit dialect, say so the way that agent shows a warning.
            let mut stderr = String::new();
            for n in notes {
                stderr.push_str(&format!("kiro-guard: note: {n}\n"));
            }
            match args.dialect {
                Some(d) => render(
                    d,
                    EventKind::Other,
                    &Outcome {
                        decision: Decision::Warn,
                        message: stderr,
                        notes: Vec::new(),
                    },
                ),
                None => Rendered {
                    code: crate::exit::OK,
                    stdout: String::new(),
                    stderr,
                },
            }
        }
    };
    use std::io::Write;
    let _ = std::io::stdout().write_all(rendered.stdout.as_bytes());
    let _ = std::io::stderr().write_all(rendered.stderr.as_bytes());
    rendered.code
}

/// Read and parse the payload. None (with notes) when there is nothing usable.
/// An explicit `--dialect` is never replaced by a detected one.
fn read_event(args: &HookOptions) -> (Option<HookEvent>, Vec<String>) {
    let mut notes = Vec::new();
    let user_prompt = std::env::var("USER_PROMPT").unwrap_or_default();
    let has_up = !user_prompt.trim().is_empty();
    let legacy_forced = args.dialect == Some(Dialect::KiroIdeLegacy);
    let up_is_json = serde_json::from_str::<Value>(user_prompt.trim())
        .map(|v| v.is_object())
        .unwrap_or(false);
    let legacy = || {
        let mut ev = payload::legacy_event(&user_prompt, args.event.as_deref());
        if let Some(d) = args.dialect {
            ev.dialect = d;
        }
        ev
    };
    if has_up && (legacy_forced || (up_is_json && args.dialect.is_none())) {
        // Legacy IDE: stdin is never written nor closed; do not wait on it.
        return (Some(legacy()), notes);
    }
    let mut timeout = Duration::from_millis(args.stdin_timeout.min(10_000));
    if legacy_forced {
        // A legacy hook migrated to IDE 1.x gets its payload on stdin, written
        // at once; the legacy IDE never closes stdin, so wait only briefly.
        timeout = timeout.min(Duration::from_millis(1000));
    }
    match payload::read_stdin(timeout, MAX_PAYLOAD) {
        Some(bytes) => match payload::parse_payload(&bytes, args.dialect) {
            Ok(mut ev) => {
                // Kiro IDE 1.x and CLI v3 builds send an empty `prompt` and the
                // text in USER_PROMPT.
                if ev.kind == EventKind::UserPromptSubmit
                    && ev.prompt.as_deref().is_none_or(|p| p.trim().is_empty())
                    && has_up
                    && !up_is_json
                {
                    ev.prompt = Some(user_prompt.clone());
                }
                if ev.event_name.is_empty()
                    && let Some(e) = &args.event
                {
                    ev.kind = payload::event_kind(e);
                    ev.event_name = e.clone();
                }
                (Some(ev), notes)
            }
            Err(e) => {
                if has_up {
                    return (Some(legacy()), notes);
                }
                notes.push(format!("{UNREADABLE}: {e}"));
                (None, notes)
            }
        },
        None if has_up || args.event.is_some() => (Some(legacy()), notes),
        None => {
            notes.push(
                "no hook payload on stdin (empty, a terminal, or not closed in time); allowing"
                    .into(),
            );
            (None, notes)
        }
    }
}

fn repo_root(cwd: &Path) -> PathBuf {
    crate::git::repo_root(cwd).unwrap_or_else(|_| cwd.to_path_buf())
}

fn failure(on_error: OnError, why: String) -> Outcome {
    let decision = match on_error {
        OnError::Block => Decision::Block,
        OnError::Warn => Decision::Warn,
    };
    let policy = if decision == Decision::Block {
        "blocking (on_error = \"block\")"
    } else {
        "allowing with a warning (on_error = \"warn\")"
    };
    Outcome {
        decision,
        message: format!("{why}; {policy}."),
        notes: Vec::new(),
    }
}
