/* sq_schema.c - the SQLite backend's schema: the migrations, the column
 * table of each resource, the texts of the statements built from them, and
 * the migration run at open. No threads, no connection pool, no ECS rules. */
#include "sq_int.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- schema: append a migration, never edit a shipped one ---- */

static const char *const sq_migrations[] = {
	/* 1: the initial schema */
	"CREATE TABLE instances("
	" seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,"
	" account TEXT NOT NULL, region TEXT NOT NULL, zone TEXT NOT NULL,"
	" name TEXT NOT NULL, description TEXT NOT NULL, hostname TEXT NOT NULL,"
	" instance_type TEXT NOT NULL, image_id TEXT NOT NULL,"
	" stopped_mode TEXT NOT NULL, status INTEGER NOT NULL,"
	" p1_status INTEGER NOT NULL, p2_status INTEGER NOT NULL,"
	" p1_end_ms INTEGER NOT NULL, p2_end_ms INTEGER NOT NULL,"
	" charge INTEGER NOT NULL, expired_ms INTEGER NOT NULL,"
	" deletion_protection INTEGER NOT NULL, flags INTEGER NOT NULL,"
	" created_ms INTEGER NOT NULL, started_ms INTEGER NOT NULL);"
	"CREATE INDEX instances_account ON instances(account, seq);"
	"CREATE TABLE disks("
	" seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,"
	" account TEXT NOT NULL, region TEXT NOT NULL, zone TEXT NOT NULL,"
	" instance_id TEXT NOT NULL, type TEXT NOT NULL, category TEXT NOT NULL,"
	" size_gb INTEGER NOT NULL, name TEXT NOT NULL, description TEXT NOT NULL,"
	" device TEXT NOT NULL, image_id TEXT NOT NULL,"
	" source_snapshot_id TEXT NOT NULL, delete_with_instance INTEGER NOT NULL,"
	" delete_auto_snapshot INTEGER NOT NULL,"
	" enable_auto_snapshot INTEGER NOT NULL, portable INTEGER NOT NULL,"
	" charge INTEGER NOT NULL, ever_attached INTEGER NOT NULL,"
	" created_ms INTEGER NOT NULL, attached_ms INTEGER NOT NULL,"
	" detached_ms INTEGER NOT NULL);"
	"CREATE INDEX disks_account ON disks(account, seq);"
	"CREATE INDEX disks_instance ON disks(account, instance_id);"
	"CREATE TABLE snapshots("
	" seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,"
	" account TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL,"
	" description TEXT NOT NULL, is_auto INTEGER NOT NULL,"
	" source_disk_id TEXT NOT NULL, source_disk_size INTEGER NOT NULL,"
	" source_disk_type TEXT NOT NULL, status INTEGER NOT NULL,"
	" retention_days INTEGER NOT NULL, created_ms INTEGER NOT NULL);"
	"CREATE INDEX snapshots_account ON snapshots(account, seq);"
	"CREATE INDEX snapshots_disk ON snapshots(account, source_disk_id);"
	"CREATE TABLE client_tokens("
	" account TEXT NOT NULL, action TEXT NOT NULL, token TEXT NOT NULL,"
	" hash TEXT NOT NULL, result TEXT NOT NULL, created_ms INTEGER NOT NULL,"
	" PRIMARY KEY(account, action, token)) WITHOUT ROWID;",
	/* 2: rows per (table, account, region), kept by triggers, so that the
	 *    TotalCount of an unfiltered list is one lookup, not a scan */
	"CREATE TABLE row_counts(tbl TEXT NOT NULL, account TEXT NOT NULL,"
	" region TEXT NOT NULL, n INTEGER NOT NULL,"
	" PRIMARY KEY(tbl, account, region)) WITHOUT ROWID;"
	"INSERT INTO row_counts SELECT 'instances', account, region, count(*)"
	" FROM instances GROUP BY account, region;"
	"INSERT INTO row_counts SELECT 'disks', account, region, count(*)"
	" FROM disks GROUP BY account, region;"
	"INSERT INTO row_counts SELECT 'snapshots', account, region, count(*)"
	" FROM snapshots GROUP BY account, region;"
	"CREATE TRIGGER instances_count_ins AFTER INSERT ON instances BEGIN"
	" INSERT INTO row_counts VALUES('instances', new.account, new.region, 1)"
	" ON CONFLICT(tbl, account, region) DO UPDATE SET n = n + 1; END;"
	"CREATE TRIGGER instances_count_del AFTER DELETE ON instances BEGIN"
	" UPDATE row_counts SET n = n - 1 WHERE tbl = 'instances' AND"
	" account = old.account AND region = old.region; END;"
	"CREATE TRIGGER instances_count_upd AFTER UPDATE OF account, region ON instances"
	" WHEN old.account IS NOT new.account OR old.region IS NOT new.region BEGIN"
	" UPDATE row_counts SET n = n - 1 WHERE tbl = 'instances' AND"
	" account = old.account AND region = old.region;"
	" INSERT INTO row_counts VALUES('instances', new.account, new.region, 1)"
	" ON CONFLICT(tbl, account, region) DO UPDATE SET n = n + 1; END;"
	"CREATE TRIGGER disks_count_ins AFTER INSERT ON disks BEGIN"
	" INSERT INTO row_counts VALUES('disks', new.account, new.region, 1)"
	" ON CONFLICT(tbl, account, region) DO UPDATE SET n = n + 1; END;"
	"CREATE TRIGGER disks_count_del AFTER DELETE ON disks BEGIN"
	" UPDATE row_counts SET n = n - 1 WHERE tbl = 'disks' AND"
	" account = old.account AND region = old.region; END;"
	"CREATE TRIGGER disks_count_upd AFTER UPDATE OF account, region ON disks"
	" WHEN old.account IS NOT new.account OR old.region IS NOT new.region BEGIN"
	" UPDATE row_counts SET n = n - 1 WHERE tbl = 'disks' AND"
	" account = old.account AND region = old.region;"
	" INSERT INTO row_counts VALUES('disks', new.account, new.region, 1)"
	" ON CONFLICT(tbl, account, region) DO UPDATE SET n = n + 1; END;"
	"CREATE TRIGGER snapshots_count_ins AFTER INSERT ON snapshots BEGIN"
	" INSERT INTO row_counts VALUES('snapshots', new.account, new.region, 1)"
	" ON CONFLICT(tbl, account, region) DO UPDATE SET n = n + 1; END;"
	"CREATE TRIGGER snapshots_count_del AFTER DELETE ON snapshots BEGIN"
	" UPDATE row_counts SET n = n - 1 WHERE tbl = 'snapshots' AND"
	" account = old.account AND region = old.region; END;"
	"CREATE TRIGGER snapshots_count_upd AFTER UPDATE OF account, region ON snapshots"
	" WHEN old.account IS NOT new.account OR old.region IS NOT new.region BEGIN"
	" UPDATE row_counts SET n = n - 1 WHERE tbl = 'snapshots' AND"
	" account = old.account AND region = old.region;"
	" INSERT INTO row_counts VALUES('snapshots', new.account, new.region, 1)"
	" ON CONFLICT(tbl, account, region) DO UPDATE SET n = n + 1; END;",
	/* 3: every other resource kind, one row each (docs/store.md) */
	"CREATE TABLE resources("
	" seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,"
	" account TEXT NOT NULL, kind TEXT NOT NULL, region TEXT NOT NULL,"
	" parent TEXT NOT NULL, ref TEXT NOT NULL, created_ms INTEGER NOT NULL,"
	" doc TEXT NOT NULL);"
	"CREATE INDEX resources_kind ON resources(account, kind, seq);"
	"CREATE INDEX resources_parent ON resources(kind, parent);"
	"CREATE INDEX resources_ref ON resources(kind, ref);",
	/* 4: an instance's key pair and scheduled release (issue 13) */
	("ALTER TABLE instances ADD COLUMN key_pair_name TEXT NOT NULL DEFAULT '';"
	 "ALTER TABLE instances ADD COLUMN auto_release_ms INTEGER NOT NULL DEFAULT 0;"),
	/* 5: the audit trail (issue 14, docs/audit.md) */
	("CREATE TABLE audit("
	" seq INTEGER PRIMARY KEY AUTOINCREMENT, time_ms INTEGER NOT NULL,"
	" account TEXT NOT NULL, akid TEXT NOT NULL, source TEXT NOT NULL,"
	" product TEXT NOT NULL, action TEXT NOT NULL, resources TEXT NOT NULL,"
	" code TEXT NOT NULL, status INTEGER NOT NULL, request_id TEXT NOT NULL,"
	" params TEXT NOT NULL);"
	"CREATE INDEX audit_account ON audit(account, seq);"
	"CREATE INDEX audit_time ON audit(time_ms);"),
	/* 6: where an instance sits in the network (issues 12, 13) */
	("ALTER TABLE instances ADD COLUMN vpc_id TEXT NOT NULL DEFAULT '';"
	 "ALTER TABLE instances ADD COLUMN vswitch_id TEXT NOT NULL DEFAULT '';"
	 "ALTER TABLE instances ADD COLUMN private_ip TEXT NOT NULL DEFAULT '';"
	 "ALTER TABLE instances ADD COLUMN eni_id TEXT NOT NULL DEFAULT '';"
	 "ALTER TABLE instances ADD COLUMN mac TEXT NOT NULL DEFAULT '';"
	 "ALTER TABLE instances ADD COLUMN sg_ids TEXT NOT NULL DEFAULT '';"
	 "ALTER TABLE instances ADD COLUMN public_ip TEXT NOT NULL DEFAULT '';"
	 "ALTER TABLE instances ADD COLUMN bandwidth_out INTEGER NOT NULL DEFAULT 0;"
	 "ALTER TABLE instances ADD COLUMN eip_id TEXT NOT NULL DEFAULT '';"
	 "ALTER TABLE instances ADD COLUMN eip_ip TEXT NOT NULL DEFAULT '';"
	 "ALTER TABLE instances ADD COLUMN eip_bandwidth INTEGER NOT NULL DEFAULT 0;"
	 "ALTER TABLE instances ADD COLUMN eip_charge TEXT NOT NULL DEFAULT '';"
	 /* lookups by parent or ref read only their own rows, in seq order */
	 "DROP INDEX resources_parent; DROP INDEX resources_ref;"
	 "CREATE INDEX resources_parent ON resources(kind, parent, seq);"
	 "CREATE INDEX resources_ref ON resources(account, kind, ref, seq);"),
	/* 7: control documents shared by the nodes (virtual clock, fault rules) */
	"CREATE TABLE ctl_kv(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;",
};
#define SQ_SCHEMA_VERSION ((int)(sizeof(sq_migrations) / sizeof(sq_migrations[0])))

