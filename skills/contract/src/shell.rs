//! Shell knowledge the host's guard-file analysis and the command rules of
//! `mas-compliance-review` share: where a program takes a shell command
//! from its configuration or environment, so both read that value as a
//! command typed by the agent.

/// Git configuration keys (lower case) whose value git runs as a shell
/// command (`git -c core.pager='…' log`).
pub const GIT_COMMAND_KEYS: &[&str] = &[
    "core.pager",
    "core.editor",
    "core.sshcommand",
    "core.fsmonitor",
    "diff.external",
    "sequence.editor",
    "credential.helper",
    "gpg.program",
    "pager.log",
    "pager.diff",
    "pager.show",
];

/// Environment variables whose value git, a pager or ssh runs as a command
/// (`GIT_EXTERNAL_DIFF='…' git diff`).
pub const COMMAND_ENV: &[&str] = &[
    "GIT_EXTERNAL_DIFF",
    "GIT_PAGER",
    "PAGER",
    "GIT_EDITOR",
    "GIT_SEQUENCE_EDITOR",
    "EDITOR",
    "VISUAL",
    "GIT_SSH_COMMAND",
    "GIT_SSH",
    "GIT_ASKPASS",
    "SSH_ASKPASS",
    "LESSOPEN",
    "MANPAGER",
];
