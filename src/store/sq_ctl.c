/* sq_ctl.c - the SQLite backend's control documents (ctl_kv: the virtual
 * clock, the fault rules) and the purge of an account's resources for the
 * control API's reset and fixture import. No ECS rules here. */
#include "sq_int.h"
#include <stdio.h>

/* Binds texts to ?1..?n of st. */
static int sq_bind_n(sqlite3_stmt *st, const char *const *v, int n)
{
	int rc = SQLITE_OK;

	for (int i = 0; i < n && rc == SQLITE_OK; i++)
		rc = sqlite3_bind_text(st, i + 1, v[i], -1, SQLITE_STATIC);
	return rc;
}

int sq_kv_get(struct store_tx *tx, const char *key, struct buf *val)
{
	struct sq_use u;
	int rc;

	if (sq_fixed(tx, ST_KV_GET, &u))
		return STORE_EIO;
	rc = sq_bind_n(u.st, &key, 1);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(u.st);
	if (rc == SQLITE_ROW) {
		const void *v = sqlite3_column_text(u.st, 0);

		buf_reset(val);
		rc = buf_add(val, v ? v : "", (size_t)sqlite3_column_bytes(u.st, 0)) ?
		     STORE_EIO : 0;
	} else {
		rc = rc == SQLITE_DONE ? STORE_NOTFOUND : sq_fail(tx->c, rc, "kv get");
	}
	sq_done(&u);
	return rc;
}

int sq_kv_put(struct store_tx *tx, const char *key, const char *val)
{
	const char *row[2] = { key, val };
	struct sq_use u;
	int rc;

	if (sq_fixed(tx, ST_KV_PUT, &u))
		return STORE_EIO;
	rc = sq_bind_n(u.st, row, 2);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(u.st);
	rc = rc == SQLITE_DONE ? 0 : sq_fail(tx->c, rc, "kv put");
	sq_done(&u);
	return rc;
}

struct scan_arg {
	kv_cb cb;
	void *arg;
};

static int scan_tx(struct store_tx *tx, void *arg)
{
	struct scan_arg *a = arg;
	struct sq_use u;
	int rc, stop = 0;

	if (sq_fixed(tx, ST_KV_SCAN, &u))
		return STORE_EIO;
	while (!stop && (rc = sqlite3_step(u.st)) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(u.st, 0);
		const char *v = (const char *)sqlite3_column_text(u.st, 1);

		stop = a->cb(a->arg, k ? k : "", v ? v : "");
	}
	if (stop)
		rc = stop;
	else
		rc = rc == SQLITE_DONE ? 0 : sq_fail(tx->c, rc, "kv scan");
	sq_done(&u);
	return rc;
}

/* A reader snapshot: no writer round, microseconds. */
int sq_kv_scan(struct store *s, kv_cb cb, void *arg)
{
	struct scan_arg a = { cb, arg };

	return sq_read(s, scan_tx, &a);
}

int sq_purge(struct store_tx *tx, const char *account)
{
	static const enum st order[] = {
		ST_PURGE_RES, ST_PURGE_SNAP, ST_PURGE_DISK, ST_PURGE_INST, ST_PURGE_TOKEN,
	};

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		struct sq_use u;
		int rc;

		if (sq_fixed(tx, order[i], &u))
			return STORE_EIO;
		rc = sq_bind_n(u.st, &account, 1);
		if (rc == SQLITE_OK)
			rc = sqlite3_step(u.st);
		rc = rc == SQLITE_DONE ? 0 : sq_fail(tx->c, rc, "purge");
		sq_done(&u);
		if (rc)
			return rc;
	}
	return 0;
}