/* ---- row <-> struct mapping: one table per struct, id and account first ---- */

#define COL_T(T, f) { #f, COL_TEXT, offsetof(struct T, f), sizeof(((struct T *)0)->f) }
#define COL_N(T, f, k) { #f, k, offsetof(struct T, f), sizeof(((struct T *)0)->f) }

static const struct col sq_inst_cols[] = {
	COL_T(instance, id), COL_T(instance, account), COL_T(instance, region),
	COL_T(instance, zone), COL_T(instance, name), COL_T(instance, description),
	COL_T(instance, hostname), COL_T(instance, instance_type),
	COL_T(instance, image_id), COL_T(instance, stopped_mode),
	COL_N(instance, status, COL_INT), COL_N(instance, p1_status, COL_INT),
	COL_N(instance, p2_status, COL_INT), COL_N(instance, p1_end_ms, COL_I64),
	COL_N(instance, p2_end_ms, COL_I64), COL_N(instance, charge, COL_INT),
	COL_N(instance, expired_ms, COL_I64),
	COL_N(instance, deletion_protection, COL_INT),
	COL_N(instance, flags, COL_U32), COL_N(instance, created_ms, COL_I64),
	COL_N(instance, started_ms, COL_I64),
	COL_T(instance, key_pair_name), COL_N(instance, auto_release_ms, COL_I64),
	COL_T(instance, vpc_id), COL_T(instance, vswitch_id),
	COL_T(instance, private_ip), COL_T(instance, eni_id), COL_T(instance, mac),
	COL_T(instance, sg_ids), COL_T(instance, public_ip),
	COL_N(instance, bandwidth_out, COL_INT), COL_T(instance, eip_id),
	COL_T(instance, eip_ip), COL_N(instance, eip_bandwidth, COL_INT),
	COL_T(instance, eip_charge),
};

