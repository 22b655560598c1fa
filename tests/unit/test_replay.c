/* test_replay.c - the replay cache (src/store/replay.c): rows of uses with
 * their answers, a nonce kept exactly while its stamp is in the window, the
 * memory budget (no refusal, bytes within it, the counter), bytes per
 * nonce, and threads. The clock is passed in, so time is a table column. */
#include <pthread.h>
#include <stdio.h>
#include "../../src/common/limits.h"
#include "../../src/store/replay.h"
#include "t.h"

#define W_MS ((int64_t)LIM_AUTH_WINDOW_S * 1000)
#define S_MS REPLAY_SLICE_MS
#define T0 INT64_C(1709280000000)   /* 2024-03-01T08:00:00Z, a slice start */
#define NF(a) (sizeof(a) / sizeof((a)[0]))

struct row {
	const char *akid, *nonce;
	int64_t stamp, now;
	int want;
};

/* One cache, rows applied in order (the clock never goes back). */
static const struct row rows[] = {
	{ "ak1", "n1", T0, T0, 0 },                   /* first use */
	{ "ak1", "n1", T0, T0 + 1000, 1 },            /* replay */
	{ "ak2", "n1", T0, T0 + 1000, 0 },            /* other key, same nonce */
	{ "ak1", "n2", T0, T0 + 1000, 0 },            /* other nonce */
	{ "ak1", "n1", T0 + 7000, T0 + 7000, 1 },     /* same nonce, other stamp */
	{ "ak1", "fut", T0 + W_MS, T0 + 7000, 0 },    /* stamped ~a window ahead */
	{ "ak1", "n1", T0, T0 + W_MS, 1 },            /* the stamp's last valid ms */
	{ "ak1", "n1", T0 + W_MS, T0 + W_MS, 1 },
	{ "ak1", "fut", T0 + W_MS, T0 + 2 * W_MS, 1 },  /* 30 min on: still refused */
	{ "ak1", "fut", T0 + W_MS + 1, T0 + 2 * W_MS, 1 },
	{ "ak1", "n1", T0 + 2 * W_MS, T0 + 2 * W_MS, 0 }, /* T0's slice is gone */
	{ "ak1", "old", T0 + W_MS - 1, T0 + 2 * W_MS, 1 }, /* stamp outside: never */
	{ "ak1", "new", T0 + 3 * W_MS + S_MS, T0 + 2 * W_MS, 1 },
	{ "ab", "c", T0 + 2 * W_MS, T0 + 2 * W_MS, 0 }, /* no ambiguity in the pair */
	{ "a", "bc", T0 + 2 * W_MS, T0 + 2 * W_MS, 0 },
	{ "a", "", T0 + 2 * W_MS, T0 + 2 * W_MS, 0 },   /* empty nonce */
	{ "a", "", T0 + 2 * W_MS, T0 + 2 * W_MS + 1, 1 },
};

static void test_rows(void)
{
	struct replay *rc = replay_new(0);
	char what[96];

	T_CHECK(rc != NULL, "replay_new");
	if (!rc)
		return;
	for (size_t i = 0; i < NF(rows); i++) {
		snprintf(what, sizeof what, "row %zu: %s/%s stamp %+lld s now %+lld s",
		         i, rows[i].akid, rows[i].nonce,
		         (long long)((rows[i].stamp - T0) / 1000),
		         (long long)((rows[i].now - T0) / 1000));
		T_INTEQ(replay_use(rc, replay_fp(rows[i].akid, rows[i].nonce),
		                   rows[i].stamp, rows[i].now), rows[i].want, what);
	}
	replay_free(rc);
}

static uint64_t nonces_at(struct replay *rc, int64_t now)
{
	struct replay_stats st;

	(void)replay_seen(rc, 1, now, now);   /* a call at now: drops what expired */
	replay_get_stats(rc, &st);
	return st.nonces;
}

/* A nonce stays exactly while its stamp is in the window (up to the end of
 * its slice), measured from the stamp, not from its arrival. */
static void test_lifetime(void)
{
	struct replay *rc = replay_new(0);
	const int64_t stamp = T0 + 30000;   /* mid-slice */

	if (!rc)
		return;
	T_INTEQ(replay_use(rc, replay_fp("ak", "x"), stamp, T0 + 40000), 0, "lifetime: first");
	T_INTEQ((int64_t)nonces_at(rc, stamp + W_MS), 1, "lifetime: kept while the stamp is valid");
	T_INTEQ((int64_t)nonces_at(rc, T0 + S_MS + W_MS - 1), 1, "lifetime: kept to the end of its slice");
	T_INTEQ((int64_t)nonces_at(rc, T0 + S_MS + W_MS), 0, "lifetime: dropped with its slice");
	/* stamped ahead: kept past arrival + window */
	T_INTEQ(replay_use(rc, replay_fp("ak", "y"), T0 + 2 * W_MS, T0 + W_MS), 0, "ahead: first");
	T_INTEQ((int64_t)nonces_at(rc, T0 + 2 * W_MS + W_MS - 1), 1, "ahead: kept 30 min after arrival");
	T_INTEQ((int64_t)nonces_at(rc, T0 + 3 * W_MS + S_MS), 0, "ahead: then dropped");
	replay_free(rc);
}

