#!/usr/bin/env bash
# Run a static kiro-guard binary where there is no libc and no dynamic loader:
# an empty root file system holding only the binary and the demo (chroot, as
# root). What a FROM scratch container gives it.
#
#   packaging/test-static.sh BINARY
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin=$1
linkage=$(ldd "$bin" 2>&1 || true)
echo "ldd: $linkage"
grep -Eq "not a dynamic executable|statically linked|static-pie" <<<"$linkage" || {
  echo "FAIL: $bin is dynamically linked" >&2
  exit 1
}
file "$bin" 2>/dev/null || true
jail=$(mktemp -d)
trap 'rm -rf "$jail"' EXIT
mkdir -p "$jail/src"
cp "$bin" "$jail/kiro-guard"
cp -r "$root/examples/demo" "$jail/src/demo"
echo "root file system:"; (cd "$jail" && find . -maxdepth 2 | sort)
st=0
chroot "$jail" /kiro-guard scan /src/demo >"$jail.out" 2>&1 || st=$?
tail -n 1 "$jail.out"
rm -f "$jail.out"
if [ "$st" -ne 1 ]; then
  echo "FAIL: exit status $st in the empty root, want 1 (decision block)" >&2
  exit 1
fi
chroot "$jail" /kiro-guard --version
echo "static binary OK: runs with no libc, no loader, no /tmp, no /proc"
