//! The WIT bindings the host speaks, one submodule per contract version
//! (`v0_1`: `kiro:skill@0.1.x`), each with its `bindgen!` and the
//! conversions between its generated types and the plain contract types.
//!
//! A second version goes beside the first as `v0_2.rs` with its own
//! `bindgen!` and conversions; the runtime then picks the module by the
//! version a component exports (see `sandbox::check_exports`).
//!
//! `host/build.rs` includes this module (with `sandbox.rs`) to describe the
//! built-in skills at build time.

pub mod v0_1;

pub(crate) use v0_1::SkillPre;
