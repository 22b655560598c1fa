/* sqlite.c - the SQLite store backend: one data dir, WAL, a versioned schema,
 * one writer thread that group-commits queued jobs, a checkpointer thread,
 * a pool of reader connections. No ECS rules here; no SQLite message ever
 * reaches a client. */
#include "store.h"
#include "../auth/auth.h"
#include "../common/limits.h"
#include <sqlite3.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SQ_BUSY_TIMEOUT_MS   10000
#define SQ_DB_FILE           "ecsd.db"
#define SQ_CHECKPOINT_FRAMES 1000    /* WAL frames that wake the checkpointer
                                        (SQLite's own autocheckpoint default) */
#define SQ_WRITER_CACHE_KB   32768   /* writer page cache: no re-reads of hot
                                        index pages (readers keep the default) */
#define SQ_STR_(x) #x
#define SQ_STR(x) SQ_STR_(x)

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
};
#define SQ_SCHEMA_VERSION ((int)(sizeof(sq_migrations) / sizeof(sq_migrations[0])))

/* ---- row <-> struct mapping: one table per struct, id and account first ---- */

enum col_kind { COL_TEXT, COL_INT, COL_I64, COL_U32 };

struct col {
	const char *name;
	enum col_kind kind;
	size_t off;
	size_t size; /* text: the char array's size */
};

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

enum ent_kind { ENT_INST, ENT_DISK, ENT_SNAP, ENT__COUNT };

struct entity {
	const char *table;
	const struct col *cols;
	size_t ncols;
	size_t seq_off;
	size_t size;
};

#define ENT(T, t, c) { t, c, sizeof(c) / sizeof(c[0]), offsetof(struct T, seq), sizeof(struct T) }
static const struct entity sq_ents[ENT__COUNT] = {
	ENT(instance, "instances", sq_inst_cols),
	ENT(disk, "disks", sq_disk_cols),
	ENT(snapshot, "snapshots", sq_snap_cols),
};

/* Fixed statements, prepared once per connection on first use. Each
 * entity has GET, INS, UPD, DEL in that order at ST_ENT(kind). */
enum st {
	ST_BEGIN, ST_BEGIN_IMM, ST_COMMIT, ST_ROLLBACK,
	ST_SAVEPOINT, ST_RELEASE, ST_ROLLBACK_TO,
	ST_ENT0,
	ST_GET_ANY = ST_ENT0 + 4 * ENT__COUNT,  /* by id alone, one per entity */
	ST_SNAP_DEL_AUTO = ST_GET_ANY + ENT__COUNT, ST_TOKEN_GET, ST_TOKEN_PUT,
	ST_COUNT_REGION, ST_COUNT_ALL,
	ST__COUNT
};
enum { E_GET, E_INS, E_UPD, E_DEL };
#define ST_ENT(kind, op) (ST_ENT0 + 4 * (kind) + (op))

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
};

/* ---- connections, statements, transactions ---- */

struct sq_slot {
	sqlite3_stmt *st;
	int busy;
};

struct sq_dyn {
	char *sql;
	sqlite3_stmt *st;
	int busy;
	uint64_t used;
};

struct sq_conn {
	sqlite3 *db;
	struct sq_conn *next; /* reader free list */
	struct sq_slot fixed[ST__COUNT];
	struct sq_dyn dyn[LIM_STORE_STMT_CACHE];
	uint64_t tick;
};

struct sq_job {
	store_fn fn;
	void *arg;
	int rc;
	int done;
	pthread_cond_t cv;
	struct sq_job *next;
	struct sq_job *wake[2];  /* woken by this job once it is woken */
};

struct store {
	struct store_base base;
	char path[PATH_MAX];
	int durable;
	char *sql[ST__COUNT];          /* fixed statement texts (owned) */
	char *select[ENT__COUNT];      /* "SELECT seq, cols FROM table" (owned) */
	struct sq_conn *w;             /* owned by the writer thread */
	pthread_t writer;
	int writer_running;
	struct sq_conn *ck;            /* owned by the checkpointer thread */
	pthread_t ckpt;
	int ckpt_running, ckpt_want, ckpt_stop;
	pthread_mutex_t ckmu;
	pthread_cond_t ckcv;
	pthread_mutex_t qmu;
	pthread_cond_t qcv;
	struct sq_job *qhead, *qtail;
	int stopping;
	pthread_mutex_t rmu;
	pthread_cond_t rcv;
	struct sq_conn *rfree;
	int rcount;
	struct nonce_cache *nc;
};

