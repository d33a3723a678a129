//! `kiro-guard init`: install hooks, skills docs, steering and a starter
//! config into a repository. Idempotent: a second run changes nothing;
//! existing Claude settings are merged and existing git hooks are chained.

use crate::guard::Guard;
use anyhow::{Context, Result};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

const KIRO_V1: &str = include_str!("../../hooks/kiro/kiro-guard.json");
const LEGACY_FILES: &str = include_str!("../../hooks/kiro/kiro-guard-files.kiro.hook");
const LEGACY_PROMPT: &str = include_str!("../../hooks/kiro/kiro-guard-prompt.kiro.hook");
const KIRO_AGENT: &str = include_str!("../../hooks/kiro/kiro-guard-agent.json");
const CLAUDE: &str = include_str!("../../hooks/claude/settings.json");
const GIT_PRE_COMMIT: &str = include_str!("../../hooks/git/pre-commit");
const GIT_PRE_PUSH: &str = include_str!("../../hooks/git/pre-push");
const STEERING: &str = include_str!("../../hooks/steering/kiro-guard.md");
const STARTER_CONFIG: &str = include_str!("../../hooks/kiro-guard.toml");

#[derive(Debug)]
pub struct InitOptions {
    /// Repository to install into (default: the current directory's repository).
    pub dir: Option<PathBuf>,
    /// Also install legacy Kiro IDE 0.x `.kiro.hook` files.
    pub legacy_ide: bool,
    /// Also install a Kiro CLI 2.x agent (`.kiro/agents/kiro-guard.json`) with embedded hooks.
    pub kiro_cli_agent: bool,
    /// Also install Claude Code hooks into `.claude/settings.json` (merged, never clobbered).
    pub claude: bool,
    /// Also install git pre-commit and pre-push hooks (existing hooks are chained).
    pub git: bool,
    /// Everything: --legacy-ide --kiro-cli-agent --claude --git.
    pub all: bool,
    /// Show what would be written without writing.
    pub dry_run: bool,
    /// The kiro-guard binary the hooks run (default: this binary's absolute path).
    /// Hooks that cannot find it block with "kiro-guard is not installed".
    pub binary: Option<PathBuf>,
    /// Shell the Kiro hook commands are written for (default: cmd on Windows,
    /// where Kiro runs hooks with `cmd /C`; posix elsewhere). Claude Code and
    /// git hooks always get the POSIX form (Git Bash on Windows).
    pub shell: Option<HookShell>,
    /// Install managed mode instead (system-wide, as root; the same as
    /// `kiro-guard managed install`): a policy, git hooks through the system
    /// git configuration and Claude Code managed hooks, which the agent
    /// cannot switch off. See docs/managed-deployment.md.
    pub managed: bool,
    /// With --managed: root of the installation (a staging directory for
    /// images and packages).
    pub prefix: PathBuf,
}

/// The shell a hook command is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HookShell {
    /// `sh -c` / `bash -c` (Linux, macOS, Git Bash on Windows).
    Posix,
    /// `cmd /C` (Kiro on Windows).
    Cmd,
    /// PowerShell (Claude Code hooks with `"shell": "powershell"`).
    Powershell,
}

impl HookShell {
    /// Kiro runs hooks with `bash -c`, or `cmd /C` on Windows.
    pub fn kiro_default() -> HookShell {
        if cfg!(windows) {
            HookShell::Cmd
        } else {
            HookShell::Posix
        }
    }
}

/// Message every fail-closed wrapper prints when the binary is missing.
pub const NOT_INSTALLED: &str = "kiro-guard is not installed";

fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// A hook command that runs `exe args` and, when the binary cannot be found,
/// blocks (exit 2, the code every agent treats as "block") instead of
/// failing open with "command not found" (exit 127 / 9009).
pub fn hook_command(exe: &str, args: &str, shell: HookShell) -> String {
    match shell {
        HookShell::Posix => {
            let exe = exe.replace('\\', "/");
            format!(
                "sh -c 'for k in \"$0\" \"$(command -v kiro-guard)\"; do [ -n \"$k\" ] && [ -x \"$k\" ] && exec \"$k\" \"$@\"; done; \
echo \"{NOT_INSTALLED} (not at $0, not on PATH): blocking. Install it, then run kiro-guard doctor.\" >&2; exit 2' {} {args}",
                sh_quote(&exe)
            )
        }
        HookShell::Cmd => {
            // Kiro passes the command as one argument to `cmd /C`, quoted by
            // the MSVC rules, which turn inner `"` into `\"` that cmd does not
            // understand: quote the path only when it has spaces.
            let exe = exe.replace('/', "\\");
            let q = if exe.contains(' ') {
                format!("\"{exe}\"")
            } else {
                exe
            };
            format!(
                "if exist {q} ({q} {args}) else (echo {NOT_INSTALLED}: blocking. Install it, then run kiro-guard doctor. 1>&2 & exit 2)"
            )
        }
        HookShell::Powershell => {
            let exe = exe.replace('\'', "''");
            format!(
                "if (Test-Path -LiteralPath '{exe}') {{ $input | & '{exe}' {args}; exit $LASTEXITCODE }} else {{ [Console]::Error.WriteLine('{NOT_INSTALLED}: blocking. Install it, then run kiro-guard doctor.'); exit 2 }}"
            )
        }
    }
}

