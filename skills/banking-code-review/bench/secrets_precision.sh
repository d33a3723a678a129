#!/bin/sh
# Precision check of the credential rules on real, non-secret source and
# configuration: fetches source distributions of mature packages from PyPI
# and npm into a directory OUTSIDE the repository, unpacks them, and runs
# `examples/secrets_scan_dir.rs` over them (credential rules only, the
# skill's test/dev/docs severity, masked evidence). Prints findings per rule
# and severity, every block with its masked line, and throughput.
#
# Usage (from the repository root):
#   skills/banking-code-review/bench/secrets_precision.sh [corpus-dir]
# Default corpus directory: /work/corpora/secrets. Needs curl, npm, tar.
set -eu
DIR=${1:-/work/corpora/secrets}
mkdir -p "$DIR/dl" "$DIR/src"
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
cd - >/dev/null
cargo run --release -q -p banking-code-review --example secrets_scan_dir -- "$DIR/src" --context
