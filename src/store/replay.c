/* replay.c - the replay cache (replay.h). One generation per slice of
 * request timestamps (REPLAY_SLICE_MS), each an open-addressing table of
 * 8-byte fingerprints (linear probing, at most 80% full, any size: the slot
 * is the fingerprint's top 32 bits scaled to the table). A nonce goes to the
 * generation of its request's stamp and is looked up in every live one; a
 * generation is dropped whole when every stamp of its slice has left the
 * window, so a nonce is kept exactly as long as its request is valid, plus
 * at most one slice. Tables are mapped with mmap, so a dropped one goes back
 * to the kernel at once and the resident size follows the live nonces.
 *
 * Budget: the mapped bytes never exceed it, even while a table grows (old
 * and new are both counted). A table that cannot grow within it makes room
 * by dropping, early, the generation whose stamps leave the window first;
 * the one being filled is emptied last. Nothing here ever refuses a
 * request: an early drop only shortens how long some nonces are kept. */
#include "replay.h"
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "../common/limits.h"

#define RP_WINDOW_MS    ((int64_t)LIM_AUTH_WINDOW_S * 1000)
#define RP_PAGE_SLOTS   512         /* 4 KiB of 8-byte slots */
#define RP_LOG_EVERY_MS INT64_C(60000)
#define RP_MIN_BUDGET   ((uint64_t)1 << 20)

__extension__ typedef unsigned __int128 rp_u128;

struct rp_gen {
	int64_t slice;       /* meaningful while t != NULL */
	uint64_t *t;         /* 0: free slot */
	size_t cap, used;    /* cap: a multiple of RP_PAGE_SLOTS */
};

struct replay {
	pthread_mutex_t mu;
	struct rp_gen g[REPLAY_GENS];
	uint64_t nonces, bytes, budget;
	uint64_t forgotten, drops;
	uint64_t forgotten_reported;   /* forgotten at the last log line */
	int64_t last_early_ms, last_log_ms, last_now_ms;
};

static int64_t rp_floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int64_t replay_slice(int64_t stamp_ms)
{
	return rp_floor_div(stamp_ms, REPLAY_SLICE_MS);
}

/* Slice k is live while some stamp in it is inside the window:
 * (k + 1) * SLICE > now - WINDOW. */
int64_t replay_oldest_live(int64_t now_ms)
{
	return rp_floor_div(now_ms - RP_WINDOW_MS, REPLAY_SLICE_MS);
}

static int64_t rp_newest_live(int64_t now_ms)
{
	return rp_floor_div(now_ms + RP_WINDOW_MS, REPLAY_SLICE_MS);
}

static struct rp_gen *rp_slot(struct replay *rc, int64_t slice)
{
	int64_t m = slice % REPLAY_GENS;

	return &rc->g[m < 0 ? m + REPLAY_GENS : m];
}

uint64_t replay_fp(const char *akid, const char *nonce)
{
	unsigned char md[EVP_MAX_MD_SIZE], in[512];
	unsigned int mdlen = 0;
	size_t la = strlen(akid) + 1, ln = strlen(nonce);
	uint64_t fp = 0;
	int ok;

	if (la + ln <= sizeof in) {   /* akid never holds NUL: the pair is unambiguous */
		memcpy(in, akid, la);
		memcpy(in + la, nonce, ln);
		ok = EVP_Digest(in, la + ln, md, &mdlen, EVP_sha256(), NULL);
	} else {
		EVP_MD_CTX *ctx = EVP_MD_CTX_new();

		ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) &&
		     EVP_DigestUpdate(ctx, akid, la) &&
		     EVP_DigestUpdate(ctx, nonce, ln) &&
		     EVP_DigestFinal_ex(ctx, md, &mdlen);
		EVP_MD_CTX_free(ctx);
	}
	if (ok && mdlen >= sizeof fp)
		for (size_t i = 0; i < sizeof fp; i++)
			fp = fp << 8 | md[i];
	else   /* no digest (out of memory): a weak but deterministic mix */
		for (const char *p = nonce; *p; p++)
			fp = (fp ^ (unsigned char)*p) * 0x100000001b3u;
	return fp ? fp : 1;
}

struct replay *replay_new(size_t budget_bytes)
{
	struct replay rc0 = { .budget = budget_bytes }, *rc;

	if (!budget_bytes)
		rc0.budget = (uint64_t)REPLAY_MB_DEFAULT << 20;
	if (rc0.budget < RP_MIN_BUDGET)
		rc0.budget = RP_MIN_BUDGET;
	rc = malloc(sizeof *rc);
	if (!rc)
		return NULL;
	*rc = rc0;
	if (pthread_mutex_init(&rc->mu, NULL)) {
		free(rc);
		return NULL;
	}
	return rc;
}

static size_t rp_bytes(size_t cap)
{
	return cap * sizeof(uint64_t);
}

