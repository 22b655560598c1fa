/* pg_ctl.c - the PostgreSQL backend's control documents (ctl_kv: the
 * virtual clock, the fault rules, shared by every node) and the purge of an
 * account's resources for the control API's reset and fixture import.
 * No ECS rules here. */
#include "pg_int.h"
#include <string.h>

int pg_kv_get(struct store_tx *tx, const char *key, struct buf *val)
{
	struct pg_params p = { 0 };
	PGresult *r;
	int rc;

	pg_str(&p, key);
	r = pg_exec_st(tx, ST_KV_GET, &p);
	if (!r)
		return tx->err;
	if (PQntuples(r) == 0) {
		rc = STORE_NOTFOUND;
	} else {
		buf_reset(val);
		rc = buf_add(val, PQgetvalue(r, 0, 0), (size_t)PQgetlength(r, 0, 0)) ?
		     STORE_EIO : 0;
	}
	PQclear(r);
	return rc;
}

int pg_kv_put(struct store_tx *tx, const char *key, const char *val)
{
	struct pg_params p = { 0 };
	PGresult *r;

	pg_str(&p, key);
	pg_str(&p, val);
	r = pg_exec_st(tx, ST_KV_PUT, &p);
	if (!r)
		return tx->err;
	PQclear(r);
	return 0;
}

int pg_purge(struct store_tx *tx, const char *account)
{
	struct pg_params p = { 0 };
	PGresult *r;

	pg_str(&p, account);
	r = pg_exec_st(tx, ST_PURGE, &p);
	if (!r)
		return tx->err;
	PQclear(r);
	return 0;
}
