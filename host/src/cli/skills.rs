//! `kiro-guard skills list|warm|rules`.

use super::SkillArgs;
use crate::config::Config;
use crate::exit;
use crate::guard::Guard;
use crate::runtime::SkillSource;
use anyhow::{Result, bail};
use clap::Subcommand;

#[derive(Subcommand, Debug)]
pub enum SkillsCommand {
    /// List the loaded skills with version, source and SHA-256.
    List {
        #[arg(long, value_enum, default_value = "text")]
        format: ListFormat,
        #[command(flatten)]
        skill: SkillArgs,
    },
    /// Compile pinned external skills ahead of time, so no hook waits for a
    /// compile (built-in skills are precompiled into the binary).
    Warm {
        #[command(flatten)]
        skill: SkillArgs,
    },
    /// Show rules (id, severity, references, fix) of one skill or all.
    Rules {
        /// Skill name (default: all).
        skill_name: Option<String>,
        #[arg(long, value_enum, default_value = "text")]
        format: ListFormat,
        #[command(flatten)]
        skill: SkillArgs,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

/// `kiro-guard skills ...`; returns the exit code.
pub fn run(cmd: SkillsCommand) -> Result<i32> {
    let cwd = std::env::current_dir()?;
    match cmd {
        SkillsCommand::List { format, skill } => {
            let config = Config::resolve(skill.config.as_deref(), &cwd)?;
            let guard = Guard::from_config(config, &skill.selection())?;
            match format {
                ListFormat::Json => {
                    let list: Vec<_> = guard
                        .skills
                        .iter()
                        .map(|s| {
                            serde_json::json!({
                                "name": s.info.name,
                                "version": s.info.version,
                                "description": s.info.description,
                                "source": match &s.source { SkillSource::Builtin => "builtin".to_string(), SkillSource::External(p) => p.display().to_string() },
                                "sha256": s.sha256,
                                "rules": s.info.rules.len(),
                            })
                        })
                        .collect();
                    println!("{}", serde_json::to_string_pretty(&list)?);
                }
                ListFormat::Text => {
                    for s in &guard.skills {
                        let source = match &s.source {
                            SkillSource::Builtin => "built-in".to_string(),
                            SkillSource::External(p) => p.display().to_string(),
                        };
                        println!(
                            "{} {} ({} rules, {source}, sha256 {})\n  {}",
                            s.info.name,
                            s.info.version,
                            s.info.rules.len(),
                            &s.sha256[..16],
                            s.info.description
                        );
                    }
                }
            }
            Ok(exit::OK)
        }
        SkillsCommand::Warm { skill } => {
            let config = Config::resolve(skill.config.as_deref(), &cwd)?;
            let guard = Guard::from_config(config, &skill.selection())?;
            for s in &guard.skills {
                let how = match (&s.source, s.compiled) {
                    (SkillSource::Builtin, false) => "precompiled into the binary",
                    (SkillSource::Builtin, true) => {
                        "compiled now (the precompiled code does not fit this machine)"
                    }
                    (SkillSource::External(_), true) => "compiled now",
                    (SkillSource::External(_), false) => "already compiled",
                };
                println!("{}: {how}", s.info.name);
            }
            match guard.runtime.cache().dir() {
                Some(d) => println!("compile cache: {}", d.display()),
                None => println!("compile cache: none (external skills compile on every run)"),
            }
            Ok(exit::OK)
        }
        SkillsCommand::Rules {
            skill_name,
            format,
            skill,
        } => {
            let config = Config::resolve(skill.config.as_deref(), &cwd)?;
            let guard = Guard::from_config(config, &skill.selection())?;
            let selected: Vec<_> = guard
                .skills
                .iter()
                .filter(|s| skill_name.as_ref().is_none_or(|n| &s.info.name == n))
                .collect();
            if selected.is_empty() {
                bail!(
                    "no skill named {:?}; loaded: {}",
                    skill_name.unwrap_or_default(),
                    guard
                        .skills
                        .iter()
                        .map(|s| s.info.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
            match format {
                ListFormat::Json => {
                    let v: Vec<_> = selected
                        .iter()
                        .map(|s| serde_json::json!({"skill": s.info.name, "rules": s.info.rules}))
                        .collect();
                    println!("{}", serde_json::to_string_pretty(&v)?);
                }
                ListFormat::Text => {
                    for s in selected {
                        println!("{} {}", s.info.name, s.info.version);
                        for r in &s.info.rules {
                            println!(
                                "  {:<34} {:<5} {}",
                                r.id,
                                r.default_severity.as_str(),
                                r.title
                            );
                            let refs: Vec<String> = r
                                .references
                                .iter()
                                .map(|x| format!("{} {} {}", x.framework, x.id, x.title))
                                .collect();
                            if !refs.is_empty() {
                                println!("      refs: {}", refs.join("; "));
                            }
                            println!("      fix:  {}", r.remediation);
                        }
                    }
                }
            }
            Ok(exit::OK)
        }
    }
}
