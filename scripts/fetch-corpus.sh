#!/usr/bin/env bash
# Fetch the repository-scan benchmark corpus: real, third-party source code
# (PyPI source distributions and npm packages at fixed versions), ~220 MB in
# ~16,000 files from a few hundred bytes to several MB, including large
# generated files (bundles, type declarations). Kept outside the repository.
#
#   scripts/fetch-corpus.sh [DIR]      (default: $KIRO_GUARD_CORPUS or /tmp/kiro-guard-corpus)
#
# Needs pip and npm. The unpacked tree is DIR/src; scripts/bench.sh scans it.
set -euo pipefail
DIR="${1:-${KIRO_GUARD_CORPUS:-/tmp/kiro-guard-corpus}}"
mkdir -p "$DIR/dl" "$DIR/src"
cd "$DIR/dl"
PYPI="django==5.1.4 sqlalchemy==2.0.36 sympy==1.13.3"
NPM="typescript@5.7.2 lodash@4.17.21 rxjs@7.8.1 three@0.170.0 moment@2.30.1 webpack@5.97.1"
# Source distributions only for the packages themselves; their build
# back-ends may come as wheels (pip prepares metadata).
# shellcheck disable=SC2086
pip download --quiet --no-deps --no-binary django,sqlalchemy,sympy $PYPI
# shellcheck disable=SC2086
npm pack --silent $NPM >/dev/null
for f in *.tar.gz *.tgz; do
    name="${f%.tar.gz}"
    name="${name%.tgz}"
    mkdir -p "$DIR/src/$name"
    tar xzf "$f" -C "$DIR/src/$name"
done
du -sb "$DIR/src" | awk '{printf "corpus: %.1f MB in ", $1/1e6}'
find "$DIR/src" -type f | wc -l | awk '{print $1, "files"}'
