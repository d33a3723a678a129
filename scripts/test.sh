#!/usr/bin/env bash
# The test command: formatting, lints, then every test in the workspace
# (unit, conformance, corpus, sandbox, CLI and hook end-to-end tests).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-wasip2; then
  echo "error: the wasm32-wasip2 target is missing; run: rustup target add wasm32-wasip2" >&2
  exit 2
fi
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo test --workspace --locked
