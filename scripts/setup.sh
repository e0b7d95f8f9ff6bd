#!/usr/bin/env bash
# netsim set-up: makes sure nats-server is there, a Docker engine for the docker backend
# (docs/backends.md, "docker"), Chromium for the browser tier (test/browser,
# docs/reports-html.md), and Go with Debian's nats.go sources for the nats.go reference client
# (docs/calibration.md). Run through `npm run setup` after `npm ci` (which installs the pinned
# Node 22 runtime that `npm run` uses).
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
# A Docker engine for the docker backend. One that already answers (DOCKER_HOST, or the default
# socket) is used as it is. Otherwise, as root on Debian: docker.io installed when dockerd is
# missing, and dockerd started with its default socket (/var/run/docker.sock), data root
# (/var/lib/docker) and exec root (/var/run/docker), logging to /var/log/netsim-dockerd.log, and
# without touching the machine's networking: no iptables rules, no forwarding, no docker0
# bridge (netsim wires its containers itself). Images are built by the first docker run, from
# this machine's files: nothing is ever pulled. NETSIM_NO_DOCKER=1 skips this section.
DOCKERD_LOG=/var/log/netsim-dockerd.log
engine_answers() { command -v docker >/dev/null 2>&1 && timeout 5 docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }
# A pidfile naming a dead (or zombie) process makes dockerd refuse to start ("pid file found"),
# and one naming its old containerd makes it wait for that "still running" containerd and fail.
live_pid() { # live_pid PIDFILE COMM
  local pid state
  [ -f "$1" ] && pid=$(cat "$1") && [ -r "/proc/$pid/stat" ] || return 1
  state=$(sed 's/^.*) //' "/proc/$pid/stat" | cut -d' ' -f1)
  [ "$state" != Z ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ]
}
if [ "${NETSIM_NO_DOCKER:-0}" = 1 ]; then
  echo "setup: NETSIM_NO_DOCKER=1: no Docker engine set up (the docker backend's tests skip, and fail in CI)"
elif engine_answers; then
  echo "setup: docker engine answers: $(docker version --format 'server {{.Server.Version}}' 2>/dev/null) (${DOCKER_HOST:-unix:///var/run/docker.sock})"
elif [ -n "${DOCKER_HOST:-}" ]; then
  echo "setup: DOCKER_HOST=$DOCKER_HOST does not answer; netsim never starts an engine it is pointed at. Start it, or unset DOCKER_HOST" >&2
elif [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  if ! command -v dockerd >/dev/null 2>&1; then
    echo "setup: installing docker.io from Debian's packages (for the docker backend)"
    apt-get install -y -qq --no-install-recommends docker.io >/dev/null 2>&1 \
      || { apt-get update -qq && apt-get install -y -qq --no-install-recommends docker.io >/dev/null; }
  fi
  if live_pid /var/run/docker.pid dockerd; then
    echo "setup: dockerd (pid $(cat /var/run/docker.pid)) runs but does not answer yet; waiting"
  else
    rm -f /var/run/docker.pid
    live_pid /var/run/docker/containerd/containerd.pid containerd || rm -f /var/run/docker/containerd/containerd.pid
    mkdir -p "$(dirname "$DOCKERD_LOG")"
    # Its own session, stdin closed, output to its log: it outlives this script.
    (cd / && setsid -f dockerd --host unix:///var/run/docker.sock --data-root /var/lib/docker --exec-root /var/run/docker \
      --pidfile /var/run/docker.pid --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false --bridge=none \
      </dev/null >>"$DOCKERD_LOG" 2>&1)
    echo "setup: started dockerd (log $DOCKERD_LOG)"
  fi
  for _ in $(seq 1 300); do engine_answers && break; sleep 0.1; done
  if engine_answers; then
    echo "setup: docker engine answers: $(docker version --format 'server {{.Server.Version}}, storage' 2>/dev/null) $(docker info --format '{{.Driver}}' 2>/dev/null)"
  else
    echo "setup: dockerd did not answer within 30 s; last lines of $DOCKERD_LOG:" >&2
    tail -20 "$DOCKERD_LOG" >&2
    exit 1
  fi
else
  echo "setup: no Docker engine answers; the docker backend's tests skip here (and fail in CI). To get one:" >&2
  echo "       Debian/Ubuntu, as root: npm run setup (installs docker.io and starts dockerd), or" >&2
  echo "       sudo apt-get install docker.io && sudo systemctl start docker; elsewhere, start your engine or set DOCKER_HOST" >&2
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
# Go and Debian's nats.go: the reference client (sim/fleet/goref/) that `npm run calibrate` and
# `--client nats.go` run is built from them, offline. Optional: without them the calibration and
# its tests are skipped, with this reason.
gopath="${NETSIM_GOPATH:-/usr/share/gocode}"
have_goref_deps() { command -v "${NETSIM_GO:-go}" >/dev/null 2>&1 && [ -f "$gopath/src/github.com/nats-io/nats.go/nats.go" ]; }
if ! have_goref_deps; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing Go and nats.go's sources from Debian's packages (the nats.go reference client)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq golang-go golang-github-nats-io-go-nats-dev >/dev/null 2>&1 ||
      { apt-get update -qq && apt-get install -y -qq golang-go golang-github-nats-io-go-nats-dev >/dev/null; }
  else
    echo "setup: Go or Debian's nats.go sources are missing: the nats.go reference client cannot be built, so"
    echo "       \`npm run calibrate\`, \`--client nats.go\` and their tests are skipped. Install them with:"
    echo "       sudo apt-get install golang-go golang-github-nats-io-go-nats-dev"
  fi
fi
if have_goref_deps; then
  # Built once per source hash and Go version into .cache/goref (gitignored); runs reuse it.
  node --disable-warning=ExperimentalWarning scripts/build-goref.ts
fi
echo "setup: node $(node --version) (npm run uses the pinned runtime from node_modules)"
