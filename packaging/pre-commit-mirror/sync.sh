#!/usr/bin/env bash
# Write the pre-commit mirror repository for one kiro-guard version (the
# pattern of ruff-pre-commit): the template with the version pinned.
#
#   packaging/pre-commit-mirror/sync.sh VERSION OUTDIR
#
# Then, in OUTDIR: git add -A && git commit -m "kiro-guard VERSION" && git tag vVERSION && git push --tags
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ $# -ne 2 ]; then
  echo "usage: $0 VERSION OUTDIR" >&2
  exit 2
fi
version=$1 out=$2
if ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+([.-]?[a-z0-9.]+)?$ ]]; then
  echo "error: '$version' is not a version like 0.1.0" >&2
  exit 2
fi
mkdir -p "$out"
cp "$here/template/.pre-commit-hooks.yaml" "$here/template/README.md" "$out/"
sed -e "s/^version = \".*\"/version = \"$version\"/" \
    -e "s/\"kiro-guard==[^\"]*\"/\"kiro-guard==$version\"/" \
    "$here/template/pyproject.toml" >"$out/pyproject.toml"
sed -i "s/rev: v[0-9][^ ]*/rev: v$version/" "$out/README.md"
grep -q "kiro-guard==$version" "$out/pyproject.toml"
echo "$out: kiro-guard-pre-commit $version pinning kiro-guard==$version"
