/* pg_res.c - the PostgreSQL backend's generic resources (the `resources`
 * table): get, insert, update, delete, filtered lists and counts, with the
 * JSON document kept as text. No connection handling, no ECS rules. */
#include "pg_int.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An optional parameter: SQL NULL when v is NULL. */
static int pg_opt(struct pg_params *p, const char *v)
{
	if (v)
		return pg_str(p, v);
	if (p->n >= PG_MAX_PARAMS) {
		p->bad = 1;
		return PG_MAX_PARAMS;
	}
	p->v[p->n] = NULL;
	return ++p->n;
}

static void pg_res_text(char *dst, size_t size, const PGresult *r, int n, int col)
{
	snprintf(dst, size, "%s", PQgetvalue(r, n, col));
}

/* Row n of r into out; out->doc is a new reference. */
static int pg_res_row(const PGresult *r, int n, struct res *out)
{
	memset(out, 0, sizeof(*out));
	out->seq = pg_parse_i64(PQgetvalue(r, n, 0));
	pg_res_text(out->id, sizeof(out->id), r, n, 1);
	pg_res_text(out->account, sizeof(out->account), r, n, 2);
	pg_res_text(out->kind, sizeof(out->kind), r, n, 3);
	pg_res_text(out->region, sizeof(out->region), r, n, 4);
	pg_res_text(out->parent, sizeof(out->parent), r, n, 5);
	pg_res_text(out->ref, sizeof(out->ref), r, n, 6);
	out->created_ms = pg_parse_i64(PQgetvalue(r, n, 7));
	out->doc = (struct json_t *)json_loads(PQgetvalue(r, n, 8), 0, NULL);
	if (!out->doc) {
		fprintf(stderr, "ecsd: store: resource %s has an unreadable document\n",
		        out->id);
		return STORE_EIO;
	}
	return 0;
}

int pg_res_get(struct store_tx *tx, const char *account, const char *kind,
               const char *id, struct res *out)
{
	struct pg_params p = { 0 };
	PGresult *r;
	int rc = STORE_NOTFOUND;

	out->doc = NULL;
	pg_str(&p, id);
	pg_opt(&p, account);
	pg_opt(&p, kind);
	r = pg_exec_st(tx, ST_RES_GET, &p);
	if (!r)
		return tx->err;
	if (PQntuples(r) > 0)
		rc = pg_res_row(r, 0, out);
	PQclear(r);
	return rc;
}

int pg_res_insert(struct store_tx *tx, struct res *row)
{
	char *doc = store_res_dump(row);
	struct pg_params p = { 0 };
	PGresult *r;
	int rc;

	if (!doc) {
		fprintf(stderr, "ecsd: store: resource %s: document missing or too big\n",
		        row->id);
		return STORE_EIO;
	}
	pg_str(&p, row->id);
	pg_str(&p, row->account);
	pg_str(&p, row->kind);
	pg_str(&p, row->region);
	pg_str(&p, row->parent);
	pg_str(&p, row->ref);
	pg_str(&p, doc);
	pg_i64(&p, row->created_ms);
	r = pg_exec_st(tx, ST_RES_INS, &p);
	free(doc);
	if (!r)
		return tx->err;
	rc = STORE_ECONFLICT;
	if (PQntuples(r) > 0) {
		row->seq = pg_parse_i64(PQgetvalue(r, 0, 0));
		rc = 0;
	}
	PQclear(r);
	return rc;
}

int pg_res_update(struct store_tx *tx, const struct res *row)
{
	char *doc = store_res_dump(row);
	struct pg_params p = { 0 };
	PGresult *r;
	int rc;

	if (!doc) {
		fprintf(stderr, "ecsd: store: resource %s: document missing or too big\n",
		        row->id);
		return STORE_EIO;
	}
	pg_str(&p, row->id);
	pg_str(&p, row->account);
	pg_str(&p, row->region);
	pg_str(&p, row->parent);
	pg_str(&p, row->ref);
	pg_str(&p, doc);
	r = pg_exec_st(tx, ST_RES_UPD, &p);
	free(doc);
	if (!r)
		return tx->err;
	rc = PQntuples(r) > 0 ? 0 : STORE_NOTFOUND;
	PQclear(r);
	return rc;
}

