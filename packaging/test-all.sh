#!/usr/bin/env bash
# Try every install channel that can be tried on one Linux x86_64 machine,
# outside the test suite (it needs a release build, which `cargo test` does not
# make). Each step prints what the demo scan printed and how long it took.
#
#   packaging/test-all.sh [--profile release|dev] [--wheel-dir DIR] [--binary RELEASE_BINARY] [--musl]
#
#   --profile P       the cargo profile the wheel is built with (default release;
#                     `dev` reuses the test build's artefacts: what scripts/test.sh
#                     runs in CI to check the packaging, not the optimised binary)
#   --wheel-dir DIR   use the kiro-guard wheel in DIR instead of building one
#                     (maturin build --release: a full release build)
#   --binary FILE     the release binary for the npm packages (default: the one
#                     inside the wheel)
#   --musl            also build the static x86_64-unknown-linux-musl binary and
#                     run it in an empty root file system (needs musl-tools)
#
# Steps: wheel -> fresh venv -> `kiro-guard scan examples/demo` (decision block,
# exit 1); npm tarballs -> fresh project -> `npx kiro-guard scan`; the pre-commit
# mirror against the local wheel; optionally the musl binary. PyPI is used only
# to install maturin, pre-commit and setuptools when they are missing.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
wheel_dir="" binary="" musl=0 profile=release
while [ $# -gt 0 ]; do
  case "$1" in
    --wheel-dir) wheel_dir=$2; shift 2 ;;
    --binary) binary=$2; shift 2 ;;
    --musl) musl=1; shift ;;
    --profile) profile=$2; shift 2 ;;
    *) echo "usage: $0 [--profile release|dev] [--wheel-dir DIR] [--binary FILE] [--musl]" >&2; exit 2 ;;
  esac
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/tools"
tools="$work/tools/bin"

demo() { # demo LABEL COMMAND... : the demo scan must block with exit status 1
  local label=$1; shift
  local start end st=0
  start=$(date +%s.%N)
  "$@" scan "$root/examples/demo" >"$work/demo.out" 2>&1 || st=$?
  end=$(date +%s.%N)
  printf '%s: %s (exit %s, %.2fs)\n' "$label" "$(tail -n 1 "$work/demo.out")" "$st" "$(echo "$end - $start" | bc)"
  [ "$st" -eq 1 ] && tail -n 1 "$work/demo.out" | grep -q '^decision block'
}

# 1. Wheel.
if [ -z "$wheel_dir" ]; then
  "$tools/pip" install --quiet "maturin>=1.5,<2"
  wheel_dir="$work/wheels"
  # maturin's --manifest-path wants a Cargo.toml; pyproject.toml is found in
  # the working directory.
  (cd "$root/packaging/python" && time "$tools/maturin" build --profile "$profile" --locked -o "$wheel_dir")
fi
wheel=$(ls "$wheel_dir"/kiro_guard-*.whl | head -n 1)
python3 -m venv "$work/venv"
time "$work/venv/bin/pip" install --quiet --no-index "$wheel"
demo "pip wheel" "$work/venv/bin/kiro-guard"

# 2. npm, with the wheel's binary unless another was given.
binary=${binary:-$work/venv/bin/kiro-guard}
time "$root/npm/test-local.sh" "$binary"

# 3. pre-commit mirror, pip without an index.
"$tools/pip" install --quiet pre-commit
mkdir "$work/wheelhouse"
cp "$wheel" "$work/wheelhouse/"
"$tools/pip" download --quiet setuptools wheel -d "$work/wheelhouse"
time "$root/packaging/pre-commit-mirror/test-local.sh" "$work/wheelhouse" "$tools/pre-commit"

# 4. Static musl binary in an empty root.
if [ "$musl" = 1 ]; then
  rustup target add x86_64-unknown-linux-musl
  target_dir=${CARGO_TARGET_DIR:-$root/target}
  (cd "$root" && time cargo build --release --locked -p kiro-guard --target x86_64-unknown-linux-musl)
  "$root/packaging/test-static.sh" "$target_dir/x86_64-unknown-linux-musl/release/kiro-guard"
fi
echo "all install channels OK"
