#!/usr/bin/env bash
# error-coverage.sh TRACE - fails for every row of src/common/errors.def that no
# test raised (the servers started by the tests append each raised row's
# identifier to TRACE through --error-trace). Keeps the table free of dead rows.
set -u
cd "$(dirname "$0")/.."
trace=$1
pass=0; fail=0
while read -r id; do
  if grep -qx "$id" "$trace"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "not ok - $id is never raised by a test"; fi
done < <(grep -oE '^ERR\([A-Z0-9_]+' src/common/errors.def | sed 's/^ERR(//')
echo "error-coverage: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
