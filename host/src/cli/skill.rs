//! `kiro-guard skill ...`: write, build and test your own skills.

use crate::authoring::{compile, fixtures, scaffold};
use anyhow::Result;
use clap::Subcommand;
use std::path::PathBuf;

/// `kiro-guard skill ...`: write, build and test your own skills.
#[derive(Subcommand, Debug)]
pub enum SkillCommand {
    /// Create a new skill crate (one example rule, unit tests, fixtures).
    #[command(
        after_help = "Examples:\n  kiro-guard skill new internal-hosts\n  kiro-guard skill new payments-rules --dir skills/payments-rules\n\n\
The crate depends on the kiro-guard-skill SDK by path when it is created inside a kiro-guard checkout \
(or this kiro-guard was built from one that still exists), else by version.\n\
Next: cd into it, then `cargo test`, `kiro-guard skill test`, `kiro-guard skill build`."
    )]
    New {
        /// Skill name: lower-case letters, digits and `-`, starting with a letter (it is also the crate name).
        name: String,
        /// Directory to create (default: ./NAME). Must not exist or be empty.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Build the skill component, check it against the sandbox, print its SHA-256 and the config snippet that pins it.
    #[command(
        after_help = "Examples:\n  kiro-guard skill build\n  kiro-guard skill build skills/internal-hosts\n  CARGO_TARGET_DIR=/tmp/t kiro-guard skill build my-skill\n\n\
Runs `cargo build --target wasm32-wasip2 --release` in DIR (needs `rustup target add wasm32-wasip2`).\n\
Exit status: 0 built and accepted by the sandbox, 1 build failed or the sandbox refuses the component, 2 usage error."
    )]
    Build {
        /// The skill crate (default: the current directory).
        dir: Option<PathBuf>,
    },
    /// Build the skill, run it through the real sandbox on fixtures/ and compare with the expected findings.
    #[command(
        after_help = "Examples:\n  kiro-guard skill test\n  kiro-guard skill test skills/internal-hosts\n  kiro-guard skill test --update          accept the current findings as expected\n  kiro-guard skill test --wasm skill.wasm  test a component built another way (e.g. componentize-py)\n\n\
Every file in DIR/fixtures/ (subdirectories too) is an input; its path below fixtures/ is the document path the skill sees, \
so `fixtures/config.py` is a Python file named config.py. `*.command` files are shell commands, `*.prompt` files user prompts. \
The findings (rule, severity, line, column, evidence) must equal `<input>.expected.json` next to it.\n\
Exit status: 0 all fixtures match, 1 a mismatch, a skill error or a failed build, 2 usage error."
    )]
    Test {
        /// The skill crate (default: the current directory).
        dir: Option<PathBuf>,
        /// Rewrite the *.expected.json files with the current findings.
        #[arg(long)]
        update: bool,
        /// Test this component instead of building DIR (fixtures still come from DIR/fixtures).
        #[arg(long, value_name = "FILE.wasm")]
        wasm: Option<PathBuf>,
    },
}

/// Run a `skill` subcommand; returns the exit code.
pub fn run(cmd: SkillCommand) -> Result<i32> {
    let cwd = std::env::current_dir()?;
    match cmd {
        SkillCommand::New { name, dir } => scaffold::new_skill(&cwd, &name, dir.as_deref()),
        SkillCommand::Build { dir } => compile::build_command(&dir.unwrap_or(cwd)),
        SkillCommand::Test { dir, update, wasm } => {
            fixtures::test_command(&dir.unwrap_or(cwd), update, wasm.as_deref())
        }
    }
}