/* 300,000 distinct requests, 2,000 a second, through a 1 MiB cache: not one
 * refused, never more than the budget mapped, the early drops counted. */
static void test_budget(void)
{
	struct replay *rc = replay_new(1 << 20);
	struct replay_stats st;
	uint64_t refused = 0, maxbytes = 0;
	char n[32];

	if (!rc)
		return;
	for (int i = 0; i < 300000; i++) {
		int64_t now = T0 + (int64_t)i / 2;   /* 2,000/s */

		snprintf(n, sizeof n, "b-%d", i);
		refused += replay_use(rc, replay_fp("ak", n), now - 1000, now) != 0;
		if (i % 1000 == 0) {
			replay_get_stats(rc, &st);
			if (st.bytes > maxbytes)
				maxbytes = st.bytes;
		}
	}
	replay_get_stats(rc, &st);
	T_INTEQ((int64_t)refused, 0, "budget: no distinct request refused");
	T_CHECK(maxbytes <= st.budget && st.budget == (1u << 20),
	        "budget: at most %llu bytes mapped, saw %llu",
	        (unsigned long long)st.budget, (unsigned long long)maxbytes);
	T_CHECK(st.forgotten_early > 0 && st.early_drops > 0 && st.degraded,
	        "budget: early drops counted (%llu nonces, %llu drops), degraded",
	        (unsigned long long)st.forgotten_early, (unsigned long long)st.early_drops);
	T_INTEQ(replay_use(rc, replay_fp("ak", "b-299999"), T0 + 149999 - 1000, T0 + 150000),
	        1, "budget: the latest nonces are still refused");
	replay_free(rc);
}

/* Bytes per remembered nonce at a steady rate: 15 slices of 60,000. */
static void test_bytes_per_nonce(void)
{
	struct replay *rc = replay_new(0);
	struct replay_stats st;
	char n[32];

	if (!rc)
		return;
	for (int i = 0; i < 900000; i++) {
		int64_t now = T0 + (int64_t)i;   /* 1,000/s */

		snprintf(n, sizeof n, "p-%d", i);
		replay_use(rc, replay_fp("ak", n), now, now);
	}
	replay_get_stats(rc, &st);
	printf("# bytes per nonce: %.2f (%llu nonces in %llu bytes)\n",
	       (double)st.bytes / (double)st.nonces, (unsigned long long)st.nonces,
	       (unsigned long long)st.bytes);
	T_CHECK(st.nonces == 900000 && st.bytes <= st.nonces * 16,
	        "bytes per nonce: %.2f, at most 16 (an 8-byte fingerprint)",
	        (double)st.bytes / (double)st.nonces);
	replay_free(rc);
}

#define THREADS 4
#define THREAD_NONCES 2000

struct th {
	struct replay *rc;
	int firsts, reuses;
};

static void *thread_main(void *p)
{
	struct th *t = p;
	char n[32];

	for (int i = 0; i < THREAD_NONCES; i++) {
		snprintf(n, sizeof n, "t-%d", i);
		if (replay_use(t->rc, replay_fp("ak", n), T0, T0 + i) == 0)
			t->firsts++;
		else
			t->reuses++;
	}
	return NULL;
}

/* Every nonce is "first" for exactly one thread. */
static void test_threads(void)
{
	struct replay *rc = replay_new(0);
	struct th a[THREADS];
	pthread_t th[THREADS];
	int firsts = 0, reuses = 0;

	if (!rc)
		return;
	for (int i = 0; i < THREADS; i++) {
		a[i] = (struct th){ rc, 0, 0 };
		pthread_create(&th[i], NULL, thread_main, &a[i]);
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(th[i], NULL);
		firsts += a[i].firsts;
		reuses += a[i].reuses;
	}
	T_INTEQ(firsts, THREAD_NONCES, "threads: one first use per nonce");
	T_INTEQ(reuses, (THREADS - 1) * THREAD_NONCES, "threads: reuses");
	replay_free(rc);
}

int main(void)
{
	test_rows();
	test_lifetime();
	test_budget();
	test_bytes_per_nonce();
	test_threads();
	return t_done("replay");
}
