#!/usr/bin/env bash
# defaults.sh - the safe defaults and limits SECURITY.md claims:
# tests/robust/defaults.mjs. Closing line: "defaults: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
timeout 120 node tests/robust/defaults.mjs
