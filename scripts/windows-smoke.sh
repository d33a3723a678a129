#!/bin/sh
# Windows smoke test: cross-compile kiro-guard for x86_64-pc-windows-gnu and
# run the .exe under Wine:
#   1. `kiro-guard scan` of a file holding an NRIC exits 1 and masks it;
#   2. `kiro-guard hook` blocks a Claude Code Write payload with exit 2;
#   3. a clean Claude Write payload is allowed (exit 0).
# Also `cargo check`s the macOS target (type-checks only; linking needs Apple's SDK).
# Run by ./scripts/test.sh when Wine and MinGW are installed (.ci/run installs them).
#
# Needs (Debian): rustup target add x86_64-pc-windows-gnu x86_64-apple-darwin;
#                 apt-get install gcc-mingw-w64-x86-64 wine64 clang
# Usage: scripts/windows-smoke.sh [--no-mac]
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
target=x86_64-pc-windows-gnu
target_dir=${CARGO_TARGET_DIR:-$root/target}

fail() { echo "windows-smoke: FAIL: $*" >&2; exit 1; }

command -v x86_64-w64-mingw32-gcc >/dev/null ||
  fail "x86_64-w64-mingw32-gcc missing: apt-get install gcc-mingw-w64-x86-64"
rustup target list --installed | grep -qx "$target" ||
  fail "rust target missing: rustup target add $target"

echo "== cargo build -p kiro-guard --target $target"
cargo build -q -p kiro-guard --target "$target"
exe="$target_dir/$target/debug/kiro-guard.exe"
[ -f "$exe" ] || fail "no $exe"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ "${1:-}" != "--no-mac" ]; then
  if rustup target list --installed | grep -qx x86_64-apple-darwin && command -v clang >/dev/null; then
    # wasmtime's build script compiles a small C file for the target. Without
    # Apple's SDK, clang compiles it freestanding; its one SDK header
    # (stdlib.h, for NULL) is stood in for by stddef.h. Type-checking only:
    # nothing is linked.
    mkdir -p "$tmp/mac-include"
    printf '#include <stddef.h>\n' > "$tmp/mac-include/stdlib.h"
    echo "== cargo check -p kiro-guard --target x86_64-apple-darwin"
    CC_x86_64_apple_darwin=clang AR_x86_64_apple_darwin=ar \
      CFLAGS_x86_64_apple_darwin="-ffreestanding -isystem $tmp/mac-include" \
      cargo check -q -p kiro-guard --target x86_64-apple-darwin ||
      fail "cargo check for x86_64-apple-darwin failed"
  else
    echo "== skipped macOS check (needs: rustup target add x86_64-apple-darwin; apt-get install clang)"
  fi
fi

wine=$(command -v wine64 || command -v wine || true)
[ -n "$wine" ] || fail "wine missing: apt-get install wine64"
export WINEDEBUG=-all
export WINEPREFIX="${WINEPREFIX:-$target_dir/wine-prefix}"
mkdir -p "$WINEPREFIX"
"$wine" wineboot >/dev/null 2>&1 || true

# Rust's standard library takes its random numbers from ProcessPrng in
# bcryptprimitives.dll (every Windows since 10). Wine 8.0, Debian bookworm's,
# has no such DLL, so the .exe would not start; give it one beside a copy of
# the .exe that forwards to RtlGenRandom (advapi32's SystemFunction036).
# Newer Wine has the DLL and the copy is then left alone.
if [ ! -e "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" ]; then
  mkdir -p "$tmp/bin"
  cat > "$tmp/bin/prng.c" <<'C'
#include <windows.h>
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);
BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!SystemFunction036(data, n)) return FALSE;
        data += n;
        len -= n;
    }
    return TRUE;
}
C
  printf 'LIBRARY bcryptprimitives\nEXPORTS\n    ProcessPrng\n' > "$tmp/bin/prng.def"
  x86_64-w64-mingw32-gcc -O2 -shared -o "$tmp/bin/bcryptprimitives.dll" \
    "$tmp/bin/prng.c" "$tmp/bin/prng.def" -ladvapi32 || fail "could not build the ProcessPrng shim"
  cp "$exe" "$tmp/bin/kiro-guard.exe"
  exe="$tmp/bin/kiro-guard.exe"
