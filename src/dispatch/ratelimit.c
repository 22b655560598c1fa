/* ratelimit.c - per-AccessKey token buckets in a small fixed hash table.
 * Bounded: RL_SLOTS keys; a new key evicts the bucket in its slot. */
#include "ratelimit.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RL_SLOTS 4096
#define RL_KEY 64

struct bucket {
	char key[RL_KEY];
	double tokens;
	int64_t last_ms;
};

struct ratelimit {
	pthread_mutex_t mu;
	double rate, burst;
	struct bucket slot[RL_SLOTS];
};

struct ratelimit *ratelimit_new(double rate)
{
	struct ratelimit *rl = calloc(1, sizeof(*rl));

	if (!rl)
		return NULL;
	pthread_mutex_init(&rl->mu, NULL);
	rl->rate = rate;
	rl->burst = rate < 1 ? 1 : rate;
	return rl;
}

static unsigned hash(const char *s)
{
	unsigned h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

int ratelimit_take(struct ratelimit *rl, const char *key, int64_t now_ms)
{
	struct bucket *b;
	int ok;

	pthread_mutex_lock(&rl->mu);
	b = &rl->slot[hash(key) % RL_SLOTS];
	if (strncmp(b->key, key, RL_KEY) != 0) {
		snprintf(b->key, sizeof(b->key), "%s", key);
		b->tokens = rl->burst;
		b->last_ms = now_ms;
	}
	if (now_ms > b->last_ms) {
		b->tokens += (double)(now_ms - b->last_ms) * rl->rate / 1000.0;
		if (b->tokens > rl->burst)
			b->tokens = rl->burst;
		b->last_ms = now_ms;
	}
	ok = b->tokens >= 1.0;
	if (ok)
		b->tokens -= 1.0;
	pthread_mutex_unlock(&rl->mu);
	return ok;
}

void ratelimit_free(struct ratelimit *rl)
{
	if (!rl)
		return;
	pthread_mutex_destroy(&rl->mu);
	free(rl);
}
