#!/usr/bin/env bash
# Starts the demo: the local Clink (REST API, webhooks, hosted checkout, inspector) on one origin
# and the merchant demo (a model integration using the built package) on another, with the demo's
# webhook endpoint registered. Builds what is missing first.
# Options: --port 8080 (merchant), --clink-port 8081, --host 127.0.0.1
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh build # no browsers: the demo needs only the build
if [ ! -f pkg/index.js ] || [ -n "$(find src js scripts Cargo.toml -newer pkg/index.js -print -quit 2>/dev/null)" ]; then
  bash scripts/build.sh
fi
exec node www/demo/server.mjs "$@"
