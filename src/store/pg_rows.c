/* pg_rows.c - the PostgreSQL backend's row operations: statement parameters,
 * rows to and from libpq results, filtered lists and counts, and the vtable
 * entries of store_postgres_ops. No connection handling, no ECS rules. */
#include "pg_int.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- row encoding ---- */
/* The column values of one row, in column-table order. */
static void pg_encode(const struct pg_ent *e, const void *row, struct pg_params *p)
{
	const char *base = row;
	int i;

	for (i = 0; i < e->ncols; i++) {
		const struct pg_col *c = &e->cols[i];
		int iv;
		int64_t lv;
		uint32_t uv;

		switch (c->t) {
		case PC_STR:
			if (!memchr(base + c->off, '\0', c->size))
				p->bad = 1;
			pg_param(p, base + c->off);
			break;
		case PC_INT:
			memcpy(&iv, base + c->off, sizeof iv);
			pg_i64(p, iv);
			break;
		case PC_I64:
			memcpy(&lv, base + c->off, sizeof lv);
			pg_i64(p, lv);
			break;
		case PC_U32:
			memcpy(&uv, base + c->off, sizeof uv);
			pg_i64(p, uv);
			break;
		}
	}
}

/* Row n of r (seq, then the column table) into out. */
static void pg_decode(const struct pg_ent *e, const PGresult *r, int n, void *out)
{
	char *base = out;
	int64_t seq = pg_parse_i64(PQgetvalue(r, n, 0));
	int i;

	memset(out, 0, e->size);
	memcpy(base + e->seq_off, &seq, sizeof seq);
	for (i = 0; i < e->ncols; i++) {
		const struct pg_col *c = &e->cols[i];
		const char *v = PQgetvalue(r, n, i + 1);
		int64_t lv = c->t == PC_STR ? 0 : pg_parse_i64(v);
		int iv = (int)lv;
		uint32_t uv = (uint32_t)lv;
		size_t len;

		switch (c->t) {
		case PC_STR:
			len = (size_t)PQgetlength(r, n, i + 1);
			if (len >= c->size)
				len = c->size - 1;
			memcpy(base + c->off, v, len);
			break;
		case PC_INT: memcpy(base + c->off, &iv, sizeof iv); break;
		case PC_I64: memcpy(base + c->off, &lv, sizeof lv); break;
		case PC_U32: memcpy(base + c->off, &uv, sizeof uv); break;
		}
	}
}

/* ---- generic get / insert / update / delete ---- */
static int pg_get(struct store_tx *tx, const struct pg_ent *e,
                  const char *account, const char *id, void *out)
{
	struct pg_params p = { 0 };
	PGresult *r;
	int rc = STORE_NOTFOUND;

	pg_str(&p, id);
	if (account)
		pg_str(&p, account);
	r = pg_exec_st(tx, e->st + (account ? EST_GET : EST_GET_ANY), &p);
	if (!r)
		return tx->err;
	if (PQntuples(r) > 0) {
		pg_decode(e, r, 0, out);
		rc = 0;
	}
	PQclear(r);
	return rc;
}

static int pg_insert(struct store_tx *tx, const struct pg_ent *e, void *row)
{
	struct pg_params p = { 0 };
	PGresult *r;
	int64_t seq;
	int rc = STORE_ECONFLICT;

	pg_encode(e, row, &p);
	r = pg_exec_st(tx, e->st + EST_INS, &p);
	if (!r)
		return tx->err;
	if (PQntuples(r) > 0) {
		seq = pg_parse_i64(PQgetvalue(r, 0, 0));
		memcpy((char *)row + e->seq_off, &seq, sizeof seq);
		rc = 0;
	}
	PQclear(r);
	return rc;
}

/* Runs a statement that touches rows; 0, or STORE_NOTFOUND if none. */
static int pg_touch(struct store_tx *tx, int st, const struct pg_params *p,
                    int64_t *n)
{
	PGresult *r = pg_exec_st(tx, st, p);
	int64_t rows;

	if (!r)
		return tx->err;
	rows = pg_parse_i64(PQcmdTuples(r));
	PQclear(r);
	if (n)
		*n = rows;
	return rows > 0 || n ? 0 : STORE_NOTFOUND;
}

