/* pg_nonce.c - the PostgreSQL backend's replay protection: this node's
 * replay cache (replay.c) in front of the UNLOGGED table nonce_seen that
 * every node shares. A nonce the node already saw costs no round trip. The
 * others are inserted in batches, as a group commit does: the first caller
 * to find no batch in flight takes every waiting nonce (up to
 * PG_NONCE_BATCH) into one INSERT ... SELECT FROM unnest(...) statement;
 * the ones arriving meanwhile wait for the next batch. The table's primary
 * key settles a race between nodes; an unlogged table writes no WAL for
 * the rows and its commit waits for no flush. No ECS rules here. */
#include "pg_int.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pg_nonce_req {
	int64_t fp, slice, oldest;
	int rc, done;
	pthread_cond_t cv;           /* its own: a batch wakes only its callers */
	struct pg_nonce_req *next;
};

static int pg_fp_cmp(const void *a, const void *b)
{
	int64_t x = (*(struct pg_nonce_req *const *)a)->fp;
	int64_t y = (*(struct pg_nonce_req *const *)b)->fp;

	return (x > y) - (x < y);
}

/* "{a,b,...}" of the fingerprints (or slices) of v into buf; 0, or -1 if
 * it does not fit. */
static int pg_array(char *buf, size_t len, struct pg_nonce_req **v, int n,
                    int slices)
{
	size_t o = 1;

	buf[0] = '{';
	for (int i = 0; i < n; i++) {
		int w = snprintf(buf + o, len - o, "%s%lld", i ? "," : "",
		                 (long long)(slices ? v[i]->slice : v[i]->fp));

		if (w < 0 || (size_t)w >= len - o)
			return -1;
		o += (size_t)w;
	}
	if (o + 2 > len)
		return -1;
	buf[o++] = '}';
	buf[o] = '\0';
	return 0;
}

/* One statement for the n distinct fingerprints of v (sorted); each gets
 * rc 0 (first use), 1 (used) or a store error. Runs on pc. */
static void pg_nonce_batch(struct store_tx *tx, struct pg_nonce_req **v, int n)
{
	static _Thread_local char fps[PG_NONCE_BATCH * 22 + 4], slices[PG_NONCE_BATCH * 22 + 4];
	struct pg_params p = { 0 };
	PGresult *r;
	int64_t oldest = v[0]->oldest;

	for (int i = 1; i < n; i++)
		if (v[i]->oldest < oldest)
			oldest = v[i]->oldest;
	if (pg_array(fps, sizeof fps, v, n, 0) || pg_array(slices, sizeof slices, v, n, 1)) {
		for (int i = 0; i < n; i++)
			v[i]->rc = STORE_EIO;
		return;
	}
	pg_str(&p, fps);
	pg_str(&p, slices);
	pg_i64(&p, oldest);
	r = pg_exec_st(tx, ST_NONCE_USE, &p);
	for (int i = 0; i < n; i++)
		v[i]->rc = r ? 1 : tx->err;
	for (int k = 0; r && k < PQntuples(r); k++) {
		int64_t fp = pg_parse_i64(PQgetvalue(r, k, 0));

		for (int i = 0; i < n; i++)   /* n is small: a scan is enough */
			if (v[i]->fp == fp)
				v[i]->rc = 0;
	}
	PQclear(r);
}

/* The leader's work: up to PG_NONCE_BATCH waiting requests, one statement.
 * Called and returns with s->nmu held. */
static void pg_nonce_lead(struct store *s)
{
	struct pg_nonce_req *all[PG_NONCE_BATCH], *uniq[PG_NONCE_BATCH];
	struct store_tx tx;
	struct pg_conn *pc;
	int n = 0, u = 0, rc, firsts = 0;
	int64_t oldest;

	while (s->nq && n < PG_NONCE_BATCH) {
		all[n++] = s->nq;
		s->nq = s->nq->next;
	}
	if (!n) {   /* not reached: the leader's own request is waiting */
		s->nleader = 0;
		return;
	}
	pthread_mutex_unlock(&s->nmu);
	oldest = all[0]->oldest;   /* the requests are gone once marked done */
	qsort(all, (size_t)n, sizeof all[0], pg_fp_cmp);
	for (int i = 0; i < n; i++)
		if (!u || uniq[u - 1]->fp != all[i]->fp)
			uniq[u++] = all[i];
	rc = pg_checkout(s, &pc);
	if (rc) {
		for (int i = 0; i < u; i++)
			uniq[i]->rc = rc;
	} else {
		pg_tx_init(&tx, s, pc);
		/* Not retried on a lost connection: the insert may have
		 * committed, and a retry would call a first use a replay. */
		pg_nonce_batch(&tx, uniq, u);
	}
	for (int i = 0, j = 0; i < n; i++) {  /* a repeat in the batch: used */
		while (uniq[j]->fp != all[i]->fp)
			j++;
		if (all[i] != uniq[j])
			all[i]->rc = uniq[j]->rc < 0 ? uniq[j]->rc : 1;
		firsts += all[i]->rc == 0;
	}
	pthread_mutex_lock(&s->nmu);
	for (int i = 0; i < n; i++) {
		all[i]->done = 1;
		pthread_cond_signal(&all[i]->cv);
	}
	s->nleader = 0;
	if (s->nq)   /* the oldest waiting caller leads the next batch */
		pthread_cond_signal(&s->nq->cv);
	pthread_mutex_unlock(&s->nmu);
	if (!rc) {   /* now and then, outside the batch: rows out of the window */
		unsigned before = atomic_fetch_add(&s->nonce_calls, (unsigned)firsts);

		if (firsts && before / PG_NONCE_SWEEP_EVERY !=
		              (before + (unsigned)firsts) / PG_NONCE_SWEEP_EVERY) {
			struct pg_params q = { 0 };

			pg_i64(&q, oldest);
			PQclear(pg_exec_st(&tx, ST_NONCE_SWEEP, &q));
		}
		pg_release(s, pc);
	}
	pthread_mutex_lock(&s->nmu);
}

int pg_nonce_use(struct store *s, const char *akid, const char *nonce,
                 int64_t stamp_ms, int64_t now_ms)
{
	uint64_t fp = replay_fp(akid, nonce);
	struct pg_nonce_req req = { 0 }, **tail;

	if (replay_seen(s->base.replay, fp, stamp_ms, now_ms))
		return 1;
	memcpy(&req.fp, &fp, sizeof req.fp);
	req.slice = replay_slice(stamp_ms);
	req.oldest = replay_oldest_live(now_ms);
	pthread_cond_init(&req.cv, NULL);
	pthread_mutex_lock(&s->nmu);
	for (tail = &s->nq; *tail; tail = &(*tail)->next)
		;
	*tail = &req;
	while (!req.done) {
		if (!s->nleader) {
			s->nleader = 1;
			pg_nonce_lead(s);
		} else {
			pthread_cond_wait(&req.cv, &s->nmu);
		}
	}
	pthread_mutex_unlock(&s->nmu);
	pthread_cond_destroy(&req.cv);
	if (req.rc >= 0)
		replay_add(s->base.replay, fp, stamp_ms, now_ms);
	return req.rc;
}
