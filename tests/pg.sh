#!/usr/bin/env bash
# pg.sh - start or stop a private, throw-away PostgreSQL cluster for tests:
#   tests/pg.sh start DIR   -> prints postgresql://postgres@127.0.0.1:PORT/ecsd
#   tests/pg.sh stop DIR    -> stops it and removes DIR
# Listens on 127.0.0.1 only, trust auth. Never touches a system cluster, and
# never removes a DIR it did not create (marker file .ecsd-pg).
set -euo pipefail

PORT_FIRST=55432
PORT_TRIES=100
MARKER=.ecsd-pg

die() { echo "pg.sh: $*" >&2; exit 1; }

find_bin() {
	local d
	d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
	[ -n "$d" ] && [ -x "$d/initdb" ] && echo "$d"
}

ensure_bin() {
	BIN=$(find_bin || true)
	if [ -z "$BIN" ]; then
		[ "$(id -u)" = 0 ] || die "PostgreSQL is not installed and I am not root"
		echo "pg.sh: installing postgresql" >&2
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq >&2
		apt-get install -y -qq postgresql >&2
		BIN=$(find_bin || true)
		[ -n "$BIN" ] || die "initdb not found under /usr/lib/postgresql/*/bin"
	fi
}

# Runs a command as the cluster owner: postgres when we are root (the
# server refuses to run as root), else ourselves.
as_owner() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

port_busy() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

cmd_stop() {
	local dir=$1
	[ -d "$dir" ] || return 0
	[ -f "$dir/$MARKER" ] || die "$dir was not made by pg.sh; not removing it"
	ensure_bin
	if [ -f "$dir/data/postmaster.pid" ]; then
		as_owner "$BIN/pg_ctl" stop -D "$dir/data" -m fast -w -t 60 >/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
}

cmd_start() {
	local dir=$1 port tries=0 abs
	ensure_bin
	if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
		useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
	fi
	if [ -e "$dir" ]; then
		[ -f "$dir/$MARKER" ] || die "$dir exists and was not made by pg.sh"
		cmd_stop "$dir"
	fi
	mkdir -p "$dir"
	abs=$(cd "$dir" && pwd)
	touch "$abs/$MARKER"
	[ "$(id -u)" = 0 ] && chown postgres: "$abs"
	as_owner test -w "$abs" || die "$abs is not writable by the cluster owner (is a parent directory private?)"

	as_owner "$BIN/initdb" -D "$abs/data" -U postgres -A trust -E UTF8 \
		--locale=C >"$abs/initdb.log" 2>&1 || { cat "$abs/initdb.log" >&2; die "initdb failed"; }
	cat >"$abs/data/pg_hba.conf" <<-EOF
	local all all trust
	host  all all 127.0.0.1/32 trust
	EOF
	cat >>"$abs/data/postgresql.conf" <<-EOF
	listen_addresses = '127.0.0.1'
	unix_socket_directories = '$abs'
	fsync = on
	max_connections = 200
	EOF
	[ "$(id -u)" = 0 ] && chown postgres: "$abs/data/pg_hba.conf" "$abs/data/postgresql.conf"

	# First free port from PORT_FIRST; a port taken between the probe and
	# the start makes pg_ctl fail, and we move on to the next one.
	port=$PORT_FIRST
	while :; do
		tries=$((tries + 1))
		[ "$tries" -le "$PORT_TRIES" ] || die "no free port in $PORT_FIRST..$((PORT_FIRST + PORT_TRIES))"
		if ! port_busy "$port" &&
		   as_owner "$BIN/pg_ctl" start -D "$abs/data" -l "$abs/server.log" \
			-o "-p $port" -w -t 60 >/dev/null 2>&1; then
			break
		fi
		port=$((port + 1))
	done
	# pg_ctl -w has waited for "accepting connections"; check over TCP too.
	for _ in $(seq 1 100); do
		"$BIN/pg_isready" -q -h 127.0.0.1 -p "$port" && break
		sleep 0.1
	done
	"$BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres ecsd >&2 ||
		{ tail -n 20 "$abs/server.log" >&2; die "createdb failed"; }
	echo "postgresql://postgres@127.0.0.1:$port/ecsd"
}

case "${1:-}" in
start) [ $# -eq 2 ] || die "usage: $0 start DIR"; cmd_start "$2" ;;
stop)  [ $# -eq 2 ] || die "usage: $0 stop DIR"; cmd_stop "$2" ;;
*) die "usage: $0 start|stop DIR" ;;
esac
