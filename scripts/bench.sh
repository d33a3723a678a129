#!/usr/bin/env bash
# Benchmark kiro-guard, whole processes: binary size, cold first call (empty
# cache directory), warm hook call and warm 34 KB scan side by side with
# /bin/true, peak RSS, repository-scan throughput over real third-party code,
# and per-skill throughput inside wasm.
#
# Needs hyperfine (apt-get install hyperfine) and GNU time (/usr/bin/time).
# KIRO_GUARD_BIN=path/to/kiro-guard measures that binary instead of building.
# KIRO_GUARD_CORPUS=DIR: the repository-scan corpus (scripts/fetch-corpus.sh
#   DIR fetches it; default /tmp/kiro-guard-corpus, skipped when absent).
# KIRO_GUARD_BENCH_1GB=1 also scans ~1 GB (hard-linked copies of the corpus)
#   for peak RSS.
# KIRO_GUARD_BENCH_SKIP_SKILLS=1 skips the per-skill part (it builds the
#   bench profile).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "install hyperfine: apt-get install -y hyperfine" >&2; exit 2; }
if [ -n "${KIRO_GUARD_BIN:-}" ]; then
    KG="$KIRO_GUARD_BIN"
else
    cargo build --release -p kiro-guard --locked >/dev/null
    KG="${CARGO_TARGET_DIR:-$PWD/target}/release/kiro-guard"
fi
CORPUS="${KIRO_GUARD_CORPUS:-/tmp/kiro-guard-corpus}"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export KIRO_GUARD_CACHE_DIR="$WORK/cache"
export NO_COLOR=1

# median of a hyperfine JSON export, in ms: median_ms FILE INDEX
median_ms() {
    python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results'][int(sys.argv[2])]; print(f\"{r['median']*1000:.2f}\")" "$1" "$2"
}
# peak RSS in MB of a command run through GNU time: peak_rss CMD...
peak_rss() {
    (/usr/bin/time -v "$@" 2>&1 >/dev/null || true) | awk '/Maximum resident/ {printf "%.1f MB\n", $6/1024}'
}

ls -l "$KG" | awk '{printf "binary size: %.1f MB\n", $5/1e6}'

# One 34 KB file of typical Python service code with a few findings.
python3 - "$WORK/one.py" <<'PY'
import sys
block = '''def transfer(account_id: str, amount: Decimal) -> None:
    """Move funds between accounts."""
    conn = pool.get()
    conn.execute("UPDATE accounts SET balance = balance - %s WHERE id = %s", (amount, account_id))
    logger.info("transfer done for %s", mask(account_id))

'''
out = []
i = 0
while sum(len(b) for b in out) < 34_000:
    out.append(block.replace("transfer", f"transfer_{i}"))
    i += 1
out.append('OWNER = "S1234567D"\n')
open(sys.argv[1], "w").write("".join(out))
PY
ls -l "$WORK/one.py" | awk '{print "single file:", $5, "bytes"}'
# Hook payloads: a single-file edit (Claude Edit of a few lines) and a Write
# of the whole 34 KB file. The hook runs in $WORK (no repository: the audit
# log goes to the default location under $HOME).
python3 - "$WORK" <<'PY'
import json, sys
w = sys.argv[1]
base = {"session_id": "b", "transcript_path": "/t", "cwd": w, "permission_mode": "default", "hook_event_name": "PreToolUse"}
edit = dict(base, tool_name="Edit", tool_input={"file_path": f"{w}/one.py", "old_string": "conn = pool.get()",
            "new_string": "conn = pool.get()\n    audit(conn)"})
write = dict(base, tool_name="Write", tool_input={"file_path": f"{w}/new.py", "content": open(f"{w}/one.py").read()})
open(f"{w}/edit.json", "w").write(json.dumps(edit))
open(f"{w}/write.json", "w").write(json.dumps(write))
PY

echo "== cold first call (empty cache directory: nothing to compile, built-ins are in the binary) =="
hyperfine --runs 5 --prepare "rm -rf $KIRO_GUARD_CACHE_DIR" -i "$KG scan $WORK/one.py --format json" 2>&1 | grep -E "Time|Range"

