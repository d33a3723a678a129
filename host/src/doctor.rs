//! `kiro-guard doctor`: check a repository's installation the way the agents
//! will use it: hook files present and well-formed, each hook command able
//! to start kiro-guard from the shell the agent uses, the skills loadable,
//! the audit log writable. Prints what is wrong and how to fix it; exits 1
//! when anything is.

use crate::init::{NOT_INSTALLED, kiro_guard_args};
use anyhow::Result;
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[derive(Debug)]
pub struct DoctorOptions {
    /// Repository to check (default: the current directory's repository).
    pub dir: Option<PathBuf>,
    /// Only check the files; do not run the hook commands.
    pub no_run: bool,
    /// Seconds each hook command may take before it counts as failed.
    pub timeout: u64,
    /// Check the managed installation instead (the same as `kiro-guard
    /// managed check`; exit 1 when a part is missing or writable by the
    /// current user). --dir names the repository checked for a
    /// `core.hooksPath` override.
    pub managed: bool,
    /// With --managed: root of the installation.
    pub prefix: PathBuf,
}

/// One check's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub ok: bool,
    pub what: String,
    /// How to fix it (failures only).
    pub fix: String,
}

impl Check {
    fn ok(what: impl Into<String>) -> Check {
        Check {
            ok: true,
            what: what.into(),
            fix: String::new(),
        }
    }
    fn fail(what: impl Into<String>, fix: impl Into<String>) -> Check {
        Check {
            ok: false,
            what: what.into(),
            fix: fix.into(),
        }
    }
}

/// A kiro-guard hook command found in an agent's configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HookCommand {
    /// File, relative to the repository.
    pub file: String,
    pub event: String,
    pub command: String,
    /// The shell the agent runs it with.
    pub shell: Shell,
}

/// How an agent runs a hook command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shell {
    /// `sh -c` (Claude Code, Kiro on Linux/macOS, Git Bash on Windows).
    Posix,
    /// `cmd /C` (Kiro on Windows).
    Cmd,
    /// PowerShell (Claude Code hooks with `"shell": "powershell"`).
    PowerShell,
}

const REINIT: &str = "run `kiro-guard init` (with the flags you installed with) from the installed kiro-guard binary; it rewrites kiro-guard's hooks and keeps your own";

fn kiro_shell() -> Shell {
    if cfg!(windows) {
        Shell::Cmd
    } else {
        Shell::Posix
    }
}

/// Shell a command is written for, from its form (the wrapped forms `init`
/// writes are recognisable); `default` for a plain command.
fn shell_of(command: &str, default: Shell) -> Shell {
    if command.starts_with("if exist ") {
        Shell::Cmd
    } else if command.starts_with("if (Test-Path") {
        Shell::PowerShell
    } else if command.starts_with("sh -c ") {
        Shell::Posix
    } else {
        default
    }
}

