//! # kiro-guard-contract: the skill contract as plain Rust
//!
//! What the host and the skills agree on, without the host depending on the
//! skill SDK (its regex and Aho-Corasick internals) or the SDK on the host:
//!
//! - the types of the `kiro:skill` WIT contract (`wit/skill.wit`):
//!   [`Input`] and [`Document`], [`Finding`], [`Span`], [`Severity`],
//!   [`Reference`], [`SkillInfo`] and [`RuleInfo`], serialised the way the
//!   host's JSON output and describe cache expect;
//! - line/column ↔ byte conversion in both directions ([`text::LineIndex`],
//!   [`text::span_bytes`]) and [`text::touches_changed`];
//! - the MAS TRM table ([`trm`]: titles and section order) and the
//!   reference catalogue ([`refs`]);
//! - language and test-path detection for documents ([`lang`]);
//! - where programs take shell commands from settings and environment
//!   ([`shell`]).
//!
//! The SDK (`kiro-guard-skill`) re-exports all of it for skill authors.

pub mod lang;
pub mod refs;
pub mod shell;
pub mod text;
pub mod trm;
mod types;

pub use types::*;

/// The WIT contract version (`kiro:skill@0.1.0`).
pub const CONTRACT_VERSION: &str = "0.1.0";
