/* sq_rows.c - the SQLite backend's rows: struct <-> row binding, get, put
 * and delete by id, the list/count query builder, client tokens: the
 * vtable's row operations. No threads, no connection pool, no ECS rules. */
#include "sq_int.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- generic entity operations ---- */

static int sq_bind_row(sqlite3_stmt *st, const struct entity *e, const void *obj)
{
	const char *p = obj;

	for (size_t i = 0; i < e->ncols; i++) {
		const struct col *c = &e->cols[i];
		int k = (int)i + 1, rc = SQLITE_OK, iv;
		int64_t lv;
		uint32_t uv;

		switch (c->kind) {
		case COL_TEXT:
			rc = sqlite3_bind_text(st, k, p + c->off,
			                       (int)strnlen(p + c->off, c->size),
			                       SQLITE_STATIC);
			break;
		case COL_INT:
			memcpy(&iv, p + c->off, sizeof(iv));
			rc = sqlite3_bind_int64(st, k, iv);
			break;
		case COL_I64:
			memcpy(&lv, p + c->off, sizeof(lv));
			rc = sqlite3_bind_int64(st, k, lv);
			break;
		case COL_U32:
			memcpy(&uv, p + c->off, sizeof(uv));
			rc = sqlite3_bind_int64(st, k, uv);
			break;
		}
		if (rc != SQLITE_OK)
			return rc;
	}
	return SQLITE_OK;
}

/* Column 0 is seq, then e->cols in order. */
static void sq_read_row(sqlite3_stmt *st, const struct entity *e, void *obj)
{
	char *p = obj;
	int64_t seq = sqlite3_column_int64(st, 0);

	memset(obj, 0, e->size);
	memcpy(p + e->seq_off, &seq, sizeof(seq));
	for (size_t i = 0; i < e->ncols; i++) {
		const struct col *c = &e->cols[i];
		int k = (int)i + 1, iv;
		int64_t lv;
		uint32_t uv;
		const unsigned char *t;
		size_t n;

		switch (c->kind) {
		case COL_TEXT:
			t = sqlite3_column_text(st, k);
			n = t ? (size_t)sqlite3_column_bytes(st, k) : 0;
			if (n >= c->size)
				n = c->size - 1;
			if (n)
				memcpy(p + c->off, t, n);
			break;
		case COL_INT:
			iv = sqlite3_column_int(st, k);
			memcpy(p + c->off, &iv, sizeof(iv));
			break;
		case COL_I64:
			lv = sqlite3_column_int64(st, k);
			memcpy(p + c->off, &lv, sizeof(lv));
			break;
		case COL_U32:
			uv = (uint32_t)sqlite3_column_int64(st, k);
			memcpy(p + c->off, &uv, sizeof(uv));
			break;
		}
	}
}

static int sq_ent_get(struct store_tx *tx, enum ent_kind k, const char *account,
                      const char *id, void *out)
{
	struct sq_use u;
	int rc;

	if (sq_fixed(tx, account ? (int)ST_ENT(k, E_GET) : (int)ST_GET_ANY + (int)k, &u))
		return STORE_EIO;
	if (sqlite3_bind_text(u.st, 1, id, -1, SQLITE_STATIC) != SQLITE_OK ||
	    (account && sqlite3_bind_text(u.st, 2, account, -1, SQLITE_STATIC) != SQLITE_OK)) {
		rc = sq_fail(tx->c, SQLITE_ERROR, "bind");
	} else {
		rc = sqlite3_step(u.st);
		if (rc == SQLITE_ROW) {
			sq_read_row(u.st, &sq_ents[k], out);
			rc = 0;
		} else {
			rc = rc == SQLITE_DONE ? STORE_NOTFOUND : sq_fail(tx->c, rc, "get");
		}
	}
	sq_done(&u);
	return rc;
}

/* E_INS sets *seq; E_UPD is STORE_NOTFOUND when nothing matched. */
static int sq_ent_put(struct store_tx *tx, enum ent_kind k, int op,
                      const void *obj, int64_t *seq)
{
	const struct entity *e = &sq_ents[k];
	struct sq_use u;
	int rc;

	if (sq_fixed(tx, ST_ENT(k, op), &u))
		return STORE_EIO;
	rc = sq_bind_row(u.st, e, obj);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(u.st);
	if (rc != SQLITE_DONE) {
		rc = sq_fail(tx->c, rc, op == E_INS ? "insert" : "update");
	} else if (op == E_INS) {
		*seq = sqlite3_last_insert_rowid(tx->c->db);
		rc = 0;
	} else {
		rc = sqlite3_changes(tx->c->db) ? 0 : STORE_NOTFOUND;
	}
	sq_done(&u);
	return rc;
}

