#!/usr/bin/env bash
# test.sh - installs what the tests need when missing (Debian packages, npm
# packages), then runs the whole suite (tests/run). Ends with one line
# "N passed, N failed"; exits non-zero if anything failed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh test
exec ./tests/run "$@"
