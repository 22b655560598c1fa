#!/usr/bin/env bash
# tests/install/run.sh - `make install` into a DESTDIR, then everything is
# run from there: both binaries, their man pages, the systemd unit (checked
# by systemd-analyze with the unit pointing at the DESTDIR binary). Prints
# "ok - ..." / "not ok - ..." and "install: N passed, M failed".
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ecsd-install.XXXXXX")
D=$TMP/dest
PID=
pass=0 fail=0
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
ok() { pass=$((pass + 1)); echo "ok - $1"; }
t() { if eval "$2"; then ok "$1"; else fail=$((fail + 1)); echo "not ok - $1"; fi; }

make -C "$ROOT" -s install DESTDIR="$D" PREFIX=/usr/local >"$TMP/make.log" 2>&1
t "make install DESTDIR=... PREFIX=/usr/local succeeds" '[ $? -eq 0 ] || { tail -5 "$TMP/make.log"; false; }'
BIN=$D/usr/local/bin
t "binaries installed, executable" '[ -x "$BIN/ecsd" ] && [ -x "$BIN/ecs" ]'
t "man pages installed" '[ -s "$D/usr/local/share/man/man8/ecsd.8" ] && [ -s "$D/usr/local/share/man/man1/ecs.1" ]'
t "nothing installed outside DESTDIR/PREFIX" '[ -z "$(find "$D" -mindepth 1 -maxdepth 1 ! -name usr)" ] && [ -z "$(find "$D/usr" -mindepth 1 -maxdepth 1 ! -name local)" ]'

# the man pages are written from the binaries: every flag of `ecsd --help`
# and every Action of `ecs help` is in them
MISSING=$("$BIN/ecsd" --help | grep -oE -- '--[a-z-]+' | sort -u | while read -r f; do
	grep -qF -- "${f//-/\\-}" "$D/usr/local/share/man/man8/ecsd.8" || grep -qF -- "$f" "$D/usr/local/share/man/man8/ecsd.8" || echo "$f"; done)
t "ecsd.8 lists every flag of ecsd --help" '[ -z "$MISSING" ] || { echo "# missing: $MISSING"; false; }'
MISSING=$("$BIN/ecs" help | awk '/^  [A-Z][A-Za-z]+ /{print $1}' | while read -r a; do
	grep -qw -- "$a" "$D/usr/local/share/man/man1/ecs.1" || echo "$a"; done)
t "ecs.1 lists every Action of ecs help" '[ -z "$MISSING" ] && grep -qw DeleteInstance "$D/usr/local/share/man/man1/ecs.1"'
if command -v nroff >/dev/null 2>&1; then
	nroff -man "$D/usr/local/share/man/man8/ecsd.8" >"$TMP/ecsd.txt" 2>"$TMP/nroff.err"
	t "ecsd.8 renders without warnings" '[ ! -s "$TMP/nroff.err" ] && grep -q "control-token-file" "$TMP/ecsd.txt"'
fi

# run from the DESTDIR: a node on a free port, the client against it
"$BIN/ecsd" --listen 127.0.0.1:0 --data-dir "$TMP/data" --transition-delay 0 >"$TMP/out" 2>"$TMP/err" &
PID=$!
PORT=
for _ in $(seq 1 100); do
	PORT=$(grep -oE 'listening on [0-9.]+:[0-9]+' "$TMP/err" "$TMP/out" 2>/dev/null | grep -oE '[0-9]+$' | head -n1)
	[ -n "$PORT" ] && break
	sleep 0.1
done
t "installed ecsd starts and listens" '[ -n "$PORT" ]'
"$BIN/ecs" DescribeRegions --endpoint "127.0.0.1:$PORT" >"$TMP/regions" 2>&1
t "installed ecs calls the installed ecsd" '[ $? -eq 0 ] && grep -q cn-hangzhou "$TMP/regions"'
kill "$PID"; wait "$PID" 2>/dev/null; RC=$?; PID=
t "installed ecsd stops cleanly on SIGTERM" '[ $RC -eq 0 ]'

# the systemd unit
U=$D/usr/local/lib/systemd/system/ecsd@.service
t "unit installed with the installed binary's path" 'grep -q "^ExecStart=/usr/local/bin/ecsd " "$U"'
t "unit keeps the token out of the process list" 'grep -q -- "--control-token-file /etc/ecsd/control.token" "$U" && ! grep -q -- "--control-token " "$U"'
if command -v systemd-analyze >/dev/null 2>&1; then
	sed "s|/usr/local/bin/|$BIN/|" "$U" >"$TMP/ecsd@node1.service"
	systemd-analyze verify --man=no "$TMP/ecsd@node1.service" >"$TMP/verify" 2>&1
	t "systemd-analyze verify accepts the unit" '[ $? -eq 0 ] && [ ! -s "$TMP/verify" ] || { cat "$TMP/verify"; false; }'
fi

# --control-token-file: the token read from a file is the one that works
printf 'tok-from-file-0123456789abcdef\n' >"$TMP/tok"; chmod 600 "$TMP/tok"
"$BIN/ecsd" --listen 127.0.0.1:0 --data-dir "$TMP/data2" --control-token-file "$TMP/tok" >"$TMP/out2" 2>"$TMP/err2" &
PID=$!
PORT=
for _ in $(seq 1 100); do
	PORT=$(grep -oE 'listening on [0-9.]+:[0-9]+' "$TMP/err2" "$TMP/out2" 2>/dev/null | grep -oE '[0-9]+$' | head -n1)
	[ -n "$PORT" ] && break
	sleep 0.1
done
GOOD=$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer tok-from-file-0123456789abcdef' "http://127.0.0.1:$PORT/_ecsd/clock" 2>/dev/null)
[ "$GOOD" = 404 ] && GOOD=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Authorization: Bearer tok-from-file-0123456789abcdef' "http://127.0.0.1:$PORT/_ecsd/instances/i-none/state" -d '{}')
BAD=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Authorization: Bearer wrong-token-0123456789abcdef' "http://127.0.0.1:$PORT/_ecsd/instances/i-none/state" -d '{}')
t "--control-token-file: the file's token is accepted, another refused" '[ "$GOOD" != 401 ] && [ "$GOOD" != 403 ] && { [ "$BAD" = 401 ] || [ "$BAD" = 403 ]; }'
kill "$PID"; wait "$PID" 2>/dev/null; PID=
"$BIN/ecsd" --listen 127.0.0.1:0 --data-dir "$TMP/data3" --control-token-file "$TMP/nosuch" >/dev/null 2>"$TMP/err3"
t "--control-token-file: a missing file refuses to start (exit 2)" '[ $? -eq 2 ] && grep -q nosuch "$TMP/err3"'

echo "install: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
