#!/usr/bin/env bash
# Starts the demo: the local Clink (bootstrap + hosted checkout, SPEC §7) on one origin and a
# merchant page using the built package on another. Builds what is missing first.
# Options: --port 8080 (merchant), --clink-port 8081, --host 127.0.0.1
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ ! -f pkg/index.js ] || [ -n "$(find src js scripts Cargo.toml -newer pkg/index.js -print -quit 2>/dev/null)" ]; then
  bash scripts/build.sh
fi
exec node www/server.mjs "$@"
