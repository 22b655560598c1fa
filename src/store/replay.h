/* replay.h - the replay cache: which (AccessKeyId, nonce) fingerprints were
 * used by requests whose timestamp is still inside the window. Owned by a
 * store backend (SQLite: the only record; PostgreSQL: this node's front of
 * the shared table). Thread-safe. No clock here: callers pass the request's
 * stamp and now, both epoch ms. */
#ifndef ECSD_REPLAY_H
#define ECSD_REPLAY_H
#include <stddef.h>
#include <stdint.h>

/* A request stamped T may be replayed while |now - T| <= the window
 * (LIM_AUTH_WINDOW_S); its nonce is kept in the generation of T's slice,
 * dropped whole once every stamp of the slice is older than the window. */
#define REPLAY_SLICE_MS   INT64_C(60000)
#define REPLAY_GENS       32      /* > the 31 slices a window of 2x15 min spans */
#define REPLAY_MB_DEFAULT 256     /* --replay-cache-mb */
#define REPLAY_MB_MAX     (1 << 20)

struct replay;

struct replay_stats {
	uint64_t nonces;          /* remembered now */
	uint64_t bytes;           /* mapped for the tables now */
	uint64_t budget;          /* bytes */
	uint64_t forgotten_early; /* nonces dropped before their window ended:
	                             the counter for /metrics (monotonic) */
	uint64_t early_drops;     /* generations dropped early (monotonic) */
	int degraded;             /* 1: a nonce was forgotten early in the last minute */
};

/* budget_bytes: ceiling of the tables' memory (0: REPLAY_MB_DEFAULT MiB;
 * at least 1 MiB is used). */
struct replay *replay_new(size_t budget_bytes);
void replay_free(struct replay *rc);

/* The 64-bit fingerprint of (akid, nonce): the first 8 bytes of
 * SHA-256(akid NUL nonce), never 0. The same on every node. */
uint64_t replay_fp(const char *akid, const char *nonce);

/* The slice of a stamp, and the oldest slice still inside the window. */
int64_t replay_slice(int64_t stamp_ms);
int64_t replay_oldest_live(int64_t now_ms);

/* 0: first use, now remembered; 1: seen (or a stamp outside the window,
 * which cannot be remembered and is never accepted). Never fails: beyond
 * the budget the generations that expire first are forgotten early. */
int replay_use(struct replay *rc, uint64_t fp, int64_t stamp_ms, int64_t now_ms);
/* 1 if fp is remembered (stamp outside the window: 1 too), else 0. */
int replay_seen(struct replay *rc, uint64_t fp, int64_t stamp_ms, int64_t now_ms);
/* Remembers fp (no check). */
void replay_add(struct replay *rc, uint64_t fp, int64_t stamp_ms, int64_t now_ms);

void replay_get_stats(struct replay *rc, struct replay_stats *out);

#endif
