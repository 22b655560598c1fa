/* form.c - percent-decoding of query strings and form bodies into a flat
 * list of name/value pairs (see form.h). Knows nothing about ECS parameters
 * or signatures; it only decodes and enforces the limits of limits.h. */
#include "form.h"
#include <string.h>
#include "limits.h"

static int form_hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* First pass: validates escapes and returns the decoded length in *dlen. */
static int form_measure(const char *s, size_t len, size_t *dlen)
{
	size_t i, n = 0;

	for (i = 0; i < len; n++) {
		if (s[i] != '%') {
			i++;
			continue;
		}
		if (len - i < 3 || form_hexval((unsigned char)s[i + 1]) < 0 ||
		    form_hexval((unsigned char)s[i + 2]) < 0)
			return FORM_BAD_ESCAPE;
		i += 3;
	}
	*dlen = n;
	return FORM_OK;
}

/* Second pass: decodes s (already validated) into dst, NUL-terminated. */
static void form_decode(char *dst, const char *s, size_t len, int plus_is_space)
{
	size_t i = 0, o = 0;

	while (i < len) {
		if (s[i] == '%') {
			dst[o++] = (char)(16 * form_hexval((unsigned char)s[i + 1])
			                  + form_hexval((unsigned char)s[i + 2]));
			i += 3;
		} else if (s[i] == '+' && plus_is_space) {
			dst[o++] = ' ';
			i++;
		} else {
			dst[o++] = s[i++];
		}
	}
	dst[o] = '\0';
}

/* Decodes one name or value into a fresh arena string, checking its limit. */
static int form_take(struct arena *a, const char *s, size_t len,
                     int plus_is_space, size_t limit, char **out, size_t *olen)
{
	size_t dlen;
	int rc = form_measure(s, len, &dlen);

	if (rc)
		return rc;
	if (dlen > limit)
		return FORM_TOO_LONG;
	*out = arena_alloc(a, dlen + 1);
	if (!*out)
		return FORM_NOMEM;
	form_decode(*out, s, len, plus_is_space);
	*olen = dlen;
	return FORM_OK;
}

/* Appends an already arena-owned pair; grows the vector inside the arena. */
static int form_append(struct arena *a, struct params *p, const char *name,
                       size_t nlen, const char *value, size_t vlen)
{
	struct param *v;
	size_t cap;

	if (p->n >= LIM_PARAM_COUNT)
		return FORM_TOO_MANY;
	if (p->n == p->cap) {
		cap = p->cap ? p->cap * 2 : 16;
		if (cap > LIM_PARAM_COUNT)
			cap = LIM_PARAM_COUNT;
		v = arena_alloc(a, cap * sizeof(*v));
		if (!v)
			return FORM_NOMEM;
		if (p->n)
			memcpy(v, p->v, p->n * sizeof(*v));
		p->v = v;
		p->cap = cap;
	}
	p->v[p->n].name = name;
	p->v[p->n].nlen = nlen;
	p->v[p->n].value = value;
	p->v[p->n].vlen = vlen;
	p->n++;
	return FORM_OK;
}

int params_add(struct arena *a, struct params *p, const char *name,
               size_t nlen, const char *value, size_t vlen)
{
	char *n, *v;

	if (nlen > LIM_NAME_BYTES || vlen > LIM_VALUE_BYTES)
		return FORM_TOO_LONG;
	if (p->n >= LIM_PARAM_COUNT)
		return FORM_TOO_MANY;
	n = arena_strndup(a, name, nlen);
	v = arena_strndup(a, value, vlen);
	if (!n || !v)
		return FORM_NOMEM;
	return form_append(a, p, n, nlen, v, vlen);
}

int params_merge(struct arena *a, struct params *dst, const struct params *src)
{
	int rc;

	for (size_t i = 0; i < src->n; i++) {
		const struct param *p = &src->v[i];

		if ((rc = form_append(a, dst, p->name, p->nlen, p->value, p->vlen)))
			return rc;
	}
	return FORM_OK;
}

int form_parse(struct arena *a, const char *s, size_t len, int plus_is_space,
               struct params *out)
{
	const char *end = s + len, *seg, *amp, *eq;
	char *name, *value;
	size_t nlen, vlen;
	int rc;

	for (seg = s; seg < end; seg = amp + (amp < end)) {
		amp = memchr(seg, '&', (size_t)(end - seg));
		if (!amp)
			amp = end;
		if (amp == seg)
			continue;
		eq = memchr(seg, '=', (size_t)(amp - seg));
		if (!eq)
			eq = amp;
		rc = form_take(a, seg, (size_t)(eq - seg), plus_is_space,
		               LIM_NAME_BYTES, &name, &nlen);
		if (rc)
			return rc;
		if (nlen == 0)
			continue;
		if (eq == amp) {
			value = arena_strndup(a, "", 0);
			vlen = 0;
			if (!value)
				return FORM_NOMEM;
		} else {
			rc = form_take(a, eq + 1, (size_t)(amp - eq - 1),
			               plus_is_space, LIM_VALUE_BYTES, &value,
			               &vlen);
			if (rc)
				return rc;
		}
		rc = form_append(a, out, name, nlen, value, vlen);
		if (rc)
			return rc;
	}
	return FORM_OK;
}

const struct param *params_get(const struct params *p, const char *name)
{
	size_t i, len = strlen(name);

	for (i = 0; i < p->n; i++)
		if (p->v[i].nlen == len && memcmp(p->v[i].name, name, len) == 0)
			return &p->v[i];
	return NULL;
}
