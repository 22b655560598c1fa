#!/usr/bin/env bash
# tests/deploy/run.sh - follows docs/deployment.md, "From a fresh Debian 12
# to a running team set-up", literally: every block marked "run by
# tests/deploy/run.sh" runs as printed, in order. It runs in a mount and
# network namespace of its own: /etc, /usr/local, /var/lib, /var/log and
# /run are overlays on scratch directories (useradd, make install, the
# nginx site and the CA store change nothing on this machine), 127.0.0.1 is
# private (the nodes' 8081-8083 and nginx's 443 collide with nothing), and
# PostgreSQL is a private cluster (tests/pg.sh) that PGHOST/PGPORT point at.
# What the doc does with systemctl, the test does by hand: each node's
# ExecStart line from the installed unit, as user ecsd, with its
# environment file; nginx started with the system configuration.
# Prints "ok - ..." lines and "deploy: N passed, M failed".
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
if [ "${1:-}" != --inside ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "not ok - the deployment test needs root (namespaces, useradd)"
		echo "deploy: 0 passed, 1 failed"; exit 1
	fi
	exec unshare --mount --net --fork bash "$0" --inside
fi

pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
not_ok() { fail=$((fail + 1)); echo "not ok - $1"; [ -n "${2:-}" ] && sed 's/^/#   /' "$2" | tail -n 30; }
finish() { echo "deploy: $pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }

SCR=$(mktemp -d /tmp/ecsd-deploy.XXXXXX)
PGDIR=/tmp/ecsd-deploy-pg.$$
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	[ -f "$SCR/nginx.pid" ] && kill "$(cat "$SCR/nginx.pid")" 2>/dev/null
	[ -f /run/nginx.pid ] && kill "$(cat /run/nginx.pid)" 2>/dev/null
	bash "$ROOT/tests/pg.sh" stop "$PGDIR" >/dev/null 2>&1
	wait 2>/dev/null
	rm -rf "$SCR"
}
trap cleanup EXIT

mount --make-rprivate / 2>/dev/null
for d in /etc /usr/local /var/lib /var/log /run; do
	n=$(echo "$d" | tr / _)
	mkdir -p "$SCR/up$n" "$SCR/wk$n"
	if ! mount -t overlay overlay -o "lowerdir=$d,upperdir=$SCR/up$n,workdir=$SCR/wk$n" "$d"; then
		not_ok "overlay on $d"; finish
	fi
done
ip link set lo up

if ! PGURI=$(bash "$ROOT/tests/pg.sh" start "$PGDIR" 2>"$SCR/pg.err"); then
	not_ok "private PostgreSQL cluster" "$SCR/pg.err"; finish
fi
export PGHOST=127.0.0.1 PGPORT=${PGURI##*:}; PGPORT=${PGPORT%%/*}
# a fresh server has no ecsd database: tests/pg.sh made one for the other suites
if psql -q -U postgres -d postgres -c 'DROP DATABASE ecsd' >"$SCR/drop.out" 2>&1; then
	ok "private PostgreSQL cluster on port $PGPORT, as fresh as a new server"
else
	not_ok "private PostgreSQL cluster" "$SCR/drop.out"; finish
fi

/usr/bin/python3 "$ROOT/tests/docs/blocks.py" "$ROOT/docs/deployment.md" >"$SCR/blocks.jsonl"
mapfile -t BLOCKS < <(/usr/bin/python3 -c '
import json, sys
for l in open(sys.argv[1]):
    b = json.loads(l)
    if "run by tests/deploy/run.sh" in b["info"]:
        print(b["line"])' "$SCR/blocks.jsonl")
[ "${#BLOCKS[@]}" -ge 6 ] && ok "the doc has its ${#BLOCKS[@]} runnable steps" || not_ok "the doc's runnable steps (found ${#BLOCKS[@]})"

run_block() { # LINE: runs that block of the doc as printed, from the checkout
	local line=$1
	/usr/bin/python3 -c '
import json, sys
for l in open(sys.argv[1]):
    b = json.loads(l)
    if b["line"] == int(sys.argv[2]):
        sys.stdout.write(b["content"])' "$SCR/blocks.jsonl" "$line" >"$SCR/block.sh"
	if (cd "$ROOT" && bash -e -o pipefail "$SCR/block.sh") >"$SCR/block.out" 2>&1; then
		ok "docs/deployment.md:$line ($(grep -m1 -v '^#' "$SCR/block.sh" | cut -c1-50))"
	else
		not_ok "docs/deployment.md:$line" "$SCR/block.out"
		return 1
	fi
}

start_nodes() { # what `systemctl enable --now ecsd@node1 ecsd@node2 ecsd@node3` does
	local unit=/usr/local/lib/systemd/system/ecsd@.service n cmd
	cmd=$(sed -n 's/^ExecStart=//p' "$unit")
	[ -n "$cmd" ] || { not_ok "ExecStart in the installed unit"; return 1; }
	for n in node1 node2 node3; do
		install -d -m 0700 -o ecsd -g ecsd "/var/lib/ecsd/$n"
		( set -a; . "/etc/ecsd/$n.env"; set +a
		  exec runuser -u ecsd -- bash -c "exec ${cmd//%i/$n}" ) >"$SCR/$n.log" 2>&1 &
		PIDS+=($!)
	done
	for port in 8081 8082 8083; do
		for _ in $(seq 1 150); do
			[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/_ecsd/health")" = 200 ] && break
			sleep 0.2
		done
		if [ "$(curl -s "http://127.0.0.1:$port/_ecsd/health")" = '{"Status":"ok","Store":"postgresql"}' ]; then
			ok "node on 127.0.0.1:$port runs as user ecsd on PostgreSQL"
		else
			not_ok "node on 127.0.0.1:$port" "$SCR/node$((port - 8080)).log"; return 1
		fi
	done
	if ps -o user= -p "$(pgrep -f 'ecsd --listen 127.0.0.1:8081' | head -n1)" | grep -qx ecsd && \
	   ! pgrep -af 'ecsd --listen' | grep -q -e "$(cat /etc/ecsd/control.token)" -e "$(cat /etc/ecsd/db.password)"; then
		ok "nodes run as ecsd, and neither the control token nor the database password is in the process list"
	else
		not_ok "nodes' user and command lines"
	fi
}

n=${#BLOCKS[@]}
for ((i = 0; i < n - 1; i++)); do
	run_block "${BLOCKS[$i]}" || finish
done
start_nodes || finish
if nginx >"$SCR/nginx.out" 2>&1; then ok "nginx starts with the site"; else not_ok "nginx starts" "$SCR/nginx.out"; finish; fi
run_block "${BLOCKS[$((n - 1))]}"

# the control API through any node with the shared token
TOK=$(cat /etc/ecsd/control.token)
codes=""
for port in 8081 8082 8083; do
	codes+="$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOK" "http://127.0.0.1:$port/_ecsd/instances/i-none") "
done
[ "$codes" = "404 404 404 " ] && ok "every node takes the shared control token" || not_ok "control token on every node (got $codes)"
finish
