/* ratelimit.h - per-AccessKey token buckets (--rate-limit). Thread-safe.
 * Knows nothing of requests beyond a key and a clock. */
#ifndef ECSD_RATELIMIT_H
#define ECSD_RATELIMIT_H
#include <stdint.h>

struct ratelimit;
/* rate: tokens per second, burst = max(rate, 1) tokens. */
struct ratelimit *ratelimit_new(double rate);
/* 1 if a token was taken, 0 if the key is over its rate. */
int ratelimit_take(struct ratelimit *rl, const char *key, int64_t now_ms);
void ratelimit_free(struct ratelimit *rl);

#endif