/// The kiro-guard arguments of a hook command: `kiro-guard ARGS` or one of
/// the wrapped forms [`hook_command`] writes. None when it is not ours.
pub fn kiro_guard_args(cmd: &str) -> Option<String> {
    let cmd = cmd.trim();
    if let Some(rest) = cmd.strip_prefix("kiro-guard ") {
        return Some(rest.trim().to_string());
    }
    if cmd.contains(NOT_INSTALLED) {
        // The arguments start at " hook" right after the quoted binary path.
        let starts_args = |i: usize| {
            cmd[i..]
                .strip_prefix("hook")
                .is_some_and(|r| r.is_empty() || r.starts_with([' ', ')', ';']))
        };
        if cmd.starts_with("sh -c ") {
            let i = cmd.rfind("' hook")? + 2;
            return starts_args(i).then(|| cmd[i..].trim().to_string());
        }
        if cmd.starts_with("if exist ") {
            let open = cmd.find(" (")?;
            let i = open + cmd[open..].find(" hook")? + 1;
            let end = i + cmd[i..].find(") else (")?;
            return starts_args(i).then(|| cmd[i..end].trim().to_string());
        }
        if cmd.starts_with("if (Test-Path") {
            let i = cmd.find("' hook")? + 2;
            let end = i + cmd[i..].find("; exit $LASTEXITCODE")?;
            return starts_args(i).then(|| cmd[i..end].trim().to_string());
        }
    }
    None
}

/// Rewrite every kiro-guard hook command in a JSON document with `f`
/// (which gets the kiro-guard arguments). Returns whether anything changed.
fn rewrite_commands(v: &mut Value, f: &dyn Fn(&str) -> String) -> bool {
    let mut changed = false;
    match v {
        Value::Object(o) => {
            for (k, x) in o.iter_mut() {
                if k == "command"
                    && let Some(args) = x.as_str().and_then(kiro_guard_args)
                {
                    let new = f(&args);
                    if x.as_str() != Some(new.as_str()) {
                        *x = Value::String(new);
                        changed = true;
                    }
                } else {
                    changed |= rewrite_commands(x, f);
                }
            }
        }
        Value::Array(a) => {
            for x in a {
                changed |= rewrite_commands(x, f);
            }
        }
        _ => {}
    }
    changed
}

/// A JSON template with its `kiro-guard ...` commands wrapped for `shell`.
pub fn localise(template: &str, exe: &str, shell: HookShell) -> String {
    let mut v: Value = serde_json::from_str(template).expect("template is JSON");
    rewrite_commands(&mut v, &|args| hook_command(exe, args, shell));
    serde_json::to_string_pretty(&v).expect("JSON") + "\n"
}

/// A git hook template with the binary's absolute path filled in.
fn localise_git(script: &str, exe: &str) -> String {
    script.replacen(
        "\nkg=kiro-guard\n",
        &format!("\nkg={}\n", sh_quote(&exe.replace('\\', "/"))),
        1,
    )
}

/// The binary the hooks should run.
fn binary_path(args: &InitOptions) -> String {
    let p = args
        .binary
        .clone()
        .or_else(|| std::env::current_exe().ok())
        .unwrap_or_else(|| PathBuf::from("kiro-guard"));
    let p = std::path::absolute(&p).unwrap_or(p);
    p.to_string_lossy().into_owned()
}

/// Kiro hook files a previous install or Kiro's own migration left in
/// `.kiro/hooks/`: v1 `.json` files (other than ours) whose kiro-guard
/// commands still force the legacy dialect, or are not fail-closed.
fn migrations(root: &Path, exe: &str, shell: HookShell) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(root.join(".kiro/hooks")) else {
        return out;
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if !name.ends_with(".json") || name == "kiro-guard.json" {
            continue;
        }
        let Some(mut v) = std::fs::read_to_string(&path)
            .ok()
            .and_then(|t| serde_json::from_str::<Value>(&t).ok())
        else {
            continue;
        };
        // IDE 1.x sends the payload on stdin; the legacy dialect (context in
        // USER_PROMPT only) would check nothing there, so let it be detected.
        let changed = rewrite_commands(&mut v, &|args| {
            let args = args
                .replace("--dialect kiro-ide-legacy ", "")
                .replace(" --dialect kiro-ide-legacy", "");
            hook_command(exe, &args, shell)
        });
        if changed {
            out.push((path, serde_json::to_string_pretty(&v).expect("JSON") + "\n"));
        }
    }
    out
}

