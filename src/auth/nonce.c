/* nonce.c - the in-memory replay cache. Nonces are kept in generations,
 * one per time slice of LIM_NONCE_SLICE_S: a nonce is looked up in every
 * live generation and added to the current one; a whole generation is
 * dropped when its slice leaves the window, so expiry costs nothing per
 * request and a full cache never rescans. Each nonce is remembered for at
 * least LIM_NONCE_KEEP_S (at most one slice more). Entries are 16 bytes of
 * SHA-256(akid, nonce). No clock here (the caller passes now). */
#include "auth.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include "../common/limits.h"

#define NONCE_DIGEST 16      /* bytes of SHA-256 kept per entry */
#define NONCE_MIN_SLOTS 64
#define NONCE_SLICE_MS ((int64_t)LIM_NONCE_SLICE_S * 1000)
/* slices a nonce stays findable in, counting the one it was added in */
#define NONCE_GENS ((LIM_NONCE_KEEP_S + LIM_NONCE_SLICE_S - 1) / LIM_NONCE_SLICE_S + 1)

struct nonce_gen {
	int64_t slice;                       /* time slice held; -1 empty */
	unsigned char (*t)[NONCE_DIGEST];    /* all-zero slot: free */
	size_t cap, used;                    /* cap: power of two */
};

struct nonce_cache {
	pthread_mutex_t mu;
	struct nonce_gen g[NONCE_GENS];
	size_t total;        /* entries in all generations */
	size_t max_entries;
};

static uint64_t nonce_hash(const unsigned char *d)
{
	uint64_t h;

	memcpy(&h, d, sizeof(h));
	return h;
}

/* SHA-256(akid NUL nonce): akid never holds NUL, so the pair is unambiguous. */
static int nonce_digest(const char *akid, const char *nonce,
                        unsigned char out[NONCE_DIGEST])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok;

	if (!ctx)
		return -1;
	ok = EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) &&
	     EVP_DigestUpdate(ctx, akid, strlen(akid) + 1) &&
	     EVP_DigestUpdate(ctx, nonce, strlen(nonce)) &&
	     EVP_DigestFinal_ex(ctx, md, &mdlen) && mdlen >= NONCE_DIGEST;
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return -1;
	memcpy(out, md, NONCE_DIGEST);
	out[NONCE_DIGEST - 1] |= 1;   /* never all-zero: that marks a free slot */
	return 0;
}

struct nonce_cache *nonce_new(size_t max_entries)
{
	struct nonce_cache *nc;

	if (max_entries == 0)
		max_entries = 1;
	if (max_entries > LIM_NONCE_ENTRIES)
		max_entries = LIM_NONCE_ENTRIES;
	nc = calloc(1, sizeof(*nc));
	if (!nc)
		return NULL;
	if (pthread_mutex_init(&nc->mu, NULL)) {
		free(nc);
		return NULL;
	}
	nc->max_entries = max_entries;
	for (int i = 0; i < NONCE_GENS; i++)
		nc->g[i].slice = -1;
	return nc;
}

static void gen_drop(struct nonce_cache *nc, struct nonce_gen *g)
{
	nc->total -= g->used;
	free(g->t);
	g->t = NULL;
	g->cap = g->used = 0;
	g->slice = -1;
}

static int gen_has(const struct nonce_gen *g, const unsigned char *d)
{
	size_t mask = g->cap - 1, i;

	if (!g->cap)
		return 0;
	for (i = nonce_hash(d) & mask; g->t[i][NONCE_DIGEST - 1]; i = (i + 1) & mask)
		if (memcmp(g->t[i], d, NONCE_DIGEST) == 0)
			return 1;
	return 0;
}

static void gen_put(struct nonce_gen *g, const unsigned char *d)
{
	size_t mask = g->cap - 1, i;

	for (i = nonce_hash(d) & mask; g->t[i][NONCE_DIGEST - 1]; i = (i + 1) & mask)
		;
	memcpy(g->t[i], d, NONCE_DIGEST);
	g->used++;
}

/* Keeps the table at most half full. -1 when memory ran out. */
static int gen_room(struct nonce_gen *g)
{
	struct nonce_gen n = { g->slice, NULL, g->cap ? g->cap * 2 : NONCE_MIN_SLOTS, 0 };

	if (2 * (g->used + 1) <= g->cap)
		return 0;
	n.t = calloc(n.cap, NONCE_DIGEST);
	if (!n.t)
		return -1;
	for (size_t i = 0; i < g->cap; i++)
		if (g->t[i][NONCE_DIGEST - 1])
			gen_put(&n, g->t[i]);
	free(g->t);
	*g = n;
	return 0;
}

int nonce_use(struct nonce_cache *nc, const char *akid, const char *nonce,
              int64_t now_ms)
{
	unsigned char d[NONCE_DIGEST];
	int64_t cur = (now_ms < 0 ? 0 : now_ms) / NONCE_SLICE_MS;
	struct nonce_gen *g;
	int rc = 0;

	if (nonce_digest(akid, nonce, d))
		return -1;
	pthread_mutex_lock(&nc->mu);
	for (int i = 0; i < NONCE_GENS; i++) {
		g = &nc->g[i];
		if (g->slice < 0)
			continue;
		if (g->slice <= cur - NONCE_GENS) {
			gen_drop(nc, g);      /* its slice left the window */
			continue;
		}
		if (gen_has(g, d)) {
			rc = 1;
			goto out;
		}
	}
	g = &nc->g[cur % NONCE_GENS];
	if (g->slice != cur) {
		gen_drop(nc, g);              /* only after a clock step back */
		g->slice = cur;
	}
	if (nc->total >= nc->max_entries || gen_room(g)) {
		rc = -1;                      /* full of live nonces: caller answers 503 */
		goto out;
	}
	gen_put(g, d);
	nc->total++;
out:
	pthread_mutex_unlock(&nc->mu);
	return rc;
}

void nonce_free(struct nonce_cache *nc)
{
	if (!nc)
		return;
	for (int i = 0; i < NONCE_GENS; i++)
		free(nc->g[i].t);
	pthread_mutex_destroy(&nc->mu);
	free(nc);
}
