/* sq_writer.c - the SQLite backend's connections and transactions: the
 * statement cache, the writer thread that group-commits queued jobs, the
 * checkpointer thread, the reader pool. No row layouts, no ECS rules. */
#include "sq_int.h"
#include "../common/metrics.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- statements ---- */

void sq_log(sqlite3 *db, const char *what)
{
	fprintf(stderr, "ecsd: store: %s: %s\n", what,
	        db ? sqlite3_errmsg(db) : "out of memory");
}

int sq_fail(struct sq_conn *c, int rc, const char *what)
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

int sq_fixed(struct store_tx *tx, enum st i, struct sq_use *u)
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

int sq_dynamic(struct store_tx *tx, const char *sql, struct sq_use *u)
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

void sq_done(struct sq_use *u)
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
int sq_simple(struct store_tx *tx, enum st i)
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

int sq_exec(sqlite3 *db, const char *sql)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) {
		sq_log(db, sql);
		return -1;
	}
	return 0;
}

/* ---- connections ---- */

void sq_conn_close(struct sq_conn *c)
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

/* The writer connection sets WAL and synchronous; readers are query-only;
 * the checkpointer syncs as the writer does (a checkpoint fsyncs the WAL
 * before it copies pages back and the database after). */
struct sq_conn *sq_conn_open(struct store *s, enum sq_role role)
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

/* ---- the writer thread: group commit ---- */

/* Runs the group's jobs in one transaction, a savepoint each; every job's
 * rc is set. A job whose fn fails is rolled back alone; a failed COMMIT (or
 * a transaction SQLite aborted) fails every job of the transaction. */
static void sq_run_group(struct store *s, struct sq_job *first)
{
	struct store_tx tx = { { &store_sqlite_ops }, s, s->w };
	struct sq_job *txfirst = NULL, *j;
	int in_tx = 0, group = 0;
	double t0;

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
	if (!in_tx) {
		sq_kv_published(s);
		return;
	}
	t0 = metrics_now();
	if (sq_simple(&tx, ST_COMMIT)) {
		if (!sqlite3_get_autocommit(s->w->db))
			sq_simple(&tx, ST_ROLLBACK);
		for (j = txfirst; j; j = j->next)
			j->rc = STORE_EIO;
		sq_kv_published(s);
		return;
	}
	for (j = txfirst; j; j = j->next)
		group++;
	metrics_commit("sqlite", metrics_now() - t0, group);
	sq_kv_published(s);   /* before any caller of the group is woken */
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

void *sq_writer(void *arg)
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

int sq_write(struct store *s, store_fn fn, void *arg)
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
void sq_checkpointer_start(struct store *s)
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

int sq_read(struct store *s, store_fn fn, void *arg)
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

/* One node: the replay cache in this process is the whole record. */
int sq_nonce_use(struct store *s, const char *akid, const char *nonce,
                 int64_t stamp_ms, int64_t now_ms)
{
	return replay_use(s->base.replay, replay_fp(akid, nonce), stamp_ms, now_ms);
}