static uint64_t *rp_map(size_t cap)
{
	void *p = mmap(NULL, rp_bytes(cap), PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static void rp_unmap(uint64_t *t, size_t cap)
{
	if (t)
		munmap(t, rp_bytes(cap));
}

static void rp_drop(struct replay *rc, struct rp_gen *g)
{
	rp_unmap(g->t, g->cap);
	rc->bytes -= rp_bytes(g->cap);
	rc->nonces -= g->used;
	g->t = NULL;
	g->cap = g->used = 0;
}

void replay_free(struct replay *rc)
{
	if (!rc)
		return;
	for (int i = 0; i < REPLAY_GENS; i++)
		rp_unmap(rc->g[i].t, rc->g[i].cap);
	pthread_mutex_destroy(&rc->mu);
	free(rc);
}

static size_t rp_home(uint64_t fp, size_t cap)
{
	return (size_t)(((rp_u128)(fp >> 32) * cap) >> 32);
}

static int rp_has(const struct rp_gen *g, uint64_t fp)
{
	size_t i;

	if (!g->used)
		return 0;
	for (i = rp_home(fp, g->cap); g->t[i]; i = i + 1 == g->cap ? 0 : i + 1)
		if (g->t[i] == fp)
			return 1;
	return 0;
}

static void rp_put(uint64_t *t, size_t cap, uint64_t fp)
{
	size_t i;

	for (i = rp_home(fp, cap); t[i]; i = i + 1 == cap ? 0 : i + 1)
		if (t[i] == fp)
			return;
	t[i] = fp;
}

static void rp_report(struct replay *rc, int64_t now_ms);

/* Drops generations whose slice left the window (or, after the clock
 * stepped, lies beyond it): the normal end of a nonce. */
static void rp_expire(struct replay *rc, int64_t now_ms)
{
	int64_t lo = replay_oldest_live(now_ms), hi = rp_newest_live(now_ms);

	rc->last_now_ms = now_ms;
	for (int i = 0; i < REPLAY_GENS; i++)
		if (rc->g[i].t && (rc->g[i].slice < lo || rc->g[i].slice > hi))
			rp_drop(rc, &rc->g[i]);
}

/* While nonces are forgotten early (in the last minute), a line a minute. */
static void rp_report_due(struct replay *rc, int64_t now_ms)
{
	if (rc->last_early_ms && now_ms - rc->last_early_ms < RP_LOG_EVERY_MS &&
	    now_ms - rc->last_log_ms >= RP_LOG_EVERY_MS)
		rp_report(rc, now_ms);
}

static void rp_report(struct replay *rc, int64_t now_ms)
{
	int64_t oldest = INT64_MAX;

	if (rc->last_log_ms && now_ms - rc->last_log_ms < RP_LOG_EVERY_MS)
		return;
	for (int i = 0; i < REPLAY_GENS; i++)
		if (rc->g[i].t && rc->g[i].slice < oldest)
			oldest = rc->g[i].slice;
	fprintf(stderr, "ecsd: replay cache: over its budget of %llu MiB:"
	        " %llu nonces forgotten before their window ended since the"
	        " last report; only requests stamped after %lld s ago are"
	        " remembered now\n", (unsigned long long)(rc->budget >> 20),
	        (unsigned long long)(rc->forgotten - rc->forgotten_reported),
	        oldest == INT64_MAX ? 0LL
	                            : (long long)((now_ms - oldest * REPLAY_SLICE_MS) / 1000));
	rc->forgotten_reported = rc->forgotten;
	rc->last_log_ms = now_ms;
}

/* Forgets g's nonces before their time (the budget's degradation). */
static void rp_forget_early(struct replay *rc, struct rp_gen *g, int keep_table,
                            int64_t now_ms)
{
	rc->forgotten += g->used;
	rc->drops++;
	rc->last_early_ms = now_ms;
	if (keep_table) {
		memset(g->t, 0, rp_bytes(g->cap));
		rc->nonces -= g->used;
		g->used = 0;
	} else {
		rp_drop(rc, g);
	}
}

/* The live generation other than g whose stamps leave the window first. */
static struct rp_gen *rp_victim(struct replay *rc, const struct rp_gen *g)
{
	struct rp_gen *v = NULL;

	for (int i = 0; i < REPLAY_GENS; i++)
		if (&rc->g[i] != g && rc->g[i].t && (!v || rc->g[i].slice < v->slice))
			v = &rc->g[i];
	return v;
}

/* Room in g for one more, within the budget. 0, or -1 when not even one
 * page could be mapped (the nonce then goes unremembered). */
static int rp_room(struct replay *rc, struct rp_gen *g, int64_t now_ms)
{
	size_t cap, want;
	uint64_t *t;
	struct rp_gen *v;
	int dropped = 0;

	if (g->t && (g->used + 1) * 5 <= g->cap * 4)
		return 0;
	if (g->t) {
		want = g->cap + g->cap / 2;
	} else {   /* sized for as many as the previous slice took */
		const struct rp_gen *p = rp_slot(rc, g->slice - 1);

		want = p->t && p->slice == g->slice - 1 ? p->used + p->used / 2 : 0;
	}
	cap = (want + RP_PAGE_SLOTS - 1) / RP_PAGE_SLOTS * RP_PAGE_SLOTS;
	if (cap < RP_PAGE_SLOTS)
		cap = RP_PAGE_SLOTS;
	while (rc->bytes + rp_bytes(cap) > rc->budget) {
		v = rp_victim(rc, g);
		if (v) {
			rp_forget_early(rc, v, 0, now_ms);
			dropped = 1;
			continue;
		}
		if (g->t) {   /* alone and full: it starts over in its own table */
			rp_forget_early(rc, g, 1, now_ms);
			rp_report(rc, now_ms);
			return 0;
		}
		cap = (size_t)(rc->budget / sizeof(uint64_t)) / RP_PAGE_SLOTS * RP_PAGE_SLOTS;
		break;
	}
	if (dropped)
		rp_report(rc, now_ms);
	t = rp_map(cap);
	if (!t) {
		if (!g->t)
			return -1;
		rp_forget_early(rc, g, 1, now_ms);
		return 0;
	}
	for (size_t i = 0; g->t && i < g->cap; i++)
		if (g->t[i])
			rp_put(t, cap, g->t[i]);
	rp_unmap(g->t, g->cap);
	if (g->t)
		rc->bytes -= rp_bytes(g->cap);
	rc->bytes += rp_bytes(cap);
	g->t = t;
	g->cap = cap;
	return 0;
}

static void rp_add(struct replay *rc, uint64_t fp, int64_t k, int64_t now_ms)
{
	struct rp_gen *g = rp_slot(rc, k);

	if (g->t && g->slice != k)
		rp_drop(rc, g);       /* not reached: rp_expire freed it */
	g->slice = k;
	if (rp_room(rc, g, now_ms)) {
		rc->forgotten++;      /* out of memory: not remembered */
		rc->last_early_ms = now_ms;
		return;
	}
	rp_put(g->t, g->cap, fp);
	g->used++;
	rc->nonces++;
}

static int rp_outside(int64_t k, int64_t now_ms)
{
	return k < replay_oldest_live(now_ms) || k > rp_newest_live(now_ms);
}

static int rp_seen_locked(struct replay *rc, uint64_t fp)
{
	for (int i = 0; i < REPLAY_GENS; i++)
		if (rc->g[i].t && rp_has(&rc->g[i], fp))
			return 1;
	return 0;
}

int replay_use(struct replay *rc, uint64_t fp, int64_t stamp_ms, int64_t now_ms)
{
	int64_t k = replay_slice(stamp_ms);
	int rc_ = 1;

	if (rp_outside(k, now_ms))
		return 1;
	pthread_mutex_lock(&rc->mu);
	rp_expire(rc, now_ms);
	if (!rp_seen_locked(rc, fp)) {
		rp_add(rc, fp, k, now_ms);
		rc_ = 0;
	}
	rp_report_due(rc, now_ms);
	pthread_mutex_unlock(&rc->mu);
	return rc_;
}

int replay_seen(struct replay *rc, uint64_t fp, int64_t stamp_ms, int64_t now_ms)
{
	int seen;

	if (rp_outside(replay_slice(stamp_ms), now_ms))
		return 1;
	pthread_mutex_lock(&rc->mu);
	rp_expire(rc, now_ms);
	seen = rp_seen_locked(rc, fp);
	pthread_mutex_unlock(&rc->mu);
	return seen;
}

void replay_add(struct replay *rc, uint64_t fp, int64_t stamp_ms, int64_t now_ms)
{
	int64_t k = replay_slice(stamp_ms);

	if (rp_outside(k, now_ms))
		return;
	pthread_mutex_lock(&rc->mu);
	rp_expire(rc, now_ms);
	if (!rp_seen_locked(rc, fp))
		rp_add(rc, fp, k, now_ms);
	rp_report_due(rc, now_ms);
	pthread_mutex_unlock(&rc->mu);
}

void replay_get_stats(struct replay *rc, struct replay_stats *out)
{
	pthread_mutex_lock(&rc->mu);
	out->nonces = rc->nonces;
	out->bytes = rc->bytes;
	out->budget = rc->budget;
	out->forgotten_early = rc->forgotten;
	out->early_drops = rc->drops;
	out->degraded = rc->last_early_ms &&
	                rc->last_now_ms - rc->last_early_ms < RP_LOG_EVERY_MS;
	pthread_mutex_unlock(&rc->mu);
}
