//! Pre-initialising skills with Wizer before they are compiled.
//!
//! A skill's first analysis in a fresh instance pays for building its rule
//! tables (regex compilation dominates: tens of milliseconds for a large rule
//! set). Components that export the optional `kiro:skill/prewarm` interface
//! are instantiated once, `prewarm()` is called, and the initialised memory
//! is snapshotted into a new component (Wizer). That component is what gets
//! compiled (at build time for the built-ins, which `host/build.rs` embeds;
//! at first use for external skills, which the AOT cache stores), so every
//! later instance starts warm.
//!
//! The snapshot runs inside the same sandbox as analysis (same linker stubs,
//! fuel and memory caps) and is deterministic (the only entropy source is
//! the host's constant `insecure-seed`). Any failure falls back to the
//! original component.

use crate::sandbox::{Limits, sandbox_linker, sandbox_store};
use anyhow::{Result, anyhow};
use wasmtime::Engine;
use wasmtime::component::{Component, Instance, Lift, WasmList};
use wasmtime_wizer::ComponentInstanceState;
use wasmtime_wizer::Wizer;

/// Fuel for `prewarm()`: generous, it runs once per component and machine.
const PREWARM_FUEL: u64 = 10_000_000_000;

/// The name of the prewarm export, if the component has one.
fn prewarm_export(engine: &Engine, component: &Component) -> Option<String> {
    component
        .component_type()
        .exports(engine)
        .map(|(name, _)| name)
        .find(|n| {
            n.strip_prefix("kiro:skill/prewarm@")
                .is_some_and(|v| crate::sandbox::compatible(v, crate::sandbox::CONTRACT_VERSION))
        })
        .map(str::to_string)
}

/// Snapshot `bytes` after `prewarm()`. `Ok(None)` when the component has no
/// prewarm export.
pub fn wizen(engine: &Engine, bytes: &[u8], limits: Limits) -> Result<Option<Vec<u8>>> {
    let original = Component::new(engine, bytes).map_err(|e| anyhow!("{e}"))?;
    // Never run a component the sandbox would refuse.
    // (the caller reports the refusal itself).
    if crate::sandbox::check_component_type(engine, &original).is_err() {
        return Ok(None);
    }
    let Some(export) = prewarm_export(engine, &original) else {
        return Ok(None);
    };
    let mut wizer = Wizer::new();
    wizer.keep_init_func(true);
    let (cx, instrumented) = wizer
        .instrument_component(bytes)
        .map_err(|e| anyhow!("instrument: {e}"))?;
    let component = Component::new(engine, &instrumented).map_err(|e| anyhow!("{e}"))?;
    let linker = sandbox_linker(engine, &component)?;
    let mut store = sandbox_store(engine, limits, PREWARM_FUEL)?;
    let instance = linker
        .instantiate(&mut store, &component)
        .map_err(|e| anyhow!("instantiate: {e}"))?;
    let iface = instance
        .get_export_index(&mut store, None, &export)
        .ok_or_else(|| anyhow!("no {export}"))?;
    let func = instance
        .get_export_index(&mut store, Some(&iface), "prewarm")
        .ok_or_else(|| anyhow!("no prewarm func"))?;
    let func = instance
        .get_typed_func::<(), ()>(&mut store, func)
        .map_err(|e| anyhow!("{e}"))?;
    func.call(&mut store, ())
        .map_err(|e| anyhow!("prewarm() failed: {e}"))?;
    let mut state = State {
        store: &mut store,
        instance,
        failed: None,
    };
    let snapshot = block_on(wizer.snapshot_component(&cx, &mut state))
        .ok_or_else(|| anyhow!("snapshot did not complete"))?
        .map_err(|e| anyhow!("snapshot: {e}"))?;
    if let Some(e) = state.failed {
        return Err(anyhow!("snapshot: {e}"));
    }
    Ok(Some(snapshot))
}

