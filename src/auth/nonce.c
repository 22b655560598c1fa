/* nonce.c - the in-memory replay cache: a mutex-protected open-addressing
 * table of SHA-256(akid, nonce) digests, each live for LIM_NONCE_KEEP_S.
 * No clock here (the caller passes now) and no policy beyond the window. */
#include "auth.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include "../common/limits.h"

#define NONCE_DIGEST 16      /* bytes of SHA-256 kept per entry */
#define NONCE_MIN_SLOTS 64

struct nonce_slot {
	unsigned char d[NONCE_DIGEST];
	int64_t expires_ms; /* live while now < expires_ms */
	int used;           /* 0: never filled (ends a probe chain) */
};

struct nonce_cache {
	pthread_mutex_t mu;
	struct nonce_slot *t;
	size_t cap;       /* power of two */
	size_t used;      /* filled slots, live or expired; <= max_entries */
	size_t max_entries;
	size_t max_cap;   /* power of two >= 2 * max_entries */
};

static size_t nonce_pow2(size_t n)
{
	size_t c = NONCE_MIN_SLOTS;

	while (c < n)
		c *= 2;
	return c;
}

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
	nc->max_entries = max_entries;
	nc->max_cap = nonce_pow2(2 * max_entries);
	nc->cap = NONCE_MIN_SLOTS;
	nc->t = calloc(nc->cap, sizeof(*nc->t));
	if (!nc->t || pthread_mutex_init(&nc->mu, NULL)) {
		free(nc->t);
		free(nc);
		return NULL;
	}
	return nc;
}

/* Rebuilds the table with live entries only, sized for growth. -1 if the
 * live entries already fill max_entries or memory ran out. */
static int nonce_rehash(struct nonce_cache *nc, int64_t now_ms)
{
	struct nonce_slot *t;
	size_t i, j, live = 0, cap, mask;

	for (i = 0; i < nc->cap; i++)
		if (nc->t[i].used && nc->t[i].expires_ms > now_ms)
			live++;
	if (live >= nc->max_entries)
		return -1;
	cap = nonce_pow2(4 * (live + 1));
	if (cap > nc->max_cap)
		cap = nc->max_cap;
	t = calloc(cap, sizeof(*t));
	if (!t)
		return -1;
	mask = cap - 1;
	for (i = 0; i < nc->cap; i++) {
		if (!nc->t[i].used || nc->t[i].expires_ms <= now_ms)
			continue;
		for (j = nonce_hash(nc->t[i].d) & mask; t[j].used;
		     j = (j + 1) & mask)
			;
		t[j] = nc->t[i];
	}
	free(nc->t);
	nc->t = t;
	nc->cap = cap;
	nc->used = live;
	return 0;
}

int nonce_use(struct nonce_cache *nc, const char *akid, const char *nonce,
              int64_t now_ms)
{
	unsigned char d[NONCE_DIGEST];
	struct nonce_slot *s, *reuse = NULL;
	size_t i, mask;

	if (nonce_digest(akid, nonce, d))
		return -1;
	pthread_mutex_lock(&nc->mu);
	mask = nc->cap - 1;
	for (i = nonce_hash(d) & mask; nc->t[i].used; i = (i + 1) & mask) {
		s = &nc->t[i];
		if (s->expires_ms <= now_ms) {
			if (!reuse)
				reuse = s;
		} else if (memcmp(s->d, d, NONCE_DIGEST) == 0) {
			pthread_mutex_unlock(&nc->mu);
			return 1;
		}
	}
	if (!reuse) {
		if (nc->used >= nc->max_entries || nc->used + 1 > nc->cap / 2) {
			if (nonce_rehash(nc, now_ms)) {
				pthread_mutex_unlock(&nc->mu);
				return -1;
			}
			mask = nc->cap - 1;
			for (i = nonce_hash(d) & mask; nc->t[i].used;
			     i = (i + 1) & mask)
				;
		}
		reuse = &nc->t[i];
		reuse->used = 1;
		nc->used++;
	}
	memcpy(reuse->d, d, NONCE_DIGEST);
	reuse->expires_ms = now_ms + (int64_t)LIM_NONCE_KEEP_S * 1000;
	pthread_mutex_unlock(&nc->mu);
	return 0;
}

void nonce_free(struct nonce_cache *nc)
{
	if (!nc)
		return;
	pthread_mutex_destroy(&nc->mu);
	free(nc->t);
	free(nc);
}
