#!/usr/bin/env bash
# Fetch real projects' scripts and CI files (outside the repository) and scan
# them with the mas_scan example; prints every block and warning.
#   skills/mas-compliance-review/bench/real-projects.sh [DIR]   (default /tmp/mas-corpus)
set -euo pipefail
dir=${1:-/tmp/mas-corpus}
mkdir -p "$dir/dl" "$dir/src"
cd "$dir/dl"
for p in Django==5.1.4 coverage==7.6.9 pillow==11.0.0 psutil==6.1.0 pip==24.3.1 tox==4.23.2 urllib3==2.2.3 virtualenv==20.28.0; do
  [ -e "$(echo "${p%%==*}" | tr 'A-Z' 'a-z')"* ] || [ -e "${p%%==*}"* ] || pip download --no-binary :all: --no-deps "$p" -d . >/dev/null
done
for p in typescript@5.7.2 eslint@9.17.0 webpack@5.97.1 @angular/cli@19.0.6; do npm pack "$p" >/dev/null; done
apt-get download devscripts debhelper dpkg-dev >/dev/null
cd "$dir"
for f in dl/*.tar.gz dl/*.tgz; do d="src/$(basename "$f" | sed 's/\.t[a-z.]*$//')"; mkdir -p "$d"; tar xzf "$f" -C "$d"; done
for f in dl/*.deb; do d="src/deb-$(basename "$f" .deb)"; mkdir -p "$d"; dpkg-deb -x "$f" "$d"; done
root=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
cargo build -q --release -p mas-compliance-review --example mas_scan --manifest-path "$root/Cargo.toml"
scan="${CARGO_TARGET_DIR:-$root/target}/release/examples/mas_scan"
for d in src/*; do echo "== $d"; "$scan" "$d" --warn; done
