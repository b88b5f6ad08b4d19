#!/usr/bin/env bash
# Runs every test: native (cargo test), lints (clippy), browser (wasm-pack test, headless
# Chromium), then the built package end to end across two origins (node --test + Playwright).
# Installs what a fresh machine lacks first (scripts/setup.sh test, idempotent).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
step() { printf '\n==> %s\n' "$*"; }
start=$(date +%s)

step "native tests: cargo test"
cargo test --quiet

step "lints: clippy (unwrap, expect, indexing and panic denied in src/)"
cargo clippy --quiet --lib -- -D warnings
cargo clippy --quiet --lib --target wasm32-unknown-unknown -- -D warnings

step "browser tests: wasm-pack test --headless --chrome"
wasm-pack test --headless --chrome -- --features std

step "build: pkg/"
bash scripts/build.sh

step "property tests (short run; long run: see README)"
# (cargo test above ran them too; this names the count for the log)
CLINK_FUZZ_ITERS=50000 cargo test --quiet --release --test properties

step "end to end: node --test (Playwright + Chromium, two origins): SDK, hardening, bundlers, SSR, CSP, types, framework bindings, the local Clink, the server SDK, the merchant demo and the docs' code blocks"
node --test --test-concurrency=1 tests/e2e/ tests/consumers/ tests/types/ tests/bindings/ tests/local/ tests/server/ tests/demo/ tests/docs/

step "engines: the cross-origin core in Chromium, Firefox and WebKitGTK; WPE 2.38 without DecompressionStream (WebDriver)"
node --test --test-concurrency=1 tests/engines/

printf '\nall tests passed in %ss\n' "$(( $(date +%s) - start ))"
