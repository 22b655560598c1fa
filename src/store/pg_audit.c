/* pg_audit.c - the PostgreSQL backend's audit trail (the `audit` table):
 * append inside the caller's transaction, newest-first filtered lists,
 * pruning by age. Statements are prepared once per connection. No ECS
 * rules here. */
#include "pg_int.h"
#include <stdio.h>
#include <string.h>

#define AUDIT_COLS "seq, time_ms, account, akid, source, product, action," \
	" resources, code, status, request_id, params"
enum { AU_INSERT = 8, AU_PRUNE = 9 };   /* masks 0..7 are the lists */

static PGresult *pg_audit_exec(struct store_tx *tx, unsigned mask, const char *sql,
                               const struct pg_params *p)
{
	char name[16];

	snprintf(name, sizeof name, "a%u", mask);
	return pg_exec(tx, name, sql, &tx->pc->dyn[DYN_AUDIT][0], (uint64_t)1 << mask, p);
}

int pg_audit_append(struct store_tx *tx, struct audit_event *ev)
{
	struct pg_params p = { 0 };
	PGresult *r;
	int rc = STORE_EIO;

	pg_i64(&p, ev->time_ms);
	pg_str(&p, ev->account);
	pg_str(&p, ev->akid);
	pg_str(&p, ev->source);
	pg_str(&p, ev->product);
	pg_str(&p, ev->action);
	pg_str(&p, ev->resources);
	pg_str(&p, ev->code);
	pg_i64(&p, ev->status);
	pg_str(&p, ev->request_id);
	pg_str(&p, ev->params ? ev->params : "{}");
	r = pg_audit_exec(tx, AU_INSERT, "INSERT INTO audit (time_ms, account, akid,"
	                  " source, product, action, resources, code, status,"
	                  " request_id, params) VALUES ($1, $2, $3, $4, $5, $6, $7,"
	                  " $8, $9, $10, $11) RETURNING seq", &p);
	if (!r)
		return tx->err;
	if (PQntuples(r) > 0) {
		ev->seq = pg_parse_i64(PQgetvalue(r, 0, 0));
		rc = 0;
	}
	PQclear(r);
	return rc;
}

static void pg_audit_text(char *dst, size_t size, const PGresult *r, int n, int col)
{
	snprintf(dst, size, "%s", PQgetvalue(r, n, col));
}

int pg_audit_list(struct store_tx *tx, const struct audit_query *q,
                  audit_cb cb, void *arg)
{
	struct pg_params p = { 0 };
	unsigned mask = (q->account ? 1u : 0) | (q->action ? 2u : 0) | (q->resource ? 4u : 0);
	char sql[640], fa[40] = "", fb[40] = "", fc[64] = "";
	PGresult *r;
	int rc = 0;

	pg_i64(&p, q->before_seq > 0 ? q->before_seq : INT64_MAX);
	pg_i64(&p, q->since_ms);
	pg_i64(&p, q->limit > 0 ? q->limit : 100);
	if (q->account)
		snprintf(fa, sizeof fa, " AND account = $%d", pg_str(&p, q->account));
	if (q->action)
		snprintf(fb, sizeof fb, " AND action = $%d", pg_str(&p, q->action));
	if (q->resource)
		snprintf(fc, sizeof fc, " AND strpos(resources, ',' || $%d || ',') > 0",
		         pg_str(&p, q->resource));
	snprintf(sql, sizeof sql, "SELECT " AUDIT_COLS " FROM audit WHERE"
	         " seq < $1::bigint AND time_ms >= $2::bigint%s%s%s"
	         " ORDER BY seq DESC LIMIT $3::bigint", fa, fb, fc);
	r = pg_audit_exec(tx, mask, sql, &p);
	if (!r)
		return tx->err;
	for (int i = 0; i < PQntuples(r) && !rc; i++) {
		struct audit_event ev;

		memset(&ev, 0, sizeof(ev));
		ev.seq = pg_parse_i64(PQgetvalue(r, i, 0));
		ev.time_ms = pg_parse_i64(PQgetvalue(r, i, 1));
		pg_audit_text(ev.account, sizeof(ev.account), r, i, 2);
		pg_audit_text(ev.akid, sizeof(ev.akid), r, i, 3);
		pg_audit_text(ev.source, sizeof(ev.source), r, i, 4);
		pg_audit_text(ev.product, sizeof(ev.product), r, i, 5);
		pg_audit_text(ev.action, sizeof(ev.action), r, i, 6);
		pg_audit_text(ev.resources, sizeof(ev.resources), r, i, 7);
		pg_audit_text(ev.code, sizeof(ev.code), r, i, 8);
		ev.status = (int)pg_parse_i64(PQgetvalue(r, i, 9));
		pg_audit_text(ev.request_id, sizeof(ev.request_id), r, i, 10);
		ev.params = PQgetvalue(r, i, 11);
		rc = cb(arg, &ev);
	}
	PQclear(r);
	return rc;
}

int pg_audit_prune(struct store_tx *tx, int64_t before_ms, int64_t *n)
{
	struct pg_params p = { 0 };
	PGresult *r;

	*n = 0;
	pg_i64(&p, before_ms);
	r = pg_audit_exec(tx, AU_PRUNE, "DELETE FROM audit WHERE time_ms < $1::bigint", &p);
	if (!r)
		return tx->err;
	*n = pg_parse_i64(PQcmdTuples(r));
	PQclear(r);
	return 0;
}
