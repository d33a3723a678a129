#!/usr/bin/env bash
# Fetch the Java code bases of bench/SEMANTIC.md (Debian bookworm source
# packages, upstream tarballs only) into a directory outside the repository
# and unpack them as <dir>/code/<package>. Uses apt-get with a private
# deb-src list, so the machine's apt configuration is not touched.
#
#   bash skills/banking-code-review/bench/fetch_semjava.sh [/work/corpora/semjava]
set -euo pipefail
dir=${1:-/work/corpora/semjava}
pkgs=(libspring-java tomcat10 h2database libquartz2-java)
mkdir -p "$dir/apt/lists/partial" "$dir/apt/cache/archives/partial" "$dir/src" "$dir/code"
echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main" \
  > "$dir/apt/sources.list"
opts=(-o "Dir::Etc::SourceList=$dir/apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
      -o "Dir::State::Lists=$dir/apt/lists" -o "Dir::Cache=$dir/apt/cache")
apt-get "${opts[@]}" update >/dev/null
cd "$dir/src"
for p in "${pkgs[@]}"; do
  # Only the upstream tarball is needed; a missing Debian patch tarball is fine.
  apt-get "${opts[@]}" source --download-only "$p" >/dev/null 2>&1 || true
done
for t in *.orig.tar.*; do
  n=${t%%_*}
  [ -d "$dir/code/$n" ] && continue
  mkdir -p "$dir/code/$n"
  tar -xf "$t" -C "$dir/code/$n" --strip-components=1
done
for n in "${pkgs[@]}"; do
  [ -d "$dir/code/$n" ] || { echo "missing: $n" >&2; exit 1; }
  printf '%s: %s .java files\n' "$n" "$(find "$dir/code/$n" -name '*.java' | wc -l)"
done