/// Parse the agent configuration files kiro-guard installs and collect its
/// hook commands. Returns the checks made and the commands.
pub fn inspect(root: &Path) -> (Vec<Check>, Vec<HookCommand>) {
    let mut checks = Vec::new();
    let mut commands = Vec::new();
    let rel = |p: &Path| {
        p.strip_prefix(root)
            .unwrap_or(p)
            .to_string_lossy()
            .replace('\\', "/")
    };

    // Kiro hook files: v1 `.json` and legacy `.kiro.hook`.
    let hooks_dir = root.join(".kiro/hooks");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&hooks_dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    for path in files {
        let name = rel(&path);
        let legacy = name.ends_with(".kiro.hook");
        if !legacy && !name.ends_with(".json") {
            continue;
        }
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                checks.push(Check::fail(
                    format!("{name}: cannot be read: {e}"),
                    "fix its permissions",
                ));
                continue;
            }
        };
        let v: Value = match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(e) => {
                if text.contains("kiro-guard") {
                    checks.push(Check::fail(
                        format!("{name}: not valid JSON ({e}); Kiro ignores it, so its kiro-guard hooks never run"),
                        format!("fix the JSON, or delete the file and {REINIT}"),
                    ));
                }
                continue;
            }
        };
        let before = commands.len();
        let problems = if legacy {
            kiro_legacy_commands(&v, &name, &mut commands)
        } else {
            kiro_v1_commands(&v, &name, &mut commands)
        };
        for p in problems {
            checks.push(Check::fail(format!("{name}: {p}"), REINIT));
        }
        if commands.len() > before {
            checks.push(Check::ok(format!(
                "{name}: {} kiro-guard hook(s), well-formed",
                commands.len() - before
            )));
        }
    }

    // Kiro CLI 2.x agents.
    let agents_dir = root.join(".kiro/agents");
    let mut agents: Vec<PathBuf> = std::fs::read_dir(&agents_dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    agents.sort();
    for path in agents {
        let name = rel(&path);
        if !name.ends_with(".json") {
            continue;
        }
        let Some(v) = read_json(&path, &name, &mut checks) else {
            continue;
        };
        let before = commands.len();
        if let Some(hooks) = v.get("hooks").and_then(Value::as_object) {
            for (event, list) in hooks {
                for h in list.as_array().into_iter().flatten() {
                    if let Some(c) = h.get("command").and_then(Value::as_str)
                        && kiro_guard_args(c).is_some()
                    {
                        commands.push(HookCommand {
                            file: name.clone(),
                            event: event.clone(),
                            command: c.to_string(),
                            shell: shell_of(c, kiro_shell()),
                        });
                    }
                }
            }
        }
        if commands.len() > before {
            checks.push(Check::ok(format!(
                "{name}: {} kiro-guard hook(s), well-formed",
                commands.len() - before
            )));
        }
    }

    // Claude Code settings.
    for f in [".claude/settings.json", ".claude/settings.local.json"] {
        let path = root.join(f);
        if !path.exists() {
            continue;
        }
        let Some(v) = read_json(&path, f, &mut checks) else {
            continue;
        };
        let before = commands.len();
        let mut problems = Vec::new();
        if let Some(hooks) = v.get("hooks").and_then(Value::as_object) {
            for (event, list) in hooks {
                for entry in list.as_array().into_iter().flatten() {
                    let matcher = entry.get("matcher").and_then(Value::as_str).unwrap_or("");
                    for h in entry
                        .get("hooks")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                    {
                        let Some(c) = h.get("command").and_then(Value::as_str) else {
                            continue;
                        };
                        if kiro_guard_args(c).is_none() {
                            continue;
                        }
                        if let Some(p) = claude_matcher_problem(event, matcher) {
                            problems.push(p);
                        }
                        let powershell =
                            h.get("shell").and_then(Value::as_str) == Some("powershell");
                        commands.push(HookCommand {
                            file: f.to_string(),
                            event: event.clone(),
                            command: c.to_string(),
                            shell: if powershell {
                                Shell::PowerShell
                            } else {
                                Shell::Posix
                            },
                        });
                    }
                }
            }
        }
        for p in problems {
            checks.push(Check::fail(format!("{f}: {p}"), REINIT));
        }
        if commands.len() > before {
            checks.push(Check::ok(format!(
                "{f}: {} kiro-guard hook(s)",
                commands.len() - before
            )));
        }
    }

    checks.extend(git_hook_checks(root));

    if commands.is_empty() {
        checks.push(Check::fail(
            "no kiro-guard agent hooks found (.kiro/hooks, .kiro/agents, .claude/settings*.json): no agent is guarded",
            "run `kiro-guard init` (add --claude for Claude Code, --kiro-cli-agent for Kiro CLI 2.x)",
        ));
    }
    (checks, commands)
}

/// git hooks installed by `kiro-guard init --git`: executable, and the
/// binary they name exists (they fall back to PATH).
fn git_hook_checks(root: &Path) -> Vec<Check> {
    let mut checks = Vec::new();
    let Ok(out) = crate::git::git(root, &["rev-parse", "--git-path", "hooks"]) else {
        return checks;
    };
    let dir = PathBuf::from(String::from_utf8_lossy(&out).trim());
    let dir = if dir.is_absolute() {
        dir
    } else {
        root.join(dir)
    };
    for name in ["pre-commit", "pre-push"] {
        let path = dir.join(name);
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        if !text.contains("installed by `kiro-guard init --git`") {
            continue;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path)
                .map(|m| m.permissions().mode())
                .unwrap_or(0);
            if mode & 0o111 == 0 {
                checks.push(Check::fail(
                    format!("git {name} hook is not executable, so git skips it"),
                    format!("chmod +x {}", path.display()),
                ));
                continue;
            }
        }
        let exe = text
            .lines()
            .find_map(|l| l.strip_prefix("kg="))
            .map(|v| v.trim().trim_matches('\'').to_string())
            .unwrap_or_default();
        let on_path = which("kiro-guard");
        if (exe != "kiro-guard" && Path::new(&exe).exists()) || on_path {
            checks.push(Check::ok(format!("git {name} hook finds kiro-guard")));
        } else {
            checks.push(Check::fail(
                format!("git {name} hook: kiro-guard is not installed at {exe} nor on PATH (the hook stops every {name})"),
                "install kiro-guard, then run `kiro-guard init --git` from it",
            ));
        }
    }
    checks
}

