/* postgres.c - the PostgreSQL store backend: a pool of libpq connections,
 * SERIALIZABLE write transactions re-run on conflict, a versioned schema
 * migrated under an advisory lock. No ECS rules here; no SQL outside it. */
#include "store.h"
#include <errno.h>
#include <libpq-fe.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Tunables of this backend (timing, not hostile-input ceilings). */
#define PG_POOL_DEFAULT      8
#define PG_POOL_MAX          256
#define PG_CHECKOUT_WAIT_MS  5000     /* wait for a free pooled connection */
#define PG_CONNECT_TIMEOUT_S "2"      /* libpq connect_timeout */
#define PG_STMT_TIMEOUT_MS   5000     /* server-side statement_timeout */
#define PG_REPLY_WAIT_MS     8000     /* client-side wait for any reply */
#define PG_IDLE_TX_MS        30000    /* server drops a transaction left idle */
#define PG_MIGRATE_WAIT_MS   60000    /* migration (may wait for another node) */
#define PG_OPEN_WAIT_MS      30000    /* keep trying the server at open */
#define PG_DOWN_BACKOFF_MS   250      /* after a failed connect, fail fast */
#define PG_RETRY_MAX         10       /* runs of fn on serialization failure */
#define PG_BACKOFF_US        500      /* first retry backoff; doubles, jittered */
#define PG_NONCE_SWEEP_EVERY 100      /* nonce calls per expired-row sweep */
#define PG_MAX_PARAMS        48
#define PG_SQL_BYTES         4096     /* one generated statement */
#define PG_ARRAY_BYTES       (1024 * 1024) /* an id list as a text[] literal */
#define PG_MSG_BYTES         512
#define PG_DYN_MASKS         512      /* filter combinations per query kind */
#define PG_LOCK_KEY          "7297846203572512"  /* advisory lock: migrations */

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
};
#define PG_SCHEMA_VERSION ((int)(sizeof pg_migrations / sizeof pg_migrations[0]))

/* ---- row layouts: one column table per resource drives every statement ---- */
enum pg_ctype { PC_STR, PC_INT, PC_I64, PC_U32 };
struct pg_col {
	const char *name;
	enum pg_ctype t;
	size_t off, size;
};
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

/* Per resource: get, get (any account), insert, update, delete. */
enum { EST_GET, EST_GET_ANY, EST_INS, EST_UPD, EST_DEL, EST__N };
enum pg_stmt {
	ST_INST = 0,
	ST_DISK = ST_INST + EST__N,
	ST_SNAP = ST_DISK + EST__N,
	ST_SNAP_DEL_AUTO = ST_SNAP + EST__N,
	ST_TOKEN_GET,
	ST_TOKEN_PUT,
	ST_NONCE_USE,
	ST_NONCE_SWEEP,
	ST__COUNT
};
/* Generated list/count statements, one per combination of filters. */
enum pg_dyn { DYN_INST, DYN_INST_N, DYN_DISK, DYN_DISK_N, DYN_SNAP, DYN_SNAP_N,
              DYN__COUNT };

static const char *const pg_fixed_sql[ST__COUNT] = {
	[ST_SNAP_DEL_AUTO] = "DELETE FROM snapshots WHERE account = $1"
		" AND source_disk_id = $2 AND is_auto = 1",
	[ST_TOKEN_GET] = "SELECT hash, result FROM client_tokens"
		" WHERE account = $1 AND action = $2 AND token = $3",
	[ST_TOKEN_PUT] = "INSERT INTO client_tokens (account, action, token, hash,"
		" result, created_ms) VALUES ($1, $2, $3, $4, $5, $6)"
		" ON CONFLICT DO NOTHING RETURNING 1",
	/* A row comes back on first use, or when the stored one had expired. */
	[ST_NONCE_USE] = "INSERT INTO nonces AS n (akid, nonce, expires_ms)"
		" VALUES ($1, $2, $3) ON CONFLICT (akid, nonce) DO UPDATE"
		" SET expires_ms = EXCLUDED.expires_ms WHERE n.expires_ms <= $4"
		" RETURNING 1",
	[ST_NONCE_SWEEP] = "DELETE FROM nonces WHERE ctid = ANY (ARRAY("
		"SELECT ctid FROM nonces WHERE expires_ms <= $1 LIMIT 1000))",
};

