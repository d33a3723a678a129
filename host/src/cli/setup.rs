//! `kiro-guard init`, `doctor` and `managed`: installing and checking.

use crate::init::HookShell;
use clap::{Args, Subcommand};
use std::path::PathBuf;

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
    /// The kiro-guard binary the hooks run (default: this binary's absolute path).
    /// Hooks that cannot find it block with "kiro-guard is not installed".
    #[arg(long, value_name = "PATH")]
    pub binary: Option<PathBuf>,
    /// Shell the Kiro hook commands are written for (default: cmd on Windows,
    /// where Kiro runs hooks with `cmd /C`; posix elsewhere). Claude Code and
    /// git hooks always get the POSIX form (Git Bash on Windows).
    #[arg(long, value_enum)]
    pub shell: Option<HookShell>,
    /// Install managed mode instead (system-wide, as root; the same as
    /// `kiro-guard managed install`): a policy, git hooks through the system
    /// git configuration and Claude Code managed hooks, which the agent
    /// cannot switch off. See docs/managed-deployment.md.
    #[arg(long, conflicts_with_all = ["legacy_ide", "kiro_cli_agent", "claude", "git", "all", "dry_run", "shell"])]
    pub managed: bool,
    /// With --managed: root of the installation (a staging directory for
    /// images and packages).
    #[arg(long, value_name = "DIR", default_value = "/", requires = "managed")]
    pub prefix: PathBuf,
}

impl From<InitArgs> for crate::init::InitOptions {
    fn from(a: InitArgs) -> Self {
        crate::init::InitOptions {
            dir: a.dir,
            legacy_ide: a.legacy_ide,
            kiro_cli_agent: a.kiro_cli_agent,
            claude: a.claude,
            git: a.git,
            all: a.all,
            dry_run: a.dry_run,
            binary: a.binary,
            shell: a.shell,
            managed: a.managed,
            prefix: a.prefix,
        }
    }
}

#[derive(Args, Debug)]
pub struct DoctorArgs {
    /// Repository to check (default: the current directory's repository).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Only check the files; do not run the hook commands.
    #[arg(long)]
    pub no_run: bool,
    /// Seconds each hook command may take before it counts as failed.
    #[arg(long, default_value_t = 60, value_name = "SECS")]
    pub timeout: u64,
    /// Check the managed installation instead (the same as `kiro-guard
    /// managed check`; exit 1 when a part is missing or writable by the
    /// current user). --dir names the repository checked for a
    /// `core.hooksPath` override.
    #[arg(long)]
    pub managed: bool,
    /// With --managed: root of the installation.
    #[arg(long, value_name = "DIR", default_value = "/", requires = "managed")]
    pub prefix: PathBuf,
}

impl From<DoctorArgs> for crate::doctor::DoctorOptions {
    fn from(a: DoctorArgs) -> Self {
        crate::doctor::DoctorOptions {
            dir: a.dir,
            no_run: a.no_run,
            timeout: a.timeout,
            managed: a.managed,
            prefix: a.prefix,
        }
    }
}

#[derive(Subcommand, Debug, Clone)]
pub enum ManagedCommand {
    /// Install system-wide (as root): policy, git hooks via the system git
    /// config, Claude Code managed hooks, audit spool.
    #[command(
        after_help = "Examples:\n  sudo kiro-guard managed install\n  kiro-guard managed install --prefix /tmp/image   stage the files for a VDI image or package\n\nSee docs/managed-deployment.md for Ansible, GPO/Intune and MDM."
    )]
    Install(ManagedArgs),
    /// Check a managed installation (exit 1 when something is missing or
    /// writable by the current user).
    Check(ManagedArgs),
}

#[derive(Args, Debug, Clone)]
pub struct ManagedArgs {
    /// Root of the installation (staging directory for images and tests).
    #[arg(long, default_value = "/")]
    pub prefix: PathBuf,
    /// The kiro-guard binary the hooks call (default: this one).
    #[arg(long)]
    pub binary: Option<PathBuf>,
    /// Repository to check for a `core.hooksPath` override (check only).
    #[arg(long)]
    pub repo: Option<PathBuf>,
}

impl From<ManagedArgs> for crate::managed::ManagedOptions {
    fn from(a: ManagedArgs) -> Self {
        crate::managed::ManagedOptions {
            prefix: a.prefix,
            binary: a.binary,
            repo: a.repo,
        }
    }
}

/// Run a `managed` subcommand; returns the exit code.
pub fn managed(cmd: ManagedCommand) -> anyhow::Result<i32> {
    match cmd {
        ManagedCommand::Install(a) => crate::managed::install_command(&a.into()),
        ManagedCommand::Check(a) => Ok(crate::managed::check_command(&a.into())),
    }
}
