#!/usr/bin/env bash
# deps.sh - installs what ecsd needs from Debian's packages (and npm, for the
# test clients) when it is missing. `deps.sh` for building and running,
# `deps.sh test` for the test suite too, `deps.sh bench` for benchmarks.
# Idempotent: does nothing when everything is present.
set -euo pipefail
cd "$(dirname "$0")/.."

want=(make gcc pkg-config libmicrohttpd-dev libsqlite3-dev libssl-dev
      libjansson-dev libpq-dev libcurl4-openssl-dev ca-certificates)
case "${1:-build}" in
  test)  want+=(clang libclang-rt-14-dev postgresql procps chromium
               python3-prometheus-client prometheus nginx-light openssl
               python3-markdown-it iproute2 curl util-linux) ;;
  bench) want+=(nginx-light wrk valgrind) ;;
  build) ;;
  *) echo "usage: deps.sh [build|test|bench]" >&2; exit 2 ;;
esac
command -v node >/dev/null 2>&1 || want+=(nodejs)
command -v npm >/dev/null 2>&1 || want+=(npm)
[ "${1:-build}" = build ] && want=("${want[@]/nodejs}") && want=("${want[@]/npm}")

missing=()
for p in "${want[@]}"; do
  [ -n "$p" ] || continue
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "${1:-build}" = test ] && [ -f package-lock.json ]; then
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "deps: npm ci" >&2
    npm ci --no-audit --no-fund --loglevel=error >/dev/null
  fi
fi
