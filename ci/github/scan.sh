#!/usr/bin/env bash
# The scan step of the kiro-guard GitHub Action (action.yml), usable as a plain
# script in any CI: scan what a pull request or push changes, write SARIF,
# print a summary without any finding's value, and report the outcome.
#
# Environment (all optional):
#   KG_BASE, KG_HEAD   the range to scan (BASE..HEAD, added lines only); an empty
#                      or all-zero KG_BASE (a new branch) scans the whole tree at HEAD
#   KG_SARIF           SARIF output file (default kiro-guard.sarif)
#   KG_FAIL_ON         block | warn | never (default block)
#   KG_ARGS            extra arguments for `kiro-guard scan` (e.g. --config FILE)
#   KIRO_GUARD         the binary (default: kiro-guard on PATH)
#   GITHUB_OUTPUT      where the outputs go (decision, blocks, warnings, exit-code, sarif-file)
#
# Exit status: 0 when the scan ran (whatever it found: the caller decides
# with the exit-code output, after uploading the SARIF), 2 when it could not run.
# Never `set -x`: the command lines are harmless, but keep the log to the summary.
set -euo pipefail
kg=${KIRO_GUARD:-kiro-guard}
sarif=${KG_SARIF:-kiro-guard.sarif}
fail_on=${KG_FAIL_ON:-block}
base=${KG_BASE:-}
head=${KG_HEAD:-HEAD}
out=${GITHUB_OUTPUT:-/dev/null}

case "$fail_on" in block|warn|never) ;; *)
  echo "::error::kiro-guard: fail-on must be block, warn or never, not '$fail_on'"; exit 2 ;;
esac
if ! command -v "$kg" >/dev/null 2>&1; then
  echo "::error::kiro-guard: the kiro-guard binary ($kg) is not installed"
  exit 2
fi

# The commits must be in the clone (actions/checkout fetches one by default).
have() { git cat-file -e "$1^{commit}" 2>/dev/null; }
fetch() {
  have "$1" && return 0
  git fetch --no-tags --quiet origin "$1" 2>/dev/null || true
  have "$1"
}
if [[ -z "$base" || "$base" =~ ^0+$ ]]; then
  range_args=(.)
  echo "kiro-guard: no base commit; scanning the whole tree at $head"
  if [ "$head" != HEAD ] && [ "$(git rev-parse HEAD)" != "$(git rev-parse "$head^{commit}" 2>/dev/null)" ]; then
    echo "::error::kiro-guard: a whole-tree scan needs $head checked out"
    exit 2
  fi
else
  for c in "$base" "$head"; do
    if ! fetch "$c"; then
      echo "::error::kiro-guard: commit $c is not in the clone; use actions/checkout with fetch-depth: 0"
      exit 2
    fi
  done
  range_args=(--diff "$base..$head")
  echo "kiro-guard: scanning the changes $base..$head"
fi

set +e
# shellcheck disable=SC2086 # KG_ARGS is a list of arguments
"$kg" scan "${range_args[@]}" --format sarif --fail-on "$fail_on" ${KG_ARGS:-} >"$sarif" 2>"$sarif.stderr"
status=$?
set -e
if [ "$status" -ge 2 ]; then
  # A usage or configuration error: its message names options and files, never findings.
  sed 's/^/kiro-guard: /' "$sarif.stderr" >&2
  echo "::error::kiro-guard could not scan (exit status $status)"
  rm -f "$sarif.stderr"
  exit 2
fi
rm -f "$sarif.stderr"

# A summary from the SARIF: rule, file and line only (evidence is masked in
# the SARIF already; it is not repeated in the log).
summary=$(python3 - "$sarif" <<'PY'
import json, sys
def msg(s):
    return str(s).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
def prop(s):
    return msg(s).replace(":", "%3A").replace(",", "%2C")
doc = json.load(open(sys.argv[1], encoding="utf-8"))
results = [r for run in doc.get("runs", []) for r in run.get("results", [])]
counts = {"error": 0, "warning": 0, "note": 0}
for r in results:
    lvl = r.get("level", "warning")
    counts[lvl] = counts.get(lvl, 0) + 1
    loc = r.get("locations", [{}])[0].get("physicalLocation", {})
    path = loc.get("artifactLocation", {}).get("uri", "?")
    line = loc.get("region", {}).get("startLine", 0)
    kind = {"error": "error", "warning": "warning"}.get(lvl, "notice")
    label = {"error": "block", "warning": "warn"}.get(lvl, "info")
    # A workflow command annotates the file in the pull request. File names
    # come from the pull request: escape them so that none can end the
    # command or start another one.
    print(f"::{kind} file={prop(path)},line={int(line)}::kiro-guard {label} [{msg(r.get('ruleId', '?'))}]")
decision = "block" if counts["error"] else ("warn" if counts["warning"] else "allow")
print(f"decision={decision} blocks={counts['error']} warnings={counts['warning']} infos={counts['note']}")
PY
)
echo "$summary"
last=$(tail -n 1 <<<"$summary")
{
  tr ' ' '\n' <<<"$last"
  echo "exit-code=$status"
  echo "sarif-file=$sarif"
} >>"$out"
exit 0
