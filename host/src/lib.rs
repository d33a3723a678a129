//! kiro-guard: a runtime for sandboxed security and compliance skills.
//!
//! The binary (`src/main.rs`) is a thin CLI over this library: [`cli`]
//! holds every clap type and turns arguments into the plain values the
//! library functions take; nothing else imports it.
//!
//! - [`runtime`]: the wasmtime engine, sandbox (allowed imports, fuel,
//!   memory) and per-item store; [`sandbox`]: the linker, store limits and
//!   contract checks every instance runs under; [`engine_config`]: the one
//!   wasmtime configuration (the build script precompiles the built-ins with
//!   it); [`cache`]: AOT-compiled external skills on disk.
//! - [`guard`]: loads the built-in ([`builtin`]) and external skills
//!   ([`guard::Guard::from_config`]), scans paths and [`item::Item`]s and
//!   turns them into a [`report::Report`] and a [`report::Decision`],
//!   applying [`config`] (found by [`resolve`], tightened by [`policy`]),
//!   inline suppressions ([`suppress`]) and the [`baseline`].
//! - [`files`], [`git`], [`diff`]: what to scan: files and directories,
//!   staged blobs, commit ranges.
//! - [`output`]: text, JSON, SARIF 2.1.0 and GitLab SAST.
//! - [`hook`], [`githook`]: agent hooks and git hooks; [`compliance`]: the
//!   MAS TRM coverage matrix; [`exit`]: the exit statuses.
//!
//! The contract types (findings, spans, severities, references, skill
//! info), line/column conversion and the MAS TRM table come from
//! `kiro-guard-contract`; the host does not depend on the skill SDK.
//! - [`redact`]: masks PII and secrets in text.
//! - [`audit`]: the hash-chained audit log and compliance report.
//! - [`authoring`]: `kiro-guard skill new/build/test` for skill authors.

pub mod audit;
pub mod authoring;
pub mod baseline;
pub mod builtin;
pub mod cache;
pub mod cli;
pub mod compliance;
pub mod config;
pub mod diff;
pub mod doctor;
pub mod engine_config;
pub mod exit;
pub mod files;
pub mod fingerprint;
pub mod git;
pub mod githook;
pub mod gitleaks;
pub mod guard;
pub mod hook;
pub mod init;
pub mod item;
pub mod managed;
pub mod module_files;
pub mod output;
pub mod policy;
pub mod redact;
pub mod report;
pub mod resolve;
pub mod runtime;
pub mod sandbox;
pub mod suppress;
