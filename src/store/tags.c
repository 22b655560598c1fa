/* tags.c - resource tags on the generic resources table (tags.h). The
 * document: {"type": rtype, "api_id": id, "tags": [[key, value], ...]} in
 * tagging order. No tag rules here (model/tag.c). */
#include "tags.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>

static void row_id(char out[64], const char *rid)
{
	snprintf(out, 64, "tag-%s", rid);
}

static void from_doc(const json_t *doc, struct tag_set *s)
{
	const json_t *arr = json_object_get(doc, "tags");
	size_t i;
	json_t *kv;

	memset(s, 0, sizeof(*s));
	json_array_foreach(arr, i, kv) {
		const char *k = json_string_value(json_array_get(kv, 0));
		const char *v = json_string_value(json_array_get(kv, 1));

		if (k)
			tag_set_put(s, k, v ? v : "");
	}
}

int store_tags_get(struct store_tx *tx, const char *account, const char *rid,
                   struct tag_set *out)
{
	struct res r;
	char id[64];
	int rc;

	memset(out, 0, sizeof(*out));
	row_id(id, rid);
	rc = store_res_get(tx, account, TAGS_KIND, id, &r);
	if (rc == STORE_NOTFOUND)
		return 0;
	if (rc)
		return rc;
	from_doc(r.doc, out);
	json_decref(r.doc);
	return 0;
}

int store_tags_drop(struct store_tx *tx, const char *account, const char *rid)
{
	char id[64];
	int rc;

	row_id(id, rid);
	rc = store_res_delete(tx, account, id);
	return rc == STORE_NOTFOUND ? 0 : rc;
}

int store_tags_put(struct store_tx *tx, const char *account, const char *region,
                   const char *rtype, const char *rid, const char *api_id,
                   const struct tag_set *s)
{
	struct res r, old;
	json_t *arr;
	int rc;

	if (s->n == 0)
		return store_tags_drop(tx, account, rid);
	memset(&r, 0, sizeof(r));
	row_id(r.id, rid);
	snprintf(r.account, sizeof(r.account), "%s", account);
	snprintf(r.kind, sizeof(r.kind), "%s", TAGS_KIND);
	snprintf(r.region, sizeof(r.region), "%s", region);
	snprintf(r.parent, sizeof(r.parent), "%s", rid);
	snprintf(r.ref, sizeof(r.ref), "%s", rtype);
	arr = json_array();
	for (int i = 0; i < s->n; i++)
		json_array_append_new(arr, json_pack("[ss]", s->t[i].key, s->t[i].value));
	r.doc = json_pack("{s:s,s:s,s:o}", "type", rtype, "api_id", api_id, "tags", arr);
	if (!r.doc)
		return STORE_EIO;
	rc = store_res_get(tx, account, TAGS_KIND, r.id, &old);
	if (rc == 0) {
		json_decref(old.doc);
		rc = store_res_update(tx, &r);
	} else if (rc == STORE_NOTFOUND) {
		rc = store_res_insert(tx, &r);
	}
	json_decref(r.doc);
	return rc;
}

struct walk {
	tags_cb cb;
	void *arg;
};

static int walk_one(void *arg, const struct res *r)
{
	struct walk *w = arg;
	struct tag_set s;
	const char *api_id = json_string_value(json_object_get(r->doc, "api_id"));

	from_doc(r->doc, &s);
	return w->cb(w->arg, api_id ? api_id : r->parent, r->parent, r->ref, &s);
}

int store_tags_walk(struct store_tx *tx, const char *account, const char *rtype,
                    const char *region, tags_cb cb, void *arg)
{
	struct res_query q;
	struct walk w = { cb, arg };

	memset(&q, 0, sizeof(q));
	q.account = account;
	q.kind = TAGS_KIND;
	q.ref = rtype;
	q.region = region;
	return store_res_list(tx, &q, walk_one, &w);
}