/// One planned file change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub path: PathBuf,
    pub content: String,
    pub executable: bool,
    /// Why: "create", "update", "merge", "chain".
    pub action: &'static str,
    /// An existing file to move aside first (git hook chaining).
    pub move_existing_to: Option<PathBuf>,
}

/// Compute the changes for `args` in `root`; only files whose content would
/// change are returned.
pub fn plan(root: &Path, args: &InitOptions, guard: &Guard) -> Result<Vec<Planned>> {
    let all = args.all;
    let exe = binary_path(args);
    let kiro_shell = args.shell.unwrap_or_else(HookShell::kiro_default);
    let claude_shell = match args.shell {
        Some(HookShell::Powershell) => HookShell::Powershell,
        _ => HookShell::Posix,
    };
    let mut out = Vec::new();
    let mut add = |path: PathBuf, content: String, executable: bool| -> Result<()> {
        let existing = std::fs::read_to_string(&path).ok();
        if existing.as_deref() == Some(content.as_str()) {
            return Ok(());
        }
        let action = if existing.is_some() {
            "update"
        } else {
            "create"
        };
        out.push(Planned {
            path,
            content,
            executable,
            action,
            move_existing_to: None,
        });
        Ok(())
    };
    add(
        root.join(".kiro/hooks/kiro-guard.json"),
        localise(KIRO_V1, &exe, kiro_shell),
        false,
    )?;
    for (path, content) in migrations(root, &exe, kiro_shell) {
        add(path, content, false)?;
    }
    if args.legacy_ide || all {
        add(
            root.join(".kiro/hooks/kiro-guard-files.kiro.hook"),
            localise(LEGACY_FILES, &exe, kiro_shell),
            false,
        )?;
        add(
            root.join(".kiro/hooks/kiro-guard-prompt.kiro.hook"),
            localise(LEGACY_PROMPT, &exe, kiro_shell),
            false,
        )?;
    }
    if args.kiro_cli_agent || all {
        add(
            root.join(".kiro/agents/kiro-guard.json"),
            localise(KIRO_AGENT, &exe, kiro_shell),
            false,
        )?;
    }
    add(
        root.join(".kiro/steering/kiro-guard.md"),
        STEERING.to_string(),
        false,
    )?;
    for skill in &guard.skills {
        add(
            root.join(format!(".kiro/skills/{}/SKILL.md", skill.info.name)),
            skill_md(&skill.info),
            false,
        )?;
    }
    let config = root.join(crate::config::CONFIG_FILE);
    if !config.exists() {
        add(config, STARTER_CONFIG.to_string(), false)?;
    }
    let gitignore = root.join(".gitignore");
    let gi = std::fs::read_to_string(&gitignore).unwrap_or_default();
    if !gi
        .lines()
        .any(|l| l.trim() == ".kiro-guard/" || l.trim() == "/.kiro-guard/")
    {
        let mut content = gi.clone();
        if !content.is_empty() && !content.ends_with('\n') {
            content.push('\n');
        }
        content.push_str("# kiro-guard audit log (ship it to your central log store instead of committing it)\n.kiro-guard/\n");
        add(gitignore, content, false)?;
    }
    if args.claude || all {
        let path = root.join(".claude/settings.json");
        let ours = localise(CLAUDE, &exe, claude_shell);
        let merged = merge_claude(std::fs::read_to_string(&path).ok().as_deref(), &ours)
            .with_context(|| {
                format!(
                    "{} is not valid JSON; fix it or move it aside",
                    path.display()
                )
            })?;
        add(path, merged, false)?;
    }
    if args.git || all {
        let hooks_dir = git_hooks_dir(root)?;
        for (name, script) in [("pre-commit", GIT_PRE_COMMIT), ("pre-push", GIT_PRE_PUSH)] {
            let script = localise_git(script, &exe);
            let script = script.as_str();
            let path = hooks_dir.join(name);
            let existing = std::fs::read_to_string(&path).ok();
            if existing.as_deref() == Some(script) {
                continue;
            }
            let ours = existing
                .as_deref()
                .is_some_and(|e| e.contains("installed by `kiro-guard init --git`"));
            let chain = existing.is_some() && !ours;
            let local = hooks_dir.join(format!("{name}.local"));
            out.push(Planned {
                path,
                content: script.to_string(),
                executable: true,
                action: if chain {
                    "chain"
                } else if ours {
                    "update"
                } else {
                    "create"
                },
                move_existing_to: if chain && !local.exists() {
                    Some(local)
                } else {
                    None
                },
            });
        }
    }
    Ok(out)
}

