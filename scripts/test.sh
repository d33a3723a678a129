#!/usr/bin/env bash
# The test command: formatting, lints, then every test in the workspace
# (unit, conformance, corpus, sandbox, CLI and hook end-to-end tests), then
# the install channels: the Python wheel (maturin, dev profile: it reuses the
# test build), the npm packages and the pre-commit mirror, each installed into
# a clean environment that runs the demo scan (packaging/test-all.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-wasip2; then
  echo "error: the wasm32-wasip2 target is missing; run: rustup target add wasm32-wasip2" >&2
  exit 2
fi
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo test --workspace --locked
if command -v npm >/dev/null && python3 -m venv --help >/dev/null 2>&1; then
  ./packaging/test-all.sh --profile dev
else
  echo "error: the packaging checks need python3 (with venv) and npm" >&2
  exit 2
fi
