#!/usr/bin/env bash
# Assemble the npm package that carries one platform's kiro-guard binary.
#
#   npm/build-platform-package.sh BINARY PLATFORM-ARCH OUTDIR [VERSION]
#
# PLATFORM-ARCH is Node's process.platform-process.arch: linux-x64, linux-arm64,
# darwin-x64, darwin-arm64, win32-x64. The package is @kiro-guard/PLATFORM-ARCH
# with "os" and "cpu" set, so npm installs it only on matching machines.
# VERSION defaults to the main package's version (npm/kiro-guard/package.json);
# the two must match, because the main package pins its optional dependencies.
# Then: (cd OUTDIR && npm pack) or npm publish OUTDIR --access public.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ $# -lt 3 ]; then
  echo "usage: $0 BINARY PLATFORM-ARCH OUTDIR [VERSION]" >&2
  exit 2
fi
binary=$1 target=$2 out=$3
version=${4:-$(node -p "require('$here/kiro-guard/package.json').version")}
case "$target" in
  linux-x64|linux-arm64|darwin-x64|darwin-arm64|win32-x64) ;;
  *) echo "error: unsupported PLATFORM-ARCH '$target'" >&2; exit 2 ;;
esac
if [ ! -f "$binary" ]; then
  echo "error: no binary at $binary" >&2
  exit 2
fi
os=${target%-*} cpu=${target#*-}
exe=kiro-guard
[ "$os" = win32 ] && exe=kiro-guard.exe

rm -rf "$out"
mkdir -p "$out/bin"
cp "$binary" "$out/bin/$exe"
chmod 755 "$out/bin/$exe"
cat >"$out/package.json" <<JSON
{
  "name": "@kiro-guard/$target",
  "version": "$version",
  "description": "The kiro-guard binary for $target (installed by the kiro-guard package)",
  "license": "Apache-2.0",
  "repository": {
    "type": "git",
    "url": "git+https://github.com/kiro-guard/kiro-guard.git"
  },
  "os": ["$os"],
  "cpu": ["$cpu"],
  "files": ["bin/$exe"],
  "preferUnplugged": true
}
JSON
cat >"$out/README.md" <<MD
# @kiro-guard/$target

The \`kiro-guard\` binary for $target. Install the \`kiro-guard\` package instead: it depends on this one
(as an optional dependency) and runs the binary.
MD
echo "$out: @kiro-guard/$target@$version ($(wc -c <"$out/bin/$exe") bytes)"
