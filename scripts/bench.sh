#!/usr/bin/env bash
# Benchmark kiro-guard: cold first run, warm single-file process, peak RSS,
# directory throughput, and per-skill throughput inside wasm.
# Needs hyperfine (apt-get install hyperfine) and GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "install hyperfine: apt-get install -y hyperfine" >&2; exit 2; }
# KIRO_GUARD_BIN=path/to/kiro-guard measures that binary instead of building.
if [ -n "${KIRO_GUARD_BIN:-}" ]; then
    KG="$KIRO_GUARD_BIN"
else
    cargo build --release -p kiro-guard --locked >/dev/null
    KG="$PWD/target/release/kiro-guard"
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export KIRO_GUARD_CACHE_DIR="$WORK/cache"

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

echo "== cold first run (compiles the three skills, empty cache) =="
hyperfine --runs 3 --prepare "rm -rf $KIRO_GUARD_CACHE_DIR" -i "$KG scan $WORK/one.py --format json" 2>&1 | grep -E "Time|Range"

echo "== warm whole-process scan of one 34 KB file, all built-in skills =="
"$KG" scan "$WORK/one.py" >/dev/null || true
hyperfine --warmup 3 --runs 30 -N -i --export-json "$WORK/warm.json" "$KG scan $WORK/one.py --format json" 2>&1 | grep -E "Time|Range"
python3 -c "import json,sys; r=json.load(open('$WORK/warm.json'))['results'][0]; print(f\"median {r['median']*1000:.2f} ms\")"

echo "== warm hook call (Claude Write of the same file) =="
python3 - "$WORK" <<'PY'
import json, sys
w = sys.argv[1]
open(f"{w}/payload.json", "w").write(json.dumps({"session_id": "b", "transcript_path": "/t", "cwd": w, "permission_mode": "default",
  "hook_event_name": "PreToolUse", "tool_name": "Write", "tool_input": {"file_path": f"{w}/new.py", "content": open(f"{w}/one.py").read()}}))
PY
# (through a shell for the stdin redirect; the shell's own start-up is included)
hyperfine --warmup 3 --runs 30 -i --shell=bash "$KG hook --dialect claude < $WORK/payload.json" 2>&1 | grep -E "Time|Range"

echo "== peak RSS (warm single-file scan) =="
# kiro-guard exits 1 (the file has a finding): do not let that end the script.
(/usr/bin/time -v "$KG" scan "$WORK/one.py" --format json 2>&1 >/dev/null || true) | grep "Maximum resident"

echo "== directory throughput =="
mkdir -p "$WORK/tree"
for i in $(seq 1 400); do cp "$WORK/one.py" "$WORK/tree/f$i.py"; done
du -sb "$WORK/tree" | awk '{print "tree:", $1/1e6, "MB in 400 files"}'
hyperfine --warmup 1 --runs 5 -N -i --export-json "$WORK/dir.json" "$KG scan $WORK/tree --format json" 2>&1 | grep -E "Time|Range"
python3 -c "import json; r=json.load(open('$WORK/dir.json'))['results'][0]; import os; size=sum(os.path.getsize(os.path.join('$WORK/tree',f)) for f in os.listdir('$WORK/tree')); print(f\"throughput {size/1e6/r['median']:.1f} MB/s (median {r['median']:.3f} s)\")"

# KIRO_GUARD_BENCH_SKIP_SKILLS=1 skips this part (it builds the bench profile).
[ -n "${KIRO_GUARD_BENCH_SKIP_SKILLS:-}" ] && exit 0
echo "== per-skill throughput inside wasm (1 MiB of typical source) =="
cargo bench -p kiro-guard --bench skills --locked 2>/dev/null | grep -v "^$"