struct State<'a, T: 'static> {
    store: &'a mut wasmtime::Store<T>,
    instance: Instance,
    failed: Option<String>,
}

impl<T: Send> State<'_, T> {
    /// Call `instance#func` (added by Wizer's instrumentation) and map its result.
    fn call<R: Lift + 'static + Default, R2>(
        &mut self,
        instance: &str,
        func: &str,
        f: impl FnOnce(&wasmtime::Store<T>, R) -> R2,
    ) -> R2 {
        let result = (|| -> Result<R> {
            let i = self
                .instance
                .get_export_index(&mut *self.store, None, instance)
                .ok_or_else(|| anyhow!("no {instance}"))?;
            let fi = self
                .instance
                .get_export_index(&mut *self.store, Some(&i), func)
                .ok_or_else(|| anyhow!("no {func}"))?;
            let typed = self
                .instance
                .get_typed_func::<(), (R,)>(&mut *self.store, fi)
                .map_err(|e| anyhow!("{e}"))?;
            Ok(typed
                .call(&mut *self.store, ())
                .map_err(|e| anyhow!("{e}"))?
                .0)
        })();
        match result {
            Ok(r) => f(self.store, r),
            Err(e) => {
                self.failed.get_or_insert(format!("{instance}#{func}: {e}"));
                f(self.store, R::default())
            }
        }
    }
}

impl<T: Send> ComponentInstanceState for State<'_, T> {
    fn call_func_ret_list_u8(
        &mut self,
        instance: &str,
        func: &str,
        contents: impl FnOnce(&[u8]) + Send,
    ) -> impl Future<Output = ()> + Send {
        let r = (|| -> Result<Vec<u8>> {
            let i = self
                .instance
                .get_export_index(&mut *self.store, None, instance)
                .ok_or_else(|| anyhow!("no {instance}"))?;
            let fi = self
                .instance
                .get_export_index(&mut *self.store, Some(&i), func)
                .ok_or_else(|| anyhow!("no {func}"))?;
            let typed = self
                .instance
                .get_typed_func::<(), (WasmList<u8>,)>(&mut *self.store, fi)
                .map_err(|e| anyhow!("{e}"))?;
            let list = typed
                .call(&mut *self.store, ())
                .map_err(|e| anyhow!("{e}"))?
                .0;
            Ok(list.as_le_slice(&*self.store).to_vec())
        })();
        match r {
            Ok(bytes) => contents(&bytes),
            Err(e) => {
                self.failed.get_or_insert(format!("{instance}#{func}: {e}"));
                contents(&[]);
            }
        }
        std::future::ready(())
    }

    fn call_func_ret_s32(
        &mut self,
        instance: &str,
        func: &str,
    ) -> impl Future<Output = i32> + Send {
        std::future::ready(self.call(instance, func, |_, r: i32| r))
    }

    fn call_func_ret_s64(
        &mut self,
        instance: &str,
        func: &str,
    ) -> impl Future<Output = i64> + Send {
        std::future::ready(self.call(instance, func, |_, r: i64| r))
    }

    fn call_func_ret_f32(
        &mut self,
        instance: &str,
        func: &str,
    ) -> impl Future<Output = u32> + Send {
        std::future::ready(self.call(instance, func, |_, r: f32| r.to_bits()))
    }

    fn call_func_ret_f64(
        &mut self,
        instance: &str,
        func: &str,
    ) -> impl Future<Output = u64> + Send {
        std::future::ready(self.call(instance, func, |_, r: f64| r.to_bits()))
    }
}

/// Drive a future whose awaits all complete immediately (our state calls are
/// synchronous), without pulling in an async runtime.
fn block_on<F: Future>(fut: F) -> Option<F::Output> {
    let mut fut = std::pin::pin!(fut);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    // Never pending in practice; bounded so a surprise cannot hang the host.
    for _ in 0..1_000 {
        if let std::task::Poll::Ready(v) = fut.as_mut().poll(&mut cx) {
            return Some(v);
        }
    }
    None
}
