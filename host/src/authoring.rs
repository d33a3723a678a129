//! The skill authoring kit: `kiro-guard skill new | build | test`.
//!
//! - `new` scaffolds a standalone skill crate from the embedded template
//!   (`authoring/template/`), with the SDK as a path dependency when a
//!   kiro-guard checkout is reachable and by version otherwise.
//! - `build` runs `cargo build --target wasm32-wasip2 --release` in the crate,
//!   checks the component against the sandbox exactly as `scan` would load it,
//!   and prints its size, SHA-256, rules and the `.kiro-guard.toml` snippet
//!   that pins it.
//! - `test` runs the built component through the real host runtime on every
//!   input in `fixtures/` and compares the findings with the
//!   `*.expected.json` files next to them; `--update` rewrites those.

pub mod compile;
pub mod fixtures;
pub mod scaffold;

pub use compile::{BuiltSkill, build_skill};
pub use fixtures::{Expected, expected_findings};
pub use scaffold::{SdkDependency, find_sdk, scaffold};
