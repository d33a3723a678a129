#!/usr/bin/env bash
# Fetch the JavaScript/TypeScript and Go code bases of bench/SEMANTIC_JS_GO_CS.md
# into a directory outside the repository: npm packages (`npm pack`, which
# ships their sources) and Debian golang-*-dev packages (`apt-get download`,
# which ship .go sources under /usr/share/gocode), unpacked as
# <dir>/code/<name>.
#
#   bash skills/banking-code-review/bench/fetch_semjs.sh [/work/corpora/semjs]
#
# Then scan them natively:
#   cargo run --release --example semantic_realcode -p banking-code-review -- \
#     /work/corpora/semjs/code --sample 30
set -euo pipefail
dir=${1:-/work/corpora/semjs}
npm_pkgs=(express@4.21.2 knex@3.1.0 sequelize@6.37.5 typeorm@0.3.20 mongoose@8.9.5 fastify@5.2.1 koa@2.15.3
          parse-server@9.10.0 ghost@6.65.0 @directus/api@39.2.1)
deb_pkgs=(golang-github-gin-gonic-gin-dev golang-github-labstack-echo-dev golang-github-jmoiron-sqlx-dev golang-github-gorilla-mux-dev golang-github-go-chi-chi-dev)
mkdir -p "$dir/npm" "$dir/deb" "$dir/code"
cd "$dir/npm"
for p in "${npm_pkgs[@]}"; do
  n=$(echo "${p%@*}" | tr '/@' '__')
  [ -d "$dir/code/$n" ] && continue
  t=$(npm pack --silent "$p" | tail -1)
  mkdir -p "$dir/code/$n"
  tar -xzf "$t" -C "$dir/code/$n" --strip-components=1
done
cd "$dir/deb"
for p in "${deb_pkgs[@]}"; do
  [ -d "$dir/code/$p" ] && continue
  apt-get download "$p" >/dev/null
  mkdir -p "$dir/code/$p"
  dpkg-deb -x "$p"_*.deb "$dir/code/$p"
done
for n in "$dir"/code/*; do
  printf '%s: %s .js/.ts, %s .go files\n' "$(basename "$n")" \
    "$(find "$n" \( -name '*.js' -o -name '*.ts' -o -name '*.mjs' -o -name '*.cjs' \) ! -name '*.d.ts' | wc -l)" \
    "$(find "$n" -name '*.go' | wc -l)"
done
