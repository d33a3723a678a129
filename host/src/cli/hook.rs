//! `kiro-guard hook` (agent hooks) and `kiro-guard git` (git hooks).

use super::SkillArgs;
use crate::hook::payload::Dialect;
use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Args, Debug, Clone)]
pub struct HookArgs {
    /// Force the dialect instead of detecting it from the payload.
    #[arg(long, value_enum)]
    pub dialect: Option<Dialect>,
    /// Event name, for legacy `.kiro.hook` files that pass nothing else
    /// (fileEdited, fileCreated, promptSubmit, preToolUse, postToolUse).
    #[arg(long)]
    pub event: Option<String>,
    /// How long to wait for stdin to close, in milliseconds.
    #[arg(long, default_value_t = 2000, value_name = "MS")]
    pub stdin_timeout: u64,
    #[command(flatten)]
    pub skill: SkillArgs,
}

impl From<HookArgs> for crate::hook::HookOptions {
    fn from(a: HookArgs) -> Self {
        crate::hook::HookOptions {
            dialect: a.dialect,
            event: a.event,
            stdin_timeout: a.stdin_timeout,
            skill: a.skill.into(),
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum GitCommand {
    /// Scan the staged changes; exit 1 to stop the commit.
    #[command(
        after_help = "Install as .git/hooks/pre-commit with `kiro-guard init --git`, or use the pre-commit framework (id: kiro-guard).\nFILES (as the pre-commit framework passes them) limit the scan to those paths."
    )]
    PreCommit {
        /// Limit to these staged paths.
        files: Vec<PathBuf>,
        #[command(flatten)]
        skill: SkillArgs,
    },
    /// Scan the commits being pushed (git's ref lines on stdin); exit 1 to stop the push.
    #[command(
        after_help = "git passes <remote> <url> as arguments and `<local-ref> <local-sha> <remote-ref> <remote-sha>` lines on stdin.\nWithout ref lines (the pre-commit framework), PRE_COMMIT_FROM_REF / PRE_COMMIT_TO_REF are used when both name known commits; otherwise the commits reachable from HEAD that no remote-tracking ref has are scanned."
    )]
    PrePush {
        /// Remote name (from git).
        remote: Option<String>,
        /// Remote URL (from git).
        url: Option<String>,
        #[command(flatten)]
        skill: SkillArgs,
    },
}

impl GitCommand {
    /// The hook to run and the skills it loads.
    pub fn split(self) -> (crate::githook::GitHook, crate::guard::SkillOptions) {
        use crate::githook::GitHook;
        match self {
            GitCommand::PreCommit { files, skill } => (GitHook::PreCommit { files }, skill.into()),
            GitCommand::PrePush { skill, .. } => (GitHook::PrePush, skill.into()),
        }
    }
}
