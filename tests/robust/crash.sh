#!/usr/bin/env bash
# crash.sh - crash consistency (issue 6.2): builds a small SQLite
# integrity checker, then runs tests/robust/crash.mjs (SIGKILL at random
# moments under concurrent load, restart, check; on SQLite, and on
# PostgreSQL when PGURI is set). Closing line: "crash: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
T=$(mktemp -d /tmp/ecsd-crash-check.XXXXXX)
trap 'rm -rf "$T"' EXIT

# integrity DBFILE: prints PRAGMA integrity_check; exit 0 only for "ok".
# Opening read-write lets SQLite recover the WAL, as ecsd's restart would.
cat >"$T/integrity.c" <<'C'
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
int main(int argc, char **argv)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int ok = 0, rows = 0;

	if (argc != 2 || sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		fprintf(stderr, "cannot open %s\n", argc > 1 ? argv[1] : "(none)");
		return 2;
	}
	sqlite3_busy_timeout(db, 10000);
	if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "%s\n", sqlite3_errmsg(db));
		return 2;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *r = (const char *)sqlite3_column_text(st, 0);
		printf("%s\n", r ? r : "(null)");
		rows++;
		ok = rows == 1 && r && strcmp(r, "ok") == 0;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return ok ? 0 : 1;
}
C
if ! cc -O1 -o "$T/integrity" "$T/integrity.c" -lsqlite3 2>"$T/cc.log"; then
  cat "$T/cc.log"
  echo "not ok - build the SQLite integrity checker"
  echo "crash: 0 passed, 1 failed"
  exit 1
fi
CRASH_INTEGRITY="$T/integrity" timeout 600 node tests/robust/crash.mjs