fi
# Built at run time so the repository holds no literal NRIC.
nric="S$(printf '%s' 1234567)D"
printf 'OWNER = "%s"\n' "$nric" > "$tmp/customers.py"
export KIRO_GUARD_CACHE_DIR="$tmp/cache"

echo "== wine kiro-guard.exe scan customers.py (expect exit 1)"
set +e
out=$(cd "$tmp" && "$wine" "$exe" scan customers.py 2>&1)
code=$?
set -e
printf '%s\n' "$out" | sed 's/^/   /'
[ "$code" -eq 1 ] || fail "scan exited $code, expected 1"
printf '%s' "$out" | grep -q "nric-fin" || fail "scan did not report nric-fin"
printf '%s' "$out" | grep -q "$nric" && fail "scan output leaks the NRIC"

winpath=$(winepath -w "$tmp" 2>/dev/null || printf 'Z:%s' "$tmp" | tr / '\\')
json_dir=$(printf '%s' "$winpath" | sed 's/\\/\\\\/g')
payload() {
  printf '{"session_id":"s","transcript_path":"t","cwd":"%s","permission_mode":"default","hook_event_name":"PreToolUse","tool_name":"Write","tool_input":{"file_path":"%s\\\\new.py","content":"%s"},"tool_use_id":"t1"}' \
    "$json_dir" "$json_dir" "$1"
}

echo "== wine kiro-guard.exe hook --dialect claude, Write with an NRIC (expect exit 2)"
set +e
out=$(cd "$tmp" && payload "owner = '$nric'" | "$wine" "$exe" hook --dialect claude 2>&1)
code=$?
set -e
printf '%s\n' "$out" | sed 's/^/   /'
[ "$code" -eq 2 ] || fail "hook exited $code, expected 2"
printf '%s' "$out" | grep -q "nric-fin" || fail "hook did not name nric-fin"
printf '%s' "$out" | grep -q "$nric" && fail "hook output leaks the NRIC"

echo "== wine kiro-guard.exe hook --dialect claude, clean Write (expect exit 0)"
set +e
out=$(cd "$tmp" && payload "x = 1" | "$wine" "$exe" hook --dialect claude 2>&1)
code=$?
set -e
[ "$code" -eq 0 ] || fail "clean hook exited $code: $out"

# The cmd /C wrapper `init` writes for Kiro on Windows: runs the binary, and
# blocks (exit 2) with "kiro-guard is not installed" when it is missing.
cli_payload() {
  printf '{"hook_event_name":"preToolUse","cwd":"%s","tool_name":"execute_bash","tool_input":{"command":"echo %s > owners.txt"}}' \
    "$json_dir" "$1"
}
agent_command() {
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["hooks"]["preToolUse"][0]["command"])' \
    "$1/.kiro/agents/kiro-guard.json"
}
for case in installed missing; do
  repo="$tmp/repo-$case"
  mkdir -p "$repo"
  if [ "$case" = installed ]; then
    (cd "$repo" && "$wine" "$exe" init --kiro-cli-agent --shell cmd >/dev/null 2>&1) || fail "init failed"
  else
    (cd "$repo" && "$wine" "$exe" init --kiro-cli-agent --shell cmd --binary 'C:\nowhere\kiro-guard.exe' >/dev/null 2>&1) ||
      fail "init --binary failed"
  fi
  command=$(agent_command "$repo")
  echo "== wine cmd /C <Kiro CLI hook command, binary $case> (expect exit 2)"
  printf '   %s\n' "$command"
  set +e
  out=$(cd "$repo" && cli_payload "$nric" | "$wine" cmd /C "$command" 2>&1)
  code=$?
  set -e
  printf '%s\n' "$out" | sed 's/^/   /'
  [ "$code" -eq 2 ] || fail "cmd /C hook command ($case) exited $code, expected 2"
  if [ "$case" = installed ]; then
    printf '%s' "$out" | grep -q "nric-fin" || fail "cmd /C hook did not name nric-fin"
  else
    printf '%s' "$out" | grep -q "kiro-guard is not installed" || fail "no 'not installed' message"
  fi
done

echo "windows-smoke: OK"
