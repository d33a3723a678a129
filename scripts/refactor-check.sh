#!/usr/bin/env bash
# Behaviour check for refactors: scan a frozen copy of the test corpora and
# the demo with a kiro-guard binary and compare the output with a baseline
# taken from an earlier binary.
#
#   scripts/refactor-check.sh save  [BINARY]   freeze the inputs, write the baseline
#   scripts/refactor-check.sh check [BINARY]   scan the same inputs, diff against it
#
# BINARY defaults to $CARGO_TARGET_DIR/debug/kiro-guard (or target/debug/...).
# The work directory (inputs and outputs) is $REFACTOR_CHECK_DIR, default
# $CARGO_TARGET_DIR/refactor-check. `check` exits 1 when any output differs.
#
# Inputs, copied once by `save` so that later moves in the repository do not
# change them: examples/demo, tests/, skills/*/tests, skills/examples,
# host/tests (without snapshots), and the generated labelled corpora
# (banking-code-review's bcr_dump_corpus, pii-detection's pii_dump_corpus).
# For every input directory: `scan --format json` and `scan --format sarif`
# (output and exit status); for the demo and the whole input tree also
# `report compliance --format json` and the markdown report. Also the
# `--help` text of every command and subcommand (found from `help` itself).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
mode=${1:-}
target=${CARGO_TARGET_DIR:-$repo/target}
bin=${2:-$target/debug/kiro-guard}
work=${REFACTOR_CHECK_DIR:-$target/refactor-check}

case "$mode" in
  save | check) ;;
  *)
    echo "usage: $0 save|check [BINARY]" >&2
    exit 2
    ;;
esac
if [ ! -x "$bin" ]; then
  echo "error: no kiro-guard binary at $bin (build it: cargo build -p kiro-guard)" >&2
  exit 2
fi
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
# Usage lines name the program as invoked: always run it as `kiro-guard`.
mkdir -p "$work/bin-$mode"
ln -sf "$bin" "$work/bin-$mode/kiro-guard"
bin=$work/bin-$mode/kiro-guard

freeze_inputs() {
  rm -rf "$work/inputs"
  mkdir -p "$work/inputs"
  local in=$work/inputs
  cp -r examples/demo "$in/demo"
  cp -r tests "$in/repo-tests"
  for d in skills/*/tests; do
    local name
    name=$(basename "$(dirname "$d")")
    cp -r "$d" "$in/skill-tests-$name"
  done
  cp -r skills/examples "$in/skill-examples"
  mkdir -p "$in/host-tests"
  (cd host/tests && tar --exclude=snapshots -cf - .) | (cd "$in/host-tests" && tar -xf -)
  cargo run --quiet --locked -p banking-code-review --example bcr_dump_corpus -- "$in/banking-corpus" >/dev/null
  mkdir -p "$in/pii-corpus"
  cargo run --quiet --locked -p pii-detection --example pii_dump_corpus -- "$in/pii-corpus/corpus.tsv" >/dev/null
}

run_all() {
  local out=$1
  rm -rf "$out"
  mkdir -p "$out"
  cd "$work/inputs"
  for d in */; do
    d=${d%/}
    for fmt in json sarif; do
      local status=0
      "$bin" scan "$d" --format "$fmt" >"$out/scan-$d.$fmt" 2>"$out/scan-$d.$fmt.stderr" || status=$?
      echo "$status" >"$out/scan-$d.$fmt.status"
    done
  done
  for p in demo .; do
    local name=${p/./all}
    local status=0
    "$bin" report compliance "$p" --format json >"$out/compliance-$name.json" 2>/dev/null || status=$?
    echo "$status" >"$out/compliance-$name.json.status"
    "$bin" report compliance "$p" >"$out/compliance-$name.md" 2>/dev/null || true
  done
  help_tree "$out" ""
  cd "$repo"
}

# `--help` of a command and, recursively, of each of its subcommands.
help_tree() {
  local out=$1 cmd=$2
  local name=${cmd// /-}
  # shellcheck disable=SC2086
  "$bin" $cmd --help >"$out/help${name:+-}$name.txt" 2>&1 || true
  local sub
  for sub in $(awk '/^Commands:/{on=1; next} on && /^  [a-z]/{print $1} on && /^$/{on=0}' "$out/help${name:+-}$name.txt"); do
    [ "$sub" = help ] && continue
    help_tree "$out" "${cmd:+$cmd }$sub"
  done
}

if [ "$mode" = save ]; then
  freeze_inputs
  run_all "$work/baseline"
  echo "baseline: $(find "$work/baseline" -type f | wc -l) files in $work/baseline"
  exit 0
fi

if [ ! -d "$work/baseline" ]; then
  echo "error: no baseline in $work/baseline; run '$0 save' with the earlier binary first" >&2
  exit 2
fi
run_all "$work/current"
# SARIF names the tool version and rule catalogue, JSON the findings; both
# must match byte for byte. stderr carries timings, so it is not compared.
if diff -r -x '*.stderr' "$work/baseline" "$work/current"; then
  echo "refactor-check: identical ($(find "$work/current" -type f ! -name '*.stderr' | wc -l) files)"
else
  echo "refactor-check: outputs differ (see the diff above)" >&2
  exit 1
fi
