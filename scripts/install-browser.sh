#!/usr/bin/env bash
# Debian's Chromium for the headless browser tests (Playwright drives /usr/bin/chromium; it never
# downloads a browser of its own). Skipped when Chromium is already there.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "chromium ontbreekt: installeer het Debian-pakket 'chromium' (browser tests will be skipped)" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq chromium >/dev/null
