/* pg_schema.c - the PostgreSQL backend's schema: the migrations, the column
 * table of each resource and the texts of the fixed statements built from
 * them, and the migration run at open. No connection pooling, no ECS rules. */
#include "pg_int.h"
#include <stdio.h>
#include <string.h>

/* ---- schema: migrations, applied in order, never edited once shipped ---- */
static const char *const pg_migrations[] = {
	/* 1 */
	"CREATE TABLE instances (seq BIGSERIAL NOT NULL, id TEXT PRIMARY KEY,"
	" account TEXT NOT NULL, region TEXT NOT NULL, zone TEXT NOT NULL,"
	" name TEXT NOT NULL, description TEXT NOT NULL, hostname TEXT NOT NULL,"
	" instance_type TEXT NOT NULL, image_id TEXT NOT NULL,"
	" stopped_mode TEXT NOT NULL, status INTEGER NOT NULL,"
	" p1_status INTEGER NOT NULL, p2_status INTEGER NOT NULL,"
	" p1_end_ms BIGINT NOT NULL, p2_end_ms BIGINT NOT NULL,"
	" charge INTEGER NOT NULL, expired_ms BIGINT NOT NULL,"
	" deletion_protection INTEGER NOT NULL, flags BIGINT NOT NULL,"
	" created_ms BIGINT NOT NULL, started_ms BIGINT NOT NULL);"
	"CREATE INDEX instances_account_seq ON instances (account, seq);"
	"CREATE TABLE disks (seq BIGSERIAL NOT NULL, id TEXT PRIMARY KEY,"
	" account TEXT NOT NULL, region TEXT NOT NULL, zone TEXT NOT NULL,"
	" instance_id TEXT NOT NULL, type TEXT NOT NULL, category TEXT NOT NULL,"
	" size_gb INTEGER NOT NULL, name TEXT NOT NULL, description TEXT NOT NULL,"
	" device TEXT NOT NULL, image_id TEXT NOT NULL,"
	" source_snapshot_id TEXT NOT NULL, delete_with_instance INTEGER NOT NULL,"
	" delete_auto_snapshot INTEGER NOT NULL,"
	" enable_auto_snapshot INTEGER NOT NULL, portable INTEGER NOT NULL,"
	" charge INTEGER NOT NULL, ever_attached INTEGER NOT NULL,"
	" created_ms BIGINT NOT NULL, attached_ms BIGINT NOT NULL,"
	" detached_ms BIGINT NOT NULL);"
	"CREATE INDEX disks_account_seq ON disks (account, seq);"
	"CREATE INDEX disks_account_instance ON disks (account, instance_id, seq);"
	"CREATE TABLE snapshots (seq BIGSERIAL NOT NULL, id TEXT PRIMARY KEY,"
	" account TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL,"
	" description TEXT NOT NULL, is_auto INTEGER NOT NULL,"
	" source_disk_id TEXT NOT NULL, source_disk_size INTEGER NOT NULL,"
	" source_disk_type TEXT NOT NULL, status INTEGER NOT NULL,"
	" retention_days INTEGER NOT NULL, created_ms BIGINT NOT NULL);"
	"CREATE INDEX snapshots_account_seq ON snapshots (account, seq);"
	"CREATE INDEX snapshots_account_disk ON snapshots"
	" (account, source_disk_id, seq);"
	"CREATE TABLE client_tokens (account TEXT NOT NULL, action TEXT NOT NULL,"
	" token TEXT NOT NULL, hash TEXT NOT NULL, result TEXT NOT NULL,"
	" created_ms BIGINT NOT NULL, PRIMARY KEY (account, action, token));"
	"CREATE TABLE nonces (akid TEXT NOT NULL, nonce TEXT NOT NULL,"
	" expires_ms BIGINT NOT NULL, PRIMARY KEY (akid, nonce));"
	"CREATE INDEX nonces_expires ON nonces (expires_ms);",
	/* 2: every other resource kind, one row each (docs/store.md) */
	"CREATE TABLE resources (seq BIGSERIAL NOT NULL, id TEXT PRIMARY KEY,"
	" account TEXT NOT NULL, kind TEXT NOT NULL, region TEXT NOT NULL,"
	" parent TEXT NOT NULL, ref TEXT NOT NULL, created_ms BIGINT NOT NULL,"
	" doc TEXT NOT NULL);"
	"CREATE INDEX resources_kind ON resources (account, kind, seq);"
	"CREATE INDEX resources_parent ON resources (kind, parent);"
	"CREATE INDEX resources_ref ON resources (kind, ref);",
	/* 3: an instance's key pair and scheduled release (issue 13) */
	("ALTER TABLE instances ADD COLUMN key_pair_name TEXT NOT NULL DEFAULT '';"
	 "ALTER TABLE instances ADD COLUMN auto_release_ms BIGINT NOT NULL DEFAULT 0;"),
	/* 4: the audit trail (issue 14, docs/audit.md) */
	("CREATE TABLE audit (seq BIGSERIAL PRIMARY KEY, time_ms BIGINT NOT NULL,"
	" account TEXT NOT NULL, akid TEXT NOT NULL, source TEXT NOT NULL,"
	" product TEXT NOT NULL, action TEXT NOT NULL, resources TEXT NOT NULL,"
	" code TEXT NOT NULL, status INTEGER NOT NULL, request_id TEXT NOT NULL,"
	" params TEXT NOT NULL);"
	"CREATE INDEX audit_account ON audit (account, seq);"
	"CREATE INDEX audit_time ON audit (time_ms);"),
	/* 5: the shared half of the replay cache (src/store/replay.h): a 64-bit
	 * fingerprint of (akid, nonce) and the slice of the request's stamp.
	 * UNLOGGED: no WAL, so a first use costs no durable write; the table is
	 * emptied when PostgreSQL recovers from a crash (SECURITY.md). */
	"DROP TABLE IF EXISTS nonces;"
	"CREATE UNLOGGED TABLE IF NOT EXISTS nonce_seen (fp BIGINT PRIMARY KEY,"
	" slice INTEGER NOT NULL);"
	"CREATE INDEX IF NOT EXISTS nonce_seen_slice ON nonce_seen (slice);",
	/* 6: where an instance sits in the network (issues 12, 13) */
	("ALTER TABLE instances ADD COLUMN vpc_id TEXT NOT NULL DEFAULT '',"
	 " ADD COLUMN vswitch_id TEXT NOT NULL DEFAULT '',"
	 " ADD COLUMN private_ip TEXT NOT NULL DEFAULT '',"
	 " ADD COLUMN eni_id TEXT NOT NULL DEFAULT '',"
	 " ADD COLUMN mac TEXT NOT NULL DEFAULT '',"
	 " ADD COLUMN sg_ids TEXT NOT NULL DEFAULT '',"
	 " ADD COLUMN public_ip TEXT NOT NULL DEFAULT '',"
	 " ADD COLUMN bandwidth_out INTEGER NOT NULL DEFAULT 0,"
	 " ADD COLUMN eip_id TEXT NOT NULL DEFAULT '',"
	 " ADD COLUMN eip_ip TEXT NOT NULL DEFAULT '',"
	 " ADD COLUMN eip_bandwidth INTEGER NOT NULL DEFAULT 0,"
	 " ADD COLUMN eip_charge TEXT NOT NULL DEFAULT '';"
	 /* lookups by parent or ref read only their own rows, in seq order
	  * (a serializable reader then locks only those) */
	 "DROP INDEX resources_parent; DROP INDEX resources_ref;"
	 "CREATE INDEX resources_parent ON resources (kind, parent, seq);"
	 "CREATE INDEX resources_ref ON resources (account, kind, ref, seq);"),
	/* 7: control documents shared by the nodes (virtual clock, fault rules) */
	"CREATE TABLE ctl_kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);",
};
#define PG_SCHEMA_VERSION ((int)(sizeof pg_migrations / sizeof pg_migrations[0]))

