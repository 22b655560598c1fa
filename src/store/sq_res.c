/* sq_res.c - the SQLite backend's generic resources (the `resources`
 * table): get, insert, update, delete, filtered lists and counts, with the
 * JSON document kept as text. No ECS or VPC rules here. */
#include "sq_int.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RES_COLS "seq, id, account, kind, region, parent, ref, created_ms, doc"

static void sq_res_text(char *dst, size_t size, sqlite3_stmt *st, int col)
{
	const char *v = (const char *)sqlite3_column_text(st, col);

	snprintf(dst, size, "%s", v ? v : "");
}

/* The current row into out; out->doc is a new reference (NULL on a bad
 * document, which is logged). */
static int sq_res_row(sqlite3_stmt *st, struct res *out)
{
	const char *doc = (const char *)sqlite3_column_text(st, 8);

	memset(out, 0, sizeof(*out));
	out->seq = sqlite3_column_int64(st, 0);
	sq_res_text(out->id, sizeof(out->id), st, 1);
	sq_res_text(out->account, sizeof(out->account), st, 2);
	sq_res_text(out->kind, sizeof(out->kind), st, 3);
	sq_res_text(out->region, sizeof(out->region), st, 4);
	sq_res_text(out->parent, sizeof(out->parent), st, 5);
	sq_res_text(out->ref, sizeof(out->ref), st, 6);
	out->created_ms = sqlite3_column_int64(st, 7);
	out->doc = (struct json_t *)json_loads(doc ? doc : "", 0, NULL);
	if (!out->doc) {
		fprintf(stderr, "ecsd: store: resource %s has an unreadable document\n",
		        out->id);
		return STORE_EIO;
	}
	return 0;
}

/* ---- a statement with its bound texts ---- */
struct sq_rq {
	struct buf sql;
	const char *arg[8 + LIM_BATCH_IDS];
	int64_t num[3];
	int n, nnum, fail;
};

static void rq_text(struct sq_rq *q, const char *frag, const char *v)
{
	if (buf_adds(&q->sql, frag) || q->n >= (int)(sizeof(q->arg) / sizeof(q->arg[0])))
		q->fail = 1;
	else
		q->arg[q->n++] = v;
}

static int rq_prepare(struct store_tx *tx, struct sq_rq *q, struct sq_use *u)
{
	int rc = SQLITE_OK, i;

	if (q->fail || q->sql.over || sq_dynamic(tx, buf_cstr(&q->sql), u)) {
		buf_free(&q->sql);
		return STORE_EIO;
	}
	for (i = 0; i < q->n && rc == SQLITE_OK; i++)
		rc = sqlite3_bind_text(u->st, i + 1, q->arg[i], -1, SQLITE_STATIC);
	for (int k = 0; k < q->nnum && rc == SQLITE_OK; k++)
		rc = sqlite3_bind_int64(u->st, q->n + k + 1, q->num[k]);
	buf_free(&q->sql);
	if (rc != SQLITE_OK) {
		rc = sq_fail(tx->c, rc, "resource bind");
		sq_done(u);
	}
	return rc;
}

int sq_res_get(struct store_tx *tx, const char *account, const char *kind,
               const char *id, struct res *out)
{
	struct sq_rq q = { .n = 0 };
	struct sq_use u;
	int rc;

	out->doc = NULL;
	buf_init(&q.sql, LIM_STORE_SQL_BYTES);
	rq_text(&q, "SELECT " RES_COLS " FROM resources WHERE id=?", id);
	if (account)
		rq_text(&q, " AND account=?", account);
	if (kind)
		rq_text(&q, " AND kind=?", kind);
	if ((rc = rq_prepare(tx, &q, &u)) != 0)
		return rc;
	rc = sqlite3_step(u.st);
	if (rc == SQLITE_ROW)
		rc = sq_res_row(u.st, out);
	else
		rc = rc == SQLITE_DONE ? STORE_NOTFOUND : sq_fail(tx->c, rc, "resource get");
	sq_done(&u);
	return rc;
}

int sq_res_insert(struct store_tx *tx, struct res *r)
{
	char *doc = store_res_dump(r);
	struct sq_rq q = { .n = 0 };
	struct sq_use u;
	int rc;

	if (!doc) {
		fprintf(stderr, "ecsd: store: resource %s: document missing or too big\n", r->id);
		return STORE_EIO;
	}
	buf_init(&q.sql, LIM_STORE_SQL_BYTES);
	rq_text(&q, "INSERT INTO resources(id, account, kind, region, parent, ref,"
	        " doc, created_ms) VALUES(?", r->id);
	rq_text(&q, ",?", r->account);
	rq_text(&q, ",?", r->kind);
	rq_text(&q, ",?", r->region);
	rq_text(&q, ",?", r->parent);
	rq_text(&q, ",?", r->ref);
	rq_text(&q, ",?", doc);
	buf_adds(&q.sql, ",?) RETURNING seq");
	q.num[q.nnum++] = r->created_ms;
	rc = rq_prepare(tx, &q, &u);
	if (rc == 0) {
		rc = sqlite3_step(u.st);
		if (rc == SQLITE_ROW) {
			r->seq = sqlite3_column_int64(u.st, 0);
			rc = 0;
		} else if (rc == SQLITE_CONSTRAINT) {
			rc = STORE_ECONFLICT;
		} else {
			rc = sq_fail(tx->c, rc, "resource insert");
		}
		sq_done(&u);
	}
	free(doc);
	return rc;
}

