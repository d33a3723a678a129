//! `kiro-guard managed install|check`: a system-wide installation whose
//! enforcement the agent (running as the developer) cannot switch off.
//!
//! `install` (run as root/Administrator, or its files deployed by
//! Ansible/GPO/Intune/MDM) writes, below `--prefix` (default `/`):
//! * the system policy `etc/kiro-guard/policy.toml` (see [`crate::policy`]);
//! * git hook scripts in `usr/local/share/kiro-guard/git-hooks/` that call
//!   the binary by absolute path, and `core.hooksPath` in the system git
//!   config (`etc/gitconfig`);
//! * Claude Code's managed settings (`etc/claude-code/managed-settings.json`
//!   on Linux) with kiro-guard's hooks and `allowManagedHooksOnly`, so user
//!   and project settings can neither remove nor replace them;
//! * the audit spool `var/spool/kiro-guard/` (sticky, world-writable
//!   directory: each user appends under their own name; ship it with a log
//!   agent, and make files append-only where the platform allows).
//!
//! `check` reports what is missing or writable by the current user, and a
//! repository that overrides `core.hooksPath`.

use anyhow::{Context, Result};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct ManagedOptions {
    /// Root of the installation (staging directory for images and tests).
    pub prefix: PathBuf,
    /// The kiro-guard binary the hooks call (default: this one).
    pub binary: Option<PathBuf>,
    /// Repository to check for a `core.hooksPath` override (check only).
    pub repo: Option<PathBuf>,
}

/// Files of a managed installation below a prefix.
pub struct Layout {
    pub policy: PathBuf,
    pub git_hooks: PathBuf,
    pub gitconfig: PathBuf,
    pub claude_settings: PathBuf,
    pub spool: PathBuf,
}

impl Layout {
    pub fn new(prefix: &Path) -> Layout {
        let claude = if cfg!(target_os = "macos") {
            "Library/Application Support/ClaudeCode/managed-settings.json"
        } else if cfg!(windows) {
            "Program Files/ClaudeCode/managed-settings.json"
        } else {
            "etc/claude-code/managed-settings.json"
        };
        let (policy, gitconfig) = if cfg!(windows) {
            (
                "ProgramData/kiro-guard/policy.toml",
                "Program Files/Git/etc/gitconfig",
            )
        } else {
            ("etc/kiro-guard/policy.toml", "etc/gitconfig")
        };
        Layout {
            policy: prefix.join(policy),
            git_hooks: prefix.join("usr/local/share/kiro-guard/git-hooks"),
            gitconfig: prefix.join(gitconfig),
            claude_settings: prefix.join(claude),
            spool: prefix.join("var/spool/kiro-guard"),
        }
    }
}

const POLICY: &str = r#"# kiro-guard system policy (managed mode). Repository configuration can only
# tighten it. See docs/managed-deployment.md.
version = 1
# Skills that always run (default: every built-in skill).
# required_skills = ["pii-detection", "banking-code-review", "mas-compliance-review"]
on_error = "block"
# Rules a repository cannot turn off, lower or path-allow (default: all).
# locked_rules = ["pii-detection/*", "banking-code-review/*"]
# Inline `kiro-guard: allow` comments: "none", "committed" (only those
# committed before the change that adds the finding) or "all".
inline_suppressions = "committed"
baselines = true
repository_allowlists = false
repository_external_skills = false

[audit]
spool_dir = "@SPOOL@"
syslog = @SYSLOG@
"#;

fn hook_script(binary: &Path, which: &str) -> String {
    let bin = binary.display();
    format!(
        "#!/bin/sh\n# Installed by `kiro-guard managed install`; enforced through the system git config.\nif [ ! -x '{bin}' ]; then\n  echo 'kiro-guard: the binary {bin} is missing; refusing the {which} (managed installation)' >&2\n  exit 1\nfi\nexec '{bin}' git {which} \"$@\"\n"
    )
}

