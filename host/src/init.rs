//! `kiro-guard init`: install hooks, skills docs, steering and a starter
//! config into a repository. Idempotent: a second run changes nothing;
//! existing Claude settings are merged and existing git hooks are chained.

use crate::guard::Guard;
use anyhow::{Context, Result};
use clap::Args;
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

#[derive(Args, Debug)]
pub struct InitArgs {
    /// Repository to install into (default: the current directory's repository).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Also install legacy Kiro IDE 0.x `.kiro.hook` files.
    #[arg(long)]
    pub legacy_ide: bool,
    /// Also install a Kiro CLI 2.x agent (`.kiro/agents/kiro-guard.json`) with embedded hooks.
    #[arg(long)]
    pub kiro_cli_agent: bool,
    /// Also install Claude Code hooks into `.claude/settings.json` (merged, never clobbered).
    #[arg(long)]
    pub claude: bool,
    /// Also install git pre-commit and pre-push hooks (existing hooks are chained).
    #[arg(long)]
    pub git: bool,
    /// Everything: --legacy-ide --kiro-cli-agent --claude --git.
    #[arg(long)]
    pub all: bool,
    /// Show what would be written without writing.
    #[arg(long)]
    pub dry_run: bool,
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
pub fn plan(root: &Path, args: &InitArgs, guard: &Guard) -> Result<Vec<Planned>> {
    let all = args.all;
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
        KIRO_V1.to_string(),
        false,
    )?;
    if args.legacy_ide || all {
        add(
            root.join(".kiro/hooks/kiro-guard-files.kiro.hook"),
            LEGACY_FILES.to_string(),
            false,
        )?;
        add(
            root.join(".kiro/hooks/kiro-guard-prompt.kiro.hook"),
            LEGACY_PROMPT.to_string(),
            false,
        )?;
    }
    if args.kiro_cli_agent || all {
        add(
            root.join(".kiro/agents/kiro-guard.json"),
            KIRO_AGENT.to_string(),
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
        let merged =
            merge_claude(std::fs::read_to_string(&path).ok().as_deref()).with_context(|| {
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

/// Merge kiro-guard's Claude Code hooks into existing settings, keeping every
/// other key and hook. Already-present kiro-guard entries are left alone.
pub fn merge_claude(existing: Option<&str>) -> Result<String> {
    let mut settings: Value = match existing {
        Some(t) if !t.trim().is_empty() => serde_json::from_str(t)?,
        _ => json!({}),
    };
    let ours: Value = serde_json::from_str(CLAUDE).expect("template is JSON");
    let obj = settings
        .as_object_mut()
        .context("settings must be a JSON object")?;
    let hooks = obj.entry("hooks").or_insert_with(|| json!({}));
    let hooks = hooks
        .as_object_mut()
        .context("\"hooks\" must be an object")?;
    for (event, entries) in ours["hooks"].as_object().expect("template hooks") {
        let list = hooks.entry(event.clone()).or_insert_with(|| json!([]));
        let list = list
            .as_array_mut()
            .with_context(|| format!("hooks.{event} must be an array"))?;
        let present = list
            .iter()
            .any(|e| e.to_string().contains("kiro-guard hook"));
        if !present {
            list.extend(
                entries
                    .as_array()
                    .expect("template entries")
                    .iter()
                    .cloned(),
            );
        }
    }
    Ok(serde_json::to_string_pretty(&settings)? + "\n")
}

/// The Agent Skills `SKILL.md` for a skill, from its catalogue.
pub fn skill_md(info: &kiro_guard_skill::SkillInfo) -> String {
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

pub fn run(args: InitArgs) -> Result<i32> {
    let start = match &args.dir {
        Some(d) => d.clone(),
        None => std::env::current_dir()?,
    };
    let root = crate::git::repo_root(&start).unwrap_or(start);
    let config = crate::cli::load_config(None, &root).unwrap_or_default();
    let guard = crate::cli::build_guard(config, &crate::cli::SkillArgs::default())?;
    let planned = plan(&root, &args, &guard)?;
    if planned.is_empty() {
        eprintln!(
            "kiro-guard init: everything is already installed in {}",
            root.display()
        );
        return Ok(0);
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
        return Ok(0);
    }
    apply(&planned)?;
    eprintln!("kiro-guard init: installed into {}", root.display());
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claude_merge_keeps_existing_and_is_idempotent() {
        let existing = r#"{"model":"x","hooks":{"PreToolUse":[{"matcher":"Read","hooks":[{"type":"command","command":"other"}]}]}}"#;
        let once = merge_claude(Some(existing)).unwrap();
        let v: Value = serde_json::from_str(&once).unwrap();
        assert_eq!(v["model"], "x");
        assert_eq!(v["hooks"]["PreToolUse"].as_array().unwrap().len(), 2);
        assert!(v["hooks"]["UserPromptSubmit"].is_array());
        assert_eq!(merge_claude(Some(&once)).unwrap(), once);
        assert!(merge_claude(Some("not json")).is_err());
    }

    #[test]
    fn templates_are_valid_json() {
        for t in [KIRO_V1, LEGACY_FILES, LEGACY_PROMPT, KIRO_AGENT, CLAUDE] {
            let v: Value = serde_json::from_str(t).unwrap();
            assert!(v.to_string().contains("kiro-guard hook"));
        }
    }
}