static const struct col sq_disk_cols[] = {
	COL_T(disk, id), COL_T(disk, account), COL_T(disk, region), COL_T(disk, zone),
	COL_T(disk, instance_id), COL_T(disk, type), COL_T(disk, category),
	COL_N(disk, size_gb, COL_INT), COL_T(disk, name), COL_T(disk, description),
	COL_T(disk, device), COL_T(disk, image_id), COL_T(disk, source_snapshot_id),
	COL_N(disk, delete_with_instance, COL_INT),
	COL_N(disk, delete_auto_snapshot, COL_INT),
	COL_N(disk, enable_auto_snapshot, COL_INT), COL_N(disk, portable, COL_INT),
	COL_N(disk, charge, COL_INT), COL_N(disk, ever_attached, COL_INT),
	COL_N(disk, created_ms, COL_I64), COL_N(disk, attached_ms, COL_I64),
	COL_N(disk, detached_ms, COL_I64),
};

static const struct col sq_snap_cols[] = {
	COL_T(snapshot, id), COL_T(snapshot, account), COL_T(snapshot, region),
	COL_T(snapshot, name), COL_T(snapshot, description),
	COL_N(snapshot, is_auto, COL_INT), COL_T(snapshot, source_disk_id),
	COL_N(snapshot, source_disk_size, COL_INT),
	COL_T(snapshot, source_disk_type), COL_N(snapshot, status, COL_INT),
	COL_N(snapshot, retention_days, COL_INT), COL_N(snapshot, created_ms, COL_I64),
};