/// Install below `a.prefix`; returns what was written.
pub fn install(a: &ManagedOptions) -> Result<Vec<String>> {
    let layout = Layout::new(&a.prefix);
    let binary = match &a.binary {
        Some(b) => b.clone(),
        None => std::env::current_exe().context("cannot locate the kiro-guard binary")?,
    };
    let mut done = Vec::new();
    let mkdir = |p: &Path| -> Result<()> {
        std::fs::create_dir_all(p).with_context(|| format!("cannot create {}", p.display()))
    };
    // Policy (kept when present: the administrator's edits win).
    if !layout.policy.exists() {
        mkdir(layout.policy.parent().unwrap_or(&a.prefix))?;
        // Syslog only where the machine has one (a record that cannot be
        // delivered fails the hook closed).
        let syslog = cfg!(windows) || Path::new("/dev/log").exists();
        let text = POLICY
            .replace(
                "@SPOOL@",
                &layout.spool.to_string_lossy().replace('\\', "/"),
            )
            .replace("@SYSLOG@", if syslog { "true" } else { "false" });
        std::fs::write(&layout.policy, text)?;
        set_mode(&layout.policy, 0o644);
        done.push(format!("wrote {}", layout.policy.display()));
    }
    // Audit spool.
    mkdir(&layout.spool)?;
    set_mode(&layout.spool, 0o1733);
    done.push(format!("audit spool {}", layout.spool.display()));
    // Git hooks through the system config.
    mkdir(&layout.git_hooks)?;
    for which in ["pre-commit", "pre-push"] {
        let p = layout.git_hooks.join(which);
        std::fs::write(&p, hook_script(&binary, which))?;
        set_mode(&p, 0o755);
    }
    mkdir(layout.gitconfig.parent().unwrap_or(&a.prefix))?;
    let status = std::process::Command::new("git")
        .args(["config", "--file"])
        .arg(&layout.gitconfig)
        .args(["core.hooksPath"])
        .arg(&layout.git_hooks)
        .status()
        .context("cannot run git config")?;
    anyhow::ensure!(
        status.success(),
        "git config --file {} failed",
        layout.gitconfig.display()
    );
    set_mode(&layout.gitconfig, 0o644);
    done.push(format!(
        "core.hooksPath = {} in {}",
        layout.git_hooks.display(),
        layout.gitconfig.display()
    ));
    // Claude Code managed settings, merged into an existing file.
    mkdir(layout.claude_settings.parent().unwrap_or(&a.prefix))?;
    let mut settings: Value = std::fs::read_to_string(&layout.claude_settings)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .filter(Value::is_object)
        .unwrap_or_else(|| json!({}));
    let cmd = format!("\"{}\" hook --dialect claude", binary.display());
    let entry = |matcher: Option<&str>| {
        let mut e = json!({"hooks": [{"type": "command", "command": cmd, "timeout": 30}]});
        if let Some(m) = matcher {
            e["matcher"] = json!(m);
        }
        e
    };
    let hooks = json!({
        "PreToolUse": [entry(Some("Write|Edit|MultiEdit|NotebookEdit|Bash|PowerShell")), entry(Some("mcp__.*"))],
        "UserPromptSubmit": [entry(None)],
    });
    let obj = settings.as_object_mut().expect("object");
    let existing = obj.entry("hooks").or_insert_with(|| json!({}));
    if let (Some(ex), Some(new)) = (existing.as_object_mut(), hooks.as_object()) {
        for (event, list) in new {
            let slot = ex.entry(event.clone()).or_insert_with(|| json!([]));
            if let Some(arr) = slot.as_array_mut() {
                arr.retain(|e| !e.to_string().contains("kiro-guard"));
                arr.extend(list.as_array().cloned().unwrap_or_default());
            }
        }
    }
    obj.insert("allowManagedHooksOnly".into(), json!(true));
    std::fs::write(
        &layout.claude_settings,
        serde_json::to_string_pretty(&settings)? + "\n",
    )?;
    set_mode(&layout.claude_settings, 0o644);
    done.push(format!(
        "Claude Code managed hooks in {}",
        layout.claude_settings.display()
    ));
    Ok(done)
}

#[cfg(unix)]
fn set_mode(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode));
}

#[cfg(not(unix))]
fn set_mode(_: &Path, _: u32) {}

/// Whether the current user can write a path (by its mode bits and owner).
#[cfg(unix)]
fn user_writable(p: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    unsafe extern "C" {
        // getuid has no preconditions and cannot fail.
        safe fn getuid() -> u32;
    }
    let Ok(m) = std::fs::metadata(p) else {
        return false;
    };
    let uid = getuid();
    if uid == 0 {
        // root writes anything: report ownership and group/other write bits.
        return m.uid() != 0 || m.mode() & 0o022 != 0;
    }
    (m.uid() == uid && m.mode() & 0o200 != 0) || m.mode() & 0o002 != 0
}