/* ---- row layouts: the column table of each resource ---- */
#define COL(S, f, t) { #f, t, offsetof(struct S, f), sizeof(((struct S *)0)->f) }

/* id and account come first: they are $1 and $2 of get/update/delete. */
static const struct pg_col inst_cols[] = {
	COL(instance, id, PC_STR), COL(instance, account, PC_STR),
	COL(instance, region, PC_STR), COL(instance, zone, PC_STR),
	COL(instance, name, PC_STR), COL(instance, description, PC_STR),
	COL(instance, hostname, PC_STR), COL(instance, instance_type, PC_STR),
	COL(instance, image_id, PC_STR), COL(instance, stopped_mode, PC_STR),
	COL(instance, status, PC_INT), COL(instance, p1_status, PC_INT),
	COL(instance, p2_status, PC_INT), COL(instance, p1_end_ms, PC_I64),
	COL(instance, p2_end_ms, PC_I64), COL(instance, charge, PC_INT),
	COL(instance, expired_ms, PC_I64),
	COL(instance, deletion_protection, PC_INT),
	COL(instance, flags, PC_U32), COL(instance, created_ms, PC_I64),
	COL(instance, started_ms, PC_I64),
	COL(instance, key_pair_name, PC_STR), COL(instance, auto_release_ms, PC_I64),
	COL(instance, vpc_id, PC_STR), COL(instance, vswitch_id, PC_STR),
	COL(instance, private_ip, PC_STR), COL(instance, eni_id, PC_STR),
	COL(instance, mac, PC_STR), COL(instance, sg_ids, PC_STR),
	COL(instance, public_ip, PC_STR), COL(instance, bandwidth_out, PC_INT),
	COL(instance, eip_id, PC_STR), COL(instance, eip_ip, PC_STR),
	COL(instance, eip_bandwidth, PC_INT), COL(instance, eip_charge, PC_STR),
};
static const struct pg_col disk_cols[] = {
	COL(disk, id, PC_STR), COL(disk, account, PC_STR),
	COL(disk, region, PC_STR), COL(disk, zone, PC_STR),
	COL(disk, instance_id, PC_STR), COL(disk, type, PC_STR),
	COL(disk, category, PC_STR), COL(disk, size_gb, PC_INT),
	COL(disk, name, PC_STR), COL(disk, description, PC_STR),
	COL(disk, device, PC_STR), COL(disk, image_id, PC_STR),
	COL(disk, source_snapshot_id, PC_STR),
	COL(disk, delete_with_instance, PC_INT),
	COL(disk, delete_auto_snapshot, PC_INT),
	COL(disk, enable_auto_snapshot, PC_INT), COL(disk, portable, PC_INT),
	COL(disk, charge, PC_INT), COL(disk, ever_attached, PC_INT),
	COL(disk, created_ms, PC_I64), COL(disk, attached_ms, PC_I64),
	COL(disk, detached_ms, PC_I64),
};
static const struct pg_col snap_cols[] = {
	COL(snapshot, id, PC_STR), COL(snapshot, account, PC_STR),
	COL(snapshot, region, PC_STR), COL(snapshot, name, PC_STR),
	COL(snapshot, description, PC_STR), COL(snapshot, is_auto, PC_INT),
	COL(snapshot, source_disk_id, PC_STR),
	COL(snapshot, source_disk_size, PC_INT),
	COL(snapshot, source_disk_type, PC_STR), COL(snapshot, status, PC_INT),
	COL(snapshot, retention_days, PC_INT), COL(snapshot, created_ms, PC_I64),
};

