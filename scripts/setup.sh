#!/usr/bin/env bash
# netsim set-up: makes sure nats-server is there, and Chromium for the browser tier
# (test/browser, docs/reports-html.md). Run through `npm run setup` after `npm ci`
# (which installs the pinned Node 22 runtime that `npm run` uses).
set -euo pipefail

have_nats() {
  if [ -n "${NATS_SERVER_BIN:-}" ]; then
    [ -x "$NATS_SERVER_BIN" ] || { echo "setup: NATS_SERVER_BIN=$NATS_SERVER_BIN is not executable" >&2; exit 1; }
    return 0
  fi
  command -v nats-server >/dev/null 2>&1 || [ -x /usr/sbin/nats-server ]
}

if have_nats; then
  bin="${NATS_SERVER_BIN:-$(command -v nats-server || echo /usr/sbin/nats-server)}"
  echo "setup: nats-server found: $bin ($("$bin" --version))"
else
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing nats-server from Debian's packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq nats-server >/dev/null
    echo "setup: installed $(/usr/sbin/nats-server --version)"
  else
    echo "setup: nats-server is missing. Install it with: sudo apt-get install nats-server" >&2
    echo "       (or download a release and set NATS_SERVER_BIN=/path/to/nats-server)" >&2
    exit 1
  fi
fi
# nftables: the netns backend cuts links with nft rules inside its namespaces.
if ! command -v nft >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing nftables (for the netns backend)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq nftables >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq nftables >/dev/null; }
  else
    echo "setup: nft is missing; the netns backend's tests will skip (install nftables to run them)"
  fi
fi
# Chromium: the browser tier opens every kind of report page in it (headless, driven by
# playwright-core, which downloads no browser). CHROMIUM_BIN names another binary.
have_chromium() {
  if [ -n "${CHROMIUM_BIN:-}" ]; then
    [ -x "$CHROMIUM_BIN" ] || { echo "setup: CHROMIUM_BIN=$CHROMIUM_BIN is not executable" >&2; exit 1; }
    return 0
  fi
  command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1
}
if have_chromium; then
  echo "setup: chromium found: ${CHROMIUM_BIN:-$(command -v chromium || command -v chromium-browser)}"
elif [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "setup: installing chromium from Debian's packages (for the browser tests)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }
  echo "setup: installed $(chromium --version 2>/dev/null || echo chromium)"
else
  echo "setup: chromium is missing; the browser tests skip here (and fail in CI). Install it with:" >&2
  echo "       sudo apt-get install chromium   (Debian; Ubuntu: a chromium snap or google-chrome, then CHROMIUM_BIN=/path/to/it)" >&2
fi
echo "setup: node $(node --version) (npm run uses the pinned runtime from node_modules)"