#[cfg(not(unix))]
fn user_writable(p: &Path) -> bool {
    std::fs::metadata(p)
        .map(|m| !m.permissions().readonly())
        .unwrap_or(false)
}

/// Problems of a managed installation (empty when it is sound).
pub fn check(a: &ManagedOptions) -> Vec<String> {
    let layout = Layout::new(&a.prefix);
    let mut problems = Vec::new();
    match std::fs::read_to_string(&layout.policy) {
        Ok(t) => {
            if let Err(e) = crate::policy::Policy::parse(&t, &layout.policy) {
                problems.push(format!("policy: {e:#}"));
            }
            if user_writable(&layout.policy) {
                problems.push(format!(
                    "{} is writable by this user (or not owned by root): an agent could relax it",
                    layout.policy.display()
                ));
            }
        }
        Err(_) => problems.push(format!(
            "no policy at {}: run `kiro-guard managed install` as root",
            layout.policy.display()
        )),
    }
    let cfg = std::process::Command::new("git")
        .args(["config", "--file"])
        .arg(&layout.gitconfig)
        .args(["--get", "core.hooksPath"])
        .output();
    match cfg {
        Ok(o) if o.status.success() => {
            let dir = PathBuf::from(String::from_utf8_lossy(&o.stdout).trim());
            for which in ["pre-commit", "pre-push"] {
                if !dir.join(which).is_file() {
                    problems.push(format!("git hook {} is missing", dir.join(which).display()));
                } else if user_writable(&dir.join(which)) {
                    problems.push(format!(
                        "git hook {} is writable by this user",
                        dir.join(which).display()
                    ));
                }
            }
        }
        _ => problems.push(format!(
            "core.hooksPath is not set in the system git config {}",
            layout.gitconfig.display()
        )),
    }
    if let Some(repo) = &a.repo {
        let local = std::process::Command::new("git")
            .arg("-C")
            .arg(repo)
            .args(["config", "--show-origin", "--get-all", "core.hooksPath"])
            .output();
        if let Ok(o) = local {
            for line in String::from_utf8_lossy(&o.stdout).lines() {
                let origin = line.split('\t').next().unwrap_or("");
                if !origin.contains(&*layout.gitconfig.to_string_lossy()) && !origin.is_empty() {
                    problems.push(format!("core.hooksPath is overridden ({line}): the managed git hooks do not run in {}", repo.display()));
                }
            }
        }
    }
    match std::fs::read_to_string(&layout.claude_settings)
        .ok()
        .and_then(|t| serde_json::from_str::<Value>(&t).ok())
    {
        Some(v) => {
            if v["allowManagedHooksOnly"] != json!(true) {
                problems.push(format!(
                    "{}: allowManagedHooksOnly is not true",
                    layout.claude_settings.display()
                ));
            }
            if !v["hooks"].to_string().contains("kiro-guard") {
                problems.push(format!(
                    "{}: no kiro-guard hook",
                    layout.claude_settings.display()
                ));
            }
            if user_writable(&layout.claude_settings) {
                problems.push(format!(
                    "{} is writable by this user",
                    layout.claude_settings.display()
                ));
            }
        }
        None => problems.push(format!(
            "no Claude Code managed settings at {}",
            layout.claude_settings.display()
        )),
    }
    if !layout.spool.is_dir() {
        problems.push(format!("audit spool {} is missing", layout.spool.display()));
    }
    problems
}

/// `kiro-guard managed install`: install, then report what a check finds.
pub fn install_command(a: &ManagedOptions) -> Result<i32> {
    for line in install(a)? {
        eprintln!("kiro-guard: {line}");
    }
    let problems = check(a);
    for p in &problems {
        eprintln!("kiro-guard: check: {p}");
    }
    Ok(crate::exit::OK)
}

/// `kiro-guard managed check`; returns the exit code (1 when a part is
/// missing or writable by the current user).
pub fn check_command(a: &ManagedOptions) -> i32 {
    let problems = check(a);
    if problems.is_empty() {
        println!("managed installation below {}: ok", a.prefix.display());
        return crate::exit::OK;
    }
    for p in &problems {
        println!("problem: {p}");
    }
    crate::exit::FAILED
}
