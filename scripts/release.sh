#!/usr/bin/env bash
# Release files for software-intake review: the artifacts, an SBOM in SPDX 2.3
# and in CycloneDX 1.5 (what goes into the binary, from cargo metadata and
# Cargo.lock), and SHA256SUMS over all of them.
#
#   scripts/release.sh [--target TRIPLE] OUTDIR ARTIFACT...
#
# ARTIFACTs are the built files (binaries, wheels, npm tarballs); they are
# copied into OUTDIR. --target selects the platform whose dependencies the
# SBOM lists (default: this machine's). Check a download with
#   sha256sum -c SHA256SUMS
# Needs cargo, python3 (3.11+) and sha256sum (or shasum).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
target=""
if [ "${1:-}" = --target ]; then
  target=$2
  shift 2
fi
if [ $# -lt 2 ]; then
  echo "usage: $0 [--target TRIPLE] OUTDIR ARTIFACT..." >&2
  exit 2
fi
out=$1
shift
if [ -z "$target" ]; then
  target=$(rustc -vV | sed -n 's/^host: //p')
fi
sha256() {
  if command -v sha256sum >/dev/null; then sha256sum "$@"; else shasum -a 256 "$@"; fi
}
mkdir -p "$out"
names=()
for a in "$@"; do
  if [ ! -f "$a" ]; then
    echo "error: no such artifact: $a" >&2
    exit 2
  fi
  name=$(basename "$a")
  if [ "$(cd "$(dirname "$a")" && pwd)/$name" != "$(cd "$out" && pwd)/$name" ]; then
    cp "$a" "$out/$name"
  fi
  names+=("$name")
done
version=$(cd "$root" && cargo metadata --format-version 1 --no-deps --locked --offline |
  python3 -c 'import json,sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"] == "kiro-guard"))')
arts=()
for n in "${names[@]}"; do arts+=(--artifact "$out/$n"); done
python3 "$root/scripts/sbom.py" --format spdx --target "$target" "${arts[@]}" >"$out/kiro-guard-$version.spdx.json"
python3 "$root/scripts/sbom.py" --format cyclonedx --target "$target" "${arts[@]}" >"$out/kiro-guard-$version.cdx.json"
(
  cd "$out"
  rm -f SHA256SUMS
  files=$(ls -1 | LC_ALL=C sort)
  # shellcheck disable=SC2086 # file names without spaces (artifacts and SBOMs)
  sha256 $files >SHA256SUMS.tmp
  mv SHA256SUMS.tmp SHA256SUMS
  sha256 -c SHA256SUMS >/dev/null
)
echo "$out:"
cat "$out/SHA256SUMS"