/// Whether `name` is an executable on PATH.
fn which(name: &str) -> bool {
    let exts: &[&str] = if cfg!(windows) {
        &["", ".exe", ".cmd"]
    } else {
        &[""]
    };
    std::env::var_os("PATH").is_some_and(|p| {
        std::env::split_paths(&p)
            .any(|d| exts.iter().any(|e| d.join(format!("{name}{e}")).is_file()))
    })
}

fn read_json(path: &Path, name: &str, checks: &mut Vec<Check>) -> Option<Value> {
    let text = std::fs::read_to_string(path).ok()?;
    match serde_json::from_str(&text) {
        Ok(v) => Some(v),
        Err(e) => {
            checks.push(Check::fail(
                format!("{name}: not valid JSON ({e}); the agent ignores it or refuses to start"),
                "fix the JSON (kiro-guard init refuses to merge into an invalid file)",
            ));
            None
        }
    }
}

/// Kiro v1 hook file: `{"version":"v1","hooks":[{name, trigger, matcher?,
/// action:{type, command}, timeout?, enabled?}]}`.
fn kiro_v1_commands(v: &Value, file: &str, out: &mut Vec<HookCommand>) -> Vec<String> {
    let mut problems = Vec::new();
    let Some(hooks) = v.get("hooks").and_then(Value::as_array) else {
        if v.to_string().contains("kiro-guard") {
            problems.push("no \"hooks\" array: not a Kiro v1 hook file".into());
        }
        return problems;
    };
    if v.get("version").and_then(Value::as_str) != Some("v1") {
        problems.push("\"version\" is not \"v1\"".into());
    }
    for h in hooks {
        let Some(c) = h.pointer("/action/command").and_then(Value::as_str) else {
            continue;
        };
        if kiro_guard_args(c).is_none() {
            continue;
        }
        let trigger = h.get("trigger").and_then(Value::as_str).unwrap_or("");
        if trigger.is_empty() {
            problems.push("a kiro-guard hook has no \"trigger\"".into());
        }
        if h.pointer("/action/type").and_then(Value::as_str) != Some("command") {
            problems.push(format!(
                "the {trigger} kiro-guard hook's action.type is not \"command\""
            ));
        }
        if h.get("enabled").and_then(Value::as_bool) == Some(false) {
            problems.push(format!("the {trigger} kiro-guard hook is disabled"));
        }
        if let Some(args) = kiro_guard_args(c)
            && args.contains("--dialect kiro-ide-legacy")
        {
            problems.push(format!(
                "the {trigger} hook forces the legacy dialect, which IDE 1.x does not speak"
            ));
        }
        out.push(HookCommand {
            file: file.into(),
            event: trigger.into(),
            command: c.into(),
            shell: shell_of(c, kiro_shell()),
        });
    }
    problems
}

/// Legacy `.kiro.hook`: `{"when":{"type"}, "then":{"type":"runCommand","command"}}`.
fn kiro_legacy_commands(v: &Value, file: &str, out: &mut Vec<HookCommand>) -> Vec<String> {
    let mut problems = Vec::new();
    let Some(c) = v.pointer("/then/command").and_then(Value::as_str) else {
        return problems;
    };
    if kiro_guard_args(c).is_none() {
        return problems;
    }
    let when = v
        .pointer("/when/type")
        .and_then(Value::as_str)
        .unwrap_or("");
    if when.is_empty() {
        problems.push("no \"when.type\"".into());
    }
    if v.pointer("/then/type").and_then(Value::as_str) != Some("runCommand") {
        problems.push("\"then.type\" is not \"runCommand\"".into());
    }
    out.push(HookCommand {
        file: file.into(),
        event: when.into(),
        command: c.into(),
        shell: shell_of(c, kiro_shell()),
    });
    problems
}

/// A Claude Code matcher made only of `[A-Za-z0-9_ ,|-]` is a list of exact
/// tool names; anything else is an unanchored regex, so a list mixed with
/// `mcp__.*` also matches `TodoWrite`, `BashOutput`, ...
pub fn claude_matcher_problem(event: &str, matcher: &str) -> Option<String> {
    if event != "PreToolUse" || matcher.is_empty() || matcher == "*" {
        return None;
    }
    let exact = matcher
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || " _,|-".contains(c));
    if exact || (matcher.starts_with("mcp__") && !matcher.contains('|')) {
        return None;
    }
    Some(format!(
        "PreToolUse matcher {matcher:?} is a regex (Claude treats anything but letters, digits and _ , | - as one), so it also matches tools such as TodoWrite or BashOutput; use exact names joined by | and a separate \"mcp__.*\" entry"
    ))
}

