#!/usr/bin/env bash
# Runs every test of gongbao: Rust unit and integration tests, clippy, the Node tests of the
# search client, and the headless Chromium tests of the built site. Installs what it needs on a
# fresh Debian machine (Chromium from apt, playwright-core from npm, clippy from rustup).
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  echo "== installing Chromium for the browser tests"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium >/dev/null
fi
if [ ! -d tests/browser/node_modules/playwright-core ] || [ ! -d tests/browser/node_modules/axe-core ]; then
  echo "== installing playwright-core (drives the system Chromium; downloads no browser) and axe-core"
  (cd tests/browser && npm ci --no-audit --no-fund --silent)
fi

echo "== cargo test"
# Release profile: the browser tests below reuse the same binary instead of compiling twice.
cargo test --release

echo "== cargo clippy"
# The tree is kept free of clippy's warnings; a toolchain without clippy gets it from rustup.
if ! cargo clippy --version >/dev/null 2>&1 && command -v rustup >/dev/null; then
  rustup component add clippy
fi
cargo clippy --release --locked --lib --tests --benches --bins -- -D warnings

export GONGBAO_BIN="$PWD/target/release/gongbao"
shopt -s nullglob
js_tests=(tests/js/*.test.js tests/browser/*.test.js)
echo "== node --test (${#js_tests[@]} files)"
node --test "${js_tests[@]}"
