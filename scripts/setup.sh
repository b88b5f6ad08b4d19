#!/usr/bin/env bash
# Installs everything the build, demo and tests need, idempotently: a second run on a
# machine that has it all takes a few seconds. No prebuilt downloads: only registries.
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=0.2.130
WASM_PACK_VERSION=0.15.1
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '[setup] %s\n' "$*"; }
need_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Chromium + chromedriver (Debian's; Playwright's own browser download does not work here).
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  say "installing chromium and chromium-driver (apt)"
  need_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive need_root apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# engines: Firefox and WebKit for tests/engines/ (W3C WebDriver; see README "Tested engines").
# Debian's packages only: Firefox ESR, WebKitGTK's MiniBrowser + WebKitWebDriver (under Xvfb),
# WPE WebKit 2.38 + cog (headless; the old-Safari engine without DecompressionStream).
GECKODRIVER_VERSION=0.37.1
engine_pkgs=()
command -v firefox-esr >/dev/null 2>&1 || engine_pkgs+=(firefox-esr)
command -v WebKitWebDriver >/dev/null 2>&1 || engine_pkgs+=(webkit2gtk-driver)
command -v Xvfb >/dev/null 2>&1 || engine_pkgs+=(xvfb)
command -v xauth >/dev/null 2>&1 || engine_pkgs+=(xauth)
command -v WPEWebDriver >/dev/null 2>&1 || engine_pkgs+=(wpewebkit-driver)
command -v cog >/dev/null 2>&1 || engine_pkgs+=(cog)
if [ "${#engine_pkgs[@]}" -gt 0 ]; then
  say "installing ${engine_pkgs[*]} (apt, ~40 s and ~570 MB once)"
  need_root apt-get update -qq
  # --no-install-recommends: codecs and desktop extras a headless test run never uses.
  DEBIAN_FRONTEND=noninteractive need_root apt-get install -y -qq --no-install-recommends \
    -o DPkg::Lock::Timeout=300 "${engine_pkgs[@]}" >/dev/null
fi
# Debian has no geckodriver package; crates.io has it.
if ! geckodriver --version 2>/dev/null | grep -q "^geckodriver $GECKODRIVER_VERSION\b"; then
  say "installing geckodriver $GECKODRIVER_VERSION (cargo, ~3 min once)"
  cargo install -q geckodriver --version "$GECKODRIVER_VERSION" --locked --force
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen-cli must match the crate's pinned wasm-bindgen exactly.
if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION\b"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (takes ~2 min once)"
  # Not --locked: its lockfile names a crate version the registry lacks.
  cargo install -q wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if ! wasm-pack --version 2>/dev/null | grep -q "$WASM_PACK_VERSION"; then
  say "installing wasm-pack $WASM_PACK_VERSION (takes ~2 min once)"
  cargo install -q wasm-pack --version "$WASM_PACK_VERSION" --locked --force
fi

# npm devDependencies (binaryen's wasm-opt, playwright-core, esbuild, typescript).
# Reinstall only when the lockfile changed since the last install.
stamp=node_modules/.setup-stamp
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  say "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi

# Debian's binaryen (wasm-opt 108) breaks the module; npm's must win on PATH.
if [ -x /usr/bin/wasm-opt ] && ! /usr/bin/wasm-opt --version | grep -q "version 1[2-9][0-9]"; then
  say "note: /usr/bin/wasm-opt is too old; node_modules/.bin/wasm-opt is used instead"
fi
say "ok"
