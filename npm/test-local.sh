#!/usr/bin/env bash
# Pack the npm packages from a built binary, install them from the local
# tarballs into a fresh project, and run the demo scan through `npx`.
#
#   npm/test-local.sh [BINARY]     (default: target/release/kiro-guard)
#
# Expects the README's documented result: decision block, exit status 1.
# Uses no registry: --offline, and the platform package comes from its tarball.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
binary=${1:-${CARGO_TARGET_DIR:-$root/target}/release/kiro-guard}
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) target=linux-x64 ;;
  Linux-aarch64) target=linux-arm64 ;;
  Darwin-x86_64) target=darwin-x64 ;;
  Darwin-arm64) target=darwin-arm64 ;;
  *) echo "error: no npm platform package for $(uname -s)-$(uname -m)" >&2; exit 2 ;;
esac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$root/npm/build-platform-package.sh" "$binary" "$target" "$work/platform"
(cd "$work/platform" && npm pack --silent --pack-destination "$work" >/dev/null)
(cd "$root/npm/kiro-guard" && npm pack --silent --pack-destination "$work" >/dev/null)
ls "$work"/*.tgz

mkdir "$work/project"
cd "$work/project"
npm init -y >/dev/null
# Both tarballs at once: the platform package satisfies the main package's
# optional dependency, so npm needs nothing from a registry.
npm i -D --offline --no-audit --no-fund "$work"/kiro-guard-*.tgz "$work"/kiro-guard-"$target"-*.tgz
cp -r "$root/examples/demo" "$work/demo"

set +e
npx --offline kiro-guard scan "$work/demo" >"$work/out.txt" 2>"$work/err.txt"
status=$?
set -e
tail -n 1 "$work/out.txt"
if [ "$status" -ne 1 ] || ! tail -n 1 "$work/out.txt" | grep -q '^decision block'; then
  echo "FAIL: expected 'decision block' and exit status 1, got status $status" >&2
  cat "$work/err.txt" >&2
  exit 1
fi
# The launcher passes arguments and the exit status through.
npx --offline kiro-guard --version
set +e
npx --offline kiro-guard scan --no-such-flag >/dev/null 2>&1
usage=$?
set -e
[ "$usage" -eq 2 ] || { echo "FAIL: a usage error gave status $usage, want 2" >&2; exit 1; }
# Without the platform package, a clear message and status 2.
rm -rf "node_modules/@kiro-guard/$target"
set +e
msg=$(npx --offline kiro-guard --version 2>&1)
missing=$?
set -e
[ "$missing" -eq 2 ] && grep -q "is not installed" <<<"$msg" || {
  echo "FAIL: a missing platform package gave status $missing: $msg" >&2
  exit 1
}
echo "npm package OK: npx kiro-guard scan gave decision block, exit 1"
