/* sq_ctl.c - the SQLite backend's control documents (ctl_kv: the virtual
 * clock, the fault rules) and the purge of an account's resources for the
 * control API's reset and fixture import. No ECS rules here. */
#include "sq_int.h"
#include <stdio.h>
#include <string.h>

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
	tx->s->kv_dirty = 1;    /* published by the writer after the commit */
	return rc;
}

void sq_kv_published(struct store *s)
{
	if (s->kv_dirty) {
		s->kv_dirty = 0;
		atomic_fetch_add(&s->kv_gen, 1);
	}
}

/* Collects every row as "key\0value\0" into a buf. */
static int scan_tx(struct store_tx *tx, void *arg)
{
	struct buf *b = arg;
	struct sq_use u;
	int rc;

	buf_reset(b);
	if (sq_fixed(tx, ST_KV_SCAN, &u))
		return STORE_EIO;
	while ((rc = sqlite3_step(u.st)) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(u.st, 0);
		const char *v = (const char *)sqlite3_column_text(u.st, 1);

		if (buf_add(b, k ? k : "", k ? strlen(k) + 1 : 1) ||
		    buf_add(b, v ? v : "", v ? strlen(v) + 1 : 1)) {
			rc = STORE_EIO;
			break;
		}
	}
	rc = rc == SQLITE_DONE ? 0 : rc == STORE_EIO ? rc : sq_fail(tx->c, rc, "kv scan");
	sq_done(&u);
	return rc;
}

static int scan_rows(const struct buf *b, kv_cb cb, void *arg)
{
	size_t at = 0;
	int rc = 0;

	while (rc == 0 && at < b->len) {
		const char *k = b->p + at, *v = k + strlen(k) + 1;

		at = (size_t)(v - b->p) + strlen(v) + 1;
		rc = cb(arg, k, v);
	}
	return rc;
}

/* From the cache while no commit has written ctl_kv since it was read;
 * else one reader snapshot, which becomes the cache. */
int sq_kv_scan(struct store *s, kv_cb cb, void *arg)
{
	uint64_t gen = atomic_load(&s->kv_gen);
	struct buf b;
	int rc;

	pthread_mutex_lock(&s->kvmu);
	if (s->kv_cache_gen == gen) {
		rc = scan_rows(&s->kv_cache, cb, arg);
		pthread_mutex_unlock(&s->kvmu);
		return rc;
	}
	pthread_mutex_unlock(&s->kvmu);
	buf_init(&b, LIM_KV_BYTES);
	rc = sq_read(s, scan_tx, &b);
	if (rc == 0) {
		pthread_mutex_lock(&s->kvmu);
		if (s->kv_cache_gen < gen) {   /* read after gen was published */
			buf_reset(&s->kv_cache);
			if (buf_add(&s->kv_cache, b.p ? b.p : "", b.len) == 0)
				s->kv_cache_gen = gen;
			else
				s->kv_cache_gen = 0;
		}
		pthread_mutex_unlock(&s->kvmu);
		rc = scan_rows(&b, cb, arg);
	}
	buf_free(&b);
	return rc;
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
