/* store_cases_tx.h - store conformance cases beyond rows: idempotency tokens,
 * transactions (rollback, group commit, read isolation), nonces, restart and
 * the SQLite schema. Only test_store.c includes it; no ECS rules here. */
#ifndef ECSD_STORE_CASES_TX_H
#define ECSD_STORE_CASES_TX_H
#include "store_fixture.h"
#include <sqlite3.h>
#include <errno.h>
#include <pthread.h>
#include <time.h>

/* ---- idempotency tokens ---- */

struct tok {
	const char *acct, *action, *token, *hash, *result;
	char got_hash[65];
	struct buf got;
};

static int tok_put_fn(struct store_tx *tx, void *arg)
{
	struct tok *t = arg;

	return store_token_put(tx, t->acct, t->action, t->token, t->hash, t->result, T0);
}

static int tok_get_fn(struct store_tx *tx, void *arg)
{
	struct tok *t = arg;

	return store_token_get(tx, t->acct, t->action, t->token, t->got_hash, &t->got);
}

static void test_tokens(void)
{
	static const char h1[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	char a[32], b[32], tk[64], big[4001];

	t_acct(a, "tok");
	t_acct(b, "tokb");
	snprintf(tk, sizeof(tk), "tok-%s", g_tag);
	for (size_t i = 0; i < sizeof(big) - 1; i++)
		big[i] = "ab\"'\n{}\\"[i % 8];
	big[sizeof(big) - 1] = '\0';

	const struct {
		const char *what, *acct, *action, *token, *hash, *result;
		int put_rc; /* then a get of the same key returns hash/result */
	} rows[] = {
		{ "put", a, "RunInstances", tk, h1, "{\"InstanceIdSets\":[\"i-1\"],\"\xc3\xbc\":1}", 0 },
		{ "same token, other action", a, "CreateDisk", tk, "ff", "", 0 },
		{ "same token, other account", b, "RunInstances", tk, "ee", "b's", 0 },
		{ "big result", a, "DeleteInstances", tk, h1, big, 0 },
	};
	for (size_t r = 0; r < NF(rows); r++) {
		struct tok t = { rows[r].acct, rows[r].action, rows[r].token,
		                 rows[r].hash, rows[r].result, "", { 0 } };

		buf_init(&t.got, 64 * 1024);
		T_INTEQ(store_write(g_s, tok_put_fn, &t), rows[r].put_rc, rows[r].what);
		T_INTEQ(store_write(g_s, tok_put_fn, &t), STORE_ECONFLICT, "put twice");
		T_INTEQ(store_read(g_s, tok_get_fn, &t), 0, rows[r].what);
		T_STREQ(t.got_hash, rows[r].hash, "hash");
		T_STREQ(buf_cstr(&t.got), rows[r].result, "result");
		buf_free(&t.got);
	}
	{
		struct tok t = { a, "StopInstance", tk, NULL, NULL, "", { 0 } };

		buf_init(&t.got, 1024);
		T_INTEQ(store_read(g_s, tok_get_fn, &t), STORE_NOTFOUND, "token missing");
		t.acct = "nobody";
		t.action = "RunInstances";
		T_INTEQ(store_read(g_s, tok_get_fn, &t), STORE_NOTFOUND, "token other account");
		buf_free(&t.got);
	}
}

/* ---- transactions: rollback, group commit, read isolation ---- */

/* Inserts an instance and a disk, then returns ret: all or nothing. */
struct pair {
	struct instance in;
	struct disk d;
	int ret;
	int rc;
};

static int pair_fn(struct store_tx *tx, void *arg)
{
	struct pair *p = arg;
	int rc = store_inst_insert(tx, &p->in);

	if (rc == 0)
		rc = store_disk_insert(tx, &p->d);
	return rc ? rc : p->ret;
}

static void pair_make(struct pair *p, const char *a, int seed, int ret)
{
	make(K_INST, &p->in, a, seed, 0);
	make(K_DISK, &p->d, a, seed, 0);
	snprintf(p->d.instance_id, sizeof(p->d.instance_id), "%s", p->in.id);
	p->ret = ret;
	p->rc = -100;
}

static int pair_present(const struct pair *p)
{
	struct instance gi;
	struct disk gd;
	int ri = call(K_INST, OP_GET, p->in.account, p->in.id, &gi, 0);
	int rd = call(K_DISK, OP_GET, p->d.account, p->d.id, &gd, 0);

	if (ri == 0 && rd == 0)
		return 1;
	if (ri == STORE_NOTFOUND && rd == STORE_NOTFOUND)
		return 0;
	return -1; /* half a job: atomicity broken */
}

#define NTHREADS 8
#define PER_THREAD 30

struct worker {
	struct pair jobs[PER_THREAD];
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	for (int j = 0; j < PER_THREAD; j++)
		w->jobs[j].rc = store_write(g_s, pair_fn, &w->jobs[j]);
	return NULL;
}

static void test_rollback(void)
{
	char a[32];
	struct pair p;
	static struct worker w[NTHREADS];
	pthread_t th[NTHREADS];
	int64_t ok = 0, total = -1;

	t_acct(a, "txn");
	const struct { const char *what; int ret; } rows[] = {
		{ "positive rc", 42 },
		{ "negative rc", STORE_NOTFOUND },
		{ "zero commits", 0 },
	};
	for (size_t r = 0; r < NF(rows); r++) {
		pair_make(&p, a, 70 + (int)r, rows[r].ret);
		T_INTEQ(store_write(g_s, pair_fn, &p), rows[r].ret, rows[r].what);
		T_INTEQ(pair_present(&p), rows[r].ret == 0, rows[r].what);
		if (rows[r].ret == 0)
			ok++;
	}

	/* 8 threads at once: jobs share commits; failures roll back alone */
	for (int t = 0; t < NTHREADS; t++)
		for (int j = 0; j < PER_THREAD; j++)
			pair_make(&w[t].jobs[j], a, 100 + t * PER_THREAD + j,
			          (t * PER_THREAD + j) % 3 == 0 ? 42 : 0);
	/* one job per thread collides with an id taken earlier in this test */
	for (int t = 0; t < NTHREADS; t++)
		memcpy(w[t].jobs[PER_THREAD - 1].in.id, p.in.id, ID_LEN);
	for (int t = 0; t < NTHREADS; t++)
		T_CHECK(pthread_create(&th[t], NULL, worker_main, &w[t]) == 0, "thread");
	for (int t = 0; t < NTHREADS; t++)
		pthread_join(th[t], NULL);
	for (int t = 0; t < NTHREADS; t++) {
		for (int j = 0; j < PER_THREAD; j++) {
			const struct pair *q = &w[t].jobs[j];
			int want = j == PER_THREAD - 1 ? STORE_ECONFLICT : q->ret;

			T_INTEQ(q->rc, want, "concurrent job rc");
			if (j < PER_THREAD - 1)
				T_INTEQ(pair_present(q), q->rc == 0, "concurrent job effect");
			else
				T_INTEQ(call(K_DISK, OP_GET, a, q->d.id, &p.d, 0),
				        STORE_NOTFOUND, "conflicting job left nothing");
			ok += q->rc == 0;
		}
	}
	{
		struct inst_query q = { .account = a, .status = -1, .charge = -1 };
		struct lq l = { K_INST, &q, NULL, 0, 0, 0 };
		struct coll c = { .n = 0 };

		l.out = &c;
		q.limit = 1;
		T_INTEQ(store_read(g_s, lq_fn, &l), 0, "count");
		total = l.total;
		T_INTEQ(total, ok, "exactly the committed jobs are stored");
	}
}

static int insert_inst_fn(struct store_tx *tx, void *arg)
{
	return store_inst_insert(tx, arg);
}

static void test_read_only(void)
{
	char a[32];
	struct instance in, got;

	t_acct(a, "ro");
	make(K_INST, &in, a, 80, 0);
	T_CHECK(store_read(g_s, insert_inst_fn, &in) < 0, "store_read refuses writes");
	T_INTEQ(call(K_INST, OP_GET, a, in.id, &got, 0), STORE_NOTFOUND, "nothing written");
}

/* A write holds its transaction open; a read meanwhile must not wait. */
struct slow {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int inside, read_done, rc;
	struct instance in;
};

static int slow_fn(struct store_tx *tx, void *arg)
{
	struct slow *s = arg;
	struct timespec until;
	int rc = store_inst_insert(tx, &s->in);

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 5;
	pthread_mutex_lock(&s->mu);
	s->inside = 1;
	pthread_cond_broadcast(&s->cv);
	while (!s->read_done &&
	       pthread_cond_timedwait(&s->cv, &s->mu, &until) != ETIMEDOUT)
		;
	pthread_mutex_unlock(&s->mu);
	return rc;
}

static void *slow_main(void *arg)
{
	struct slow *s = arg;

	s->rc = store_write(g_s, slow_fn, s);
	return NULL;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_read_not_blocked(void)
{
	static struct slow s = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0, { .id = "" } };
	struct instance got;
	char a[32];
	pthread_t th;
	double t0;
	int rc;

	t_acct(a, "wal");
	make(K_INST, &s.in, a, 81, 0);
	T_CHECK(pthread_create(&th, NULL, slow_main, &s) == 0, "thread");
	pthread_mutex_lock(&s.mu);
	while (!s.inside)
		pthread_cond_wait(&s.cv, &s.mu);
	pthread_mutex_unlock(&s.mu);
	t0 = now_s();
	rc = call(K_INST, OP_GET, a, s.in.id, &got, 0);
	T_CHECK(now_s() - t0 < 2.0, "read waited %.2fs behind the writer", now_s() - t0);
	T_INTEQ(rc, STORE_NOTFOUND, "uncommitted row invisible to a read");
	pthread_mutex_lock(&s.mu);
	s.read_done = 1;
	pthread_cond_broadcast(&s.cv);
	pthread_mutex_unlock(&s.mu);
	pthread_join(th, NULL);
	T_INTEQ(s.rc, 0, "slow write");
	T_INTEQ(call(K_INST, OP_GET, a, s.in.id, &got, 0), 0, "visible after commit");
}

/* The backend's one replay cache: a replay inside the window is refused,
 * also with another stamp; a request stamped a window ahead stays refused
 * until its stamp leaves the window; a stamp outside it is never accepted. */
static void test_nonce(void)
{
	const int64_t W = (int64_t)LIM_AUTH_WINDOW_S * 1000;
	char akid[32], akid2[32];
	struct replay_stats st;

	snprintf(akid, sizeof(akid), "LTAI%s", g_tag);
	snprintf(akid2, sizeof(akid2), "LTAI2%s", g_tag);
	const struct { const char *akid, *nonce; int64_t stamp, now; int want; } rows[] = {
		{ akid, "n1", T0, T0, 0 },
		{ akid, "n1", T0, T0 + 1000, 1 },           /* replay */
		{ akid, "n1", T0 + 5000, T0 + 5000, 1 },    /* same nonce, other stamp */
		{ akid2, "n1", T0, T0 + 5000, 0 },          /* other key */
		{ akid, "n2", T0 + 1000, T0 + 1000, 0 },
		{ akid, "n2", T0 + 1000, T0 + 2000, 1 },
		{ akid, "ahead", T0 + W, T0, 0 },           /* stamped a window ahead */
		{ akid, "ahead", T0 + W, T0 + 2 * W - 1000, 1 }, /* 30 min later */
		{ akid, "ahead", T0 + W, T0 + 2 * W, 1 },   /* the stamp's last moment */
		{ akid, "stale", T0 - W - 1000, T0 + 2 * W, 1 }, /* outside: never */
		{ akid, "far", T0 + 3 * W + 60000, T0 + 2 * W, 1 },
	};
	for (size_t r = 0; r < NF(rows); r++)
		T_INTEQ(store_nonce_use(g_s, rows[r].akid, rows[r].nonce, rows[r].stamp,
		                        rows[r].now),
		        rows[r].want, rows[r].nonce);
	store_replay_stats(g_s, &st);
	T_CHECK(st.nonces >= 1 && st.budget >= ((uint64_t)1 << 20) &&
	        st.forgotten_early == 0 && !st.degraded,
	        "replay stats: %llu nonces, budget %llu, %llu forgotten early",
	        (unsigned long long)st.nonces, (unsigned long long)st.budget,
	        (unsigned long long)st.forgotten_early);
}

/* ---- restart, schema ---- */

static int reopen(void)
{
	char err[256] = "";
	int rc;

	store_close(g_s);
	g_s = NULL;
	rc = store_open(&g_opts, &g_s, err, sizeof(err));
	T_CHECK(rc == 0 && g_s, "reopen: %s", err);
	return rc;
}

static void test_restart(void)
{
	char a[32];
	struct instance in, got, later;

	t_acct(a, "dur");
	make(K_INST, &in, a, 90, 1);
	T_INTEQ(call(K_INST, OP_INS, NULL, NULL, &in, 0), 0, "insert");
	for (int durable = 0; durable < 2; durable++) {
		g_opts.durable = durable;
		if (reopen())
			return;
		T_INTEQ(call(K_INST, OP_GET, a, in.id, &got, 0), 0, "found after restart");
		same("instance(restart)", &got, &in, inst_fields, NF(inst_fields));
	}
	make(K_INST, &later, a, 91, 0);
	T_INTEQ(call(K_INST, OP_INS, NULL, NULL, &later, 0), 0, "insert after restart");
	T_CHECK(later.seq > in.seq, "seq keeps growing across restarts");
}

static int sql_int(sqlite3 *db, const char *sql, long long *out)
{
	sqlite3_stmt *st = NULL;
	int ok = sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	         sqlite3_step(st) == SQLITE_ROW;

	if (ok)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return ok ? 0 : -1;
}

/* SQLite only: schema_version is recorded and a newer database refused. */
static void test_sqlite_schema(void)
{
	char path[PATH_MAX + 16], err[256] = "";
	sqlite3 *db = NULL;
	long long v = -1, v2 = -1;
	struct store *s2 = NULL;

	if (strcmp(store_backend_name(g_s), "sqlite") != 0)
		return;
	snprintf(path, sizeof(path), "%s/ecsd.db", g_dir);
	T_CHECK(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK, "open db");
	sqlite3_busy_timeout(db, 5000);
	T_CHECK(sql_int(db, "SELECT max(version) FROM schema_version", &v) == 0 && v >= 1,
	        "schema_version recorded (%lld)", v);
	T_CHECK(sql_int(db, "SELECT count(*) FROM schema_version", &v2) == 0 && v2 == 1,
	        "one schema_version row");
	T_CHECK(sql_int(db, "SELECT count(*) FROM pragma_journal_mode WHERE journal_mode='wal'",
	                &v2) == 0 && v2 == 1, "WAL mode");
	store_close(g_s);
	g_s = NULL;
	T_CHECK(sqlite3_exec(db, "UPDATE schema_version SET version=version+1000",
	                     NULL, NULL, NULL) == SQLITE_OK, "bump version");
	T_CHECK(store_open(&g_opts, &s2, err, sizeof(err)) < 0, "newer schema refused");
	T_CHECK(strstr(err, "newer") != NULL, "clear message: \"%s\"", err);
	store_close(s2);
	T_CHECK(sqlite3_exec(db, "UPDATE schema_version SET version=version-1000",
	                     NULL, NULL, NULL) == SQLITE_OK, "restore version");
	sqlite3_close(db);
	T_INTEQ(store_open(&g_opts, &g_s, err, sizeof(err)), 0, "open after restore");
}

#endif