struct store_tx {
	struct store_tx_base base;
	struct store *s;
	struct sq_conn *c;
};

/* A statement in use: slot is NULL for a transient one (finalized after). */
struct sq_use {
	sqlite3_stmt *st;
	int *busy;
};

static void sq_log(sqlite3 *db, const char *what)
{
	fprintf(stderr, "ecsd: store: %s: %s\n", what,
	        db ? sqlite3_errmsg(db) : "out of memory");
}

static int sq_fail(struct sq_conn *c, int rc, const char *what)
{
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return STORE_ECONFLICT;
	sq_log(c->db, what);
	if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
		return STORE_EUNAVAIL;
	return STORE_EIO;
}

static int sq_prepare(struct sq_conn *c, const char *sql, unsigned flags,
                      sqlite3_stmt **st)
{
	int rc = sqlite3_prepare_v3(c->db, sql, -1, flags, st, NULL);

	if (rc != SQLITE_OK) {
		sq_log(c->db, "prepare");
		*st = NULL;
		return STORE_EIO;
	}
	return 0;
}

static int sq_fixed(struct store_tx *tx, enum st i, struct sq_use *u)
{
	struct sq_slot *sl = &tx->c->fixed[i];

	u->busy = NULL;
	if (sl->busy) /* nested use from a list callback */
		return sq_prepare(tx->c, tx->s->sql[i], 0, &u->st);
	if (!sl->st && sq_prepare(tx->c, tx->s->sql[i],
	                          SQLITE_PREPARE_PERSISTENT, &sl->st))
		return STORE_EIO;
	sl->busy = 1;
	u->st = sl->st;
	u->busy = &sl->busy;
	return 0;
}

static int sq_dynamic(struct store_tx *tx, const char *sql, struct sq_use *u)
{
	struct sq_conn *c = tx->c;
	struct sq_dyn *victim = NULL;

	u->busy = NULL;
	for (size_t i = 0; i < LIM_STORE_STMT_CACHE; i++) {
		struct sq_dyn *d = &c->dyn[i];

		if (d->sql && !d->busy && strcmp(d->sql, sql) == 0) {
			victim = d;
			goto found;
		}
		if (!d->busy && (!victim || !d->sql ||
		                 (victim->sql && d->used < victim->used)))
			victim = d;
	}
	if (!victim)
		return sq_prepare(c, sql, 0, &u->st);
	sqlite3_finalize(victim->st);
	free(victim->sql);
	victim->st = NULL;
	victim->sql = strdup(sql);
	if (!victim->sql)
		return sq_prepare(c, sql, 0, &u->st);
	if (sq_prepare(c, sql, SQLITE_PREPARE_PERSISTENT, &victim->st)) {
		free(victim->sql);
		victim->sql = NULL;
		return STORE_EIO;
	}
found:
	victim->used = ++c->tick;
	victim->busy = 1;
	u->st = victim->st;
	u->busy = &victim->busy;
	return 0;
}

static void sq_done(struct sq_use *u)
{
	if (!u->st)
		return;
	if (u->busy) {
		sqlite3_reset(u->st);
		sqlite3_clear_bindings(u->st);
		*u->busy = 0;
	} else {
		sqlite3_finalize(u->st);
	}
	u->st = NULL;
}

/* Runs a statement that returns no rows (BEGIN, COMMIT, ...). */
static int sq_simple(struct store_tx *tx, enum st i)
{
	struct sq_use u;
	int rc;

	if (sq_fixed(tx, i, &u))
		return STORE_EIO;
	rc = sqlite3_step(u.st);
	rc = rc == SQLITE_DONE ? 0 : sq_fail(tx->c, rc, tx->s->sql[i]);
	sq_done(&u);
	return rc;
}

static int sq_exec(sqlite3 *db, const char *sql)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) {
		sq_log(db, sql);
		return -1;
	}
	return 0;
}

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
		qb_int(&b, " AND (CASE WHEN p1_end_ms>? THEN p1_status", q->now_ms);
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

static int sq_inst_get(struct store_tx *tx, const char *account, const char *id,
                       struct instance *out)
{
	return sq_ent_get(tx, ENT_INST, account, id, out);
}

