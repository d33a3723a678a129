#!/usr/bin/env bash
# Render the HTML compliance report in a real headless browser and check it:
# it renders, the SVG chart is in the DOM and visibly drawn (its bar colours
# are on the screenshot), and the browser logged no console errors or
# refused loads (the page's CSP forbids every external fetch).
#
# Installs nothing. Needs a built kiro-guard (cargo build -p kiro-guard) and
# Debian's chromium (apt-get install -y chromium), plus python3 for the
# pixel check.
#
# Usage: scripts/check-audit-html.sh [OUT_DIR]
#   OUT_DIR defaults to target/audit-html-check; it receives report.html,
#   audit-report.png (the screenshot), dom.html and chromium.log.
# Environment: KIRO_GUARD (binary, default target/debug/kiro-guard),
#              CHROMIUM (default /usr/bin/chromium).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/target/audit-html-check}"
bin="${KIRO_GUARD:-$root/target/debug/kiro-guard}"
chromium="${CHROMIUM:-/usr/bin/chromium}"

if [[ ! -x "$bin" ]]; then
  echo "check-audit-html: $bin not found; run: cargo build -p kiro-guard" >&2
  exit 2
fi
if [[ ! -x "$chromium" ]]; then
  echo "check-audit-html: $chromium not found; install it with: apt-get install -y chromium" >&2
  exit 2
fi

mkdir -p "$out"
out="$(cd "$out" && pwd)"
work="$(mktemp -d)"
profile="$(mktemp -d)"
trap 'rm -rf "$work" "$profile"' EXIT

# A month of sample decisions: blocks and warnings on several days.
log="$work/audit"
python3 - "$work/records.jsonl" <<'PY'
import json, sys
users = ["alice@bank.example.sg", "bob@bank.example.sg", "carol@bank.example.sg"]
repos = ["payments-api", "cards-web"]
recs = []
for day in range(1, 32):
    n = (day * 7) % 5 + 1
    for i in range(n):
        d = ["allow", "allow", "warn", "block"][(day + i) % 4]
        r = {
            "time": f"2025-01-{day:02d}T0{i % 10}:15:00Z",
            "event": ["hook", "git-pre-commit", "hook", "git-pre-push"][i % 4],
            "dialect": "kiro-v1",
            "decision": d,
            "user": users[(day + i) % 3],
            "host": "ws-01",
            "repo": repos[day % 2],
            "duration_ms": 3.2,
        }
        if d != "allow":
            r["findings"] = [{
                "skill": "pii-detection", "rule": "nric-fin", "severity": d,
                "path": "src/customers.py", "line": 7, "evidence": "S****567D",
                "refs": ["MAS TRM 11.1", "PDPA s24"],
            }]
        if i == 2:
            r["tool"] = "@github/create_issue"
            r["mcp"] = {"server": "github", "tool": "create_issue"}
        recs.append(r)
with open(sys.argv[1], "w") as f:
    for r in recs:
        f.write(json.dumps(r) + "\n")
PY
"$bin" audit log --dir "$log" --json "$work/records.jsonl" 2>/dev/null
"$bin" audit verify --dir "$log" --quiet >/dev/null
"$bin" audit report --dir "$log" --month 2025-01 --format html -o "$out/report.html" 2>/dev/null

flags=(--headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking
  --disable-component-update --disable-sync --user-data-dir="$profile"
  --enable-logging=stderr --v=0)
url="file://$out/report.html"
rm -f "$out/audit-report.png"
timeout 120 "$chromium" "${flags[@]}" --window-size=1200,900 --screenshot="$out/audit-report.png" "$url" \
  >/dev/null 2>"$out/chromium.log" || true
timeout 120 "$chromium" "${flags[@]}" --dump-dom "$url" >"$out/dom.html" 2>>"$out/chromium.log" || true

fail=0
check() { # check DESCRIPTION COMMAND...
  local what="$1"; shift
  if "$@"; then echo "ok   $what"; else echo "FAIL $what"; fail=1; fi
}
check "screenshot written ($out/audit-report.png)" test -s "$out/audit-report.png"
check "DOM has the report title" grep -q "kiro-guard compliance report" "$out/dom.html"
has_chart() { grep -q '<svg id="daily-chart"' "$1" && grep -q 'class="bar-block"' "$1" && grep -q 'class="bar-warn"' "$1"; }
no_console_errors() { ! grep -Ei 'CONSOLE|Uncaught|Refused to|ERR_FILE_NOT_FOUND|Failed to load' "$1"; }
self_contained() { ! grep -Eq '<script|src=|href=' "$1"; }
check "DOM has the SVG chart with block and warn bars" has_chart "$out/dom.html"
check "no console errors, uncaught exceptions or refused loads" no_console_errors "$out/chromium.log"
check "page is self-contained (no script, src= or href=)" self_contained "$out/report.html"
# The chart is visibly drawn: count pixels of the bar colours on the screenshot.
check "chart bars visible on the screenshot" python3 - "$out/audit-report.png" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n"
pos, idat, w = 8, b"", 0
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
        assert depth == 8 and ctype in (2, 6), (depth, ctype)
        bpp = 3 if ctype == 2 else 4
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
raw = zlib.decompress(idat)
stride = w * bpp
prev = bytearray(stride)
red = amber = 0
i = 0
for y in range(h):
    f = raw[i]; i += 1
    line = bytearray(raw[i:i + stride]); i += stride
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0
        b = prev[x]
        c = prev[x - bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            line[x] = (line[x] + pr) & 255
    for x in range(0, stride, bpp):
        r, g, bl = line[x], line[x + 1], line[x + 2]
        if abs(r - 0xc6) < 12 and abs(g - 0x28) < 12 and abs(bl - 0x28) < 12: red += 1
        if abs(r - 0xf9) < 12 and abs(g - 0xa8) < 12 and abs(bl - 0x25) < 12: amber += 1
    prev = line
print(f"     screenshot {w}x{h}: {red} block-red and {amber} warn-amber pixels")
sys.exit(0 if red > 500 and amber > 500 else 1)
PY

if [[ $fail -ne 0 ]]; then
  echo "check-audit-html: FAILED (see $out/chromium.log)" >&2
  exit 1
fi
echo "check-audit-html: passed; screenshot: $out/audit-report.png"