/// Apply planned changes (atomic writes; executables get 0755).
pub fn apply(planned: &[Planned]) -> Result<()> {
    for p in planned {
        if let Some(to) = &p.move_existing_to {
            std::fs::rename(&p.path, to)
                .with_context(|| format!("cannot move {} aside", p.path.display()))?;
        }
        crate::cache::write_atomic(&p.path, p.content.as_bytes())
            .with_context(|| format!("cannot write {}", p.path.display()))?;
        #[cfg(unix)]
        if p.executable {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&p.path, std::fs::Permissions::from_mode(0o755))?;
        }
    }
    Ok(())
}

fn git_hooks_dir(root: &Path) -> Result<PathBuf> {
    let out = crate::git::git(root, &["rev-parse", "--git-path", "hooks"])
        .context("--git needs a git repository")?;
    let p = PathBuf::from(String::from_utf8_lossy(&out).trim());
    Ok(if p.is_absolute() { p } else { root.join(p) })
}

/// Merge kiro-guard's Claude Code hooks (`ours`, a localised template) into
/// existing settings, keeping every other key and hook. Earlier kiro-guard
/// entries are replaced, so a re-run updates matchers and commands.
pub fn merge_claude(existing: Option<&str>, ours: &str) -> Result<String> {
    let mut settings: Value = match existing {
        Some(t) if !t.trim().is_empty() => serde_json::from_str(t)?,
        _ => json!({}),
    };
    let ours: Value = serde_json::from_str(ours).context("kiro-guard's Claude template")?;
    let obj = settings
        .as_object_mut()
        .context("settings must be a JSON object")?;
    let hooks = obj.entry("hooks").or_insert_with(|| json!({}));
    let hooks = hooks
        .as_object_mut()
        .context("\"hooks\" must be an object")?;
    for (event, entries) in ours["hooks"].as_object().context("template hooks")? {
        let list = hooks.entry(event.clone()).or_insert_with(|| json!([]));
        let list = list
            .as_array_mut()
            .with_context(|| format!("hooks.{event} must be an array"))?;
        list.retain(|e| !is_kiro_guard_entry(e));
        list.extend(
            entries
                .as_array()
                .context("template entries")?
                .iter()
                .cloned(),
        );
    }
    Ok(serde_json::to_string_pretty(&settings)? + "\n")
}

/// Whether a Claude Code matcher entry runs kiro-guard's hook.
fn is_kiro_guard_entry(entry: &Value) -> bool {
    entry
        .get("hooks")
        .and_then(Value::as_array)
        .is_some_and(|hs| {
            hs.iter().any(|h| {
                h.get("command")
                    .and_then(Value::as_str)
                    .and_then(kiro_guard_args)
                    .is_some_and(|a| a.starts_with("hook"))
            })
        })
}

/// The Agent Skills `SKILL.md` for a skill, from its catalogue.
pub fn skill_md(info: &kiro_guard_contract::SkillInfo) -> String {
    let mut s = format!(
        "---\nname: {}\ndescription: {} Run with kiro-guard; findings carry MAS TRM / PDPA / PCI DSS references.\n---\n\n# {}\n\n{}\n\n",
        info.name, info.description, info.name, info.description
    );
    s.push_str(&format!(
        "## How to run\n\n```sh\nkiro-guard scan --skills {name} --format json <paths>\nkiro-guard scan --skills {name} --staged      # what is about to be committed\n```\n\n\
Exit status 1 means a finding at `block` level. In the JSON output, each entry of `findings` has `rule`, `severity`\n\
(`block`, `warn`, `info`), `path`, `line`, `column`, `message`, masked `evidence`, `references` and `remediation`.\n\
Fix `block` findings before continuing: follow `remediation`, never paste the unmasked value anywhere.\n\
A false positive can be suppressed with a comment `kiro-guard: allow <rule> -- <reason>` on or above the line.\n\n## Rules\n\n| rule | severity | title |\n|---|---|---|\n",
        name = info.name
    ));
    for r in &info.rules {
        s.push_str(&format!(
            "| `{}` | {} | {} |\n",
            r.id,
            r.default_severity.as_str(),
            r.title.replace('|', "/")
        ));
    }
    s
}