/* The statements not built from a column table. */
static const char *const pg_fixed_sql[ST__COUNT] = {
	[ST_SNAP_DEL_AUTO] = "DELETE FROM snapshots WHERE account = $1"
		" AND source_disk_id = $2 AND is_auto = 1",
	[ST_TOKEN_GET] = "SELECT hash, result FROM client_tokens"
		" WHERE account = $1 AND action = $2 AND token = $3",
	[ST_TOKEN_PUT] = "INSERT INTO client_tokens (account, action, token, hash,"
		" result, created_ms) VALUES ($1, $2, $3, $4, $5, $6)"
		" ON CONFLICT DO NOTHING RETURNING 1",
	[ST_RES_GET] = "SELECT " PG_RES_COLS " FROM resources WHERE id = $1"
		" AND ($2::text IS NULL OR account = $2)"
		" AND ($3::text IS NULL OR kind = $3)",
	/* no ON CONFLICT: its pre-check would take predicate locks on the
	 * primary key's pages; a taken id is SQLSTATE 23505 (STORE_ECONFLICT) */
	[ST_RES_INS] = "INSERT INTO resources (id, account, kind, region, parent,"
		" ref, doc, created_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
		" RETURNING seq",
	[ST_RES_UPD] = "UPDATE resources SET region = $3, parent = $4, ref = $5,"
		" doc = $6 WHERE id = $1 AND account = $2 RETURNING 1",
	[ST_RES_DEL] = "DELETE FROM resources WHERE id = $1 AND account = $2"
		" RETURNING 1",
	/* A batch of (fingerprint, slice) pairs, sorted by fingerprint (every
	 * node locks rows in one order: no deadlock), without repeats. A
	 * fingerprint comes back on first use, or when the stored one's slice
	 * had left the window ($3: the oldest live slice) but was not swept. */
	[ST_NONCE_USE] = "INSERT INTO nonce_seen AS n (fp, slice)"
		" SELECT * FROM unnest($1::bigint[], $2::integer[])"
		" ON CONFLICT (fp) DO UPDATE SET slice = EXCLUDED.slice"
		" WHERE n.slice < $3 RETURNING fp",
	[ST_NONCE_SWEEP] = "DELETE FROM nonce_seen WHERE ctid = ANY (ARRAY("
		"SELECT ctid FROM nonce_seen WHERE slice < $1 LIMIT "
		PG_NONCE_SWEEP_ROWS "))",
	[ST_KV_GET] = "SELECT value FROM ctl_kv WHERE key = $1",
	[ST_KV_PUT] = "INSERT INTO ctl_kv (key, value) VALUES ($1, $2)"
		" ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
	[ST_KV_SCAN] = "SELECT key, value FROM ctl_kv ORDER BY key",
	/* one statement: every resource row and token of $1 ('' = all) */
	[ST_PURGE] = "WITH r AS (DELETE FROM resources WHERE $1 = '' OR account = $1),"
		" s AS (DELETE FROM snapshots WHERE $1 = '' OR account = $1),"
		" d AS (DELETE FROM disks WHERE $1 = '' OR account = $1),"
		" i AS (DELETE FROM instances WHERE $1 = '' OR account = $1)"
		" DELETE FROM client_tokens WHERE $1 = '' OR account = $1",
};