/* Runs a statement without rows; NOTFOUND when it changed nothing. */
static int sq_res_change(struct store_tx *tx, struct sq_rq *q, const char *what)
{
	struct sq_use u;
	int rc = rq_prepare(tx, q, &u);

	if (rc)
		return rc;
	rc = sqlite3_step(u.st);
	if (rc == SQLITE_DONE)
		rc = sqlite3_changes(tx->c->db) > 0 ? 0 : STORE_NOTFOUND;
	else
		rc = sq_fail(tx->c, rc, what);
	sq_done(&u);
	return rc;
}

int sq_res_update(struct store_tx *tx, const struct res *r)
{
	char *doc = store_res_dump(r);
	struct sq_rq q = { .n = 0 };
	int rc;

	if (!doc) {
		fprintf(stderr, "ecsd: store: resource %s: document missing or too big\n", r->id);
		return STORE_EIO;
	}
	buf_init(&q.sql, LIM_STORE_SQL_BYTES);
	rq_text(&q, "UPDATE resources SET region=?", r->region);
	rq_text(&q, ", parent=?", r->parent);
	rq_text(&q, ", ref=?", r->ref);
	rq_text(&q, ", doc=?", doc);
	rq_text(&q, " WHERE id=?", r->id);
	rq_text(&q, " AND account=?", r->account);
	rc = sq_res_change(tx, &q, "resource update");
	free(doc);
	return rc;
}

int sq_res_delete(struct store_tx *tx, const char *account, const char *id)
{
	struct sq_rq q = { .n = 0 };

	buf_init(&q.sql, LIM_STORE_SQL_BYTES);
	rq_text(&q, "DELETE FROM resources WHERE id=?", id);
	rq_text(&q, " AND account=?", account);
	return sq_res_change(tx, &q, "resource delete");
}

/* WHERE clause of q (always starts with "WHERE 1"). */
static void sq_res_where(struct sq_rq *q, const struct res_query *f)
{
	buf_adds(&q->sql, " WHERE 1");
	if (f->account)
		rq_text(q, " AND account=?", f->account);
	if (f->kind)
		rq_text(q, " AND kind=?", f->kind);
	if (f->region)
		rq_text(q, " AND region=?", f->region);
	if (f->parent)
		rq_text(q, " AND parent=?", f->parent);
	if (f->ref)
		rq_text(q, " AND ref=?", f->ref);
	if (f->ids.set) {
		if (f->ids.n == 0)
			buf_adds(&q->sql, " AND 0");
		for (size_t i = 0; i < f->ids.n; i++)
			rq_text(q, i ? ",?" : " AND id IN (?", f->ids.v[i]);
		if (f->ids.n)
			buf_adds(&q->sql, ")");
	}
}

int sq_res_list(struct store_tx *tx, const struct res_query *f, res_cb cb,
                void *arg)
{
	struct sq_rq q = { .n = 0 };
	struct sq_use u;
	int rc;

	buf_init(&q.sql, LIM_STORE_SQL_BYTES);
	buf_adds(&q.sql, "SELECT " RES_COLS " FROM resources");
	sq_res_where(&q, f);
	buf_adds(&q.sql, " AND seq>? ORDER BY seq LIMIT ? OFFSET ?");
	q.num[q.nnum++] = f->after_seq;
	q.num[q.nnum++] = f->limit > 0 ? f->limit : -1;
	q.num[q.nnum++] = f->offset > 0 ? f->offset : 0;
	if ((rc = rq_prepare(tx, &q, &u)) != 0)
		return rc;
	while ((rc = sqlite3_step(u.st)) == SQLITE_ROW) {
		struct res r;

		rc = sq_res_row(u.st, &r);
		if (rc == 0)
			rc = cb(arg, &r);
		json_decref((json_t *)r.doc);
		if (rc)
			goto out;
	}
	rc = rc == SQLITE_DONE ? 0 : sq_fail(tx->c, rc, "resource list");
out:
	sq_done(&u);
	return rc;
}

int sq_res_count(struct store_tx *tx, const struct res_query *f, int64_t *total)
{
	struct sq_rq q = { .n = 0 };
	struct sq_use u;
	int rc;

	*total = 0;
	buf_init(&q.sql, LIM_STORE_SQL_BYTES);
	buf_adds(&q.sql, "SELECT count(*) FROM resources");
	sq_res_where(&q, f);
	if ((rc = rq_prepare(tx, &q, &u)) != 0)
		return rc;
	rc = sqlite3_step(u.st);
	if (rc == SQLITE_ROW) {
		*total = sqlite3_column_int64(u.st, 0);
		rc = 0;
	} else {
		rc = sq_fail(tx->c, rc, "resource count");
	}
	sq_done(&u);
	return rc;
}
