/* pg_conn.c - the PostgreSQL backend's connections: libpq calls under a
 * deadline, the pool, failures as store codes, SERIALIZABLE transactions
 * re-run on conflict, statement parameters ($n builders). No row layouts,
 * no ECS rules; the nonce check is pg_nonce.c. */
#include "pg_int.h"
#include "../common/metrics.h"
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- small helpers ---- */
/* The monotonic clock, in ms. */
/* ---- statement parameters (used by every pg_*.c file) ---- */
int pg_param(struct pg_params *p, const char *v)
{
	if (p->n >= PG_MAX_PARAMS) {
		p->bad = 1;
		return PG_MAX_PARAMS;
	}
	p->v[p->n] = v;
	return ++p->n;
}

/* pg_i64, pg_str: append one parameter and return its number (the n of
 * $n); a NULL string or a parameter too many marks p bad. */
int pg_i64(struct pg_params *p, int64_t x)
{
	if (p->n >= PG_MAX_PARAMS)
		return pg_param(p, NULL);
	snprintf(p->num[p->n], sizeof p->num[0], "%lld", (long long)x);
	return pg_param(p, p->num[p->n]);
}

int pg_str(struct pg_params *p, const char *s)
{
	if (!s)
		p->bad = 1;
	return pg_param(p, s);
}

/* A libpq text value as a number; 0 when it is not one. */
int64_t pg_parse_i64(const char *v)
{
	char *end;
	long long x = strtoll(v, &end, 10);

	return end == v ? 0 : (int64_t)x;
}

