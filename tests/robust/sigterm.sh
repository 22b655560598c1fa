#!/usr/bin/env bash
# sigterm.sh - graceful stop (issue 6.5): tests/robust/sigterm.mjs.
# Closing line: "sigterm: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
timeout 300 node tests/robust/sigterm.mjs
