#!/usr/bin/env bash
# Builds the npm package into pkg/ (release wasm, wasm-bindgen glue, wasm-opt, esbuild).
# Assumes scripts/setup.sh has run (the test and demo commands run it first).
set -euo pipefail
cd "$(dirname "$0")/.."
# npm's wasm-opt (binaryen 132) must win over Debian's broken 108 (CONTRIBUTING.md, "Build").
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

cargo build --lib --release --target wasm32-unknown-unknown --quiet
rm -rf build/wasm
wasm-bindgen --target web --no-typescript --out-dir build/wasm --out-name clink \
  target/wasm32-unknown-unknown/release/clink_js.wasm
# The features rustc enables by default for wasm32-unknown-unknown; --converge repeats -Oz while
# it gains (~50 B); the producers and target_features sections go only after optimizing
# (~230 B; wasm-opt needs target_features to validate the input).
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  --converge --strip-producers --strip-target-features \
  build/wasm/clink_bg.wasm -o build/wasm/clink_bg.wasm
node scripts/bundle.mjs
node scripts/bundle-bindings.mjs
