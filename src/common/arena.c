/* arena.c - per-request memory pool (see arena.h). */
#include "arena.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct arena_chunk {
	struct arena_chunk *next;
	size_t size, used;
	char data[] __attribute__((aligned(16)));
};

void arena_init(struct arena *a, size_t limit)
{
	a->head = NULL;
	a->total = 0;
	a->limit = limit;
	a->first_used = 0;
}

void *arena_alloc(struct arena *a, size_t n)
{
	struct arena_chunk *c;
	size_t sz;
	void *p;

	n = (n + 15) & ~(size_t)15;
	if (n == 0)
		n = 16;
	if (a->first_used + n <= sizeof(a->first)) {
		p = a->first + a->first_used;
		a->first_used += n;
		memset(p, 0, n);
		return p;
	}
	c = a->head;
	if (!c || c->used + n > c->size) {
		sz = n > 16384 ? n : 16384;
		if (a->total + sz > a->limit)
			return NULL;
		c = malloc(sizeof(*c) + sz);
		if (!c)
			return NULL;
		c->size = sz;
		c->used = 0;
		c->next = a->head;
		a->head = c;
		a->total += sz;
	}
	p = c->data + c->used;
	c->used += n;
	memset(p, 0, n);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	if (p && n)
		memcpy(p, s, n);
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	p = arena_alloc(a, (size_t)n + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void arena_reset(struct arena *a)
{
	struct arena_chunk *c = a->head, *next;

	for (; c; c = next) {
		next = c->next;
		free(c);
	}
	a->head = NULL;
	a->total = 0;
	a->first_used = 0;
}

void arena_free(struct arena *a)
{
	arena_reset(a);
}