#define NCOLS(a) ((int)(sizeof a / sizeof a[0]))
const struct pg_ent pg_ent_inst = { "instances", inst_cols, NCOLS(inst_cols),
	offsetof(struct instance, seq), sizeof(struct instance), ST_INST, DYN_INST };
const struct pg_ent pg_ent_disk = { "disks", disk_cols, NCOLS(disk_cols),
	offsetof(struct disk, seq), sizeof(struct disk), ST_DISK, DYN_DISK };
const struct pg_ent pg_ent_snap = { "snapshots", snap_cols, NCOLS(snap_cols),
	offsetof(struct snapshot, seq), sizeof(struct snapshot), ST_SNAP, DYN_SNAP };
static const struct pg_ent *const pg_ents[] = { &pg_ent_inst, &pg_ent_disk,
	&pg_ent_snap };

/* Appends the column names of e to b, comma-separated. */
void pg_add_cols(struct buf *b, const struct pg_ent *e)
{
	int i;

	for (i = 0; i < e->ncols; i++)
		buf_printf(b, "%s%s", i ? ", " : "", e->cols[i].name);
}

/* Single-row statements find the row by primary key only; the account is a
 * filter the planner cannot turn into an index condition. Otherwise, with
 * statistics of a nearly empty table, it may pick the (account, seq) index
 * as cheaply, and under SERIALIZABLE that scan's predicate locks cover the
 * account's whole range: concurrent releases in one account then fail
 * serialization again and again. */
#define PG_ACCOUNT_FILTER " AND (account = $2) IS TRUE"