int pg_res_delete(struct store_tx *tx, const char *account, const char *id)
{
	struct pg_params p = { 0 };
	PGresult *r;
	int rc;

	pg_str(&p, id);
	pg_str(&p, account);
	r = pg_exec_st(tx, ST_RES_DEL, &p);
	if (!r)
		return tx->err;
	rc = PQntuples(r) > 0 ? 0 : STORE_NOTFOUND;
	PQclear(r);
	return rc;
}

/* ---- lists: one prepared statement per combination of filters ---- */
struct pg_rf {
	struct pg_params p;
	struct buf sql, arr;
	unsigned mask, bit;
};

static void rf_text(struct pg_rf *f, const char *col, const char *v)
{
	if (v) {
		f->mask |= 1u << f->bit;
		buf_printf(&f->sql, " AND %s = $%d", col, pg_str(&f->p, v));
	}
	f->bit++;
}

static void rf_where(struct pg_rf *f, const struct res_query *q)
{
	buf_init(&f->sql, PG_SQL_BYTES);
	buf_init(&f->arr, PG_ARRAY_BYTES);
	buf_adds(&f->sql, " WHERE TRUE");
	rf_text(f, "account", q->account);
	rf_text(f, "kind", q->kind);
	rf_text(f, "region", q->region);
	rf_text(f, "parent", q->parent);
	rf_text(f, "ref", q->ref);
	if (q->ids.set) {
		f->mask |= 1u << f->bit;
		buf_addc(&f->arr, '{');
		for (size_t i = 0; i < q->ids.n; i++) {
			buf_adds(&f->arr, i ? ",\"" : "\"");
			for (const char *c = q->ids.v[i] ? q->ids.v[i] : ""; *c; c++) {
				if (*c == '"' || *c == '\\')
					buf_addc(&f->arr, '\\');
				buf_addc(&f->arr, *c);
			}
			buf_addc(&f->arr, '"');
		}
		buf_addc(&f->arr, '}');
		if (f->arr.over)
			f->p.bad = 1;
		buf_printf(&f->sql, " AND id = ANY ($%d::text[])",
		           pg_str(&f->p, buf_cstr(&f->arr)));
	}
	f->bit++;
}

static int pg_res_query(struct store_tx *tx, const struct res_query *q,
                        res_cb cb, void *arg, int64_t *total)
{
	struct pg_rf f = { .mask = 0 };
	int kind = cb ? DYN_RES : DYN_RES_N, rc = 0;
	char name[32];
	struct buf sql;
	PGresult *r;

	rf_where(&f, q);
	buf_init(&sql, PG_SQL_BYTES);
	buf_printf(&sql, "SELECT %s FROM resources%s", cb ? PG_RES_COLS : "count(*)",
	           buf_cstr(&f.sql));
	if (cb) {
		int a = pg_i64(&f.p, q->after_seq);
		int l = q->limit <= 0 ? pg_opt(&f.p, NULL) : pg_i64(&f.p, q->limit);

		buf_printf(&sql, " AND seq > $%d::bigint ORDER BY seq LIMIT $%d::bigint"
		           " OFFSET $%d::bigint", a, l,
		           pg_i64(&f.p, q->offset > 0 ? q->offset : 0));
	}
	snprintf(name, sizeof name, "r%d_%u", kind, f.mask);
	if (f.sql.over || sql.over)
		f.p.bad = 1;
	r = pg_exec(tx, name, sql.over ? NULL : buf_cstr(&sql),
	            &tx->pc->dyn[kind][0], (uint64_t)1 << f.mask, &f.p);
	buf_free(&sql);
	buf_free(&f.sql);
	buf_free(&f.arr);
	if (!r)
		return tx->err;
	if (!cb) {
		*total = pg_parse_i64(PQgetvalue(r, 0, 0));
	} else {
		for (int i = 0; i < PQntuples(r) && !rc; i++) {
			struct res row;

			rc = pg_res_row(r, i, &row);
			if (rc == 0)
				rc = cb(arg, &row);
			json_decref((json_t *)row.doc);
		}
	}
	PQclear(r);
	return rc;
}

int pg_res_list(struct store_tx *tx, const struct res_query *q, res_cb cb,
                void *arg)
{
	return pg_res_query(tx, q, cb, arg, NULL);
}

int pg_res_count(struct store_tx *tx, const struct res_query *q, int64_t *total)
{
	*total = 0;
	return pg_res_query(tx, q, NULL, NULL, total);
}
