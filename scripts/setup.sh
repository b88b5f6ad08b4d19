#!/usr/bin/env bash
# Installs what the build, the demo or the tests need, idempotently: a second run on a machine
# that has it all takes a few seconds. No prebuilt downloads: only registries.
#   bash scripts/setup.sh build   what `bash scripts/build.sh` and the demo need: Rust's wasm target,
#                                 wasm-bindgen-cli, the npm devDependencies. No browsers, no sudo.
#   bash scripts/setup.sh test    that, plus what the tests need: wasm-pack, Chromium and ChromeDriver,
#                                 Firefox ESR, WebKitGTK, WPE WebKit, Xvfb (apt), geckodriver (cargo).
#   bash scripts/setup.sh         the same as `test`.
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-test}"
case "$mode" in
  build|test) ;;
  *) printf 'usage: bash scripts/setup.sh [build|test]\n  build: what the build and the demo need (no browsers)\n  test:  that, plus the test browsers and drivers (the default)\n' >&2; exit 2 ;;
esac

WASM_BINDGEN_VERSION=0.2.130
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '[setup] %s\n' "$*"; }

# ---- build: what scripts/build.sh runs (cargo, wasm-bindgen, npm's wasm-opt and esbuild).
if ! command -v cargo >/dev/null 2>&1 || ! command -v rustup >/dev/null 2>&1; then
  say "Rust is missing: install it with rustup (https://rustup.rs), then run this again" >&2
  exit 1
fi
if ! command -v node >/dev/null 2>&1 || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  say "Node.js 20 or newer is needed (node --version: $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen-cli must match the crate's pinned wasm-bindgen exactly.
if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION\b"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (cargo, ~2.5 min once)"
  # Not --locked: its lockfile names a crate version the registry lacks.
  cargo install -q wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# npm devDependencies (binaryen's wasm-opt, esbuild, zopfli, playwright-core without browsers,
# typescript). Reinstall only when the lockfile changed since the last install.
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

if [ "$mode" = build ]; then
  say "ok (build)"
  exit 0
fi

# ---- test: wasm-pack (the wasm's browser tests) and the browsers the tests drive.
WASM_PACK_VERSION=0.15.1
GECKODRIVER_VERSION=0.37.1
need_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if ! wasm-pack --version 2>/dev/null | grep -q "$WASM_PACK_VERSION"; then
  say "installing wasm-pack $WASM_PACK_VERSION (cargo, ~2 min once)"
  cargo install -q wasm-pack --version "$WASM_PACK_VERSION" --locked --force
fi

# Chromium + chromedriver (Debian's; Playwright's own browser download does not work here).
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  say "installing chromium and chromium-driver (apt)"
  need_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive need_root apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# engines: Firefox and WebKit for tests/engines/ (W3C WebDriver; see CONTRIBUTING.md "Tested engines").
# Debian's packages only: Firefox ESR, WebKitGTK's MiniBrowser + WebKitWebDriver (under Xvfb),
# WPE WebKit 2.38 + cog (headless; the old-Safari engine without DecompressionStream).
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
say "ok (test)"
