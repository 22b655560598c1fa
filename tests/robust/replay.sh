#!/usr/bin/env bash
# replay.sh - the replay cache under sustained load (issue 19): ecsd with
# --replay-cache-mb 1 answers a few hundred thousand distinct signed
# requests without refusing one, and its resident memory stays within the
# budget plus the size it had after a warm-up (VmRSS from /proc/PID/status).
# Uses the optimised build (build/ecsd, build/ecs-bench: the sanitizer's
# allocator quarantine is not ecsd's memory) and the development account.
# Closing line: "replay: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
ECSD=${ECSD_PLAIN_BIN:-build/ecsd}
BENCH=${ECSD_BENCH_BIN:-build/ecs-bench}
N=${REPLAY_TEST_REQUESTS:-300000}
WARM=30000
MARGIN_KB=$((8 * 1024))    # allocator and thread-stack slack over the warm size
pass=0 fail=0
ok() { echo "ok - $*"; pass=$((pass + 1)); }
bad() { echo "not ok - $*"; fail=$((fail + 1)); }
check() { if [ "$1" = 1 ]; then ok "$2"; else bad "$2${3:+ ($3)}"; fi; }
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }
rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }

[ -x "$ECSD" ] && [ -x "$BENCH" ] || { make -s -j2 all >/dev/null || exit 1; }
TMP=$(mktemp -d /tmp/ecsd-replay.XXXXXX)
EPID=""
trap '[ -n "$EPID" ] && kill "$EPID" 2>/dev/null; wait 2>/dev/null; rm -rf "$TMP"' EXIT

"$ECSD" --listen 127.0.0.1:0 --data-dir "$TMP/data" --replay-cache-mb 1 \
  --transition-delay 0 --log-level error >"$TMP/out" 2>"$TMP/err" &
EPID=$!
for _ in $(seq 1 200); do grep -q 'listening on' "$TMP/out" && break; sleep 0.05; done
PORT=$(sed -n 's/.*listening on [^:]*:\([0-9]*\).*/\1/p' "$TMP/out")
[ -n "$PORT" ] || { cat "$TMP/err"; echo "replay: 0 passed, 1 failed"; exit 1; }
URL=http://127.0.0.1:$PORT/

# 100 instances to read, a warm-up (threads, pools, pages), then the size
"$BENCH" -u "$URL" --create 100 --save-ids "$TMP/ids" --prepare-only >/dev/null 2>&1
R=$("$BENCH" -u "$URL" -s describe --ids "$TMP/ids" -c 16 -n $WARM -d 0 -w 0 2>&1 | grep '^RESULT')
warm=$(rss_kb "$EPID")
check "$([ "$(field errors "$R")" = 0 ] && echo 1)" "warm-up: $WARM signed requests, all 2xx" "$R"
# the load: distinct nonces, far more than 1 MiB of fingerprints would hold
# for their 15 minutes; sampled while it runs
"$BENCH" -u "$URL" -s describe --ids "$TMP/ids" -c 16 -n "$N" -d 0 -w 0 >"$TMP/bench" 2>&1 &
BPID=$!
peak=$warm
while kill -0 "$BPID" 2>/dev/null; do
  r=$(rss_kb "$EPID"); [ "${r:-0}" -gt "$peak" ] && peak=$r
  sleep 0.2
done
wait "$BPID"
R=$(grep '^RESULT' "$TMP/bench")
r=$(rss_kb "$EPID"); [ "${r:-0}" -gt "$peak" ] && peak=$r
check "$([ "$(field ok "$R")" = "$N" ] && [ "$(field errors "$R")" = 0 ] && echo 1)" \
  "--replay-cache-mb 1: $N distinct signed requests, not one refused (ok=$(field ok "$R") errors=$(field errors "$R"), $(field rps "$R") req/s)" "$R"
limit=$((warm + 1024 + MARGIN_KB))
check "$([ "$peak" -le "$limit" ] && echo 1)" \
  "resident memory: peak VmRSS $peak kB <= warm $warm kB + 1 MiB budget + $((MARGIN_KB / 1024)) MiB margin"
check "$(grep -q 'replay cache: over its budget of 1 MiB' "$TMP/err" && echo 1)" \
  "the degradation is logged (\"replay cache: over its budget\")" "$(head -c 300 "$TMP/err")"
n=$(grep -c 'replay cache: over its budget' "$TMP/err")
check "$([ "$n" -le 2 ] && echo 1)" "... at most once a minute ($n lines)"
# the counter for /metrics
M=$(curl -s "http://127.0.0.1:$PORT/metrics" | grep '^ecsd_replay_cache_')
fe=$(awk '$1 == "ecsd_replay_cache_forgotten_early" { print $2 }' <<<"$M")
dg=$(awk '$1 == "ecsd_replay_cache_degraded" { print $2 }' <<<"$M")
by=$(awk '$1 == "ecsd_replay_cache_bytes" { print $2 }' <<<"$M")
check "$(awk -v f="${fe:-0}" -v d="${dg:-0}" -v b="${by:-9e99}" 'BEGIN { print (f > 0 && d == 1 && b <= 1048576) ? 1 : 0 }')" \
  "GET /metrics: ecsd_replay_cache_forgotten_early $fe > 0, degraded $dg, bytes $by <= 1 MiB" "$M"
# in that state a replay of a just-used request is still refused
codes=$(node --input-type=module -e "
import { call } from './tests/lib/client.mjs';
const n = 'replay-sh-' + Date.now();
const a = await call($PORT, 'DescribeRegions', {}, { nonce: n });
const b = await call($PORT, 'DescribeRegions', {}, { nonce: n });
console.log(a.status, b.status, b.json?.Code);" 2>&1)
check "$([ "$codes" = "200 400 SignatureNonceUsed" ] && echo 1)" \
  "over the budget, a replay of a request just answered is SignatureNonceUsed" "$codes"
kill "$EPID"; wait "$EPID" 2>/dev/null; st=$?; EPID=""
check "$([ "$st" = 0 ] && echo 1)" "ecsd stops cleanly (exit $st)"
echo "replay: $pass passed, $fail failed"
[ "$fail" = 0 ]
