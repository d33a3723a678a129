#!/usr/bin/env bash
# Runs this repository's hooks through the real pre-commit framework
# (`pre-commit try-repo`) on a temporary repository: a commit with an NRIC
# must fail, a clean one must pass. Needs `pip install pre-commit` and a
# built kiro-guard (the hooks use language: system, i.e. kiro-guard on PATH).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
command -v pre-commit >/dev/null || python3 -m pip install --quiet pre-commit
BIN_DIR="${KIRO_GUARD_BIN_DIR:-$ROOT/target/release}"
[ -x "$BIN_DIR/kiro-guard" ] || cargo build --release -p kiro-guard --manifest-path "$ROOT/Cargo.toml"
export PATH="$BIN_DIR:$PATH"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
git init -q -b main .
git config user.email t@example.com
git config user.name t
# try-repo needs the hooks repo at a commit: use HEAD of this checkout.
REV=$(git -C "$ROOT" rev-parse HEAD)

echo 'OWNER = "S1234567D"' > customers.py
git add customers.py
if pre-commit try-repo "$ROOT" kiro-guard --ref "$REV" --files customers.py; then
  echo "FAIL: pre-commit accepted a file with an NRIC" >&2; exit 1
fi
echo "ok: NRIC refused through pre-commit try-repo"

echo 'def add(a, b):\n    return a + b' > clean.py
git rm -q --cached customers.py; rm customers.py
git add clean.py
pre-commit try-repo "$ROOT" kiro-guard --ref "$REV" --files clean.py
echo "ok: clean file accepted through pre-commit try-repo"
