#!/usr/bin/env bash
# Test ci/github/scan.sh (the GitHub Action's scan step) as a plain script on
# temporary git repositories.
#
#   ci/github/test-scan.sh [KIRO_GUARD_BINARY]
#
# Checks: a pull request range with findings gives decision=block and
# exit-code=1 with SARIF written; a clean range gives allow; a new branch
# (all-zero base) scans the whole tree; a missing base commit and a bad
# fail-on are errors (status 2); no full NRIC reaches the log, the outputs or
# the SARIF; file names cannot inject workflow commands.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
export KIRO_GUARD=${1:-${KIRO_GUARD:-kiro-guard}}
script="$root/ci/github/scan.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GIT_CONFIG_GLOBAL="$work/gitconfig" GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=t \
  GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com
git config --global init.defaultBranch main
fails=0 passes=0
check() { # check NAME CONDITION...
  local name=$1; shift
  if "$@"; then passes=$((passes + 1)); else echo "FAIL: $name" >&2; fails=$((fails + 1)); fi
}
output() { grep -x "$1=.*" "$work/out.$2" | tail -n 1 | cut -d= -f2-; }

# A valid NRIC made at run time (S, seven random digits, its check letter).
nric=$(python3 -c '
import random
d = [random.randint(0, 9) for _ in range(7)]
s = sum(a * w for a, w in zip(d, [2, 7, 6, 5, 4, 3, 2])) % 11
print("S" + "".join(map(str, d)) + "JZIHGFEDCBA"[s])')

repo="$work/repo"
git init -q "$repo" && cd "$repo"
echo "print('hello')" >app.py
git add -A && git commit -qm base && base=$(git rev-parse HEAD)
printf 'def lookup():\n    customer_nric = "%s"\n    return customer_nric\n' "$nric" >customers.py
cp "$root/examples/demo/src/payments.py" 'pay,ments:v2.py'
git add -A && git commit -qm findings && head=$(git rev-parse HEAD)
echo "VERSION = 2" >>app.py
git add -A && git commit -qm clean && clean=$(git rev-parse HEAD)

run() { # run TAG BASE HEAD [FAIL_ON]
  local tag=$1
  set +e
  KG_BASE=$2 KG_HEAD=$3 KG_FAIL_ON=${4:-block} KG_SARIF="$work/$tag.sarif" GITHUB_OUTPUT="$work/out.$tag" \
    bash "$script" >"$work/log.$tag" 2>&1
  echo $? >"$work/status.$tag"
  set -e
  touch "$work/out.$tag"
}

git checkout -q "$head"
run pr "$base" "$head"
check "pr: script status 0" test "$(cat "$work/status.pr")" = 0
check "pr: decision block" test "$(output decision pr)" = block
check "pr: exit-code 1" test "$(output exit-code pr)" = 1
check "pr: blocks counted" test "$(output blocks pr)" -gt 0
check "pr: SARIF is JSON with results" python3 -c "
import json,sys; d=json.load(open('$work/pr.sarif')); sys.exit(0 if d['runs'][0]['results'] else 1)"
check "pr: NRIC finding reported" grep -q 'nric-fin' "$work/log.pr"
check "pr: no full NRIC in log, outputs or SARIF" \
  bash -c "! grep -q '$nric' '$work/log.pr' '$work/out.pr' '$work/pr.sarif'"
check "pr: file name escaped in annotation" grep -q 'file=pay%2Cments%3Av2.py,' "$work/log.pr"
check "pr: no unescaped annotation from the file name" bash -c "! grep -q 'file=pay,ments' '$work/log.pr'"

git checkout -q "$clean"
run clean "$head" "$clean"
check "clean: decision allow" test "$(output decision clean)" = allow
check "clean: exit-code 0" test "$(output exit-code clean)" = 0

run warn "$head" "$clean" never
check "fail-on never: exit-code 0" test "$(output exit-code warn)" = 0

run newbranch 0000000000000000000000000000000000000000 "$clean"
check "new branch: whole tree scanned" grep -q 'whole tree' "$work/log.newbranch"
check "new branch: decision block" test "$(output decision newbranch)" = block

run missing 1234567890123456789012345678901234567890 "$clean"
check "missing base: status 2" test "$(cat "$work/status.missing")" = 2
check "missing base: says fetch-depth" grep -q 'fetch-depth' "$work/log.missing"

run badfail "$head" "$clean" sometimes
check "bad fail-on: status 2" test "$(cat "$work/status.badfail")" = 2

KIRO_GUARD="$work/no-such-binary" run nobin "$head" "$clean"
check "no binary: status 2" test "$(cat "$work/status.nobin")" = 2

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
