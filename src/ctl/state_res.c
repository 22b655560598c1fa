/* state_res.c - the fixture document's "Resources": every row of the
 * generic resource store (VPCs, vSwitches, security groups, ... any kind,
 * present or future) as {kind, id, region, parent, ref, created_ms, doc}.
 * Checked here for shape; the kinds' own fields are kept as they are. */
#include "state.h"
#include "../model/regions.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

json_t *state_res_json(const struct res *r)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:I,s:O}", "kind", r->kind,
	                 "id", r->id, "region", r->region, "parent", r->parent,
	                 "ref", r->ref, "created_ms", (json_int_t)r->created_ms,
	                 "doc", (json_t *)r->doc);
}

/* Copies string field key of o into dst (size n); -1 if absent or long. */
static int take(json_t *o, const char *key, char *dst, size_t n, int required)
{
	json_t *v = json_object_get(o, key);
	size_t len = json_string_length(v);

	if (!v)
		return required ? -1 : 0;
	if (!json_is_string(v) || len >= n || strlen(json_string_value(v)) != len ||
	    (required && len == 0))
		return -1;
	memcpy(dst, json_string_value(v), len + 1);
	return 0;
}

static int kind_ok(const char *k)
{
	size_t n = strspn(k, "abcdefghijklmnopqrstuvwxyz0123456789_");

	return n > 0 && k[n] == '\0';
}

int state_res_from(json_t *o, struct res *r, char *path, size_t plen,
                   const char **why)
{
	static const char *const keys[] = { "kind", "id", "region", "parent",
		"ref", "created_ms", "doc" };
	size_t base = strlen(path);
	const char *key = NULL;
	json_t *v;

	*why = "must be an object";
	if (!json_is_object(o))
		return -1;
	json_object_foreach(o, key, v) {
		size_t i;

		for (i = 0; i < 7 && strcmp(key, keys[i]); i++)
			;
		if (i == 7) {
			*why = "unknown field";
			goto bad;
		}
	}
	*why = "a lower-case kind name";
	if (take(o, (key = "kind"), r->kind, sizeof(r->kind), 1) || !kind_ok(r->kind))
		goto bad;
	*why = "required: a string";
	if (take(o, (key = "id"), r->id, sizeof(r->id), 1))
		goto bad;
	*why = "not a known RegionId";
	if (take(o, (key = "region"), r->region, sizeof(r->region), 1) ||
	    !region_find(r->region))
		goto bad;
	*why = "a string";
	if (take(o, (key = "parent"), r->parent, sizeof(r->parent), 0) ||
	    take(o, (key = "ref"), r->ref, sizeof(r->ref), 0))
		goto bad;
	v = json_object_get(o, (key = "created_ms"));
	*why = "epoch milliseconds (an integer >= 0)";
	if (v && (!json_is_integer(v) || json_integer_value(v) < 0))
		goto bad;
	r->created_ms = v ? json_integer_value(v) : 0;
	r->doc = json_object_get(o, (key = "doc"));  /* borrowed from o */
	*why = "required: a JSON object";
	if (!json_is_object((json_t *)r->doc))
		goto bad;
	return 0;
bad:
	snprintf(path + base, plen - base, ".%s", key ? key : "");
	return -1;
}
