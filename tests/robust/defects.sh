#!/usr/bin/env bash
# defects.sh - regression tests of issue 11 that need raw bytes or both
# backends: tests/robust/defects.mjs. Closing line: "defects: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
timeout 300 node tests/robust/defects.mjs
