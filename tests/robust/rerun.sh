#!/usr/bin/env bash
# rerun.sh - the store's callback contract under PostgreSQL re-runs (issue 10
# item 2): tests/robust/rerun.mjs against the suite's cluster ($PGURI), or a
# private one. Closing line: "rerun: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
own=""
if [ -z "${PGURI:-}" ]; then
  own=/tmp/ecsd-pg-rerun.$$
  PGURI=$(bash tests/pg.sh start "$own") || { echo "rerun: 0 passed, 1 failed"; exit 1; }
  export PGURI
fi
timeout 300 node tests/robust/rerun.mjs
rc=$?
[ -n "$own" ] && bash tests/pg.sh stop "$own" >/dev/null 2>&1
exit $rc
