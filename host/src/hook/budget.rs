//! A time budget for `kiro-guard hook`. Agents kill a hook that outlives its
//! timeout and then let the call through, silently. kiro-guard answers
//! first: when the check has not finished within the budget (below the
//! templates' 30 s timeouts), the hook applies `on_error` (block by
//! default) with a message that says why, and leaves a detached
//! `kiro-guard skills list` running to finish compiling the skills so the
//! next call is fast.

use super::payload::{Dialect, EventKind};
use super::{HookOptions, Outcome, Rendered, render};
use crate::config::OnError;
use crate::report::Decision;
use std::io::Write;
use std::time::Duration;

/// Environment variable overriding the budget, in milliseconds.
pub const BUDGET_ENV: &str = "KIRO_GUARD_HOOK_BUDGET_MS";
/// Default budget: well inside the 30 s timeout the templates set.
pub const DEFAULT_BUDGET: Duration = Duration::from_secs(20);

fn budget() -> Duration {
    std::env::var(BUDGET_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_millis)
        .unwrap_or(DEFAULT_BUDGET)
}

/// Run the hook within the budget; returns the exit code.
pub fn run(args: HookOptions) -> i32 {
    let limit = budget();
    let (tx, rx) = std::sync::mpsc::channel();
    let worker_args = args.clone();
    std::thread::spawn(move || {
        let _ = tx.send(super::run(worker_args));
    });
    match rx.recv_timeout(limit) {
        Ok(code) => code,
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            // The worker panicked: never fail open silently.
            over_budget(&args, "kiro-guard failed unexpectedly")
        }
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => over_budget(
            &args,
            &format!(
                "kiro-guard did not finish its check within {:.1} s (the first call on a machine compiles the skills; a heavily loaded machine is slow); a compile has been started in the background, so retrying in a moment should work",
                limit.as_secs_f32()
            ),
        ),
    }
}

fn over_budget(args: &HookOptions, why: &str) -> i32 {
    let cwd = std::env::current_dir().unwrap_or_default();
    let on_error = crate::config::Config::resolve(args.skill.config.as_deref(), &cwd)
        .map(|c| c.hook_on_error())
        .unwrap_or(OnError::Block);
    warm_in_background(&cwd);
    let r = rendered(args.dialect, on_error, why);
    // Hold both streams so a worker finishing right now cannot interleave.
    let mut out = std::io::stdout().lock();
    let mut err = std::io::stderr().lock();
    let _ = out.write_all(r.stdout.as_bytes());
    let _ = err.write_all(r.stderr.as_bytes());
    let _ = out.flush();
    let _ = err.flush();
    std::process::exit(r.code)
}

/// The answer when the budget ran out: `on_error` in the dialect's terms.
/// Blocking is exit 2 with the reason on stderr in every dialect.
pub fn rendered(dialect: Option<Dialect>, on_error: OnError, why: &str) -> Rendered {
    match on_error {
        OnError::Block => Rendered {
            code: crate::exit::BLOCK,
            stdout: String::new(),
            stderr: format!(
                "{why}. Blocking because on_error = \"block\"; run `kiro-guard doctor` if this keeps happening.\n"
            ),
        },
        OnError::Warn => render(
            dialect.unwrap_or(Dialect::KiroV1),
            EventKind::Other,
            &Outcome {
                decision: Decision::Warn,
                message: format!("{why}. Allowed unchecked because on_error = \"warn\".\n"),
                notes: Vec::new(),
            },
        ),
    }
}

/// Start `kiro-guard skills list` detached, so the compile cache is written
/// even though this process exits now.
fn warm_in_background(cwd: &std::path::Path) {
    if let Ok(exe) = std::env::current_exe() {
        let _ = std::process::Command::new(exe)
            .args(["skills", "list"])
            .current_dir(cwd)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn over_budget_follows_on_error() {
        let b = rendered(Some(Dialect::Claude), OnError::Block, "slow");
        assert_eq!(b.code, 2);
        assert!(b.stderr.contains("slow") && b.stderr.contains("on_error"));
        let w = rendered(Some(Dialect::KiroCli), OnError::Warn, "slow");
        assert_eq!(w.code, 1);
        assert!(w.stderr.contains("unchecked"));
    }
}
