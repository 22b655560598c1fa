#!/usr/bin/env bash
# tests/cli/run.sh - end-to-end checks of the ecs client (build/ecs) against
# a real ecsd started here on a free loopback port; never touches ~/.aliyun.
# ECS_BIN / ECSD_BIN pick other binaries (e.g. build-san/). Prints one
# "ok - name" / "not ok - name" per check and "cli: N passed, M failed".
set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
ECS=${ECS_BIN:-$ROOT/build/ecs}
ECSD=${ECSD_BIN:-$ROOT/build/ecsd}
DEV_ID=LTAIecsdDevelopment1
DEV_SECRET=ecsdDevelopmentSecret000000001
IMG=ubuntu_22_04_x64_20G_alibase_20240812.vhd
TYPE=ecs.g7.large

TMP=$(mktemp -d "${TMPDIR:-/tmp}/ecs-cli.XXXXXX")
SRV_PID=
pass=0
fail=0

cleanup() {
	if [ -n "$SRV_PID" ]; then
		kill "$SRV_PID" 2>/dev/null
		wait "$SRV_PID" 2>/dev/null
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A clean environment: no real configuration or keys leak into the tests.
unset ALIBABA_CLOUD_ACCESS_KEY_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET \
	ALIBABA_CLOUD_REGION_ID ALIBABA_CLOUD_PROFILE ALIBABA_CLOUD_CONFIG_FILE \
	ALIBABA_CLOUD_SECURITY_TOKEN
mkdir -p "$TMP/home" "$TMP/phome/.aliyun" "$TMP/data"
export HOME="$TMP/home"

ok() { pass=$((pass + 1)); echo "ok - $1"; }
not_ok() {
	fail=$((fail + 1))
	echo "not ok - $1 (exit $RC)"
	sed -n '1,12s/^/#   out: /p' "$TMP/out"
	sed -n '1,12s/^/#   err: /p' "$TMP/err"
}
# ecs ARGS...: runs the client; RC, $TMP/out and $TMP/err hold the result.
ecs() { "$ECS" "$@" >"$TMP/out" 2>"$TMP/err"; RC=$?; }
# t NAME EXPR: one check; EXPR is evaluated after the last ecs call.
t() { if eval "$2"; then ok "$1"; else not_ok "$1"; fi; }
out_has() { grep -q -- "$1" "$TMP/out"; }
err_has() { grep -q -- "$1" "$TMP/err"; }
first_id() { grep -o 'i-[a-z0-9]\{6,\}' "$TMP/out" | head -n 1; }

if [ ! -x "$ECS" ] || [ ! -x "$ECSD" ]; then
	echo "not ok - binaries present ($ECS, $ECSD)"
	echo "cli: 0 passed, 1 failed"
	exit 1
fi

"$ECSD" --listen 127.0.0.1:0 --data-dir "$TMP/data" --transition-delay 0.2 \
	--control-token cli-control-token >"$TMP/ecsd.out" 2>"$TMP/ecsd.err" &
SRV_PID=$!
PORT=
for _ in $(seq 1 100); do
	PORT=$(sed -n 's/^ecsd listening on 127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' \
		"$TMP/ecsd.out" | head -n 1)
	[ -n "$PORT" ] && break
	kill -0 "$SRV_PID" 2>/dev/null || break
	sleep 0.1
done
if [ -z "$PORT" ]; then
	echo "not ok - ecsd starts"
	sed 's/^/#   /' "$TMP/ecsd.err" | head -n 20
	echo "cli: 0 passed, 1 failed"
	exit 1
fi
EP="127.0.0.1:$PORT"
E=(--endpoint "$EP")

# A loopback port nothing listens on.
CLOSED=
for p in $(seq $((40000 + RANDOM % 20000)) 65535); do
	if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
		CLOSED=$p
		break
	fi
done

# ---- help and version ------------------------------------------------------
ecs --version
t "version" '[ $RC -eq 0 ] && out_has "^ecs "'
ecs help
t "help lists DeleteInstance" '[ $RC -eq 0 ] && out_has "DeleteInstance"'
ecs DeleteInstance --help
t "DeleteInstance --help lists Force/TerminateSubscription" \
	'[ $RC -eq 0 ] && out_has "--Force" && out_has "--TerminateSubscription" && out_has "--InstanceId .*required"'
ecs help DescribeInstances
t "help <Action>" '[ $RC -eq 0 ] && out_has "--InstanceIds"'

# ---- success ---------------------------------------------------------------
ecs DescribeRegions "${E[@]}"
t "DescribeRegions" '[ $RC -eq 0 ] && out_has "\"RegionId\": \"cn-hangzhou\"" && out_has RequestId'
ecs ecs DescribeRegions "${E[@]}"
t "product word first (ecs ecs DescribeRegions)" '[ $RC -eq 0 ] && out_has cn-hangzhou'
ecs vpc help
t "vpc help lists the VPC table" '[ $RC -eq 0 ] && out_has "CreateVSwitch" && out_has "2016-04-28" && ! out_has "DeleteInstance "'
ecs vpc CreateVSwitch --help
t "vpc CreateVSwitch --help" '[ $RC -eq 0 ] && out_has "--VpcId .*required" && out_has "--CidrBlock .*required"'
ecs vpc CreateVpc "${E[@]}" --CidrBlock 10.0.0.0/8 --VpcName cli
VPC1=$(sed -n 's/.*"VpcId": "\(vpc-[0-9a-z]*\)".*/\1/p' "$TMP/out" | head -n 1)
t "vpc CreateVpc (product word, Version 2016-04-28)" '[ $RC -eq 0 ] && [ -n "$VPC1" ]'
ecs vpc DescribeVpcs "${E[@]}" --VpcId "$VPC1"
t "vpc DescribeVpcs" '[ $RC -eq 0 ] && out_has "\"VpcName\": \"cli\"" && out_has "\"TotalCount\": 1"'
ecs vpc CreateVSwitch "${E[@]}" --VpcId "$VPC1" --ZoneId cn-hangzhou-g
t "vpc CreateVSwitch without --CidrBlock is refused locally" '[ $RC -eq 2 ] && err_has "CidrBlock"'
ecs DescribeVpcs "${E[@]}"
t "a VPC Action without the product word goes to ECS and is refused" '[ $RC -eq 1 ] && err_has "InvalidAction.NotFound"'
ecs vpc DeleteVpc "${E[@]}" --VpcId "$VPC1"
t "vpc DeleteVpc" '[ $RC -eq 0 ]'
ecs DescribeRegions "${E[@]}" --method GET
t "--method GET" '[ $RC -eq 0 ] && out_has cn-hangzhou'
ecs DescribeRegions "${E[@]}" --quiet
t "--quiet prints nothing" '[ $RC -eq 0 ] && [ ! -s "$TMP/out" ]'

ecs RunInstances "${E[@]}" --ImageId "$IMG" --InstanceType "$TYPE" \
	--InstanceName cli-test-1
ID1=$(first_id)
t "RunInstances" '[ $RC -eq 0 ] && [ -n "$ID1" ] && out_has InstanceIdSet'
ecs DescribeInstances "${E[@]}" --InstanceIds "[\"$ID1\"]"
t "DescribeInstances --InstanceIds JSON array" \
	'[ $RC -eq 0 ] && out_has "\"InstanceId\": \"$ID1\"" && out_has "\"TotalCount\": 1"'
ecs DescribeInstances "${E[@]}" --output cols=InstanceId,Status rows=Instances.Instance[]
t "--output cols= rows= table" \
	'[ $RC -eq 0 ] && out_has "^InstanceId  *| Status" && out_has "^----------  *| ------" && out_has "^$ID1 "'
ecs DescribeInstances "${E[@]}" -o cols=InstanceId,InstanceName
t "--output default rows" '[ $RC -eq 0 ] && out_has "^$ID1 .*| cli-test-1"'
ecs DescribeInstances "${E[@]}" --InstanceIds "[\"$ID1\"]" \
	--waiter expr='Instances.Instance[0].Status' to=Running interval=2
t "--waiter expr= to=" '[ $RC -eq 0 ] && out_has "\"Status\": \"Running\""'

# ---- errors ----------------------------------------------------------------
ecs DeleteInstance "${E[@]}" --InstanceId i-doesnotexist000000
t "API error -> exit 1 with Code/Message/RequestId" \
	'[ $RC -eq 1 ] && err_has "InvalidInstanceId.NotFound" && err_has "^Message: " && err_has "^RequestId: "'
ecs DescribeNothing "${E[@]}"
t "unknown Action is sent, server refuses (exit 1)" \
	'[ $RC -eq 1 ] && err_has "InvalidAction"'
if [ -n "$CLOSED" ]; then
	ecs DescribeRegions --endpoint "127.0.0.1:$CLOSED"
	t "network error -> exit 3" '[ $RC -eq 3 ] && err_has "network"'
else
	RC=x
	not_ok "network error -> exit 3 (no closed port found)"
fi
ecs DescribeRegions "${E[@]}" --no-such-flag
t "usage: unknown flag -> exit 2" '[ $RC -eq 2 ]'
ecs DeleteInstance "${E[@]}"
t "usage: missing required parameter -> exit 2" '[ $RC -eq 2 ] && err_has InstanceId'
ecs DeleteInstance "${E[@]}" --InstanceId ""
t "usage: empty required parameter -> exit 2, nothing sent" '[ $RC -eq 2 ] && err_has "non-empty --InstanceId" && ! out_has MissingParameter'
ecs delete-instance "${E[@]}"
t "usage: lower-case Action -> exit 2" '[ $RC -eq 2 ]'
ecs DeleteInstance "${E[@]}" --InstanceId
t "usage: parameter without value -> exit 2" '[ $RC -eq 2 ]'
ecs StopInstance "${E[@]}" --InstanceId "$ID1" --wait-for Sometimes
t "usage: bad --wait-for -> exit 2" '[ $RC -eq 2 ]'
ecs DescribeRegions "${E[@]}" --Signature abc
t "usage: reserved parameter -> exit 2" '[ $RC -eq 2 ]'
ecs
t "usage: no arguments -> exit 2" '[ $RC -eq 2 ]'

# ---- waiting ---------------------------------------------------------------
ecs RunInstances "${E[@]}" --ImageId "$IMG" --InstanceType "$TYPE" \
	--wait-for Status=Running --interval 0.1 --timeout 30
ID2=$(first_id)
t "RunInstances --wait-for Status=Running (id from answer)" \
	'[ $RC -eq 0 ] && [ -n "$ID2" ] && err_has "$ID2: Running after"'
ecs StopInstance "${E[@]}" --InstanceId "$ID2" --wait-for Status=Stopped \
	--interval 0.1 --timeout 30
t "StopInstance --wait-for Status=Stopped" '[ $RC -eq 0 ] && err_has "Stopped after"'
ecs DescribeInstances "${E[@]}" --InstanceIds "[\"$ID2\"]" \
	--output cols=InstanceId,Status rows=Instances.Instance[]
t "instance is Stopped" '[ $RC -eq 0 ] && out_has "^$ID2 .*| Stopped"'
ecs DescribeInstances "${E[@]}" --InstanceIds "[\"$ID2\"]" \
	--wait-for Status=Running --interval 0.1 --timeout 0.5
t "--wait-for timeout -> exit 4" '[ $RC -eq 4 ] && err_has "timed out"'
ecs DeleteInstance "${E[@]}" --InstanceId "$ID2" --wait-for gone --interval 0.1
t "DeleteInstance --wait-for gone" '[ $RC -eq 0 ] && err_has "released after"'
ecs DescribeInstances "${E[@]}" --InstanceIds "[\"$ID2\"]"
t "released instance is gone" '[ $RC -eq 0 ] && out_has "\"TotalCount\": 0" && ! out_has "$ID2"'

# ---- list parameters -------------------------------------------------------
ecs RunInstances "${E[@]}" --ImageId "$IMG" --InstanceType "$TYPE" --Amount 2 \
	--wait-for Status=Running --interval 0.1 --timeout 30 \
	--output cols=@ rows=InstanceIdSets.InstanceIdSet[]
IDS=$(grep -o 'i-[a-z0-9]\{6,\}' "$TMP/out" | tr '\n' ' ')
A=${IDS%% *}
B=$(echo "$IDS" | awk '{print $2}')
t "RunInstances --Amount 2 --wait-for Status=Running (two ids)" \
	'[ $RC -eq 0 ] && [ -n "$A" ] && [ -n "$B" ] && err_has "2 instances: 2/2 Running after" && out_has "^@$" && out_has "^$B$"'
ecs DeleteInstances "${E[@]}" --InstanceId "[\"$A\",\"$B\"]" --Force true --dryrun
t "JSON array to RepeatList (InstanceId.1, .2)" \
	'[ $RC -eq 0 ] && out_has "InstanceId.1=$A" && out_has "InstanceId.2=$B"'
ecs DeleteInstances "${E[@]}" --InstanceId.1 "$A" --InstanceId.2 "$B" \
	--Force true --wait-for gone --interval 0.1
t "DeleteInstances --InstanceId.1/.2 --wait-for gone" '[ $RC -eq 0 ]'

# ---- configuration ---------------------------------------------------------
cat >"$TMP/phome/.aliyun/config.json" <<EOF
{
  "current": "bad",
  "profiles": [
    { "name": "good", "mode": "AK", "access_key_id": "$DEV_ID",
      "access_key_secret": "$DEV_SECRET", "sts_token": "",
      "region_id": "cn-hangzhou", "output_format": "json", "language": "en",
      "endpoint": "$EP" },
    { "name": "bad", "mode": "AK", "access_key_id": "$DEV_ID",
      "access_key_secret": "not-the-secret", "region_id": "cn-hangzhou",
      "endpoint": "$EP" }
  ],
  "meta_path": ""
}
EOF
HOME="$TMP/phome" ecs DescribeRegions --profile good
t "--profile picks the right profile (and its endpoint)" '[ $RC -eq 0 ] && out_has cn-hangzhou'
HOME="$TMP/phome" ecs DescribeRegions --profile bad
t "wrong profile secret -> SignatureDoesNotMatch" \
	'[ $RC -eq 1 ] && err_has SignatureDoesNotMatch'
HOME="$TMP/phome" ecs DescribeRegions
t "\"current\" profile used by default" '[ $RC -eq 1 ] && err_has SignatureDoesNotMatch'
HOME="$TMP/phome" ALIBABA_CLOUD_PROFILE=good ecs DescribeRegions
t "ALIBABA_CLOUD_PROFILE" '[ $RC -eq 0 ]'
HOME="$TMP/phome" ecs DescribeRegions --profile nosuch
t "unknown --profile -> exit 2" '[ $RC -eq 2 ] && err_has nosuch'
HOME="$TMP/phome" ecs DescribeRegions --profile bad --access-key-secret "$DEV_SECRET"
t "flag beats profile" '[ $RC -eq 0 ]'
HOME="$TMP/phome" ALIBABA_CLOUD_ACCESS_KEY_SECRET="$DEV_SECRET" ecs DescribeRegions --profile bad
t "env beats profile" '[ $RC -eq 0 ]'
ALIBABA_CLOUD_CONFIG_FILE="$TMP/phome/.aliyun/config.json" ecs DescribeRegions --profile good
t "ALIBABA_CLOUD_CONFIG_FILE" '[ $RC -eq 0 ]'

ALIBABA_CLOUD_ACCESS_KEY_ID=$DEV_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET=wrong \
	ecs DescribeRegions "${E[@]}"
t "env credentials, wrong secret -> SignatureDoesNotMatch" \
	'[ $RC -eq 1 ] && err_has SignatureDoesNotMatch'
ALIBABA_CLOUD_ACCESS_KEY_ID=$DEV_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET=$DEV_SECRET \
	ecs DescribeRegions "${E[@]}"
t "env credentials, dev key -> success" '[ $RC -eq 0 ]'
ALIBABA_CLOUD_ACCESS_KEY_ID=$DEV_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET=wrong \
	ecs DescribeRegions "${E[@]}" --access-key-secret "$DEV_SECRET"
t "flag beats env" '[ $RC -eq 0 ]'
ecs DescribeRegions "${E[@]}" --access-key-id LTAInobodyHasThisKey --access-key-secret x
t "unknown key id -> exit 1" '[ $RC -eq 1 ] && err_has InvalidAccessKeyId'

ALIBABA_CLOUD_REGION_ID=cn-shanghai ecs DescribeInstances --dryrun
t "ALIBABA_CLOUD_REGION_ID sets RegionId" '[ $RC -eq 0 ] && out_has "RegionId=cn-shanghai"'
ALIBABA_CLOUD_REGION_ID=cn-shanghai ecs DescribeInstances --region cn-beijing --dryrun
t "--region beats env" '[ $RC -eq 0 ] && out_has "RegionId=cn-beijing"'
ecs DescribeInstances --dryrun
t "built-in default: 127.0.0.1:8080, cn-hangzhou, dev key" \
	'[ $RC -eq 0 ] && out_has "^POST http://127.0.0.1:8080/?" && out_has "RegionId=cn-hangzhou" && out_has "AccessKeyId=$DEV_ID"'
ecs DescribeInstances --dryrun --endpoint ecs.cn-hangzhou.aliyuncs.com
t "remote endpoint defaults to https" '[ $RC -eq 0 ] && out_has "^POST https://ecs.cn-hangzhou.aliyuncs.com/?"'
ecs DescribeInstances --dryrun --endpoint ecs.cn-hangzhou.aliyuncs.com --insecure
t "--insecure forces http" '[ $RC -eq 0 ] && out_has "^POST http://ecs.cn-hangzhou"'
ecs DescribeInstances --dryrun --endpoint localhost:9 --secure --method get
t "--secure forces https" '[ $RC -eq 0 ] && out_has "^GET https://localhost:9/?"'
ecs DescribeInstances --dryrun --endpoint http://example.com:81
t "explicit scheme kept" '[ $RC -eq 0 ] && out_has "^POST http://example.com:81/?"'
ecs DescribeInstances --dryrun --Description "a b*c~d/e+f"
t "values percent-encoded (RFC 3986)" '[ $RC -eq 0 ] && out_has "Description=a%20b%2Ac~d%2Fe%2Bf&"'

ecs DescribeRegions "${E[@]}" --output cols=RequestId rows=@
t "--output rows=@: the answer itself is a one-row table" '[ $RC -eq 0 ] && [ "$(wc -l <"$TMP/out")" -eq 3 ] && out_has "^RequestId"'

# ---- HTTPS (issue 12): ecsd's local CA through SSL_CERT_FILE ---------------
mkdir -p "$TMP/tdata"
"$ECSD" --listen 127.0.0.1:0 --listen-tls 127.0.0.1:0 --data-dir "$TMP/tdata" \
	--transition-delay 0 --control-token cli-control-token >"$TMP/tls.out" 2>"$TMP/tls.err" &
TLS_PID=$!
TPORT=
for _ in $(seq 1 100); do
	TPORT=$(sed -n 's/^ecsd listening (TLS) on 127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' "$TMP/tls.out" | head -n 1)
	[ -n "$TPORT" ] && break
	kill -0 "$TLS_PID" 2>/dev/null || break
	sleep 0.1
done
CA=$(sed -n 's/^ecsd TLS CA \([^ ]*\) .*/\1/p' "$TMP/tls.out" | head -n 1)
t "ecsd --listen-tls prints its CA" '[ -n "$TPORT" ] && [ -f "$CA" ]'
SSL_CERT_FILE=$CA ecs DescribeRegions --endpoint "https://127.0.0.1:$TPORT"
t "ecs over https trusts the CA given in SSL_CERT_FILE" '[ $RC -eq 0 ] && out_has "cn-hangzhou"'
SSL_CERT_FILE= ecs DescribeRegions --endpoint "https://127.0.0.1:$TPORT"
t "ecs over https without the CA: a certificate error" '[ $RC -ne 0 ] && err_has "certificate"'
kill "$TLS_PID" 2>/dev/null
wait "$TLS_PID" 2>/dev/null
# ---- ecs ecsd: the control API (issue 15); last, as it moves the clock ----
C=(--endpoint "$EP" --control-token cli-control-token)
ecs ecsd help
t "ecs ecsd help lists clock, faults, state, reset" \
	'[ $RC -eq 0 ] && out_has "clock --advance" && out_has "faults add" && out_has "state export" && out_has "reset"'
ecs help
t "ecs help mentions ecs ecsd" '[ $RC -eq 0 ] && out_has "ecs ecsd <command>"'
ecs ecsd clock "${C[@]}"
t "ecs ecsd clock" '[ $RC -eq 0 ] && out_has "\"OffsetSeconds\": 0"'
ecs ecsd clock --advance 2d "${C[@]}"
t "ecs ecsd clock --advance 2d" '[ $RC -eq 0 ] && out_has "\"OffsetSeconds\": 172800"'
ecs ecsd clock --set 2001-01-01T00:00:00Z "${C[@]}"
t "ecs ecsd clock --set backwards -> exit 1" '[ $RC -eq 1 ] && err_has InvalidParameter.Backwards'
ecs ecsd clock --advance soon "${C[@]}"
t "ecs ecsd clock --advance soon -> usage" '[ $RC -eq 2 ]'
ecs ecsd clock --reset "${C[@]}"
t "ecs ecsd clock --reset" '[ $RC -eq 0 ] && out_has "\"OffsetSeconds\": 0"'
ecs ecsd clock --endpoint "$EP" --control-token wrong
t "ecs ecsd with a wrong token -> exit 1" '[ $RC -eq 1 ] && err_has Unauthorized'
ecs ecsd faults add --action DescribeRegions --error Throttling.User --next 1 "${C[@]}"
FID=$(grep -o 'f-[a-z0-9]*' "$TMP/out" | head -n 1)
t "ecs ecsd faults add" '[ $RC -eq 0 ] && [ -n "$FID" ]'
ecs DescribeRegions "${E[@]}"
t "the fault fires once (ecs retries throttling, then succeeds)" '[ $RC -eq 0 ]'
ecs ecsd faults "${C[@]}"
t "ecs ecsd faults lists it with Fired 1" '[ $RC -eq 0 ] && out_has "$FID" && out_has "\"Fired\": 1"'
ecs ecsd faults add --error NoSuchCode "${C[@]}"
t "ecs ecsd faults add with a bad Code -> exit 1 naming Effect.Error" '[ $RC -eq 1 ] && err_has Effect.Error'
ecs ecsd faults delete "$FID" "${C[@]}"
t "ecs ecsd faults delete ID" '[ $RC -eq 0 ]'
ecs ecsd faults delete --all "${C[@]}"
t "ecs ecsd faults delete --all" '[ $RC -eq 0 ] && out_has all'
ecs ecsd state export --account 1000000000000001 "${C[@]}"
cp "$TMP/out" "$TMP/fixture.json"
t "ecs ecsd state export" '[ $RC -eq 0 ] && out_has ecsd-state/1 && out_has "\"Instances\""'
ecs ecsd reset --account 1000000000000001 "${C[@]}"
t "ecs ecsd reset --account" '[ $RC -eq 0 ] && out_has "\"Reset\": \"1000000000000001\""'
ecs ecsd state import "$TMP/fixture.json" "${C[@]}"
t "ecs ecsd state import" '[ $RC -eq 0 ] && out_has "\"AccountId\": \"1000000000000001\""'
ecs ecsd state export --account 1000000000000001 "${C[@]}"
t "export after reset and import is the same document" 'cmp -s "$TMP/out" "$TMP/fixture.json"'
ecs ecsd nonsense "${C[@]}"
t "ecs ecsd unknown command -> usage" '[ $RC -eq 2 ]'

# ---- ecsd --ephemeral: a temporary store removed at exit -------------------
"$ECSD" --ephemeral --data-dir "$TMP/x" >"$TMP/out" 2>"$TMP/err"; RC=$?
t "--ephemeral with --data-dir is refused" '[ $RC -eq 2 ] && err_has ephemeral'
mkdir -p "$TMP/etmp"
TMPDIR="$TMP/etmp" "$ECSD" --ephemeral --listen 127.0.0.1:0 --control-token cli-control-token >"$TMP/eph.out" 2>"$TMP/eph.err" &
EPID=$!
EPORT=
for _ in $(seq 1 100); do
	EPORT=$(sed -n 's/^ecsd listening on 127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' "$TMP/eph.out" | head -n 1)
	[ -n "$EPORT" ] && break
	sleep 0.1
done
ecs RunInstances --endpoint "127.0.0.1:$EPORT" --ImageId "$IMG" --InstanceType "$TYPE"
t "--ephemeral serves (RunInstances)" '[ $RC -eq 0 ] && [ -f "$(ls -d "$TMP"/etmp/ecsd-ephemeral.*)/ecsd.db" ]'
kill "$EPID"; wait "$EPID"; RC=$?
t "--ephemeral: clean stop, its directory removed" '[ $RC -eq 0 ] && [ -z "$(ls -A "$TMP/etmp")" ]'

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