static int sq_inst_insert(struct store_tx *tx, struct instance *in)
{
	return sq_ent_put(tx, ENT_INST, E_INS, in, &in->seq);
}

static int sq_inst_update(struct store_tx *tx, const struct instance *in)
{
	return sq_ent_put(tx, ENT_INST, E_UPD, in, NULL);
}

static int sq_inst_delete(struct store_tx *tx, const char *account, const char *id)
{
	return sq_ent_del(tx, ENT_INST, account, id);
}

static int sq_inst_list(struct store_tx *tx, const struct inst_query *q,
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

static int sq_inst_count(struct store_tx *tx, const struct inst_query *q,
                         int64_t *total)
{
	struct sink k = { ENT_INST, NULL, NULL, NULL, NULL, total };

	if (!q->ids.set && !q->zone && q->status < 0 && q->charge < 0)
		return sq_count_fast(tx, ENT_INST, q->account, q->region, total);
	*total = 0;
	return sq_inst_query(tx, q, &k);
}

static int sq_disk_get(struct store_tx *tx, const char *account, const char *id,
                       struct disk *out)
{
	return sq_ent_get(tx, ENT_DISK, account, id, out);
}

static int sq_disk_insert(struct store_tx *tx, struct disk *d)
{
	return sq_ent_put(tx, ENT_DISK, E_INS, d, &d->seq);
}

static int sq_disk_update(struct store_tx *tx, const struct disk *d)
{
	return sq_ent_put(tx, ENT_DISK, E_UPD, d, NULL);
}

static int sq_disk_delete(struct store_tx *tx, const char *account, const char *id)
{
	return sq_ent_del(tx, ENT_DISK, account, id);
}

static int sq_disk_list(struct store_tx *tx, const struct disk_query *q,
                        disk_cb cb, void *arg)
{
	struct sink k = { ENT_DISK, NULL, cb, NULL, arg, NULL };

	return sq_disk_query(tx, q, &k);
}

static int sq_disk_count(struct store_tx *tx, const struct disk_query *q,
                         int64_t *total)
{
	struct sink k = { ENT_DISK, NULL, NULL, NULL, NULL, total };

	if (!q->ids.set && !q->instance_id && !q->type && !q->category &&
	    q->attached < 0 && q->charge < 0 && q->delete_with_instance < 0)
		return sq_count_fast(tx, ENT_DISK, q->account, q->region, total);
	*total = 0;
	return sq_disk_query(tx, q, &k);
}

static int sq_snap_get(struct store_tx *tx, const char *account, const char *id,
                       struct snapshot *out)
{
	return sq_ent_get(tx, ENT_SNAP, account, id, out);
}

static int sq_snap_insert(struct store_tx *tx, struct snapshot *sn)
{
	return sq_ent_put(tx, ENT_SNAP, E_INS, sn, &sn->seq);
}

static int sq_snap_update(struct store_tx *tx, const struct snapshot *sn)
{
	return sq_ent_put(tx, ENT_SNAP, E_UPD, sn, NULL);
}

static int sq_snap_delete(struct store_tx *tx, const char *account, const char *id)
{
	return sq_ent_del(tx, ENT_SNAP, account, id);
}

static int sq_snap_delete_auto(struct store_tx *tx, const char *account,
                               const char *disk_id, int64_t *n)
{
	*n = 0;
	return sq_delete(tx, ST_SNAP_DEL_AUTO, account, disk_id, n);
}

static int sq_snap_list(struct store_tx *tx, const struct snap_query *q,
                        snap_cb cb, void *arg)
{
	struct sink k = { ENT_SNAP, NULL, NULL, cb, arg, NULL };

	return sq_snap_query(tx, q, &k);
}

static int sq_snap_count(struct store_tx *tx, const struct snap_query *q,
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

static int sq_token_get(struct store_tx *tx, const char *account,
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

static int sq_token_put(struct store_tx *tx, const char *account,
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

/* ---- connections ---- */

static void sq_conn_close(struct sq_conn *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < ST__COUNT; i++)
		sqlite3_finalize(c->fixed[i].st);
	for (size_t i = 0; i < LIM_STORE_STMT_CACHE; i++) {
		sqlite3_finalize(c->dyn[i].st);
		free(c->dyn[i].sql);
	}
	if (sqlite3_close(c->db) != SQLITE_OK)
		sq_log(c->db, "close");
	free(c);
}

enum sq_role { SQ_READER, SQ_WRITER, SQ_CHECKPOINTER };

/* The writer connection sets WAL and synchronous; readers are query-only;
 * the checkpointer syncs as the writer does (a checkpoint fsyncs the WAL
 * before it copies pages back and the database after). */
static struct sq_conn *sq_conn_open(struct store *s, enum sq_role role)
{
	struct sq_conn *c = calloc(1, sizeof(*c));
	sqlite3_stmt *st = NULL;
	int ok;

	if (!c)
		return NULL;
	if (sqlite3_open_v2(s->path, &c->db, SQLITE_OPEN_READWRITE |
	                    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		sq_log(c->db, s->path);
		sq_conn_close(c);
		return NULL;
	}
	sqlite3_busy_timeout(c->db, SQ_BUSY_TIMEOUT_MS);
	if (role == SQ_READER) {
		ok = sq_exec(c->db, "PRAGMA query_only=1") == 0;
	} else if (role == SQ_CHECKPOINTER) {
		ok = sq_exec(c->db, s->durable ? "PRAGMA synchronous=FULL"
		                               : "PRAGMA synchronous=NORMAL") == 0;
	} else {
		ok = sqlite3_prepare_v2(c->db, "PRAGMA journal_mode=WAL", -1, &st,
		                        NULL) == SQLITE_OK &&
		     sqlite3_step(st) == SQLITE_ROW &&
		     sqlite3_column_text(st, 0) &&
		     strcmp((const char *)sqlite3_column_text(st, 0), "wal") == 0;
		if (!ok)
			sq_log(c->db, "journal_mode=WAL");
		sqlite3_finalize(st);
		ok = ok && sq_exec(c->db, s->durable ? "PRAGMA synchronous=FULL"
		                                     : "PRAGMA synchronous=NORMAL") == 0;
		ok = ok && sq_exec(c->db, "PRAGMA cache_size=-" SQ_STR(SQ_WRITER_CACHE_KB)) == 0;
	}
	if (!ok) {
		sq_conn_close(c);
		return NULL;
	}
	return c;
}

static int sq_migrate(struct store *s, char *err, size_t errlen)
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
static int sq_build_sql(struct store *s)
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

/* mkdir -p with mode 0700 for the parts it creates. */
static int sq_mkdirs(const char *dir)
{
	char p[PATH_MAX];
	struct stat sb;
	size_t n = strlen(dir);

	if (n == 0 || n >= sizeof(p))
		return -1;
	memcpy(p, dir, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		p[i] = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST)
			return -1;
		p[i] = i < n ? '/' : '\0';
	}
	return stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode) ? 0 : -1;
}

/* ---- the writer thread: group commit ---- */

/* Runs the group's jobs in one transaction, a savepoint each; every job's
 * rc is set. A job whose fn fails is rolled back alone; a failed COMMIT (or
 * a transaction SQLite aborted) fails every job of the transaction. */
static void sq_run_group(struct store *s, struct sq_job *first)
{
	struct store_tx tx = { { &store_sqlite_ops }, s, s->w };
	struct sq_job *txfirst = NULL, *j;
	int in_tx = 0;

	for (j = first; j; j = j->next) {
		if (!in_tx) {
			if (sq_simple(&tx, ST_BEGIN_IMM)) {
				j->rc = STORE_EIO;
				continue;
			}
			in_tx = 1;
			txfirst = j;
		}
		if (sq_simple(&tx, ST_SAVEPOINT)) {
			j->rc = STORE_EIO;
		} else {
			j->rc = j->fn(&tx, j->arg);
			if ((j->rc != 0 && sq_simple(&tx, ST_ROLLBACK_TO)) ||
			    sq_simple(&tx, ST_RELEASE)) /* cannot isolate the job */
				sq_simple(&tx, ST_ROLLBACK);
		}
		if (sqlite3_get_autocommit(s->w->db)) { /* the transaction is gone */
			for (struct sq_job *k = txfirst; k != j->next; k = k->next)
				k->rc = STORE_EIO;
			in_tx = 0;
		}
	}
	if (in_tx && sq_simple(&tx, ST_COMMIT)) {
		if (!sqlite3_get_autocommit(s->w->db))
			sq_simple(&tx, ST_ROLLBACK);
		for (j = txfirst; j; j = j->next)
			j->rc = STORE_EIO;
	}
}

/* Wakes a committed group as a binary tree: the writer wakes the first
 * job, each woken job wakes two more (sq_write). A job is marked done only
 * by the one that signals it, under qmu, so it cannot leave (and free its
 * condition variable) before. The writer makes one wake-up per group
 * instead of one per job, and is not preempted by each woken thread. */
static void sq_wake_group(struct store *s, struct sq_job *first)
{
	struct sq_job *v[LIM_GROUP_COMMIT];
	int n = 0;

	for (struct sq_job *j = first; j && n < LIM_GROUP_COMMIT; j = j->next)
		v[n++] = j;
	for (int i = 0; i < n; i++) {
		v[i]->wake[0] = 2 * i + 1 < n ? v[2 * i + 1] : NULL;
		v[i]->wake[1] = 2 * i + 2 < n ? v[2 * i + 2] : NULL;
	}
	pthread_mutex_lock(&s->qmu);
	if (n) {
		v[0]->done = 1;
		pthread_cond_signal(&v[0]->cv);
	}
}

static void *sq_writer(void *arg)
{
	struct store *s = arg;

	pthread_mutex_lock(&s->qmu);
	for (;;) {
		struct sq_job *first, *last;
		int n = 1;

		while (!s->qhead && !s->stopping)
			pthread_cond_wait(&s->qcv, &s->qmu);
		if (!s->qhead)
			break;
		first = last = s->qhead;
		while (last->next && n < LIM_GROUP_COMMIT) {
			last = last->next;
			n++;
		}
		s->qhead = last->next;
		if (!s->qhead)
			s->qtail = NULL;
		last->next = NULL;
		pthread_mutex_unlock(&s->qmu);

		sq_run_group(s, first);
		sq_wake_group(s, first);   /* returns with qmu held */
	}
	pthread_mutex_unlock(&s->qmu);
	return NULL;
}

static int sq_write(struct store *s, store_fn fn, void *arg)
{
	struct sq_job j = { fn, arg, 0, 0, PTHREAD_COND_INITIALIZER, NULL,
	                    { NULL, NULL } };

	if (pthread_equal(pthread_self(), s->writer)) { /* would deadlock */
		fprintf(stderr, "ecsd: store: store_write called inside a write\n");
		return STORE_EIO;
	}
	pthread_mutex_lock(&s->qmu);
	if (s->stopping) {
		pthread_mutex_unlock(&s->qmu);
		return STORE_EUNAVAIL;
	}
	if (s->qtail)
		s->qtail->next = &j;
	else
		s->qhead = &j;
	s->qtail = &j;
	pthread_cond_signal(&s->qcv);
	while (!j.done)
		pthread_cond_wait(&j.cv, &s->qmu);
	for (int k = 0; k < 2; k++) {   /* pass the wake-up on (sq_writer) */
		if (j.wake[k]) {
			j.wake[k]->done = 1;
			pthread_cond_signal(&j.wake[k]->cv);
		}
	}
	pthread_mutex_unlock(&s->qmu);
	pthread_cond_destroy(&j.cv);
	return j.rc;
}

/* ---- the checkpointer thread ---- */

/* Called by SQLite in the writer thread after each commit: a grown WAL
 * wakes the checkpointer instead of checkpointing inside the commit, so
 * the writer goes on with the next group meanwhile. */
static int sq_wal_hook(void *arg, sqlite3 *db, const char *name, int frames)
{
	struct store *s = arg;

	(void)db;
	(void)name;
	if (frames >= SQ_CHECKPOINT_FRAMES) {
		pthread_mutex_lock(&s->ckmu);
		s->ckpt_want = 1;
		pthread_cond_signal(&s->ckcv);
		pthread_mutex_unlock(&s->ckmu);
	}
	return SQLITE_OK;
}

/* PASSIVE checkpoints on a connection of its own: they copy committed
 * pages from the WAL back to the database without blocking the writer or
 * the readers. Durability does not depend on them (the WAL is fsynced at
 * each commit); they bound the WAL's growth. */
static void *sq_checkpointer(void *arg)
{
	struct store *s = arg;
	int rc;

	pthread_mutex_lock(&s->ckmu);
	for (;;) {
		while (!s->ckpt_want && !s->ckpt_stop)
			pthread_cond_wait(&s->ckcv, &s->ckmu);
		if (s->ckpt_stop)
			break;
		s->ckpt_want = 0;
		pthread_mutex_unlock(&s->ckmu);
		rc = sqlite3_wal_checkpoint_v2(s->ck->db, NULL,
		                               SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
		if (rc != SQLITE_OK && rc != SQLITE_BUSY)
			sq_log(s->ck->db, "checkpoint");
		pthread_mutex_lock(&s->ckmu);
	}
	pthread_mutex_unlock(&s->ckmu);
	return NULL;
}

/* Starts the checkpointer; without one, SQLite checkpoints in the writer's
 * commits as before (its autocheckpoint stays on). */
static void sq_checkpointer_start(struct store *s)
{
	s->ck = sq_conn_open(s, SQ_CHECKPOINTER);
	if (!s->ck)
		return;
	if (pthread_create(&s->ckpt, NULL, sq_checkpointer, s) != 0) {
		sq_conn_close(s->ck);
		s->ck = NULL;
		return;
	}
	s->ckpt_running = 1;
	sqlite3_wal_hook(s->w->db, sq_wal_hook, s);  /* replaces autocheckpoint */
}

/* ---- readers ---- */

static struct sq_conn *sq_reader_get(struct store *s)
{
	struct sq_conn *c = NULL;

	pthread_mutex_lock(&s->rmu);
	while (!s->rfree && s->rcount >= LIM_STORE_READERS)
		pthread_cond_wait(&s->rcv, &s->rmu);
	if (s->rfree) {
		c = s->rfree;
		s->rfree = c->next;
		pthread_mutex_unlock(&s->rmu);
		return c;
	}
	s->rcount++;
	pthread_mutex_unlock(&s->rmu);
	c = sq_conn_open(s, SQ_READER);
	if (!c) {
		pthread_mutex_lock(&s->rmu);
		s->rcount--;
		pthread_cond_signal(&s->rcv);
		pthread_mutex_unlock(&s->rmu);
	}
	return c;
}

static void sq_reader_put(struct store *s, struct sq_conn *c)
{
	pthread_mutex_lock(&s->rmu);
	c->next = s->rfree;
	s->rfree = c;
	pthread_cond_signal(&s->rcv);
	pthread_mutex_unlock(&s->rmu);
}

static int sq_read(struct store *s, store_fn fn, void *arg)
{
	struct store_tx tx = { { &store_sqlite_ops }, s, sq_reader_get(s) };
	int rc;

	if (!tx.c)
		return STORE_EIO;
	if (sq_simple(&tx, ST_BEGIN)) {
		rc = STORE_EIO;
	} else {
		rc = fn(&tx, arg);
		if (sq_simple(&tx, rc == 0 ? ST_COMMIT : ST_ROLLBACK) && rc == 0)
			rc = STORE_EIO;
	}
	if (!sqlite3_get_autocommit(tx.c->db))
		sq_exec(tx.c->db, "ROLLBACK");
	sq_reader_put(s, tx.c);
	return rc;
}

static int sq_nonce_use(struct store *s, const char *akid, const char *nonce,
                        int64_t now_ms, int64_t window_ms)
{
	int rc = nonce_use(s->nc, akid, nonce, now_ms);

	(void)window_ms; /* the cache's window is LIM_AUTH_WINDOW_S */
	return rc < 0 ? STORE_EUNAVAIL : rc;
}

/* ---- open / close ---- */

static void sq_close(struct store *s)
{
	if (!s)
		return;
	if (s->writer_running) {
		pthread_mutex_lock(&s->qmu);
		s->stopping = 1;
		pthread_cond_broadcast(&s->qcv);
		pthread_mutex_unlock(&s->qmu);
		pthread_join(s->writer, NULL);
	}
	if (s->ckpt_running) {
		pthread_mutex_lock(&s->ckmu);
		s->ckpt_stop = 1;
		pthread_cond_signal(&s->ckcv);
		pthread_mutex_unlock(&s->ckmu);
		pthread_join(s->ckpt, NULL);
	}
	sq_conn_close(s->ck);   /* before the writer: its close checkpoints last */
	while (s->rfree) {
		struct sq_conn *c = s->rfree;

		s->rfree = c->next;
		sq_conn_close(c);
		s->rcount--;
	}
	if (s->rcount)
		fprintf(stderr, "ecsd: store: closed with %d reads running\n", s->rcount);
	sq_conn_close(s->w);
	for (size_t i = 0; i < ST__COUNT; i++)
		free(s->sql[i]);
	for (int k = 0; k < ENT__COUNT; k++)
		free(s->select[k]);
	if (s->nc)
		nonce_free(s->nc);
	pthread_mutex_destroy(&s->qmu);
	pthread_cond_destroy(&s->qcv);
	pthread_mutex_destroy(&s->rmu);
	pthread_cond_destroy(&s->rcv);
	pthread_mutex_destroy(&s->ckmu);
	pthread_cond_destroy(&s->ckcv);
	free(s);
}

/* SQLite's allocation statistics take one process-wide mutex in every
 * sqlite3_malloc (Debian's build has no lookaside, so a query makes dozens)
 * and ecsd never reads them. Must run before SQLite initialises itself. */
static pthread_once_t sq_once = PTHREAD_ONCE_INIT;

static void sq_global_init(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static int sq_open(const struct store_opts *o, struct store **out, char *err,
                   size_t errlen)
{
	const char *dir = o->uri && *o->uri ? o->uri : ".";
	struct store *s;
	int n;

	pthread_once(&sq_once, sq_global_init);
	*out = NULL;
	if (err && errlen)
		*err = '\0';
	if (!sqlite3_threadsafe()) {
		snprintf(err, errlen, "libsqlite3 was built without thread support");
		return -1;
	}
	if (sq_mkdirs(dir)) {
		snprintf(err, errlen, "cannot create data directory %s: %s", dir,
		         strerror(errno));
		return -1;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	s->base.ops = &store_sqlite_ops;
	s->durable = o->durable != 0;
	pthread_mutex_init(&s->qmu, NULL);
	pthread_cond_init(&s->qcv, NULL);
	pthread_mutex_init(&s->rmu, NULL);
	pthread_cond_init(&s->rcv, NULL);
	pthread_mutex_init(&s->ckmu, NULL);
	pthread_cond_init(&s->ckcv, NULL);
	n = snprintf(s->path, sizeof(s->path), "%s/%s", dir, SQ_DB_FILE);
	if (n < 0 || (size_t)n >= sizeof(s->path)) {
		snprintf(err, errlen, "data directory path too long");
		goto fail;
	}
	if (sq_build_sql(s) || !(s->nc = nonce_new(LIM_NONCE_ENTRIES))) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	s->w = sq_conn_open(s, SQ_WRITER);
	if (!s->w) {
		snprintf(err, errlen, "cannot open %s in WAL mode (see log)", s->path);
		goto fail;
	}
	if (sq_migrate(s, err, errlen))
		goto fail;
	sq_checkpointer_start(s);
	if (pthread_create(&s->writer, NULL, sq_writer, s) != 0) {
		snprintf(err, errlen, "cannot start the writer thread");
		goto fail;
	}
	s->writer_running = 1;
	*out = s;
	return 0;
fail:
	sq_close(s);
	return -1;
}

const struct store_ops store_sqlite_ops = {
	.name = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.write = sq_write,
	.read = sq_read,
	.nonce_use = sq_nonce_use,
	.inst_get = sq_inst_get,
	.inst_insert = sq_inst_insert,
	.inst_update = sq_inst_update,
	.inst_delete = sq_inst_delete,
	.inst_list = sq_inst_list,
	.inst_count = sq_inst_count,
	.disk_get = sq_disk_get,
	.disk_insert = sq_disk_insert,
	.disk_update = sq_disk_update,
	.disk_delete = sq_disk_delete,
	.disk_list = sq_disk_list,
	.disk_count = sq_disk_count,
	.snap_get = sq_snap_get,
	.snap_insert = sq_snap_insert,
	.snap_update = sq_snap_update,
	.snap_delete = sq_snap_delete,
	.snap_delete_auto = sq_snap_delete_auto,
	.snap_list = sq_snap_list,
	.snap_count = sq_snap_count,
	.token_get = sq_token_get,
	.token_put = sq_token_put,
};
