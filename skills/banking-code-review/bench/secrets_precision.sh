#!/bin/sh
# Precision check of the credential rules on real, non-secret source and
# configuration: fetches source distributions of mature packages from PyPI
# and npm, and upstream tarballs of Debian source packages that ship CI
# service containers and docker-compose files, into a directory OUTSIDE the
# repository, unpacks them, and runs `examples/secrets_scan_dir.rs` over
# each tree (credential rules only, the skill's test/dev/docs severity,
# masked evidence). Prints findings per rule and severity, every block with
# its masked line, blocks per 100k lines and throughput.
#
# Usage (from the repository root):
#   skills/banking-code-review/bench/secrets_precision.sh [corpus-dir] [extra-dir...]
# Default corpus directory: /work/corpora/secrets. Extra directories (for
# example the Java trees fetched by bench/fetch_semjava.sh) are scanned too.
# Needs curl, npm, tar, apt-get (the Debian mirror is read from /etc/apt; a
# private apt state under the corpus directory adds the trixie suite).
set -eu
ROOT=$(pwd)
DIR=${1:-/work/corpora/secrets}
[ $# -gt 0 ] && shift
mkdir -p "$DIR/dl" "$DIR/src" "$DIR/src2" "$DIR/dl2/deb"
cd "$DIR/dl"
# PyPI sdists (name:file), fetched from the simple index.
for pv in django:Django-5.1.4.tar.gz sqlalchemy:sqlalchemy-2.0.36.tar.gz \
    requests:requests-2.32.3.tar.gz botocore:botocore-1.35.80.tar.gz \
    boto3:boto3-1.35.80.tar.gz ansible-core:ansible_core-2.18.1.tar.gz \
    apache-airflow:apache_airflow-2.10.4.tar.gz; do
    p=${pv%%:*}; f=${pv#*:}
    [ -f "$f" ] && continue
    url=$(curl -fsS "https://pypi.org/simple/$p/" | grep -o "href=\"[^\"]*/$f#[^\"]*\"" | head -1 | sed 's/href="//;s/#.*//')
    [ -n "$url" ] && curl -fsSLO "$url"
done
# npm packages.
for n in express@5 typescript@5.6.3 @aws-sdk/client-s3 @aws-sdk/client-secrets-manager axios lodash; do
    npm pack -q "$n" >/dev/null 2>&1 || true
done
for f in *.tar.gz *.tgz; do
    d="$DIR/src/${f%.t*gz}"
    [ -d "$d" ] || { mkdir -p "$d" && tar -xzf "$f" -C "$d"; }
done
# Debian upstream tarballs with GitHub Actions service containers
# (MYSQL_ROOT_PASSWORD, POSTGRES_PASSWORD) and docker-compose files.
MIRROR=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security | head -1)
if [ -n "$MIRROR" ]; then
    A="$DIR/apt/trixie"
    mkdir -p "$A/lists/partial" "$A/cache/archives/partial"
    printf 'deb-src %s trixie main\n' "$MIRROR" > "$A/sources.list"
    O="-o Dir::Etc::SourceList=$A/sources.list -o Dir::Etc::SourceParts=/nonexistent -o Dir::State::Lists=$A/lists -o Dir::Cache=$A/cache -o Dir::State::status=/var/lib/dpkg/status"
    [ -n "$(ls "$A/lists" | grep -v partial)" ] || apt-get $O update >/dev/null 2>&1 || true
    cd "$DIR/dl2/deb"
    for p in python-pymysql pgcli django-redis sentry-python python-databases; do
        ls ${p}_*.orig.tar.* >/dev/null 2>&1 && continue
        u=$(apt-get $O source --print-uris "$p" 2>/dev/null | grep -oE "'[^']+\.orig\.tar\.[a-z]+'" | tr -d "'" | head -1)
        [ -n "$u" ] && curl -fsSLO "$u" || true
    done
    for f in *.orig.tar.*; do
        [ -e "$f" ] || continue
        d="$DIR/src2/${f%.orig.tar.*}"
        [ -d "$d" ] || { mkdir -p "$d" && tar -xf "$f" -C "$d"; }
    done
fi
cd "$ROOT"
for tree in "$DIR/src" "$DIR/src2" "$@"; do
    echo "## $tree"
    cargo run --release -q -p banking-code-review --example secrets_scan_dir -- "$tree" --context
done
