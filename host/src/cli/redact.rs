//! `kiro-guard redact`: mask PII and secrets in files or stdin.

use super::SkillArgs;
use crate::config::Config;
use crate::exit;
use crate::files;
use crate::guard::Guard;
use anyhow::{Context, Result, bail};
use clap::Args;
use std::io::{Read, Write};
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct RedactArgs {
    /// Files to redact, or `-` for stdin (default).
    pub files: Vec<PathBuf>,
    /// Rewrite the files in place (atomically) instead of printing.
    #[arg(long)]
    pub in_place: bool,
    #[command(flatten)]
    pub skill: SkillArgs,
}

/// `kiro-guard redact`; returns the exit code.
pub fn run(args: RedactArgs) -> Result<i32> {
    let cwd = std::env::current_dir()?;
    let files: Vec<PathBuf> = if args.files.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.files.clone()
    };
    if args.in_place && files.iter().any(|f| f.as_os_str() == "-") {
        bail!("--in-place needs file paths, not stdin");
    }
    let config = Config::resolve(args.skill.config.as_deref(), &cwd)?;
    let mut skill_args = args.skill.clone();
    if skill_args.skills.is_empty() {
        skill_args.skills = vec!["pii-detection".into(), "banking-code-review".into()];
    }
    let guard = Guard::from_config(config, &skill_args.selection())?;
    let mut total = 0;
    for f in &files {
        let (label, bytes) = if f.as_os_str() == "-" {
            let mut b = Vec::new();
            std::io::stdin()
                .read_to_end(&mut b)
                .context("cannot read stdin")?;
            ("-".to_string(), b)
        } else {
            (
                files::display(f),
                std::fs::read(f).with_context(|| format!("cannot read {}", f.display()))?,
            )
        };
        if files::is_binary(&bytes) {
            bail!("{label}: binary file; refusing to redact");
        }
        let text = files::decode(bytes);
        let (redacted, n) = crate::redact::redact(&guard, &label, &text).map_err(|e| {
            anyhow::anyhow!("{label}: a skill failed, output withheld so nothing leaks: {e}")
        })?;
        total += n;
        if args.in_place {
            if n > 0 {
                crate::cache::write_atomic(f, redacted.as_bytes())
                    .with_context(|| format!("cannot write {}", f.display()))?;
            }
        } else {
            std::io::stdout().write_all(redacted.as_bytes())?;
        }
    }
    eprintln!("kiro-guard: redacted {total} value(s)");
    Ok(exit::OK)
}
