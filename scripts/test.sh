#!/usr/bin/env bash
# The test command: formatting, lints, then every test in the workspace
# (unit, conformance, corpus, sandbox, CLI and hook end-to-end tests), then
# the install channels: the Python wheel (maturin, dev profile: it reuses the
# test build), the npm packages and the pre-commit mirror, each installed into
# a clean environment that runs the demo scan (packaging/test-all.sh); then,
# where Wine and MinGW are installed (CI installs them), the Windows smoke
# test under Wine and the macOS type-check (scripts/windows-smoke.sh).
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
wine=$(ls /usr/lib/wine/wine64 2>/dev/null || command -v wine64 || command -v wine || true)
if [ -n "$wine" ] && command -v x86_64-w64-mingw32-gcc >/dev/null &&
  rustup target list --installed 2>/dev/null | grep -qx x86_64-pc-windows-gnu; then
  PATH="$(dirname "$wine"):$PATH" ./scripts/windows-smoke.sh
else
  echo "note: Windows smoke test skipped (needs wine64, gcc-mingw-w64-x86-64 and the x86_64-pc-windows-gnu target; .ci/run installs them)" >&2
fi