/* The text of statement k of resource e. Caller frees; NULL on overflow. */
static char *pg_ent_sql(const struct pg_ent *e, int k)
{
	struct buf b;
	int i;

	buf_init(&b, PG_SQL_BYTES);
	switch (k) {
	case EST_GET:
	case EST_GET_ANY:
		buf_adds(&b, "SELECT seq, ");
		pg_add_cols(&b, e);
		buf_printf(&b, " FROM %s WHERE id = $1%s", e->table,
		           k == EST_GET ? PG_ACCOUNT_FILTER : "");
		break;
	case EST_INS:
		buf_printf(&b, "INSERT INTO %s (", e->table);
		pg_add_cols(&b, e);
		buf_adds(&b, ") VALUES (");
		for (i = 0; i < e->ncols; i++)
			buf_printf(&b, "%s$%d", i ? ", " : "", i + 1);
		buf_adds(&b, ") ON CONFLICT DO NOTHING RETURNING seq");
		break;
	case EST_UPD:
		buf_printf(&b, "UPDATE %s SET ", e->table);
		for (i = 2; i < e->ncols; i++)
			buf_printf(&b, "%s%s = $%d", i > 2 ? ", " : "",
			           e->cols[i].name, i + 1);
		buf_adds(&b, " WHERE id = $1" PG_ACCOUNT_FILTER);
		break;
	default:
		buf_printf(&b, "DELETE FROM %s WHERE id = $1" PG_ACCOUNT_FILTER,
		           e->table);
		break;
	}
	if (b.over) {
		buf_free(&b);
		return NULL;
	}
	return b.p;
}

/* Fills sql[] with the text of every enum pg_stmt (caller frees each);
 * 0, or -1 when one could not be made. */
int pg_stmt_sql(char *sql[ST__COUNT])
{
	int i, k;

	for (i = 0; i < (int)(sizeof pg_ents / sizeof pg_ents[0]); i++)
		for (k = 0; k < EST__N; k++)
			sql[pg_ents[i]->st + k] = pg_ent_sql(pg_ents[i], k);
	for (i = ST_SNAP_DEL_AUTO; i < ST__COUNT; i++)
		sql[i] = strdup(pg_fixed_sql[i]);
	for (i = 0; i < ST__COUNT && sql[i]; i++)
		;
	return i < ST__COUNT ? -1 : 0;
}

/* ---- migrate ---- */
/* Runs one simple-protocol command on c; 0 or -1 with err set. */
static int pg_simple(PGconn *c, const char *sql, PGresult **out, char *err,
                     size_t errlen)
{
	PGresult *r = PQsendQuery(c, sql) ? pg_await(c, PG_MIGRATE_WAIT_MS) : NULL;
	ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;

	if (r && (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)) {
		if (out)
			*out = r;
		else
			PQclear(r);
		return 0;
	}
	pg_copy_msg(err, errlen, r ? PQresultErrorMessage(r) : PQerrorMessage(c));
	PQclear(r);
	return -1;
}

/* Brings the schema to PG_SCHEMA_VERSION in one transaction, under an
 * advisory lock, so that nodes starting together migrate once. 0, or -1
 * with err set. */
int pg_migrate(PGconn *c, char *err, size_t errlen)
{
	char msg[PG_MSG_BYTES], sql[128];
	PGresult *r;
	int v, rc = -1;

	if (pg_simple(c, "BEGIN; SET LOCAL statement_timeout = 0;"
	              " SELECT pg_advisory_xact_lock(" PG_LOCK_KEY ");"
	              " CREATE TABLE IF NOT EXISTS schema_version"
	              " (version INTEGER NOT NULL)", NULL, msg, sizeof msg) ||
	    pg_simple(c, "SELECT coalesce(max(version), 0) FROM schema_version",
	              &r, msg, sizeof msg))
		goto out;
	v = (int)pg_parse_i64(PQgetvalue(r, 0, 0));
	PQclear(r);
	if (v > PG_SCHEMA_VERSION) {
		snprintf(msg, sizeof msg, "schema version %d is newer than this"
		         " ecsd knows (%d)", v, PG_SCHEMA_VERSION);
		goto out;
	}
	for (; v < PG_SCHEMA_VERSION; v++) {
		if (pg_simple(c, pg_migrations[v], NULL, msg, sizeof msg))
			goto out;
		snprintf(sql, sizeof sql, "DELETE FROM schema_version;"
		         " INSERT INTO schema_version VALUES (%d)", v + 1);
		if (pg_simple(c, sql, NULL, msg, sizeof msg))
			goto out;
		fprintf(stderr, "ecsd: store: PostgreSQL schema migrated to version"
		        " %d\n", v + 1);
	}
	rc = pg_simple(c, "COMMIT", NULL, msg, sizeof msg);
out:
	if (rc) {
		snprintf(err, errlen, "PostgreSQL schema migration failed: %s", msg);
		pg_simple(c, "ROLLBACK", NULL, msg, sizeof msg);
	}
	return rc;
}
