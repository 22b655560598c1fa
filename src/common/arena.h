/* arena.h - per-request memory pool (h2o req->pool): allocate freely while
 * one request lives, free everything at once. Has a ceiling. */
#ifndef ECSD_ARENA_H
#define ECSD_ARENA_H
#include <stddef.h>

struct arena_chunk;
struct arena {
	struct arena_chunk *head;
	size_t total;  /* bytes taken from malloc */
	size_t limit;
	char first[4096] __attribute__((aligned(16))); /* inline first chunk */
	size_t first_used;
};

void arena_init(struct arena *a, size_t limit);
/* Returns zeroed memory owned by the arena, or NULL once the limit is hit. */
void *arena_alloc(struct arena *a, size_t n);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void arena_reset(struct arena *a); /* free all but the inline chunk */
void arena_free(struct arena *a);

#endif
