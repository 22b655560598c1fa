/* sq_audit.c - the SQLite backend's audit trail (the `audit` table):
 * append inside the caller's transaction, newest-first filtered lists,
 * pruning by age. No ECS rules here. */
#include "sq_int.h"
#include <stdio.h>
#include <string.h>

#define AUDIT_COLS "seq, time_ms, account, akid, source, product, action," \
	" resources, code, status, request_id, params"

static void sq_audit_text(char *dst, size_t size, sqlite3_stmt *st, int col)
{
	const char *v = (const char *)sqlite3_column_text(st, col);

	snprintf(dst, size, "%s", v ? v : "");
}

int sq_audit_append(struct store_tx *tx, struct audit_event *ev)
{
	const char *txt[] = { ev->account, ev->akid, ev->source, ev->product,
	                      ev->action, ev->resources, ev->code, ev->request_id,
	                      ev->params ? ev->params : "{}" };
	struct sq_use u;
	int rc, i;

	rc = sq_dynamic(tx, "INSERT INTO audit(account, akid, source, product,"
	                " action, resources, code, request_id, params, time_ms,"
	                " status) VALUES(?,?,?,?,?,?,?,?,?,?,?) RETURNING seq", &u);
	if (rc)
		return rc;
	for (i = 0; i < 9 && rc == SQLITE_OK; i++)
		rc = sqlite3_bind_text(u.st, i + 1, txt[i], -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(u.st, 10, ev->time_ms);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int(u.st, 11, ev->status);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(u.st);
	if (rc == SQLITE_ROW) {
		ev->seq = sqlite3_column_int64(u.st, 0);
		rc = 0;
	} else {
		rc = sq_fail(tx->c, rc, "audit append");
	}
	sq_done(&u);
	return rc;
}

int sq_audit_list(struct store_tx *tx, const struct audit_query *q,
                  audit_cb cb, void *arg)
{
	char sql[512];
	const char *txt[3];
	int nt = 0, rc, i;
	struct sq_use u;

	snprintf(sql, sizeof(sql), "SELECT " AUDIT_COLS " FROM audit WHERE seq < ?"
	         " AND time_ms >= ?%s%s%s ORDER BY seq DESC LIMIT ?",
	         q->account ? " AND account = ?" : "",
	         q->action ? " AND action = ?" : "",
	         q->resource ? " AND instr(resources, ',' || ? || ',') > 0" : "");
	if (q->account)
		txt[nt++] = q->account;
	if (q->action)
		txt[nt++] = q->action;
	if (q->resource)
		txt[nt++] = q->resource;
	if ((rc = sq_dynamic(tx, sql, &u)) != 0)
		return rc;
	rc = sqlite3_bind_int64(u.st, 1, q->before_seq > 0 ? q->before_seq : INT64_MAX);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(u.st, 2, q->since_ms);
	for (i = 0; i < nt && rc == SQLITE_OK; i++)
		rc = sqlite3_bind_text(u.st, 3 + i, txt[i], -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int(u.st, 3 + nt, q->limit > 0 ? q->limit : 100);
	while (rc == SQLITE_OK && (rc = sqlite3_step(u.st)) == SQLITE_ROW) {
		struct audit_event ev;
		const char *params = (const char *)sqlite3_column_text(u.st, 11);

		memset(&ev, 0, sizeof(ev));
		ev.seq = sqlite3_column_int64(u.st, 0);
		ev.time_ms = sqlite3_column_int64(u.st, 1);
		sq_audit_text(ev.account, sizeof(ev.account), u.st, 2);
		sq_audit_text(ev.akid, sizeof(ev.akid), u.st, 3);
		sq_audit_text(ev.source, sizeof(ev.source), u.st, 4);
		sq_audit_text(ev.product, sizeof(ev.product), u.st, 5);
		sq_audit_text(ev.action, sizeof(ev.action), u.st, 6);
		sq_audit_text(ev.resources, sizeof(ev.resources), u.st, 7);
		sq_audit_text(ev.code, sizeof(ev.code), u.st, 8);
		ev.status = sqlite3_column_int(u.st, 9);
		sq_audit_text(ev.request_id, sizeof(ev.request_id), u.st, 10);
		ev.params = params ? params : "{}";
		if ((rc = cb(arg, &ev)) != 0)
			goto out;
		rc = SQLITE_OK;
	}
	rc = rc == SQLITE_DONE ? 0 : sq_fail(tx->c, rc, "audit list");
out:
	sq_done(&u);
	return rc;
}

int sq_audit_prune(struct store_tx *tx, int64_t before_ms, int64_t *n)
{
	struct sq_use u;
	int rc;

	*n = 0;
	if ((rc = sq_dynamic(tx, "DELETE FROM audit WHERE time_ms < ?", &u)) != 0)
		return rc;
	rc = sqlite3_bind_int64(u.st, 1, before_ms);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(u.st);
	if (rc == SQLITE_DONE) {
		*n = sqlite3_changes(tx->c->db);
		rc = 0;
	} else {
		rc = sq_fail(tx->c, rc, "audit prune");
	}
	sq_done(&u);
	return rc;
}