static int pg_update(struct store_tx *tx, const struct pg_ent *e, const void *row)
{
	struct pg_params p = { 0 };

	pg_encode(e, row, &p);
	return pg_touch(tx, e->st + EST_UPD, &p, NULL);
}

static int pg_delete(struct store_tx *tx, const struct pg_ent *e,
                     const char *account, const char *id)
{
	struct pg_params p = { 0 };

	pg_str(&p, id);
	pg_str(&p, account);
	return pg_touch(tx, e->st + EST_DEL, &p, NULL);
}

/* ---- lists and counts: one prepared statement per filter combination ---- */
struct pg_filter {
	struct pg_params p;
	struct buf sql;     /* the " AND ..." clauses */
	struct buf arr;     /* the id list literal */
	unsigned mask, bit;
	int by_id;          /* an id list is set: see pg_query */
};

static void pf_init(struct pg_filter *f, const char *account)
{
	memset(f, 0, sizeof *f);
	buf_init(&f->sql, PG_SQL_BYTES);
	buf_init(&f->arr, PG_ARRAY_BYTES);
	pg_str(&f->p, account);
}

/* Counts one optional filter; returns on, and records it in the mask. */
static int pf_bit(struct pg_filter *f, int on)
{
	if (on)
		f->mask |= 1u << f->bit;
	f->bit++;
	return on;
}

static void pf_text(struct pg_filter *f, const char *col, const char *v)
{
	if (pf_bit(f, v != NULL))
		buf_printf(&f->sql, " AND %s = $%d", col, pg_str(&f->p, v));
}

static void pf_int(struct pg_filter *f, const char *col, int v)
{
	if (pf_bit(f, v >= 0))
		buf_printf(&f->sql, " AND %s = $%d::integer", col, pg_i64(&f->p, v));
}

