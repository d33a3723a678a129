//! The WIT bindings the host speaks, one submodule per contract version
//! (`v0_1`: `kiro:skill@0.1.x`), each with its `bindgen!` and the
//! conversions between its generated types and the plain contract types.
//!
//! A second version goes beside the first as `v0_2.rs` with its own
//! `bindgen!` and conversions; the runtime then picks the module by the
//! version a component exports (see `sandbox::check_exports`).
//!
//! `host/build.rs` includes this module (with `sandbox.rs`) to describe the
//! built-in skills at build time ([`describe_component`]).

pub mod v0_1;

pub(crate) use v0_1::SkillPre;

use crate::sandbox::{Limits, sandbox_linker, sandbox_store};
use anyhow::Result;
use wasmtime::Engine;
use wasmtime::component::Component;

/// Instantiate `component` in a fresh sandbox store and call `describe()`
/// (used at build time for the built-ins; the runtime has its own error
/// classification around the same calls).
#[allow(dead_code)]
pub fn describe_component(
    engine: &Engine,
    component: &Component,
    limits: Limits,
) -> Result<kiro_guard_contract::SkillInfo> {
    let linker = sandbox_linker(engine, component)?;
    let pre = SkillPre::new(linker.instantiate_pre(component)?)?;
    let mut store = sandbox_store(engine, limits, limits.fuel_base)?;
    let instance = pre.instantiate(&mut store)?;
    let info = instance.kiro_skill_analyzer().call_describe(&mut store)?;
    Ok(info.into())
}
