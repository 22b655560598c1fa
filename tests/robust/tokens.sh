#!/usr/bin/env bash
# tokens.sh - the control token (issue 11 rows 9 and 10):
# tests/robust/tokens.mjs. Closing line: "tokens: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
timeout 120 node tests/robust/tokens.mjs
