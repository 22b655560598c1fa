#!/usr/bin/env bash
# throttle.sh - the per-AccessKey rate limit (issue 6.4):
# tests/robust/throttle.mjs. Closing line: "throttle: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
timeout 120 node tests/robust/throttle.mjs