struct pg_ent {
	const char *table;
	const struct pg_col *cols;
	int ncols;
	size_t seq_off, size;
	int st;      /* first of its EST__N statements */
	int dyn;     /* its list kind; count kind is dyn + 1 */
};
#define NCOLS(a) ((int)(sizeof a / sizeof a[0]))
static const struct pg_ent ent_inst = { "instances", inst_cols, NCOLS(inst_cols),
	offsetof(struct instance, seq), sizeof(struct instance), ST_INST, DYN_INST };
static const struct pg_ent ent_disk = { "disks", disk_cols, NCOLS(disk_cols),
	offsetof(struct disk, seq), sizeof(struct disk), ST_DISK, DYN_DISK };
static const struct pg_ent ent_snap = { "snapshots", snap_cols, NCOLS(snap_cols),
	offsetof(struct snapshot, seq), sizeof(struct snapshot), ST_SNAP, DYN_SNAP };
static const struct pg_ent *const pg_ents[] = { &ent_inst, &ent_disk, &ent_snap };

union pg_row {
	struct instance i;
	struct disk d;
	struct snapshot s;
};

/* ---- the store, its pool and a transaction ---- */
struct pg_conn {
	PGconn *c;          /* NULL: (re)connect at next checkout */
	int busy, fresh, broken;
	uint64_t fixed;     /* bit per enum pg_stmt prepared on c */
	uint64_t dyn[DYN__COUNT][PG_DYN_MASKS / 64];
};

struct store {
	struct store_base base;
	char *uri;
	char where[160];    /* "host:port" for logs; never the password */
	int durable;
	char *sql[ST__COUNT];
	pthread_mutex_t mu; /* guards busy flags, down, down_until */
	pthread_cond_t cv;
	int npool;
	struct pg_conn *pool;
	int down;           /* logged as unavailable, not yet as back */
	int64_t down_until; /* monotonic ms: fail fast instead of connecting */
	atomic_uint nonce_calls;
};

struct store_tx {
	struct store_tx_base base;
	struct store *s;
	struct pg_conn *pc;
	int err;            /* first failure; later calls return it at once */
	int retry;          /* serialization failure / deadlock: re-run fn */
	int lost;           /* the connection failed (not a timeout) */
};

struct pg_params {
	int n, bad;
	const char *v[PG_MAX_PARAMS];
	char num[PG_MAX_PARAMS][24];
};

