#!/usr/bin/env bash
# What the headless browser tests need: Debian's Chromium (Playwright drives /usr/bin/chromium; it never
# downloads a browser of its own) and axe-core, pinned in tests/axe/package-lock.json, installed with
# `npm ci` (the tests inject it from node_modules; nothing is fetched while they run).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    echo "chromium ontbreekt: installeer het Debian-pakket 'chromium' (browser tests will be skipped)" >&2
  else
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq chromium >/dev/null
  fi
fi
if [ ! -f tests/axe/node_modules/axe-core/axe.min.js ]; then
  if command -v npm >/dev/null 2>&1; then
    (cd tests/axe && npm ci --no-audit --no-fund --silent)
  else
    echo "npm ontbreekt: de toegankelijkheidstests (axe-core) worden overgeslagen" >&2
  fi
fi
