#!/usr/bin/env bash
# Try the pre-commit mirror end to end without any index: build the mirror
# repository from the template, point a fresh repository's
# .pre-commit-config.yaml at it, and let pre-commit install kiro-guard from
# the local wheel (PIP_NO_INDEX, PIP_FIND_LINKS).
#
#   packaging/pre-commit-mirror/test-local.sh WHEEL_DIR [PRE_COMMIT]
#
# WHEEL_DIR holds the kiro-guard wheel and a setuptools wheel (pip's build of
# the mirror needs it); PRE_COMMIT is the pre-commit executable (default: on PATH).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
wheels=$(cd "$1" && pwd)
pc=${2:-pre-commit}
wheel=$(ls "$wheels"/kiro_guard-*.whl | head -n 1)
version=$(basename "$wheel" | cut -d- -f2)
ls "$wheels"/setuptools-*.whl >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PRE_COMMIT_HOME="$work/cache" PIP_NO_INDEX=1 PIP_FIND_LINKS="$wheels"
export GIT_CONFIG_GLOBAL="$work/gitconfig" GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com \
  GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com
git config --global init.defaultBranch main

"$root/packaging/pre-commit-mirror/sync.sh" "$version" "$work/mirror"
git -C "$work/mirror" init -q && git -C "$work/mirror" add -A
git -C "$work/mirror" commit -qm "kiro-guard $version" && git -C "$work/mirror" tag "v$version"

mkdir "$work/repo" && cd "$work/repo" && git init -q
cat >.pre-commit-config.yaml <<YAML
repos:
  - repo: $work/mirror
    rev: v$version
    hooks:
      - id: kiro-guard
YAML
echo "print('hello')" >clean.py
git add -A
"$pc" run kiro-guard >"$work/clean.txt" 2>&1 || { cat "$work/clean.txt"; echo "FAIL: clean file blocked" >&2; exit 1; }
tail -n 3 "$work/clean.txt"
cp "$root/examples/demo/src/payments.py" payments.py
git add payments.py
set +e
"$pc" run kiro-guard >"$work/dirty.txt" 2>&1
status=$?
set -e
tail -n 4 "$work/dirty.txt"
if [ "$status" -eq 0 ] || ! grep -q "decision block" "$work/dirty.txt"; then
  echo "FAIL: the demo file was not blocked (status $status)" >&2
  exit 1
fi
echo "pre-commit mirror OK: installed kiro-guard $version from the wheel; clean file passed, demo file blocked"