echo "== warm hook call, single-file edit, all built-in skills, vs /bin/true (median of 60) =="
# Through bash for the stdin redirect; hyperfine subtracts the shell's start-up.
hyperfine --warmup 5 --runs 60 -i --shell=bash --export-json "$WORK/hook.json" \
    "/bin/true < $WORK/edit.json" "$KG hook --dialect claude < $WORK/edit.json" >/dev/null 2>&1
t=$(median_ms "$WORK/hook.json" 0); h=$(median_ms "$WORK/hook.json" 1)
echo "hook (Edit): median $h ms; /bin/true: median $t ms; ratio $(python3 -c "print(f'{$h/max($t,0.01):.1f}')")"
hyperfine --warmup 3 --runs 30 -i --shell=bash --export-json "$WORK/hookw.json" \
    "$KG hook --dialect claude < $WORK/write.json" >/dev/null 2>&1
echo "hook (Write of the 34 KB file): median $(median_ms "$WORK/hookw.json" 0) ms"

echo "== warm whole-process scan of one 34 KB file, all built-in skills, vs /bin/true (median of 60) =="
hyperfine --warmup 5 --runs 60 -N -i --export-json "$WORK/warm.json" \
    "/bin/true" "$KG scan $WORK/one.py --format json" >/dev/null 2>&1
t=$(median_ms "$WORK/warm.json" 0); s=$(median_ms "$WORK/warm.json" 1)
echo "scan: median $s ms; /bin/true: median $t ms; ratio $(python3 -c "print(f'{$s/max($t,0.01):.1f}')")"

echo "== peak RSS =="
echo "hook (Write of the 34 KB file): $(peak_rss bash -c "exec $KG hook --dialect claude < $WORK/write.json")"
echo "scan of one 34 KB file: $(peak_rss "$KG" scan "$WORK/one.py" --format json)"

echo "== directory throughput, 400 x 34 KB files =="
mkdir -p "$WORK/tree"
for i in $(seq 1 400); do cp "$WORK/one.py" "$WORK/tree/f$i.py"; done
hyperfine --warmup 1 --runs 5 -N -i --export-json "$WORK/dir.json" "$KG scan $WORK/tree --format json" >/dev/null 2>&1
python3 -c "import json,os; r=json.load(open('$WORK/dir.json'))['results'][0]; size=sum(os.path.getsize(os.path.join('$WORK/tree',f)) for f in os.listdir('$WORK/tree')); print(f\"{size/1e6/r['median']:.1f} MB/s (median {r['median']:.3f} s)\")"

if [ -d "$CORPUS/src" ]; then
    echo "== repository scan: $CORPUS/src (scripts/fetch-corpus.sh) =="
    size=$(du -sb "$CORPUS/src" | cut -f1)
    files=$(find "$CORPUS/src" -type f | wc -l)
    find "$CORPUS/src" -type f -exec cat {} + >/dev/null  # warm the page cache
    hyperfine --warmup 1 --runs 3 -N -i --export-json "$WORK/repo.json" \
        "$KG scan $CORPUS/src --format json --fail-on never" >/dev/null 2>&1
    python3 -c "import json; r=json.load(open('$WORK/repo.json'))['results'][0]; print(f\"{$size/1e6:.1f} MB in $files files: {$size/1e6/r['median']:.1f} MB/s (median {r['median']:.2f} s)\")"
    echo "peak RSS: $(peak_rss "$KG" scan "$CORPUS/src" --format json --fail-on never)"
    if [ -n "${KIRO_GUARD_BENCH_1GB:-}" ]; then
        big="$WORK/big"
        mkdir -p "$big"
        n=$(( (1000000000 + size - 1) / size ))
        for i in $(seq 1 "$n"); do cp -al "$CORPUS/src" "$big/copy$i"; done
        echo "~1 GB scan ($(du -sbl "$big" | awk '{printf "%.2f GB", $1/1e9}')): peak RSS $(peak_rss "$KG" scan "$big" --format json --fail-on never)"
    fi
else
    echo "== repository scan skipped: no corpus at $CORPUS (scripts/fetch-corpus.sh $CORPUS) =="
fi

[ -n "${KIRO_GUARD_BENCH_SKIP_SKILLS:-}" ] && exit 0
echo "== per-skill throughput inside wasm (1 MiB of typical source) =="
cargo bench -p kiro-guard --bench skills --locked 2>/dev/null | grep -v "^$"
