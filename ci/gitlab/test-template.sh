#!/usr/bin/env bash
# Run the script of ci/gitlab/kiro-guard.gitlab-ci.yml (between its BEGIN and
# END markers) as GitLab would, on a temporary repository, with the CI
# variables of a merge request pipeline.
#
#   ci/gitlab/test-template.sh KIRO_GUARD_BINARY [REPORT_COPY]
#
# Checks the job's exit status (1 with blocking findings, 0 on a clean range)
# and that gl-sast-report.json lists the findings; REPORT_COPY receives the
# merge request's report (host/tests/distribution.rs validates it against
# GitLab's schema).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
binary=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
copy=${2:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GIT_CONFIG_GLOBAL="$work/gitconfig" GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=t \
  GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com
git config --global init.defaultBranch main
mkdir "$work/bin" && ln -s "$binary" "$work/bin/kiro-guard"
export PATH="$work/bin:$PATH"

# The job's script, dedented as YAML does for a literal block.
awk '/# BEGIN kiro-guard scan/{on=1} on{print} /# END kiro-guard scan/{on=0}' \
  "$root/ci/gitlab/kiro-guard.gitlab-ci.yml" >"$work/raw.sh"
indent=$(head -n 1 "$work/raw.sh" | sed -E 's/^( *).*/\1/' | wc -c)
cut -c"$indent"- "$work/raw.sh" >"$work/job.sh"
[ -s "$work/job.sh" ] || { echo "FAIL: no job script found" >&2; exit 1; }

git init -q "$work/repo" && cd "$work/repo"
echo "print('hello')" >app.py
git add -A && git commit -qm base && base=$(git rev-parse HEAD)
cp "$root/examples/demo/src/payments.py" payments.py
git add -A && git commit -qm findings && head=$(git rev-parse HEAD)
echo "VERSION = 2" >>app.py
git add -A && git commit -qm clean && clean=$(git rev-parse HEAD)

fails=0 passes=0
job() { # job BASE SHA -> status
  local st=0
  env KIRO_GUARD_VERSION=0 KIRO_GUARD_FAIL_ON=block KIRO_GUARD_ARGS= \
    CI_MERGE_REQUEST_DIFF_BASE_SHA="$1" CI_COMMIT_SHA="$2" sh "$work/job.sh" >"$work/log" 2>&1 || st=$?
  echo "$st"
}
check() {
  local name=$1; shift
  if "$@"; then passes=$((passes + 1)); else echo "FAIL: $name" >&2; cat "$work/log" >&2; fails=$((fails + 1)); fi
}
count() { python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["vulnerabilities"]))' "$1"; }

git checkout -q "$head"
st=$(job "$base" "$head")
check "merge request with findings: status 1" test "$st" = 1
check "report lists the findings" test "$(count gl-sast-report.json)" -gt 0
check "log names the rules" grep -q 'pii-detection/nric-fin' "$work/log"
[ -n "$copy" ] && cp gl-sast-report.json "$copy"

git checkout -q "$clean"
st=$(job "$head" "$clean")
check "clean merge request: status 0" test "$st" = 0
check "clean report is empty" test "$(count gl-sast-report.json)" = 0

st=$(job "" "$clean")
check "no base (new branch): whole tree, status 1" test "$st" = 1

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
