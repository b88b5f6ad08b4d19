#!/usr/bin/env bash
# Builds the npm tarballs of the three packages into packages/ (or the directory given):
#   @clink-ai/clink-js               from pkg/ (built first by scripts/build.sh when missing or stale)
#   @clink-ai/clink-typescript-sdk   from server/ (its CommonJS entry built first)
#   @clink-ai/clink-local            from www/clink-local/
# Install them into an app with `npm install ./packages/<file>.tgz …` (docs/server-sdk.md).
# Usage: bash scripts/pack.sh [destination]   (also: npm run pack)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
dest="${1:-packages}"
mkdir -p "$dest"
dest="$(cd "$dest" && pwd)"

if [ ! -f pkg/index.js ] || [ -n "$(find src js scripts/build.sh scripts/bundle.mjs scripts/bundle-bindings.mjs Cargo.toml -newer pkg/index.js -print -quit 2>/dev/null)" ]; then
  echo "pack: pkg/ is missing or older than its sources: bash scripts/build.sh" >&2
  bash scripts/build.sh
fi
node server/build.mjs

for dir in pkg server www/clink-local; do
  file="$(cd "$dir" && npm pack --pack-destination "$dest" --no-audit --no-fund --loglevel=error | tail -n 1)"
  echo "$dest/$file"
done