#define ENT(T, t, c) { t, c, sizeof(c) / sizeof(c[0]), offsetof(struct T, seq), sizeof(struct T) }
const struct entity sq_ents[ENT__COUNT] = {
	ENT(instance, "instances", sq_inst_cols),
	ENT(disk, "disks", sq_disk_cols),
	ENT(snapshot, "snapshots", sq_snap_cols),
};

/* The fixed statements' texts by enum st (sq_int.h); sq_build_sql adds the
 * entities' GET, INS, UPD, DEL and GET_ANY from the column tables. */
static const char *const sq_fixed_sql[] = {
	[ST_BEGIN] = "BEGIN",
	[ST_BEGIN_IMM] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_SAVEPOINT] = "SAVEPOINT j",
	[ST_RELEASE] = "RELEASE j",
	[ST_ROLLBACK_TO] = "ROLLBACK TO j",
	[ST_SNAP_DEL_AUTO] = "DELETE FROM snapshots WHERE account=?1 AND"
	                     " source_disk_id=?2 AND is_auto=1",
	[ST_TOKEN_GET] = "SELECT hash, result FROM client_tokens WHERE"
	                 " account=?1 AND action=?2 AND token=?3",
	[ST_TOKEN_PUT] = "INSERT INTO client_tokens(account, action, token, hash,"
	                 " result, created_ms) VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_COUNT_REGION] = "SELECT n FROM row_counts WHERE tbl=?1 AND account=?2"
	                    " AND region=?3",
	[ST_COUNT_ALL] = "SELECT coalesce(sum(n), 0) FROM row_counts WHERE"
	                 " tbl=?1 AND account=?2",
	[ST_KV_GET] = "SELECT value FROM ctl_kv WHERE key=?1",
	[ST_KV_PUT] = "INSERT INTO ctl_kv(key, value) VALUES(?1, ?2)"
	              " ON CONFLICT(key) DO UPDATE SET value=excluded.value",
	[ST_KV_SCAN] = "SELECT key, value FROM ctl_kv ORDER BY key",
	[ST_PURGE_INST] = "DELETE FROM instances WHERE ?1='' OR account=?1",
	[ST_PURGE_DISK] = "DELETE FROM disks WHERE ?1='' OR account=?1",
	[ST_PURGE_SNAP] = "DELETE FROM snapshots WHERE ?1='' OR account=?1",
	[ST_PURGE_TOKEN] = "DELETE FROM client_tokens WHERE ?1='' OR account=?1",
	[ST_PURGE_RES] = "DELETE FROM resources WHERE ?1='' OR account=?1",
};