/// `kiro-guard init`; returns the exit code.
pub fn run(args: InitOptions) -> Result<i32> {
    if args.managed {
        return crate::managed::install_command(&crate::managed::ManagedOptions {
            prefix: args.prefix,
            binary: args.binary,
            repo: args.dir,
        });
    }
    let start = match &args.dir {
        Some(d) => d.clone(),
        None => std::env::current_dir()?,
    };
    let root = crate::git::repo_root(&start).unwrap_or(start);
    let config = crate::config::Config::resolve(None, &root).unwrap_or_default();
    let guard = Guard::from_config(config, &crate::guard::SkillSelection::default())?;
    let planned = plan(&root, &args, &guard)?;
    if planned.is_empty() {
        eprintln!(
            "kiro-guard init: everything is already installed in {}",
            root.display()
        );
        return Ok(crate::exit::OK);
    }
    for p in &planned {
        let rel = p
            .path
            .strip_prefix(&root)
            .unwrap_or(&p.path)
            .display()
            .to_string();
        match &p.move_existing_to {
            Some(to) => eprintln!(
                "{:<7} {rel} (existing hook moved to {} and chained)",
                p.action,
                to.file_name().unwrap_or_default().to_string_lossy()
            ),
            None => eprintln!("{:<7} {rel}", p.action),
        }
    }
    if args.dry_run {
        eprintln!("(dry run: nothing written)");
        return Ok(crate::exit::OK);
    }
    apply(&planned)?;
    eprintln!("kiro-guard init: installed into {}", root.display());
    Ok(crate::exit::OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claude_merge_keeps_existing_and_is_idempotent() {
        let ours = localise(CLAUDE, "/opt/kg/kiro-guard", HookShell::Posix);
        // An old kiro-guard entry (regex matcher) is replaced, others kept.
        let existing = r#"{"model":"x","hooks":{"PreToolUse":[{"matcher":"Read","hooks":[{"type":"command","command":"other"}]},{"matcher":"Write|Edit|MultiEdit|Bash|PowerShell|mcp__.*","hooks":[{"type":"command","command":"kiro-guard hook --dialect claude"}]}]}}"#;
        let once = merge_claude(Some(existing), &ours).unwrap();
        let v: Value = serde_json::from_str(&once).unwrap();
        assert_eq!(v["model"], "x");
        let pre = v["hooks"]["PreToolUse"].as_array().unwrap();
        assert_eq!(pre.len(), 3, "{once}");
        assert_eq!(pre[0]["matcher"], "Read");
        assert!(!once.contains("PowerShell|mcp__"), "{once}");
        assert!(v["hooks"]["UserPromptSubmit"].is_array());
        assert_eq!(merge_claude(Some(&once), &ours).unwrap(), once);
        assert!(merge_claude(Some("not json"), &ours).is_err());
    }

    #[test]
    fn wrapped_commands_round_trip() {
        for shell in [HookShell::Posix, HookShell::Cmd, HookShell::Powershell] {
            for exe in [
                "/opt/kg/kiro-guard",
                "C:\\Program Files (x86)\\kg\\kiro-guard.exe",
                "/it's/kiro-guard",
            ] {
                let c = hook_command(exe, "hook --dialect kiro-cli", shell);
                assert!(c.contains(NOT_INSTALLED), "{c}");
                assert_eq!(
                    kiro_guard_args(&c).as_deref(),
                    Some("hook --dialect kiro-cli"),
                    "{shell:?} {c}"
                );
            }
        }
        assert_eq!(kiro_guard_args("kiro-guard hook").as_deref(), Some("hook"));
        let bare = hook_command("/k", "hook", HookShell::Posix);
        assert_eq!(kiro_guard_args(&bare).as_deref(), Some("hook"));
        assert_eq!(kiro_guard_args("other-tool hook"), None);
        let git = localise_git(GIT_PRE_COMMIT, "/opt/kg/kiro-guard");
        assert!(git.contains("\nkg='/opt/kg/kiro-guard'\n"), "{git}");
    }

    #[test]
    fn templates_are_valid_json() {
        for t in [KIRO_V1, LEGACY_FILES, LEGACY_PROMPT, KIRO_AGENT, CLAUDE] {
            let v: Value = serde_json::from_str(t).unwrap();
            assert!(v.to_string().contains("kiro-guard hook"));
            let wrapped = localise(t, "/opt/kg/kiro-guard", HookShell::Posix);
            assert!(!wrapped.contains("\"kiro-guard hook"), "{wrapped}");
            assert!(wrapped.contains(NOT_INSTALLED));
        }
    }
}