/* Runs st (bound: ?1 account, ?2 id or disk id); *n = rows changed. */
static int sq_delete(struct store_tx *tx, enum st i, const char *account,
                     const char *id, int64_t *n)
{
	struct sq_use u;
	int rc;

	if (sq_fixed(tx, i, &u))
		return STORE_EIO;
	if (sqlite3_bind_text(u.st, 1, account, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(u.st, 2, id, -1, SQLITE_STATIC) != SQLITE_OK)
		rc = SQLITE_ERROR;
	else
		rc = sqlite3_step(u.st);
	if (rc == SQLITE_DONE) {
		*n = sqlite3_changes(tx->c->db);
		rc = 0;
	} else {
		rc = sq_fail(tx->c, rc, "delete");
	}
	sq_done(&u);
	return rc;
}

static int sq_ent_del(struct store_tx *tx, enum ent_kind k, const char *account,
                      const char *id)
{
	int64_t n = 0;
	int rc = sq_delete(tx, ST_ENT(k, E_DEL), account, id, &n);

	return rc ? rc : n ? 0 : STORE_NOTFOUND;
}

/* ---- list/count: a small query builder over one bounded buffer ---- */

struct qarg {
	const char *s; /* text when non-NULL or is_text */
	int64_t i;
	int is_text;
};

struct qb {
	struct buf sql;
	struct qarg *a;
	size_t n, cap;
	int fail;
};

static void qb_init(struct qb *b, const struct id_list *ids)
{
	buf_init(&b->sql, LIM_STORE_SQL_BYTES);
	b->n = 0;
	b->cap = 16 + (ids->set ? ids->n : 0);
	b->a = calloc(b->cap, sizeof(*b->a));
	b->fail = !b->a;
}

static void qb_sql(struct qb *b, const char *s)
{
	if (buf_adds(&b->sql, s))
		b->fail = 1;
}

static void qb_arg(struct qb *b, const char *frag, int is_text, const char *s,
                   int64_t i)
{
	qb_sql(b, frag);
	if (b->fail || b->n >= b->cap) {
		b->fail = 1;
		return;
	}
	b->a[b->n++] = (struct qarg){ s, i, is_text };
}

static void qb_text(struct qb *b, const char *frag, const char *s)
{
	qb_arg(b, frag, 1, s, 0);
}

static void qb_int(struct qb *b, const char *frag, int64_t i)
{
	qb_arg(b, frag, 0, NULL, i);
}

static void qb_ids(struct qb *b, const struct id_list *l)
{
	if (!l->set)
		return;
	if (l->n == 0) {
		qb_sql(b, " AND 0");
		return;
	}
	qb_sql(b, " AND id IN (");
	for (size_t i = 0; i < l->n; i++)
		qb_text(b, i ? ",?" : "?", l->v[i]);
	qb_sql(b, ")");
}

/* The page: keyset (seq > after_seq) and/or offset; limit <= 0 = no limit. */
static void qb_page(struct qb *b, int64_t after_seq, int64_t offset, int limit)
{
	qb_int(b, " AND seq>?", after_seq);
	qb_int(b, " ORDER BY seq LIMIT ?", limit > 0 ? limit : -1);
	qb_int(b, " OFFSET ?", offset > 0 ? offset : 0);
}

struct sink {
	enum ent_kind kind;
	inst_cb ic;
	disk_cb dc;
	snap_cb sc;
	void *arg;
	int64_t *total; /* count query when non-NULL */
};

/* Prepares, binds and steps b; rows go to the sink's callback (whose non-zero
 * value stops the walk and is returned) or the count to *total. */
static int qb_run(struct store_tx *tx, struct qb *b, const struct sink *k)
{
	union {
		struct instance i;
		struct disk d;
		struct snapshot s;
	} row;
	struct sq_use u = { NULL, NULL };
	int rc = 0;

	if (b->fail) {
		fprintf(stderr, "ecsd: store: query exceeds %d bytes or memory\n",
		        LIM_STORE_SQL_BYTES);
		rc = STORE_EIO;
		goto out;
	}
	if (sq_dynamic(tx, buf_cstr(&b->sql), &u)) {
		rc = STORE_EIO;
		goto out;
	}
	for (size_t i = 0; i < b->n && rc == 0; i++) {
		const struct qarg *a = &b->a[i];

		if (a->is_text)
			rc = sqlite3_bind_text(u.st, (int)i + 1, a->s, -1, SQLITE_STATIC);
		else
			rc = sqlite3_bind_int64(u.st, (int)i + 1, a->i);
	}
	if (rc != SQLITE_OK) {
		rc = sq_fail(tx->c, rc, "bind");
		goto out;
	}
	while ((rc = sqlite3_step(u.st)) == SQLITE_ROW) {
		if (k->total) {
			*k->total = sqlite3_column_int64(u.st, 0);
			continue;
		}
		sq_read_row(u.st, &sq_ents[k->kind], &row);
		rc = k->kind == ENT_INST ? k->ic(k->arg, &row.i)
		   : k->kind == ENT_DISK ? k->dc(k->arg, &row.d)
		   : k->sc(k->arg, &row.s);
		if (rc)
			goto out;
	}
	rc = rc == SQLITE_DONE ? 0 : sq_fail(tx->c, rc, "list");
out:
	sq_done(&u);
	buf_free(&b->sql);
	free(b->a);
	return rc;
}

static void qb_head(struct qb *b, struct store *s, enum ent_kind k,
                    const struct sink *sk, const char *account)
{
	if (sk->total) {
		qb_sql(b, "SELECT count(*) FROM ");
		qb_sql(b, sq_ents[k].table);
	} else {
		qb_sql(b, s->select[k]);
	}
	qb_text(b, " WHERE account=?", account);
}

static int sq_inst_query(struct store_tx *tx, const struct inst_query *q,
                         const struct sink *sk)
{
	struct qb b;

	qb_init(&b, &q->ids);
	qb_head(&b, tx->s, ENT_INST, sk, q->account);
	if (q->region)
		qb_text(&b, " AND region=?", q->region);
	qb_ids(&b, &q->ids);
	if (q->zone)
		qb_text(&b, " AND zone=?", q->zone);
	if (q->status >= 0) { /* the status the user sees at now_ms */
		/* an expired subscription shows Stopped (model/instance.c) */
		qb_int(&b, " AND (CASE WHEN charge=1 AND expired_ms>0 AND expired_ms<=?", q->now_ms);
		qb_int(&b, " THEN ?", INST_STOPPED);
		qb_int(&b, " WHEN p1_end_ms>? THEN p1_status", q->now_ms);
		qb_int(&b, " WHEN p2_end_ms>? THEN p2_status ELSE status END)", q->now_ms);
		qb_int(&b, "=?", q->status);
	}
	if (q->charge >= 0)
		qb_int(&b, " AND charge=?", q->charge);
	if (!sk->total)
		qb_page(&b, q->after_seq, q->offset, q->limit);
	return qb_run(tx, &b, sk);
}

static int sq_disk_query(struct store_tx *tx, const struct disk_query *q,
                         const struct sink *sk)
{
	struct qb b;

	qb_init(&b, &q->ids);
	qb_head(&b, tx->s, ENT_DISK, sk, q->account);
	if (q->region)
		qb_text(&b, " AND region=?", q->region);
	qb_ids(&b, &q->ids);
	if (q->instance_id)
		qb_text(&b, " AND instance_id=?", q->instance_id);
	if (q->zone)
		qb_text(&b, " AND zone=?", q->zone);
	if (q->type)
		qb_text(&b, " AND type=?", q->type);
	if (q->category)
		qb_text(&b, " AND category=?", q->category);
	if (q->attached >= 0)
		qb_sql(&b, q->attached ? " AND instance_id<>''" : " AND instance_id=''");
	if (q->charge >= 0)
		qb_int(&b, " AND charge=?", q->charge);
	if (q->delete_with_instance >= 0)
		qb_int(&b, " AND delete_with_instance=?", q->delete_with_instance);
	if (!sk->total)
		qb_page(&b, q->after_seq, q->offset, q->limit);
	return qb_run(tx, &b, sk);
}

static int sq_snap_query(struct store_tx *tx, const struct snap_query *q,
                         const struct sink *sk)
{
	struct qb b;

	qb_init(&b, &q->ids);
	qb_head(&b, tx->s, ENT_SNAP, sk, q->account);
	if (q->region)
		qb_text(&b, " AND region=?", q->region);
	qb_ids(&b, &q->ids);
	if (q->disk_id)
		qb_text(&b, " AND source_disk_id=?", q->disk_id);
	if (q->instance_id) {
		qb_text(&b, " AND source_disk_id IN (SELECT id FROM disks WHERE"
		            " account=?", q->account);
		qb_text(&b, " AND instance_id=?)", q->instance_id);
	}
	if (q->is_auto >= 0)
		qb_int(&b, " AND is_auto=?", q->is_auto);
	if (q->status >= 0)
		qb_int(&b, " AND status=?", q->status);
	if (!sk->total)
		qb_page(&b, q->after_seq, q->offset, q->limit);
	return qb_run(tx, &b, sk);
}

/* ---- the vtable's row operations ---- */

int sq_inst_get(struct store_tx *tx, const char *account, const char *id,
                struct instance *out)
{
	return sq_ent_get(tx, ENT_INST, account, id, out);
}

int sq_inst_insert(struct store_tx *tx, struct instance *in)
{
	return sq_ent_put(tx, ENT_INST, E_INS, in, &in->seq);
}

int sq_inst_update(struct store_tx *tx, const struct instance *in)
{
	return sq_ent_put(tx, ENT_INST, E_UPD, in, NULL);
}

int sq_inst_delete(struct store_tx *tx, const char *account, const char *id)
{
	return sq_ent_del(tx, ENT_INST, account, id);
}

int sq_inst_list(struct store_tx *tx, const struct inst_query *q,
                 inst_cb cb, void *arg)
{
	struct sink k = { ENT_INST, cb, NULL, NULL, arg, NULL };

	return sq_inst_query(tx, q, &k);
}

/* TotalCount of a list filtered by account (and region) only: the row of
 * row_counts (migration 2), one lookup however many rows there are. */
static int sq_count_fast(struct store_tx *tx, enum ent_kind k,
                         const char *account, const char *region,
                         int64_t *total)
{
	struct sq_use u;
	int rc;

	*total = 0;
	if (sq_fixed(tx, region ? ST_COUNT_REGION : ST_COUNT_ALL, &u))
		return STORE_EIO;
	if (sqlite3_bind_text(u.st, 1, sq_ents[k].table, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(u.st, 2, account, -1, SQLITE_STATIC) != SQLITE_OK ||
	    (region && sqlite3_bind_text(u.st, 3, region, -1, SQLITE_STATIC) != SQLITE_OK))
		rc = SQLITE_ERROR;
	else
		rc = sqlite3_step(u.st);
	if (rc == SQLITE_ROW)
		*total = sqlite3_column_int64(u.st, 0);
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : sq_fail(tx->c, rc, "count");
	sq_done(&u);
	return rc;
}

int sq_inst_count(struct store_tx *tx, const struct inst_query *q,
                  int64_t *total)
{
	struct sink k = { ENT_INST, NULL, NULL, NULL, NULL, total };

	if (!q->ids.set && !q->zone && q->status < 0 && q->charge < 0)
		return sq_count_fast(tx, ENT_INST, q->account, q->region, total);
	*total = 0;
	return sq_inst_query(tx, q, &k);
}

int sq_disk_get(struct store_tx *tx, const char *account, const char *id,
                struct disk *out)
{
	return sq_ent_get(tx, ENT_DISK, account, id, out);
}

int sq_disk_insert(struct store_tx *tx, struct disk *d)
{
	return sq_ent_put(tx, ENT_DISK, E_INS, d, &d->seq);
}

int sq_disk_update(struct store_tx *tx, const struct disk *d)
{
	return sq_ent_put(tx, ENT_DISK, E_UPD, d, NULL);
}

int sq_disk_delete(struct store_tx *tx, const char *account, const char *id)
{
	return sq_ent_del(tx, ENT_DISK, account, id);
}

int sq_disk_list(struct store_tx *tx, const struct disk_query *q,
                 disk_cb cb, void *arg)
{
	struct sink k = { ENT_DISK, NULL, cb, NULL, arg, NULL };

	return sq_disk_query(tx, q, &k);
}

int sq_disk_count(struct store_tx *tx, const struct disk_query *q,
                  int64_t *total)
{
	struct sink k = { ENT_DISK, NULL, NULL, NULL, NULL, total };

	if (!q->ids.set && !q->instance_id && !q->zone && !q->type && !q->category &&
	    q->attached < 0 && q->charge < 0 && q->delete_with_instance < 0)
		return sq_count_fast(tx, ENT_DISK, q->account, q->region, total);
	*total = 0;
	return sq_disk_query(tx, q, &k);
}

int sq_snap_get(struct store_tx *tx, const char *account, const char *id,
                struct snapshot *out)
{
	return sq_ent_get(tx, ENT_SNAP, account, id, out);
}

int sq_snap_insert(struct store_tx *tx, struct snapshot *sn)
{
	return sq_ent_put(tx, ENT_SNAP, E_INS, sn, &sn->seq);
}

int sq_snap_update(struct store_tx *tx, const struct snapshot *sn)
{
	return sq_ent_put(tx, ENT_SNAP, E_UPD, sn, NULL);
}

int sq_snap_delete(struct store_tx *tx, const char *account, const char *id)
{
	return sq_ent_del(tx, ENT_SNAP, account, id);
}

int sq_snap_delete_auto(struct store_tx *tx, const char *account,
                        const char *disk_id, int64_t *n)
{
	*n = 0;
	return sq_delete(tx, ST_SNAP_DEL_AUTO, account, disk_id, n);
}

int sq_snap_list(struct store_tx *tx, const struct snap_query *q,
                 snap_cb cb, void *arg)
{
	struct sink k = { ENT_SNAP, NULL, NULL, cb, arg, NULL };

	return sq_snap_query(tx, q, &k);
}

int sq_snap_count(struct store_tx *tx, const struct snap_query *q,
                  int64_t *total)
{
	struct sink k = { ENT_SNAP, NULL, NULL, NULL, NULL, total };

	if (!q->ids.set && !q->disk_id && !q->instance_id && q->is_auto < 0 &&
	    q->status < 0)
		return sq_count_fast(tx, ENT_SNAP, q->account, q->region, total);
	*total = 0;
	return sq_snap_query(tx, q, &k);
}

static int sq_bind_texts(sqlite3_stmt *st, const char *const *v, int n)
{
	for (int i = 0; i < n; i++)
		if (sqlite3_bind_text(st, i + 1, v[i], -1, SQLITE_STATIC) != SQLITE_OK)
			return SQLITE_ERROR;
	return SQLITE_OK;
}

int sq_token_get(struct store_tx *tx, const char *account,
                 const char *action, const char *token, char hash[65],
                 struct buf *result)
{
	const char *key[3] = { account, action, token };
	struct sq_use u;
	int rc;

	if (sq_fixed(tx, ST_TOKEN_GET, &u))
		return STORE_EIO;
	rc = sq_bind_texts(u.st, key, 3);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(u.st);
	if (rc == SQLITE_ROW) {
		const char *h = (const char *)sqlite3_column_text(u.st, 0);
		const void *r = sqlite3_column_text(u.st, 1);

		snprintf(hash, 65, "%s", h ? h : "");
		buf_reset(result);
		rc = 0;
		if (buf_add(result, r ? r : "", (size_t)sqlite3_column_bytes(u.st, 1))) {
			fprintf(stderr, "ecsd: store: token result exceeds the buffer\n");
			rc = STORE_EIO;
		}
	} else {
		rc = rc == SQLITE_DONE ? STORE_NOTFOUND : sq_fail(tx->c, rc, "token get");
	}
	sq_done(&u);
	return rc;
}

int sq_token_put(struct store_tx *tx, const char *account,
                 const char *action, const char *token, const char *hash,
                 const char *result, int64_t now_ms)
{
	const char *row[5] = { account, action, token, hash, result };
	struct sq_use u;
	int rc;

	if (sq_fixed(tx, ST_TOKEN_PUT, &u))
		return STORE_EIO;
	rc = sq_bind_texts(u.st, row, 5);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(u.st, 6, now_ms);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(u.st);
	rc = rc == SQLITE_DONE ? 0 : sq_fail(tx->c, rc, "token put");
	sq_done(&u);
	return rc;
}