int sq_migrate(struct store *s, char *err, size_t errlen)
{
	sqlite3 *db = s->w->db;

	for (;;) {
		sqlite3_stmt *st = NULL;
		char set[96];
		int v = -1;

		if (sq_exec(db, "BEGIN IMMEDIATE") ||
		    sq_exec(db, "CREATE TABLE IF NOT EXISTS schema_version("
		                "version INTEGER NOT NULL)"))
			goto fail;
		if (sqlite3_prepare_v2(db, "SELECT coalesce(max(version), 0) FROM"
		                       " schema_version", -1, &st, NULL) == SQLITE_OK &&
		    sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
		if (v < 0) {
			sq_log(db, "schema_version");
			goto fail;
		}
		if (v > SQ_SCHEMA_VERSION) {
			snprintf(err, errlen, "%s has schema version %d, newer than this"
			         " ecsd understands (%d); run a newer ecsd", s->path, v,
			         SQ_SCHEMA_VERSION);
			sq_exec(db, "ROLLBACK");
			return -1;
		}
		if (v == SQ_SCHEMA_VERSION) {
			if (sq_exec(db, "COMMIT"))
				goto fail;
			return 0;
		}
		snprintf(set, sizeof(set), "DELETE FROM schema_version;"
		         " INSERT INTO schema_version(version) VALUES(%d)", v + 1);
		if (sq_exec(db, sq_migrations[v]) || sq_exec(db, set) ||
		    sq_exec(db, "COMMIT"))
			goto fail;
		fprintf(stderr, "ecsd: store: %s migrated to schema version %d\n",
		        s->path, v + 1);
	}
fail:
	if (!sqlite3_get_autocommit(db))
		sq_exec(db, "ROLLBACK");
	if (err && errlen && !*err)
		snprintf(err, errlen, "%s: cannot apply the schema (see log)", s->path);
	return -1;
}

/* Builds the fixed statement texts from the column tables. */
int sq_build_sql(struct store *s)
{
	for (size_t i = 0; i < ST__COUNT; i++)
		if (i < sizeof(sq_fixed_sql) / sizeof(sq_fixed_sql[0]) && sq_fixed_sql[i] &&
		    !(s->sql[i] = strdup(sq_fixed_sql[i])))
			return -1;
	for (int k = 0; k < ENT__COUNT; k++) {
		const struct entity *e = &sq_ents[k];
		struct buf cols, sel, ins, upd;
		int rc = 0;

		buf_init(&cols, LIM_STORE_SQL_BYTES);
		buf_init(&sel, LIM_STORE_SQL_BYTES);
		buf_init(&ins, LIM_STORE_SQL_BYTES);
		buf_init(&upd, LIM_STORE_SQL_BYTES);
		buf_printf(&ins, "INSERT INTO %s(", e->table);
		buf_printf(&upd, "UPDATE %s SET ", e->table);
		for (size_t i = 0; i < e->ncols; i++) {
			buf_printf(&cols, ", %s", e->cols[i].name);
			if (i >= 2)
				buf_printf(&upd, "%s%s=?%zu", i > 2 ? ", " : "",
				           e->cols[i].name, i + 1);
		}
		buf_printf(&sel, "SELECT seq%s FROM %s", buf_cstr(&cols), e->table);
		buf_printf(&ins, "%s) VALUES(?1", buf_cstr(&cols) + 2);
		for (size_t i = 1; i < e->ncols; i++)
			buf_printf(&ins, ", ?%zu", i + 1);
		buf_adds(&ins, ")");
		buf_adds(&upd, " WHERE id=?1 AND account=?2");
		if (cols.over || sel.over || ins.over || upd.over)
			rc = -1;
		s->select[k] = rc ? NULL : strdup(buf_cstr(&sel));
		s->sql[ST_ENT(k, E_INS)] = rc ? NULL : strdup(buf_cstr(&ins));
		s->sql[ST_ENT(k, E_UPD)] = rc ? NULL : strdup(buf_cstr(&upd));
		buf_reset(&cols);
		buf_printf(&cols, "%s WHERE id=?1 AND account=?2", buf_cstr(&sel));
		s->sql[ST_ENT(k, E_GET)] = cols.over ? NULL : strdup(buf_cstr(&cols));
		buf_reset(&cols);
		buf_printf(&cols, "%s WHERE id=?1", buf_cstr(&sel));
		s->sql[ST_GET_ANY + k] = cols.over ? NULL : strdup(buf_cstr(&cols));
		buf_reset(&cols);
		buf_printf(&cols, "DELETE FROM %s WHERE account=?1 AND id=?2", e->table);
		s->sql[ST_ENT(k, E_DEL)] = cols.over ? NULL : strdup(buf_cstr(&cols));
		buf_free(&cols);
		buf_free(&sel);
		buf_free(&ins);
		buf_free(&upd);
	}
	for (size_t i = 0; i < ST__COUNT; i++)
		if (!s->sql[i])
			return -1;
	for (int k = 0; k < ENT__COUNT; k++)
		if (!s->select[k])
			return -1;
	return 0;
}