/// Run one hook command the way the agent would, with a harmless event,
/// and report whether kiro-guard started and answered.
pub fn probe(root: &Path, hc: &HookCommand, timeout: Duration) -> Check {
    let label = format!("{} ({}): hook command", hc.file, hc.event);
    let mut cmd = match hc.shell {
        Shell::Posix => {
            let mut c = Command::new(if cfg!(windows) { "bash" } else { "sh" });
            c.arg("-c").arg(&hc.command);
            c
        }
        Shell::Cmd => {
            let mut c = Command::new("cmd");
            c.arg("/C").arg(&hc.command);
            c
        }
        Shell::PowerShell => {
            let mut c = Command::new("powershell");
            c.args(["-NoProfile", "-NonInteractive", "-Command"])
                .arg(&hc.command);
            c
        }
    };
    cmd.current_dir(root)
        .env_remove("USER_PROMPT")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let payload = serde_json::json!({
        "hook_event_name": "Stop",
        "cwd": root,
        "session_id": "kiro-guard-doctor",
    })
    .to_string();
    let started = Instant::now();
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            return Check::fail(
                format!("{label}: its shell could not be started: {e}"),
                "install the shell the agent uses (Git Bash for Claude Code on Windows), or re-run init with --shell",
            );
        }
    };
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(payload.as_bytes());
    }
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if started.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Check::fail(
                    format!(
                        "{label}: did not finish within {} s; the agent would kill it and let the call through",
                        timeout.as_secs()
                    ),
                    "run `kiro-guard skills list` once to warm the compile cache, and check the machine's load",
                );
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Check::fail(format!("{label}: {e}"), ""),
        }
    }
    let out = match child.wait_with_output() {
        Ok(o) => o,
        Err(e) => return Check::fail(format!("{label}: {e}"), ""),
    };
    let err = String::from_utf8_lossy(&out.stderr);
    let secs = started.elapsed().as_secs_f32();
    match out.status.code() {
        Some(0) => Check::ok(format!("{label} runs kiro-guard ({secs:.1} s)")),
        _ if err.contains(NOT_INSTALLED) => Check::fail(
            format!("{label}: {}", first_line(&err)),
            format!("install kiro-guard, then {REINIT}"),
        ),
        Some(127) | Some(9009) => Check::fail(
            format!(
                "{label}: kiro-guard was not found (exit {}); the agent treats this as a non-blocking error, so the gate is off",
                out.status.code().unwrap_or(0)
            ),
            format!(
                "{REINIT}: the new commands use an absolute path and block when the binary is missing"
            ),
        ),
        code => Check::fail(
            format!(
                "{label}: exited {} on a harmless event: {}",
                code.map(|c| c.to_string())
                    .unwrap_or_else(|| "by a signal".into()),
                first_line(&err)
            ),
            "run the command by hand to see the full error",
        ),
    }
}

fn first_line(s: &str) -> String {
    s.lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .chars()
        .take(300)
        .collect()
}

/// Skills load (and how long a cold load takes), audit log writable.
fn runtime_checks(root: &Path) -> Vec<Check> {
    let mut checks = Vec::new();
    let config = match crate::config::Config::resolve(None, root) {
        Ok(c) => {
            checks.push(Check::ok("configuration loads"));
            c
        }
        Err(e) => {
            checks.push(Check::fail(
                format!("the configuration does not load: {e:#}"),
                "fix .kiro-guard.toml (every hook blocks while it is broken)",
            ));
            return checks;
        }
    };
    let audit = config.audit.clone();
    let started = Instant::now();
    match crate::guard::Guard::from_config(config, &crate::guard::SkillSelection::default()) {
        Ok(g) => {
            let secs = started.elapsed().as_secs_f32();
            let names: Vec<&str> = g.skills.iter().map(|s| s.info.name.as_str()).collect();
            if secs > 5.0 {
                checks.push(Check::fail(
                    format!("skills load, but took {secs:.1} s (a hook with a short timeout would be killed)"),
                    "run `kiro-guard skills list` again: once the compile cache is warm a load takes well under a second",
                ));
            } else {
                checks.push(Check::ok(format!(
                    "skills load in {secs:.1} s: {}",
                    names.join(", ")
                )));
            }
        }
        Err(e) => checks.push(Check::fail(
            format!("the skills do not load: {e:#}"),
            "check [skills] and --with-skill paths in .kiro-guard.toml; every hook blocks while they fail",
        )),
    }
    if audit.enabled {
        let log = crate::audit::AuditLog::for_repo(root, audit.dir.as_deref());
        let dir = log.dir().to_path_buf();
        let probe = dir.join(format!(".doctor-{}", std::process::id()));
        let res = std::fs::create_dir_all(&dir)
            .and_then(|_| std::fs::write(&probe, b"probe"))
            .and_then(|_| std::fs::remove_file(&probe));
        match res {
            Ok(()) => checks.push(Check::ok(format!(
                "audit log directory {} is writable",
                dir.display()
            ))),
            Err(e) => checks.push(Check::fail(
                format!("audit log directory {} is not writable: {e}", dir.display()),
                "fix its permissions or set [audit] dir in .kiro-guard.toml (with on_error = \"block\" every hook blocks while the log cannot be written)",
            )),
        }
    }
    checks
}

