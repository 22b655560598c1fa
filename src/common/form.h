/* form.h - percent-decoding of query strings and x-www-form-urlencoded
 * bodies into a flat list of decoded name/value pairs. No ECS rules here. */
#ifndef ECSD_FORM_H
#define ECSD_FORM_H
#include <stddef.h>
#include "arena.h"

struct param {
	const char *name;  /* decoded, NUL-terminated, arena-owned */
	const char *value; /* decoded, NUL-terminated (may hold NUL bytes: use vlen) */
	size_t nlen, vlen;
};

struct params {
	struct param *v;
	size_t n, cap;
};

enum form_rc {
	FORM_OK = 0,
	FORM_TOO_MANY = -1,   /* more than LIM_PARAM_COUNT pairs */
	FORM_TOO_LONG = -2,   /* a name or value over its limit */
	FORM_BAD_ESCAPE = -3, /* '%' not followed by two hex digits */
	FORM_NOMEM = -4,
};

/* Parses "a=b&c=d". plus_is_space: 1 for form bodies, 0 for query strings
 * ('+' kept literal there, as the SDKs always send %2B). Appends to out.
 * Pairs with an empty name are skipped; "a" alone means a="" . */
int form_parse(struct arena *a, const char *s, size_t len, int plus_is_space,
               struct params *out);
int params_add(struct arena *a, struct params *p, const char *name,
               size_t nlen, const char *value, size_t vlen);
/* Appends every pair of src to dst without copying the strings (they must
 * live in the same arena, or longer). FORM_OK, FORM_TOO_MANY, FORM_NOMEM. */
int params_merge(struct arena *a, struct params *dst, const struct params *src);
/* First value for name, or NULL. */
const struct param *params_get(const struct params *p, const char *name);

#endif