/* ---- small helpers ---- */
static int64_t pg_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void pg_sleep_us(int64_t us)
{
	struct timespec ts = { (time_t)(us / 1000000), (long)(us % 1000000) * 1000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* libpq's message on one line: newlines and tabs become spaces, runs of
 * spaces and the trailing newline go. Truncated to len. */
static void pg_copy_msg(char *dst, size_t len, const char *msg)
{
	size_t o = 0;

	for (; *msg && o + 1 < len; msg++) {
		char c = *msg == '\n' || *msg == '\t' ? ' ' : *msg;

		if (c != ' ' || (o && dst[o - 1] != ' '))
			dst[o++] = c;
	}
	while (o && dst[o - 1] == ' ')
		o--;
	if (len)
		dst[o] = '\0';
}

static void pg_log(const char *what, const char *msg)
{
	char line[PG_MSG_BYTES];

	pg_copy_msg(line, sizeof line, msg);
	fprintf(stderr, "ecsd: store: %s: %s\n", what, line);
}

static int pg_param(struct pg_params *p, const char *v)
{
	if (p->n >= PG_MAX_PARAMS) {
		p->bad = 1;
		return PG_MAX_PARAMS;
	}
	p->v[p->n] = v;
	return ++p->n;
}

static int pg_i64(struct pg_params *p, int64_t x)
{
	if (p->n >= PG_MAX_PARAMS)
		return pg_param(p, NULL);
	snprintf(p->num[p->n], sizeof p->num[0], "%lld", (long long)x);
	return pg_param(p, p->num[p->n]);
}

static int pg_str(struct pg_params *p, const char *s)
{
	if (!s)
		p->bad = 1;
	return pg_param(p, s);
}

static int64_t pg_parse_i64(const char *v)
{
	char *end;
	long long x = strtoll(v, &end, 10);

	return end == v ? 0 : (int64_t)x;
}

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

static void pg_add_cols(struct buf *b, const struct pg_ent *e)
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

/* ---- talking to the server with a deadline ---- */
/* Waits up to wait_ms for the replies to what was sent; returns the last
 * result (an error result wins), or NULL when the connection was lost or
 * the deadline passed (the connection is then unusable). */
static PGresult *pg_await(PGconn *c, int64_t wait_ms)
{
	int64_t deadline = pg_now_ms() + wait_ms;
	PGresult *last = NULL, *r;

	for (;;) {
		while (!PQisBusy(c)) {
			r = PQgetResult(c);
			if (!r)
				return last;
			if (last && PQresultStatus(last) == PGRES_FATAL_ERROR) {
				PQclear(r);
			} else {
				PQclear(last);
				last = r;
			}
			if (PQstatus(c) != CONNECTION_OK)
				return last;
		}
		int64_t left = deadline - pg_now_ms();
		struct pollfd pfd = { PQsocket(c), POLLIN, 0 };

		if (left <= 0 || pfd.fd < 0)
			break;
		if (poll(&pfd, 1, (int)left) < 0 && errno != EINTR)
			break;
		if (!PQconsumeInput(c))
			break;
	}
	PQclear(last);
	return NULL;
}

static void pg_note_down(struct store *s, const char *msg)
{
	int first;

	pthread_mutex_lock(&s->mu);
	first = !s->down;
	s->down = 1;
	pthread_mutex_unlock(&s->mu);
	if (first) {
		char what[200];

		snprintf(what, sizeof what, "PostgreSQL at %s unavailable", s->where);
		pg_log(what, msg);
	}
}

static void pg_note_up(struct store *s)
{
	int was;

	pthread_mutex_lock(&s->mu);
	was = s->down;
	s->down = 0;
	s->down_until = 0;
	pthread_mutex_unlock(&s->mu);
	if (was)
		fprintf(stderr, "ecsd: store: PostgreSQL at %s is reachable again\n",
		        s->where);
}

/* Records why the last statement of tx failed, as a store code. */
static void pg_fail(struct store_tx *tx, const PGresult *r)
{
	PGconn *c = tx->pc->c;
	const char *st = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = r ? PQresultErrorMessage(r) : PQerrorMessage(c);

	if (!st)
		st = "";
	if (!msg || !*msg)
		msg = "no reply within the deadline";
	if (!r || PQstatus(c) != CONNECTION_OK || !strncmp(st, "08", 2) ||
	    !strncmp(st, "57P", 3)) {
		tx->pc->broken = 1;
		tx->lost = r || PQstatus(c) != CONNECTION_OK;
		tx->err = STORE_EUNAVAIL;
		pg_note_down(tx->s, msg);
	} else if (!strcmp(st, "40001") || !strcmp(st, "40P01")) {
		tx->err = STORE_EUNAVAIL;
		tx->retry = 1;
	} else if (!strcmp(st, "23505")) {
		tx->err = STORE_ECONFLICT;
	} else if (!strcmp(st, "57014") || !strcmp(st, "55P03") ||
	           !strncmp(st, "53", 2)) {
		pg_log("timed out or out of resources", msg);
		tx->err = STORE_EUNAVAIL;
	} else {
		pg_log("error", msg);
		tx->err = STORE_EIO;
	}
}

/* The result of what was just sent (sent: the PQsend* return), or NULL
 * with tx->err set. */
static PGresult *pg_reply(struct store_tx *tx, int sent)
{
	PGresult *r = sent ? pg_await(tx->pc->c, PG_REPLY_WAIT_MS) : NULL;
	ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;

	if (r && (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK))
		return r;
	pg_fail(tx, r);
	PQclear(r);
	return NULL;
}

/* Runs a named statement, preparing it on this connection first if the
 * bit in *word says it is not yet. NULL with tx->err set on failure. */
static PGresult *pg_exec(struct store_tx *tx, const char *name, const char *sql,
                         uint64_t *word, uint64_t bit, const struct pg_params *p)
{
	PGconn *c = tx->pc->c;
	PGresult *r;

	if (tx->err)
		return NULL;
	if (p->bad || !sql) {
		fprintf(stderr, "ecsd: store: %s: unterminated field, NULL or too"
		        " many parameters\n", name);
		tx->err = STORE_EIO;
		return NULL;
	}
	if (!(*word & bit)) {
		r = pg_reply(tx, PQsendPrepare(c, name, sql, 0, NULL));
		if (!r)
			return NULL;
		PQclear(r);
		*word |= bit;
	}
	return pg_reply(tx, PQsendQueryPrepared(c, name, p->n, p->v, NULL, NULL, 0));
}

static PGresult *pg_exec_st(struct store_tx *tx, int st, const struct pg_params *p)
{
	char name[16];

	snprintf(name, sizeof name, "s%d", st);
	return pg_exec(tx, name, tx->s->sql[st], &tx->pc->fixed,
	               (uint64_t)1 << st, p);
}

static PGresult *pg_cmd(struct store_tx *tx, const char *sql)
{
	if (tx->err)
		return NULL;
	return pg_reply(tx, PQsendQuery(tx->pc->c, sql));
}

/* Ends a failed transaction; a connection that cannot is dropped. */
static void pg_rollback(struct store_tx *tx)
{
	PGconn *c = tx->pc->c;
	PGresult *r;

	if (tx->pc->broken || !c)
		return;
	r = PQsendQuery(c, "ROLLBACK") ? pg_await(c, PG_REPLY_WAIT_MS) : NULL;
	if (!r || PQresultStatus(r) != PGRES_COMMAND_OK)
		tx->pc->broken = 1;
	PQclear(r);
}

/* ---- connections and the pool ---- */
/* Server notices: warnings are logged, chatter ("already exists,
 * skipping") is dropped instead of going to stderr raw. */
static void pg_notice(void *arg, const PGresult *r)
{
	const char *sev = PQresultErrorField(r, PG_DIAG_SEVERITY_NONLOCALIZED);

	(void)arg;
	if (sev && !strcmp(sev, "WARNING"))
		pg_log("server warning", PQresultErrorMessage(r));
}

/* One connection with our timeouts; 0, or STORE_EUNAVAIL with msg set. */
static int pg_connect(const struct store *s, PGconn **out, char *msg, size_t len)
{
	static const char *const kw[] = { "connect_timeout", "keepalives",
		"keepalives_idle", "keepalives_interval", "keepalives_count",
		"tcp_user_timeout", "client_encoding", "fallback_application_name",
		"dbname", NULL };
	/* the URI comes last: what it sets wins over these defaults */
	const char *val[] = { PG_CONNECT_TIMEOUT_S, "1", "10", "3", "3", "10000",
		"UTF8", "ecsd", s->uri, NULL };
	char set[256];
	PGconn *c = PQconnectdbParams(kw, val, 1);
	PGresult *r;

	if (!c || PQstatus(c) != CONNECTION_OK) {
		pg_copy_msg(msg, len, c ? PQerrorMessage(c) : "out of memory");
		PQfinish(c);
		return STORE_EUNAVAIL;
	}
	PQsetNoticeReceiver(c, pg_notice, NULL);
	/* Generic plans: a custom plan for an account the statistics do not
	 * know yet may walk every disk of it by (account, seq), whose SIREAD
	 * locks make concurrent deletes fail serialization over and over. */
	snprintf(set, sizeof set, "SET statement_timeout = %d;"
	         " SET idle_in_transaction_session_timeout = %d;"
	         " SET plan_cache_mode = force_generic_plan;"
	         /* a sequential scan takes a relation-level predicate lock, so
	          * every concurrent writer conflicts (PostgreSQL manual, 13.2.3);
	          * all of ecsd's queries have an index to use instead */
	         " SET enable_seqscan = off;"
	         " SET synchronous_commit = %s", PG_STMT_TIMEOUT_MS,
	         PG_IDLE_TX_MS, s->durable ? "on" : "off");
	r = PQsendQuery(c, set) ? pg_await(c, PG_REPLY_WAIT_MS) : NULL;
	if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) {
		pg_copy_msg(msg, len, r ? PQresultErrorMessage(r) : PQerrorMessage(c));
		PQclear(r);
		PQfinish(c);
		return STORE_EUNAVAIL;
	}
	PQclear(r);
	*out = c;
	return 0;
}

static struct pg_conn *pg_free_slot(struct store *s)
{
	struct pg_conn *idle = NULL;
	int i;

	for (i = 0; i < s->npool; i++) {
		if (s->pool[i].busy)
			continue;
		if (s->pool[i].c)
			return &s->pool[i];
		if (!idle)
			idle = &s->pool[i];
	}
	return idle;
}

static void pg_release(struct store *s, struct pg_conn *pc)
{
	if (pc->c && (pc->broken || PQstatus(pc->c) != CONNECTION_OK ||
	              PQtransactionStatus(pc->c) != PQTRANS_IDLE)) {
		PQfinish(pc->c);
		pc->c = NULL;
	}
	pthread_mutex_lock(&s->mu);
	pc->busy = 0;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

/* A healthy connection for this thread, waiting up to PG_CHECKOUT_WAIT_MS
 * for a free slot; a dead one is replaced. 0 or STORE_EUNAVAIL. */
static int pg_checkout(struct store *s, struct pg_conn **out)
{
	struct timespec until;
	struct pg_conn *pc;
	char msg[PG_MSG_BYTES];
	int64_t down, now;

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += PG_CHECKOUT_WAIT_MS / 1000;
	until.tv_nsec += (PG_CHECKOUT_WAIT_MS % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&s->mu);
	while (!(pc = pg_free_slot(s))) {
		if (pthread_cond_timedwait(&s->cv, &s->mu, &until) == ETIMEDOUT &&
		    !(pc = pg_free_slot(s))) {
			pthread_mutex_unlock(&s->mu);
			fprintf(stderr, "ecsd: store: no free PostgreSQL connection"
			        " within %d ms\n", PG_CHECKOUT_WAIT_MS);
			return STORE_EUNAVAIL;
		}
	}
	pc->busy = 1;
	down = s->down_until;
	pthread_mutex_unlock(&s->mu);

	pc->fresh = pc->broken = 0;
	if (pc->c && PQstatus(pc->c) == CONNECTION_OK && PQconsumeInput(pc->c) &&
	    PQtransactionStatus(pc->c) == PQTRANS_IDLE) {
		*out = pc;
		return 0;
	}
	if (pc->c) {
		PQfinish(pc->c);
		pc->c = NULL;
	}
	now = pg_now_ms();
	if (down > now || pg_connect(s, &pc->c, msg, sizeof msg)) {
		if (down <= now) {
			pthread_mutex_lock(&s->mu);
			s->down_until = pg_now_ms() + PG_DOWN_BACKOFF_MS;
			pthread_mutex_unlock(&s->mu);
			pg_note_down(s, msg);
		}
		pg_release(s, pc);
		return STORE_EUNAVAIL;
	}
	pc->fresh = 1;
	pc->fixed = 0;
	memset(pc->dyn, 0, sizeof pc->dyn);
	pg_note_up(s);
	*out = pc;
	return 0;
}

static void pg_tx_init(struct store_tx *tx, struct store *s, struct pg_conn *pc)
{
	memset(tx, 0, sizeof *tx);
	tx->base.ops = &store_postgres_ops;
	tx->s = s;
	tx->pc = pc;
}

/* ---- transactions ---- */
enum { AGAIN_NO, AGAIN_STALE, AGAIN_CONFLICT };

static int pg_attempt(struct store *s, int write, store_fn fn, void *arg,
                      int *again)
{
	struct store_tx tx;
	struct pg_conn *pc;
	PGresult *r;
	int rc;

	*again = AGAIN_NO;
	rc = pg_checkout(s, &pc);
	if (rc)
		return rc;
	pg_tx_init(&tx, s, pc);
	r = pg_cmd(&tx, write ? "BEGIN ISOLATION LEVEL SERIALIZABLE"
	                      : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
	if (!r) {
		/* an idle pooled connection died: nothing ran, try another */
		if (tx.lost && !pc->fresh)
			*again = AGAIN_STALE;
		pg_release(s, pc);
		return tx.err;
	}
	PQclear(r);
	rc = fn(&tx, arg);
	if (!tx.err && !rc) {
		r = pg_cmd(&tx, "COMMIT");
		if (r && strcmp(PQcmdStatus(r), "COMMIT") != 0) {
			fprintf(stderr, "ecsd: store: COMMIT answered %s\n", PQcmdStatus(r));
			tx.err = STORE_EIO;
		}
		PQclear(r);
	} else {
		pg_rollback(&tx);
	}
	if (tx.retry)
		*again = AGAIN_CONFLICT;
	pg_release(s, pc);
	return tx.err ? tx.err : rc;
}

static void pg_backoff(int attempt)
{
	static _Thread_local uint64_t x;
	int64_t max = (int64_t)PG_BACKOFF_US << (attempt < 6 ? attempt : 6);

	if (!x)
		x = ((uint64_t)pg_now_ms() << 20) ^ (uint64_t)(uintptr_t)&x ^ 1;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	pg_sleep_us(max / 2 + (int64_t)(x % (uint64_t)(max / 2 + 1)));
}

static int pg_txn(struct store *s, int write, store_fn fn, void *arg)
{
	int conflicts = 0, stale = 0, again, rc;

	for (;;) {
		rc = pg_attempt(s, write, fn, arg, &again);
		if (again == AGAIN_NO)
			return rc;
		if (again == AGAIN_STALE && ++stale > s->npool)
			return rc;
		if (again == AGAIN_CONFLICT) {
			if (++conflicts >= PG_RETRY_MAX) {
				fprintf(stderr, "ecsd: store: transaction still conflicting"
				        " after %d runs\n", conflicts);
				return STORE_EUNAVAIL;
			}
			pg_backoff(conflicts);
		}
	}
}

static int pg_write(struct store *s, store_fn fn, void *arg)
{
	return pg_txn(s, 1, fn, arg);
}

static int pg_read(struct store *s, store_fn fn, void *arg)
{
	return pg_txn(s, 0, fn, arg);
}

/* One autocommit statement. Not retried on a lost connection: the insert
 * may have committed, and a retry would call a first use a replay. */
static int pg_nonce_use(struct store *s, const char *akid, const char *nonce,
                        int64_t now_ms, int64_t window_ms)
{
	struct store_tx tx;
	struct pg_params p = { 0 }, q = { 0 };
	struct pg_conn *pc;
	PGresult *r;
	int rc = pg_checkout(s, &pc);

	if (rc)
		return rc;
	pg_tx_init(&tx, s, pc);
	pg_str(&p, akid);
	pg_str(&p, nonce);
	pg_i64(&p, now_ms + window_ms);
	pg_i64(&p, now_ms);
	r = pg_exec_st(&tx, ST_NONCE_USE, &p);
	rc = r ? (PQntuples(r) > 0 ? 0 : 1) : tx.err;
	PQclear(r);
	if (rc >= 0 && atomic_fetch_add(&s->nonce_calls, 1) % PG_NONCE_SWEEP_EVERY == 0) {
		pg_i64(&q, now_ms);
		PQclear(pg_exec_st(&tx, ST_NONCE_SWEEP, &q));
	}
	pg_release(s, pc);
	return rc;
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
	buf_printf(&sql, " FROM %s WHERE account = $1%s", e->table, buf_cstr(&f->sql));
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

		buf_printf(&f->sql, " AND CASE WHEN p1_end_ms > $%d::bigint THEN"
		           " p1_status WHEN p2_end_ms > $%d::bigint THEN p2_status"
		           " ELSE status END = $%d::integer", now, now,
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
static int pg_inst_get(struct store_tx *tx, const char *account, const char *id,
                       struct instance *out)
{
	return pg_get(tx, &ent_inst, account, id, out);
}

static int pg_inst_insert(struct store_tx *tx, struct instance *in)
{
	return pg_insert(tx, &ent_inst, in);
}

static int pg_inst_update(struct store_tx *tx, const struct instance *in)
{
	return pg_update(tx, &ent_inst, in);
}

static int pg_inst_delete(struct store_tx *tx, const char *account, const char *id)
{
	return pg_delete(tx, &ent_inst, account, id);
}

static int pg_inst_list(struct store_tx *tx, const struct inst_query *q,
                        inst_cb cb, void *arg)
{
	struct pg_filter f;
	struct pg_emit em = { cb, NULL, NULL, arg };

	inst_filter(&f, q);
	return pg_query(tx, &ent_inst, &f, q->after_seq, q->offset, q->limit, &em, NULL);
}

static int pg_inst_count(struct store_tx *tx, const struct inst_query *q,
                         int64_t *total)
{
	struct pg_filter f;

	inst_filter(&f, q);
	return pg_query(tx, &ent_inst, &f, 0, 0, 0, NULL, total);
}

static int pg_disk_get(struct store_tx *tx, const char *account, const char *id,
                       struct disk *out)
{
	return pg_get(tx, &ent_disk, account, id, out);
}

static int pg_disk_insert(struct store_tx *tx, struct disk *d)
{
	return pg_insert(tx, &ent_disk, d);
}

static int pg_disk_update(struct store_tx *tx, const struct disk *d)
{
	return pg_update(tx, &ent_disk, d);
}

static int pg_disk_delete(struct store_tx *tx, const char *account, const char *id)
{
	return pg_delete(tx, &ent_disk, account, id);
}

static int pg_disk_list(struct store_tx *tx, const struct disk_query *q,
                        disk_cb cb, void *arg)
{
	struct pg_filter f;
	struct pg_emit em = { NULL, cb, NULL, arg };

	disk_filter(&f, q);
	return pg_query(tx, &ent_disk, &f, q->after_seq, q->offset, q->limit, &em, NULL);
}

static int pg_disk_count(struct store_tx *tx, const struct disk_query *q,
                         int64_t *total)
{
	struct pg_filter f;

	disk_filter(&f, q);
	return pg_query(tx, &ent_disk, &f, 0, 0, 0, NULL, total);
}

static int pg_snap_get(struct store_tx *tx, const char *account, const char *id,
                       struct snapshot *out)
{
	return pg_get(tx, &ent_snap, account, id, out);
}

static int pg_snap_insert(struct store_tx *tx, struct snapshot *sn)
{
	return pg_insert(tx, &ent_snap, sn);
}

static int pg_snap_update(struct store_tx *tx, const struct snapshot *sn)
{
	return pg_update(tx, &ent_snap, sn);
}

static int pg_snap_delete(struct store_tx *tx, const char *account, const char *id)
{
	return pg_delete(tx, &ent_snap, account, id);
}

static int pg_snap_delete_auto(struct store_tx *tx, const char *account,
                               const char *disk_id, int64_t *n)
{
	struct pg_params p = { 0 };
	int64_t dummy;

	pg_str(&p, account);
	pg_str(&p, disk_id);
	return pg_touch(tx, ST_SNAP_DEL_AUTO, &p, n ? n : &dummy);
}

static int pg_snap_list(struct store_tx *tx, const struct snap_query *q,
                        snap_cb cb, void *arg)
{
	struct pg_filter f;
	struct pg_emit em = { NULL, NULL, cb, arg };

	snap_filter(&f, q);
	return pg_query(tx, &ent_snap, &f, q->after_seq, q->offset, q->limit, &em, NULL);
}

static int pg_snap_count(struct store_tx *tx, const struct snap_query *q,
                         int64_t *total)
{
	struct pg_filter f;

	snap_filter(&f, q);
	return pg_query(tx, &ent_snap, &f, 0, 0, 0, NULL, total);
}

static int pg_token_get(struct store_tx *tx, const char *account,
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

static int pg_token_put(struct store_tx *tx, const char *account,
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

/* ---- open, migrate, close ---- */
/* "host:port" of uri for log lines: never the user or the password. */
static void pg_where(const char *uri, char *out, size_t len)
{
	char *emsg = NULL;
	PQconninfoOption *opts = PQconninfoParse(uri, &emsg), *o;
	const char *host = getenv("PGHOST"), *port = getenv("PGPORT");

	for (o = opts; o && o->keyword; o++) {
		if (o->val && *o->val && !strcmp(o->keyword, "host"))
			host = o->val;
		else if (o->val && *o->val && !strcmp(o->keyword, "port"))
			port = o->val;
	}
	snprintf(out, len, "%s:%s", host ? host : "localhost", port ? port : "5432");
	PQconninfoFree(opts);
	PQfreemem(emsg);
}

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
 * advisory lock, so that nodes starting together migrate once. */
static int pg_migrate(PGconn *c, char *err, size_t errlen)
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

static void pg_close(struct store *s)
{
	int i;

	for (i = 0; s->pool && i < s->npool; i++)
		PQfinish(s->pool[i].c);
	for (i = 0; i < ST__COUNT; i++)
		free(s->sql[i]);
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->mu);
	free(s->pool);
	free(s->uri);
	free(s);
}

/* Everything but the server: the struct, statement texts, the pool. */
static int pg_alloc(const struct store_opts *o, struct store **out)
{
	struct store *s = calloc(1, sizeof *s);
	pthread_condattr_t ca;
	int i, k, n = o->pool_size > 0 ? o->pool_size : PG_POOL_DEFAULT;

	if (!s)
		return -1;
	pthread_mutex_init(&s->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->cv, &ca);
	pthread_condattr_destroy(&ca);
	s->base.ops = &store_postgres_ops;
	s->durable = o->durable;
	s->npool = n < PG_POOL_MAX ? n : PG_POOL_MAX;
	s->uri = strdup(o->uri);
	pg_where(o->uri, s->where, sizeof s->where);
	for (i = 0; i < (int)(sizeof pg_ents / sizeof pg_ents[0]); i++)
		for (k = 0; k < EST__N; k++)
			s->sql[pg_ents[i]->st + k] = pg_ent_sql(pg_ents[i], k);
	for (i = ST_SNAP_DEL_AUTO; i < ST__COUNT; i++)
		s->sql[i] = strdup(pg_fixed_sql[i]);
	for (i = 0; i < ST__COUNT && s->sql[i]; i++)
		;
	s->pool = calloc((size_t)s->npool, sizeof *s->pool);
	if (!s->uri || !s->pool || i < ST__COUNT) {
		pg_close(s);
		return -1;
	}
	*out = s;
	return 0;
}

/* Connection failures that waiting will not cure. */
static int pg_hopeless(const char *msg)
{
	static const char *const words[] = { "password", "authentication",
		"does not exist", "pg_hba.conf", "invalid", NULL };
	int i;

	for (i = 0; words[i]; i++)
		if (strstr(msg, words[i]))
			return 1;
	return 0;
}

static int pg_open(const struct store_opts *o, struct store **out, char *err,
                   size_t errlen)
{
	struct store *s;
	char msg[PG_MSG_BYTES], *emsg = NULL;
	PQconninfoOption *parsed;
	int64_t start = pg_now_ms();
	PGconn *c;
	int attempt;

	parsed = o->uri ? PQconninfoParse(o->uri, &emsg) : NULL;
	PQfreemem(emsg);
	if (!parsed) {  /* libpq's message may quote the URI: not repeated */
		snprintf(err, errlen, "invalid PostgreSQL URI");
		return STORE_EIO;
	}
	PQconninfoFree(parsed);
	if (pg_alloc(o, &s)) {
		snprintf(err, errlen, "out of memory");
		return STORE_EIO;
	}
	for (attempt = 1; pg_connect(s, &c, msg, sizeof msg); attempt++) {
		if (pg_hopeless(msg) || pg_now_ms() - start >= PG_OPEN_WAIT_MS) {
			snprintf(err, errlen, "cannot connect to PostgreSQL at %s: %s",
			         s->where, msg);
			pg_close(s);
			return STORE_EUNAVAIL;
		}
		fprintf(stderr, "ecsd: store: waiting for PostgreSQL at %s"
		        " (attempt %d)\n", s->where, attempt);
		pg_sleep_us(1000 * 1000);
	}
	if (pg_migrate(c, err, errlen)) {
		PQfinish(c);
		pg_close(s);
		return STORE_EIO;
	}
	s->pool[0].c = c;
	*out = s;
	return 0;
}

const struct store_ops store_postgres_ops = {
	.name = "postgresql",
	.open = pg_open,
	.close = pg_close,
	.write = pg_write,
	.read = pg_read,
	.nonce_use = pg_nonce_use,
	.inst_get = pg_inst_get,
	.inst_insert = pg_inst_insert,
	.inst_update = pg_inst_update,
	.inst_delete = pg_inst_delete,
	.inst_list = pg_inst_list,
	.inst_count = pg_inst_count,
	.disk_get = pg_disk_get,
	.disk_insert = pg_disk_insert,
	.disk_update = pg_disk_update,
	.disk_delete = pg_disk_delete,
	.disk_list = pg_disk_list,
	.disk_count = pg_disk_count,
	.snap_get = pg_snap_get,
	.snap_insert = pg_snap_insert,
	.snap_update = pg_snap_update,
	.snap_delete = pg_snap_delete,
	.snap_delete_auto = pg_snap_delete_auto,
	.snap_list = pg_snap_list,
	.snap_count = pg_snap_count,
	.token_get = pg_token_get,
	.token_put = pg_token_put,
};