int64_t pg_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void pg_sleep_us(int64_t us)
{
	struct timespec ts = { (time_t)(us / 1000000), (long)(us % 1000000) * 1000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* libpq's message on one line: newlines and tabs become spaces, runs of
 * spaces and the trailing newline go. Truncated to len. */
void pg_copy_msg(char *dst, size_t len, const char *msg)
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

/* ---- talking to the server with a deadline ---- */
/* Waits up to wait_ms for the replies to what was sent; returns the last
 * result (an error result wins), or NULL when the connection was lost or
 * the deadline passed (the connection is then unusable). */
PGresult *pg_await(PGconn *c, int64_t wait_ms)
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

/* Pipeline mode: reads the results of the n commands sent and of the sync
 * that ends them; out[i] gets command i's result (an error wins; caller
 * clears). 0, or -1 when the connection was lost or the deadline passed. */
static int pg_pipe_read(PGconn *c, PGresult **out, int n, int64_t wait_ms)
{
	int64_t deadline = pg_now_ms() + wait_ms;
	int i = 0;

	for (;;) {
		while (!PQisBusy(c)) {
			PGresult *r = PQgetResult(c);

			if (!r) {             /* the end of command i's results */
				if (i >= n)
					break;        /* only the sync is missing: wait */
				i++;
				continue;
			}
			if (PQresultStatus(r) == PGRES_PIPELINE_SYNC) {
				PQclear(r);
				return 0;
			}
			if (i < n && (!out[i] || PQresultStatus(r) == PGRES_FATAL_ERROR)) {
				PQclear(out[i]);
				out[i] = r;
			} else {
				PQclear(r);
			}
		}
		int64_t left = deadline - pg_now_ms();
		struct pollfd pfd = { PQsocket(c), POLLIN, 0 };

		if (PQstatus(c) != CONNECTION_OK || left <= 0 || pfd.fd < 0)
			return -1;
		if (poll(&pfd, 1, (int)left) < 0 && errno != EINTR)
			return -1;
		if (!PQconsumeInput(c))
			return -1;
	}
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

/* The first statement of a transaction goes in one round trip with its
 * BEGIN (and its PREPARE when this connection has not seen it): libpq's
 * pipeline mode, left again once the replies are in. */
static PGresult *pg_exec_first(struct store_tx *tx, const char *name,
                               const char *sql, uint64_t *word, uint64_t bit,
                               const struct pg_params *p)
{
	PGconn *c = tx->pc->c;
	PGresult *res[3] = { NULL, NULL, NULL }, *bad = NULL;
	int n = 0, prep = !(*word & bit), ok;

	ok = PQenterPipelineMode(c) &&
	     PQsendQueryParams(c, tx->begin, 0, NULL, NULL, NULL, NULL, 0);
	tx->begin = NULL;
	n += ok;
	if (ok && prep)
		n += ok = PQsendPrepare(c, name, sql, 0, NULL);
	if (ok)
		n += ok = PQsendQueryPrepared(c, name, p->n, p->v, NULL, NULL, 0);
	if (!ok || !PQpipelineSync(c) || pg_pipe_read(c, res, n, PG_REPLY_WAIT_MS) ||
	    !PQexitPipelineMode(c)) {
		for (int i = 0; i < 3; i++)
			PQclear(res[i]);
		pg_fail(tx, NULL);
		tx->first_lost = tx->lost;
		return NULL;
	}
	for (int i = 0; i < n; i++) {
		ExecStatusType st = res[i] ? PQresultStatus(res[i]) : PGRES_FATAL_ERROR;

		if (!bad && st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
			bad = res[i] ? res[i] : res[0];
	}
	if (bad) {
		pg_fail(tx, bad);
		for (int i = 0; i < 3; i++)
			PQclear(res[i]);
		return NULL;
	}
	if (prep)
		*word |= bit;
	PQclear(res[0]);
	if (prep)
		PQclear(res[1]);
	return res[n - 1];
}

/* Runs a named statement, preparing it on this connection first if the
 * bit in *word says it is not yet. NULL with tx->err set on failure. */
PGresult *pg_exec(struct store_tx *tx, const char *name, const char *sql,
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
	if (tx->begin)
		return pg_exec_first(tx, name, sql, word, bit, p);
	if (!(*word & bit)) {
		r = pg_reply(tx, PQsendPrepare(c, name, sql, 0, NULL));
		if (!r)
			return NULL;
		PQclear(r);
		*word |= bit;
	}
	return pg_reply(tx, PQsendQueryPrepared(c, name, p->n, p->v, NULL, NULL, 0));
}

/* pg_exec for fixed statement st (enum pg_stmt). */
PGresult *pg_exec_st(struct store_tx *tx, int st, const struct pg_params *p)
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
int pg_connect(const struct store *s, PGconn **out, char *msg, size_t len)
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

/* A read's COMMIT sent earlier: its reply, then out of pipeline mode.
 * 0, or -1 when the connection is no good. */
static int pg_end_read(struct pg_conn *pc)
{
	PGresult *r = NULL;
	int ok;

	pc->ending = 0;
	ok = !pg_pipe_read(pc->c, &r, 1, PG_REPLY_WAIT_MS) && r &&
	     PQresultStatus(r) == PGRES_COMMAND_OK && PQexitPipelineMode(pc->c);
	PQclear(r);
	return ok ? 0 : -1;
}

void pg_release(struct store *s, struct pg_conn *pc)
{
	if (pc->c && (pc->broken || PQstatus(pc->c) != CONNECTION_OK ||
	              (!pc->ending && PQtransactionStatus(pc->c) != PQTRANS_IDLE))) {
		pc->ending = 0;
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
int pg_checkout(struct store *s, struct pg_conn **out)
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
	if (pc->c && pc->ending && pg_end_read(pc)) {
		PQfinish(pc->c);
		pc->c = NULL;
	}
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

void pg_tx_init(struct store_tx *tx, struct store *s, struct pg_conn *pc)
{
	memset(tx, 0, sizeof *tx);
	tx->base.ops = &store_postgres_ops;
	tx->s = s;
	tx->pc = pc;
}

/* ---- transactions ---- */
enum { AGAIN_NO, AGAIN_STALE, AGAIN_CONFLICT };

static int pg_attempt(struct store *s, int write, store_fn fn, void *arg,
                      int *again, int first)
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
	tx.begin = write ? "BEGIN ISOLATION LEVEL SERIALIZABLE"
	                 : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
	rc = fn(&tx, arg);
	if (tx.first_lost && !pc->fresh) {
		/* an idle pooled connection died: nothing ran, try another */
		*again = AGAIN_STALE;
		pg_release(s, pc);
		return tx.err;
	}
	if (first && s->rerun_first && !tx.err) {
		/* the test hook: this run is rolled back and re-run exactly as
		 * after a serialization failure at COMMIT */
		fprintf(stderr, "ecsd: store: test re-run of a transaction\n");
		pg_rollback(&tx);
		*again = AGAIN_CONFLICT;
		pg_release(s, pc);
		return rc;
	}
	if (tx.begin) {
		/* fn ran no statement: there is no transaction to end */
	} else if (!tx.err && !rc && !write) {
		/* a read-only COMMIT cannot lose anything: sent now, its reply
		 * read by the next checkout of this connection */
		if (PQenterPipelineMode(pc->c) &&
		    PQsendQueryParams(pc->c, "COMMIT", 0, NULL, NULL, NULL, NULL, 0) &&
		    PQpipelineSync(pc->c))
			pc->ending = 1;
		else
			pc->broken = 1;
	} else if (!tx.err && !rc) {
		double t0 = metrics_now();

		r = pg_cmd(&tx, "COMMIT");
		if (r && strcmp(PQcmdStatus(r), "COMMIT") != 0) {
			fprintf(stderr, "ecsd: store: COMMIT answered %s\n", PQcmdStatus(r));
			tx.err = STORE_EIO;
		}
		PQclear(r);
		if (write && !tx.err)   /* one job per PostgreSQL transaction */
			metrics_commit("postgresql", metrics_now() - t0, 1);
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
	int64_t max = (int64_t)PG_BACKOFF_US << (attempt < 7 ? attempt : 7);

	if (!x)
		x = ((uint64_t)pg_now_ms() << 20) ^ (uint64_t)(uintptr_t)&x ^ 1;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	pg_sleep_us(max / 2 + (int64_t)(x % (uint64_t)(max / 2 + 1)));
}

static int pg_txn(struct store *s, int write, store_fn fn, void *arg)
{
	int conflicts = 0, stale = 0, runs = 0, again, rc;

	for (;;) {
		rc = pg_attempt(s, write, fn, arg, &again, runs++ == 0);
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

/* store_write and store_read: fn in a SERIALIZABLE read-write or a
 * REPEATABLE READ read-only transaction, re-run on conflict. */
int pg_write(struct store *s, store_fn fn, void *arg)
{
	return pg_txn(s, 1, fn, arg);
}

int pg_read(struct store *s, store_fn fn, void *arg)
{
	return pg_txn(s, 0, fn, arg);
}

/* One autocommit statement: the documents every node shares, as committed. */
int pg_kv_scan(struct store *s, kv_cb cb, void *arg)
{
	struct store_tx tx;
	struct pg_params p = { 0 };
	struct pg_conn *pc;
	PGresult *r;
	int rc = pg_checkout(s, &pc);

	if (rc)
		return rc;
	pg_tx_init(&tx, s, pc);
	r = pg_exec_st(&tx, ST_KV_SCAN, &p);
	rc = r ? 0 : tx.err;
	for (int i = 0; r && rc == 0 && i < PQntuples(r); i++)
		rc = cb(arg, PQgetvalue(r, i, 0), PQgetvalue(r, i, 1));
	PQclear(r);
	pg_release(s, pc);
	return rc;
}