/// `kiro-guard doctor`; returns the exit code.
pub fn run(args: DoctorOptions) -> Result<i32> {
    if args.managed {
        return Ok(crate::managed::check_command(
            &crate::managed::ManagedOptions {
                prefix: args.prefix,
                binary: None,
                repo: args.dir,
            },
        ));
    }
    let start = match &args.dir {
        Some(d) => d.clone(),
        None => std::env::current_dir()?,
    };
    let root = crate::git::repo_root(&start).unwrap_or(start);
    println!("kiro-guard doctor: {}", root.display());
    let (mut checks, commands) = inspect(&root);
    if !args.no_run {
        let mut seen: Vec<(&str, Shell)> = Vec::new();
        for hc in &commands {
            if seen.contains(&(hc.command.as_str(), hc.shell)) {
                continue;
            }
            seen.push((hc.command.as_str(), hc.shell));
            checks.push(probe(&root, hc, Duration::from_secs(args.timeout.max(1))));
        }
    }
    checks.extend(runtime_checks(&root));
    let mut failed = 0;
    for c in &checks {
        if c.ok {
            println!("ok    {}", c.what);
        } else {
            failed += 1;
            println!("FAIL  {}", c.what);
            if !c.fix.is_empty() {
                println!("      fix: {}", c.fix);
            }
        }
    }
    if failed > 0 {
        println!("{failed} problem(s): agents may run unguarded until they are fixed.");
        Ok(crate::exit::FAILED)
    } else {
        println!("all checks passed");
        Ok(crate::exit::OK)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claude_matchers() {
        assert!(claude_matcher_problem("PreToolUse", "Write|Edit|Bash").is_none());
        assert!(claude_matcher_problem("PreToolUse", "mcp__.*").is_none());
        assert!(claude_matcher_problem("PreToolUse", "Write|Edit|mcp__.*").is_some());
        assert!(claude_matcher_problem("PreToolUse", "Notebook.*").is_some());
        assert!(claude_matcher_problem("UserPromptSubmit", "").is_none());
    }

    #[test]
    fn finds_commands_and_problems() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join(".kiro/hooks")).unwrap();
        std::fs::write(
            d.path().join(".kiro/hooks/kiro-guard.json"),
            r#"{"version":"v1","hooks":[{"trigger":"PreToolUse","action":{"type":"command","command":"kiro-guard hook --dialect kiro-v1"}},
               {"trigger":"UserPromptSubmit","action":{"type":"command","command":"kiro-guard hook --dialect kiro-ide-legacy"},"enabled":false},
               {"trigger":"Stop","action":{"type":"command","command":"echo hi"}}]}"#,
        )
        .unwrap();
        std::fs::write(d.path().join(".kiro/hooks/broken.json"), "{ kiro-guard").unwrap();
        let (checks, cmds) = inspect(d.path());
        assert_eq!(cmds.len(), 2, "{cmds:?}");
        let fails: Vec<&str> = checks
            .iter()
            .filter(|c| !c.ok)
            .map(|c| c.what.as_str())
            .collect();
        assert!(fails.iter().any(|f| f.contains("broken.json")), "{fails:?}");
        assert!(fails.iter().any(|f| f.contains("disabled")), "{fails:?}");
        assert!(
            fails.iter().any(|f| f.contains("legacy dialect")),
            "{fails:?}"
        );
        let empty = tempfile::tempdir().unwrap();
        let (checks, cmds) = inspect(empty.path());
        assert!(cmds.is_empty());
        assert!(
            checks
                .iter()
                .any(|c| !c.ok && c.what.contains("no kiro-guard"))
        );
    }
}
