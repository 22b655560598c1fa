/* jpath.c - the JMESPath subset --output rows/cols and --waiter need:
 * fields (a.b, "quoted", @), indexes [N] / [-N], projections [*] and
 * flatten []. Pure functions over jansson values; no I/O here. */
#include "ecs.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JP_MAX_STEPS 32
#define JP_NAME_BYTES 128

enum jp_kind { JP_FIELD, JP_INDEX, JP_WILDCARD, JP_FLATTEN };

struct jp_step {
	enum jp_kind kind;
	char name[JP_NAME_BYTES];
	long index;
};

struct jp_expr {
	struct jp_step s[JP_MAX_STEPS];
	size_t n;
};

static int jp_ident_char(char c, int first)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
	       (!first && c >= '0' && c <= '9');
}

static struct jp_step *jp_push(struct jp_expr *e, enum jp_kind kind)
{
	if (e->n >= JP_MAX_STEPS)
		return NULL;
	memset(&e->s[e->n], 0, sizeof(e->s[0]));
	e->s[e->n].kind = kind;
	return &e->s[e->n++];
}

/* Field name at *p (bare or "quoted"); advances *p. */
static int jp_field(struct jp_expr *e, const char **p)
{
	const char *s = *p, *end;
	struct jp_step *st;
	size_t n;

	if (*s == '@') { /* the current node: no step */
		*p = s + 1;
		return 0;
	}
	if (*s == '"') {
		end = strchr(s + 1, '"');
		if (!end)
			return -1;
		s++;
	} else {
		if (!jp_ident_char(*s, 1))
			return -1;
		for (end = s; jp_ident_char(*end, 0); end++)
			;
	}
	n = (size_t)(end - s);
	st = jp_push(e, JP_FIELD);
	if (!st || n >= sizeof(st->name))
		return -1;
	memcpy(st->name, s, n);
	*p = end + (*end == '"');
	return 0;
}

/* [N], [-N], [*] or [] at *p; advances *p. */
static int jp_bracket(struct jp_expr *e, const char **p)
{
	const char *s = *p + 1;
	struct jp_step *st;
	char *end;
	long v;

	if (s[0] == ']' || (s[0] == '*' && s[1] == ']')) {
		if (!jp_push(e, s[0] == ']' ? JP_FLATTEN : JP_WILDCARD))
			return -1;
		*p = s + (s[0] == ']' ? 1 : 2);
		return 0;
	}
	if (!((s[0] >= '0' && s[0] <= '9') || s[0] == '-'))
		return -1;
	v = strtol(s, &end, 10);
	if (end == s || *end != ']')
		return -1;
	st = jp_push(e, JP_INDEX);
	if (!st)
		return -1;
	st->index = v;
	*p = end + 1;
	return 0;
}

static int jp_parse(const char *expr, struct jp_expr *e)
{
	const char *p = expr;

	e->n = 0;
	if (*p == '[' ? jp_bracket(e, &p) : jp_field(e, &p))
		return -1;
	while (*p) {
		if (*p == '.') {
			p++;
			if (jp_field(e, &p))
				return -1;
		} else if (*p == '[') {
			if (jp_bracket(e, &p))
				return -1;
		} else {
			return -1;
		}
	}
	return 0;
}

/* Steps [i, e->n) up to the next flatten, on v: fields, indexes, and
 * [*] projections applied per element. New reference or NULL. */
static json_t *jp_segment(json_t *v, const struct jp_expr *e, size_t i,
                          size_t end)
{
	json_t *out, *item, *r;
	size_t k, n;
	long idx;

	for (; i < end; i++) {
		if (!v || json_is_null(v))
			return NULL;
		switch (e->s[i].kind) {
		case JP_FIELD:
			v = json_is_object(v) ? json_object_get(v, e->s[i].name)
			                      : NULL;
			break;
		case JP_INDEX:
			if (!json_is_array(v))
				return NULL;
			n = json_array_size(v);
			idx = e->s[i].index;
			if (idx < 0)
				idx += (long)n;
			v = idx >= 0 && (size_t)idx < n
			    ? json_array_get(v, (size_t)idx) : NULL;
			break;
		case JP_WILDCARD:
			if (!json_is_array(v))
				return NULL;
			out = json_array();
			json_array_foreach(v, k, item) {
				r = jp_segment(item, e, i + 1, end);
				if (r)
					json_array_append_new(out, r);
			}
			return out;
		case JP_FLATTEN:
			return NULL; /* never inside a segment */
		}
	}
	return v && !json_is_null(v) ? json_incref(v) : NULL;
}

static size_t jp_next_flatten(const struct jp_expr *e, size_t i)
{
	while (i < e->n && e->s[i].kind != JP_FLATTEN)
		i++;
	return i;
}

json_t *ecs_jpath(json_t *root, const char *expr, int *bad)
{
	struct jp_expr e;
	json_t *cur, *flat, *out, *item, *sub, *r;
	size_t i, end, k, m;

	*bad = 0;
	if (jp_parse(expr, &e)) {
		*bad = 1;
		return NULL;
	}
	end = jp_next_flatten(&e, 0);
	cur = jp_segment(root, &e, 0, end);
	for (i = end; i < e.n && cur; i = end) {
		/* e.s[i] is a flatten: flatten what we have, then project */
		end = jp_next_flatten(&e, i + 1);
		if (!json_is_array(cur)) {
			json_decref(cur);
			return NULL;
		}
		flat = json_array();
		json_array_foreach(cur, k, item) {
			if (json_is_array(item))
				json_array_foreach(item, m, sub)
					json_array_append(flat, sub);
			else
				json_array_append(flat, item);
		}
		json_decref(cur);
		out = json_array();
		json_array_foreach(flat, k, item) {
			r = jp_segment(item, &e, i + 1, end);
			if (r)
				json_array_append_new(out, r);
		}
		json_decref(flat);
		cur = out;
	}
	return cur;
}

const char *ecs_jpath_text(struct arena *a, json_t *v)
{
	char *dump;
	const char *s;

	if (!v || json_is_null(v))
		return "<nil>"; /* what the aliyun CLI prints */
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v))
		return arena_printf(a, "%" JSON_INTEGER_FORMAT,
		                    json_integer_value(v));
	dump = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
	s = dump ? arena_strdup(a, dump) : NULL;
	free(dump);
	return s ? s : "";
}
