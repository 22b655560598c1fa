#!/usr/bin/env bash
# params-read.sh TRACE - every declared parameter of every Action is read by
# its handler in some test (issue 11's sweep: DescribeDisks declared ZoneId
# and never read it). The servers the tests start append "param Action Name"
# to TRACE (--error-trace) for each declared parameter the handler asked
# for; the Actions and their parameters come from the binary's own table
# (`ecs help`), so Actions landed later are covered. A parameter that is
# declared and never read must be used or removed from params.def;
# tests/sweeps/params-read.todo lists the known ones still to do.
# Closing line: "params-read: N passed, M failed".
set -u
cd "$(dirname "$0")/../.."
trace=$1
ecs=${ECS_BIN:-build/ecs}
pass=0; fail=0
todo=$(grep -v '^#' tests/sweeps/params-read.todo 2>/dev/null)
for a in $("$ecs" help | awk '/^ecs Actions/{f=1;next} /^$/{f=0} f && /^  [A-Z]/{print $1}'); do
  for p in $("$ecs" help "$a" | sed -n 's/^  --\([A-Za-z0-9.]*\) .*/\1/p'); do
    if grep -qxF "param $a $p" "$trace"; then
      pass=$((pass + 1))
    elif grep -qxF "$a $p" <<<"$todo"; then
      echo "# TODO $a declares $p and never reads it (params-read.todo)"
    else
      fail=$((fail + 1)); echo "not ok - $a declares $p and no test saw its handler read it"
    fi
  done
done
[ "$pass" -gt 0 ] || { fail=$((fail + 1)); echo "not ok - the trace names no parameter: was --error-trace given?"; }
echo "params-read: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
