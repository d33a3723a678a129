#!/usr/bin/env bash
# Fuzz smoke run: every cargo-fuzz target in fuzz/ for a few seconds, starting
# from the committed corpus. Needs a nightly toolchain and cargo-fuzz
# (`rustup toolchain install nightly && cargo install cargo-fuzz`). Not part of
# ./scripts/test.sh (CI may lack nightly); the stable fallback is
# `cargo test -p kiro-guard -p kiro-guard-properties --test properties`.
#
#   scripts/fuzz-smoke.sh            # 10 s per target
#   SECONDS_PER_TARGET=600 scripts/fuzz-smoke.sh   # a 10-minute run per target
#   scripts/fuzz-smoke.sh skill_pii diff           # some targets only
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
secs="${SECONDS_PER_TARGET:-10}"
if ! cargo +nightly fuzz --help >/dev/null 2>&1; then
    echo "fuzz-smoke: needs nightly and cargo-fuzz (cargo install cargo-fuzz); skipping" >&2
    exit 0
fi
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(cargo +nightly fuzz list)
fi
# The host's build script compiles the built-in skills to wasm; keep that out
# of the main target directory.
export KIRO_GUARD_SKILLS_TARGET_DIR="${KIRO_GUARD_SKILLS_TARGET_DIR:-$PWD/../target/fuzz-wasm-skills}"
# Safe Rust: the sanitizer adds little and costs a lot; -s none keeps the
# smoke run fast (use -s address for a long run if you touch unsafe code).
cargo +nightly fuzz build -O -s none
# Host targets (payloads, diff, config, edit, spans, host output) need the
# host build script, which compiles the skills for wasm32-wasip2. Nightly
# often lacks that target; stable has it (rust-toolchain.toml), so the build
# script builds the skills with stable.
if ! rustup target list --toolchain nightly --installed 2>/dev/null | grep -q wasm32-wasip2; then
    export KIRO_GUARD_SKILLS_TOOLCHAIN="${KIRO_GUARD_SKILLS_TOOLCHAIN:-stable}"
fi
features=(--features host)
cargo +nightly fuzz build -O -s none "${features[@]}"
failed=0
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t"
    echo "== $t (${secs}s)"
    if ! cargo +nightly fuzz run -O -s none "${features[@]}" "$t" "corpus/$t" -- \
        -max_total_time="$secs" -rss_limit_mb=2048 -max_len=8192 -print_final_stats=1 2>"/tmp/fuzz-smoke-$t.log"; then
        echo "!! $t failed; see /tmp/fuzz-smoke-$t.log and fuzz/artifacts/$t/" >&2
        tail -30 "/tmp/fuzz-smoke-$t.log" >&2
        failed=1
    else
        grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "/tmp/fuzz-smoke-$t.log" | tr '\n' ' '
        echo
    fi
done
exit $failed