static void pf_ids(struct pg_filter *f, const struct id_list *ids)
{
	size_t i;
	const char *c;

	if (!pf_bit(f, ids->set))
		return;
	f->by_id = 1;
	buf_addc(&f->arr, '{');
	for (i = 0; i < ids->n; i++) {
		buf_adds(&f->arr, i ? ",\"" : "\"");
		for (c = ids->v[i] ? ids->v[i] : ""; *c; c++) {
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
	           pg_param(&f->p, buf_cstr(&f->arr)));
}

struct pg_emit {
	inst_cb icb;
	disk_cb dcb;
	snap_cb scb;
	void *arg;
};

/* The rows (emit != NULL) or the count of rows matching f. */
static int pg_query(struct store_tx *tx, const struct pg_ent *e, struct pg_filter *f,
                    int64_t after, int64_t offset, int limit,
                    const struct pg_emit *emit, int64_t *total)
{
	int kind = e->dyn + (emit ? 0 : 1), i, rc = 0;
	char name[32];
	struct buf sql;
	PGresult *r;

	buf_init(&sql, PG_SQL_BYTES);
	if (emit) {
		buf_adds(&sql, "SELECT seq, ");
		pg_add_cols(&sql, e);
	} else {
		buf_adds(&sql, "SELECT count(*)");
	}
	/* With an id list the rows are found by primary key: the account is
	 * then a filter the planner cannot use. Otherwise the generic plan may
	 * walk the account's (account, seq) index in order and filter the ids,
	 * reading every row of the account for one instance (docs/performance.md). */
	buf_printf(&sql, " FROM %s WHERE %s%s", e->table,
	           f->by_id ? "(account = $1) IS TRUE" : "account = $1",
	           buf_cstr(&f->sql));
	if (emit) {
		int a = pg_i64(&f->p, after);
		int l = limit <= 0 ? pg_param(&f->p, NULL) : pg_i64(&f->p, limit);

		buf_printf(&sql, " AND seq > $%d::bigint ORDER BY seq LIMIT $%d::bigint"
		           " OFFSET $%d::bigint", a, l, pg_i64(&f->p, offset > 0 ? offset : 0));
	}
	snprintf(name, sizeof name, "q%d_%u", kind, f->mask);
	if (f->sql.over || sql.over || f->mask >= PG_DYN_MASKS)
		f->p.bad = 1;
	r = pg_exec(tx, name, sql.over ? NULL : buf_cstr(&sql),
	            &tx->pc->dyn[kind][f->mask / 64 % (PG_DYN_MASKS / 64)],
	            (uint64_t)1 << (f->mask % 64), &f->p);
	buf_free(&sql);
	buf_free(&f->sql);
	buf_free(&f->arr);
	if (!r)
		return tx->err;
	if (!emit) {
		*total = pg_parse_i64(PQgetvalue(r, 0, 0));
	} else {
		for (i = 0; i < PQntuples(r) && !rc; i++) {
			union pg_row row;

			pg_decode(e, r, i, &row);
			rc = emit->icb ? emit->icb(emit->arg, &row.i) :
			     emit->dcb ? emit->dcb(emit->arg, &row.d) :
			                 emit->scb(emit->arg, &row.s);
		}
	}
	PQclear(r);
	return rc;
}

static void inst_filter(struct pg_filter *f, const struct inst_query *q)
{
	pf_init(f, q->account);
	pf_text(f, "region", q->region);
	pf_ids(f, &q->ids);
	pf_text(f, "zone", q->zone);
	if (pf_bit(f, q->status >= 0)) {
		int now = pg_i64(&f->p, q->now_ms);

		/* an expired subscription shows Stopped (model/instance.c) */
		buf_printf(&f->sql, " AND CASE WHEN charge = 1 AND expired_ms > 0"
		           " AND expired_ms <= $%d::bigint THEN %d"
		           " WHEN p1_end_ms > $%d::bigint THEN"
		           " p1_status WHEN p2_end_ms > $%d::bigint THEN p2_status"
		           " ELSE status END = $%d::integer", now, INST_STOPPED, now, now,
		           pg_i64(&f->p, q->status));
	}
	pf_int(f, "charge", q->charge);
}

static void disk_filter(struct pg_filter *f, const struct disk_query *q)
{
	pf_init(f, q->account);
	pf_text(f, "region", q->region);
	pf_ids(f, &q->ids);
	pf_text(f, "instance_id", q->instance_id);
	pf_text(f, "zone", q->zone);
	pf_text(f, "type", q->type);
	pf_text(f, "category", q->category);
	if (pf_bit(f, q->attached == 1))
		buf_adds(&f->sql, " AND instance_id <> ''");
	if (pf_bit(f, q->attached == 0))
		buf_adds(&f->sql, " AND instance_id = ''");
	pf_int(f, "charge", q->charge);
	pf_int(f, "delete_with_instance", q->delete_with_instance);
}

static void snap_filter(struct pg_filter *f, const struct snap_query *q)
{
	pf_init(f, q->account);
	pf_text(f, "region", q->region);
	pf_ids(f, &q->ids);
	pf_text(f, "source_disk_id", q->disk_id);
	if (pf_bit(f, q->instance_id != NULL))
		buf_printf(&f->sql, " AND source_disk_id IN (SELECT d.id FROM disks d"
		           " WHERE d.account = $1 AND d.instance_id = $%d)",
		           pg_str(&f->p, q->instance_id));
	pf_int(f, "is_auto", q->is_auto);
	pf_int(f, "status", q->status);
}

/* ---- the vtable entries ---- */
int pg_inst_get(struct store_tx *tx, const char *account, const char *id,
                struct instance *out)
{
	return pg_get(tx, &pg_ent_inst, account, id, out);
}

int pg_inst_insert(struct store_tx *tx, struct instance *in)
{
	return pg_insert(tx, &pg_ent_inst, in);
}

int pg_inst_update(struct store_tx *tx, const struct instance *in)
{
	return pg_update(tx, &pg_ent_inst, in);
}

int pg_inst_delete(struct store_tx *tx, const char *account, const char *id)
{
	return pg_delete(tx, &pg_ent_inst, account, id);
}

int pg_inst_list(struct store_tx *tx, const struct inst_query *q,
                 inst_cb cb, void *arg)
{
	struct pg_filter f;
	struct pg_emit em = { cb, NULL, NULL, arg };

	inst_filter(&f, q);
	return pg_query(tx, &pg_ent_inst, &f, q->after_seq, q->offset, q->limit,
	                &em, NULL);
}

int pg_inst_count(struct store_tx *tx, const struct inst_query *q,
                  int64_t *total)
{
	struct pg_filter f;

	inst_filter(&f, q);
	return pg_query(tx, &pg_ent_inst, &f, 0, 0, 0, NULL, total);
}

int pg_disk_get(struct store_tx *tx, const char *account, const char *id,
                struct disk *out)
{
	return pg_get(tx, &pg_ent_disk, account, id, out);
}

int pg_disk_insert(struct store_tx *tx, struct disk *d)
{
	return pg_insert(tx, &pg_ent_disk, d);
}

int pg_disk_update(struct store_tx *tx, const struct disk *d)
{
	return pg_update(tx, &pg_ent_disk, d);
}

int pg_disk_delete(struct store_tx *tx, const char *account, const char *id)
{
	return pg_delete(tx, &pg_ent_disk, account, id);
}

int pg_disk_list(struct store_tx *tx, const struct disk_query *q,
                 disk_cb cb, void *arg)
{
	struct pg_filter f;
	struct pg_emit em = { NULL, cb, NULL, arg };

	disk_filter(&f, q);
	return pg_query(tx, &pg_ent_disk, &f, q->after_seq, q->offset, q->limit,
	                &em, NULL);
}

int pg_disk_count(struct store_tx *tx, const struct disk_query *q,
                  int64_t *total)
{
	struct pg_filter f;

	disk_filter(&f, q);
	return pg_query(tx, &pg_ent_disk, &f, 0, 0, 0, NULL, total);
}

int pg_snap_get(struct store_tx *tx, const char *account, const char *id,
                struct snapshot *out)
{
	return pg_get(tx, &pg_ent_snap, account, id, out);
}

int pg_snap_insert(struct store_tx *tx, struct snapshot *sn)
{
	return pg_insert(tx, &pg_ent_snap, sn);
}

int pg_snap_update(struct store_tx *tx, const struct snapshot *sn)
{
	return pg_update(tx, &pg_ent_snap, sn);
}

int pg_snap_delete(struct store_tx *tx, const char *account, const char *id)
{
	return pg_delete(tx, &pg_ent_snap, account, id);
}

int pg_snap_delete_auto(struct store_tx *tx, const char *account,
                        const char *disk_id, int64_t *n)
{
	struct pg_params p = { 0 };
	int64_t dummy;

	pg_str(&p, account);
	pg_str(&p, disk_id);
	return pg_touch(tx, ST_SNAP_DEL_AUTO, &p, n ? n : &dummy);
}

int pg_snap_list(struct store_tx *tx, const struct snap_query *q,
                 snap_cb cb, void *arg)
{
	struct pg_filter f;
	struct pg_emit em = { NULL, NULL, cb, arg };

	snap_filter(&f, q);
	return pg_query(tx, &pg_ent_snap, &f, q->after_seq, q->offset, q->limit,
	                &em, NULL);
}

int pg_snap_count(struct store_tx *tx, const struct snap_query *q,
                  int64_t *total)
{
	struct pg_filter f;

	snap_filter(&f, q);
	return pg_query(tx, &pg_ent_snap, &f, 0, 0, 0, NULL, total);
}

int pg_token_get(struct store_tx *tx, const char *account,
                 const char *action, const char *token, char hash[65],
                 struct buf *result)
{
	struct pg_params p = { 0 };
	PGresult *r;
	int rc = STORE_NOTFOUND;

	pg_str(&p, account);
	pg_str(&p, action);
	pg_str(&p, token);
	r = pg_exec_st(tx, ST_TOKEN_GET, &p);
	if (!r)
		return tx->err;
	if (PQntuples(r) > 0) {
		snprintf(hash, 65, "%s", PQgetvalue(r, 0, 0));
		buf_reset(result);
		rc = buf_add(result, PQgetvalue(r, 0, 1),
		             (size_t)PQgetlength(r, 0, 1)) ? STORE_EIO : 0;
		if (rc)
			fprintf(stderr, "ecsd: store: stored token result exceeds the"
			        " buffer limit\n");
	}
	PQclear(r);
	return rc;
}

int pg_token_put(struct store_tx *tx, const char *account,
                 const char *action, const char *token, const char *hash,
                 const char *result, int64_t now_ms)
{
	struct pg_params p = { 0 };
	PGresult *r;
	int rc;

	pg_str(&p, account);
	pg_str(&p, action);
	pg_str(&p, token);
	pg_str(&p, hash);
	pg_str(&p, result);
	pg_i64(&p, now_ms);
	r = pg_exec_st(tx, ST_TOKEN_PUT, &p);
	if (!r)
		return tx->err;
	rc = PQntuples(r) > 0 ? 0 : STORE_ECONFLICT;
	PQclear(r);
	return rc;
}
