//! `kiro-guard report compliance`: the MAS TRM coverage matrix of a tree.

use super::SkillArgs;
use crate::output::ReportFormat;
use anyhow::Result;
use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Subcommand, Debug)]
pub enum ReportCommand {
    /// MAS TRM coverage matrix for a tree: each TRM sub-section the skills check, its rules, findings and pass/fail.
    #[command(
        after_help = "Examples:\n  kiro-guard report compliance .\n  kiro-guard report compliance infra --format json\n\nExit status 1 when a TRM sub-section fails (has blocking findings)."
    )]
    Compliance(ComplianceArgs),
}

#[derive(Args, Debug)]
pub struct ComplianceArgs {
    /// Files or directories to assess (default: the current directory).
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_parser = super::values::report_formats(&["markdown", "json"]), default_value = "markdown")]
    pub format: ReportFormat,
    #[command(flatten)]
    pub skill: SkillArgs,
}

/// Run a `report` subcommand; returns the exit code.
pub fn run(cmd: ReportCommand) -> Result<i32> {
    match cmd {
        ReportCommand::Compliance(a) => crate::compliance::run(&a.paths, a.format, &a.skill.into()),
    }
}
