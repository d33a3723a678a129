//! Exit statuses, one set for every command.

/// Success: nothing at or above the fail level, the check or build passed.
pub const OK: i32 = 0;
/// Findings at or above the fail level (or a blocking decision in a git
/// hook), or a check, verification, build or fixture comparison failed.
pub const FAILED: i32 = 1;
/// Usage or configuration error.
pub const USAGE: i32 = 2;
/// Agent hooks: block the tool call (every agent dialect reads exit 2 as
/// "block", with the reason on stderr).
pub const BLOCK: i32 = 2;
/// Agent hooks: let the tool call run and show stderr to the user (Kiro CLI
/// and Kiro v1 read any exit other than 0 and 2 this way).
pub const SHOW: i32 = 1;
