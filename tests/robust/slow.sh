#!/usr/bin/env bash
# slow.sh - slow and greedy clients (issue 6.3): tests/robust/slow.mjs.
# About 40 s (it waits for the 30 s idle timeout). Closing line:
# "slow: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
ulimit -n 8192 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
timeout 120 node tests/robust/slow.mjs
