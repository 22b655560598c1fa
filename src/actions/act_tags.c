/* act_tags.c - Tag.N.Key/Value as the ECS Actions read them: the tags of a
 * create (checked against the documented limits), the tag filter of a
 * Describe, Tags.Tag[] in replies. Storage is store/tags.c. */
#include "act.h"
#include "../store/tags.h"
#include <string.h>

enum err_id act_tags_parse(struct req *r, struct tag_set *out)
{
	memset(out, 0, sizeof(*out));
	for (int n = 1; n <= TAG_MAX; n++) {
		const char *k = param_subfield(r, arena_printf(&r->arena, "Tag.%d.Key", n));
		const char *v = param_subfield(r, arena_printf(&r->arena, "Tag.%d.Value", n));
		enum err_id rc;

		if (!k && !v)
			continue;
		if ((rc = tag_check(k, v)) != ERR_OK)
			return api_raise(r, rc, NULL);
		for (int i = 0; i < out->n; i++)
			if (strcmp(out->t[i].key, k) == 0)
				return api_raise(r, ERR_DUPLICATE_TAG_KEY, NULL);
		tag_set_put(out, k, v ? v : "");
	}
	return ERR_OK;
}

enum err_id act_tags_filter(struct req *r, struct tag_filter *f)
{
	memset(f, 0, sizeof(*f));
	for (int n = 1; n <= TAG_FILTER_MAX; n++) {
		const char *k = param_subfield(r, arena_printf(&r->arena, "Tag.%d.Key", n));
		const char *v = param_subfield(r, arena_printf(&r->arena, "Tag.%d.Value", n));

		if (!k || !*k)
			continue;
		f->f[f->n].key = k;
		f->f[f->n].value = v;
		f->n++;
	}
	return ERR_OK;
}

void act_emit_tags(struct req *r, const struct tag_set *s)
{
	reply_list_begin(&r->reply, "Tags", "Tag");
	for (int i = 0; i < s->n; i++) {
		reply_obj_begin(&r->reply, NULL);
		reply_str(&r->reply, "TagKey", s->t[i].key);
		reply_str(&r->reply, "TagValue", s->t[i].value);
		reply_obj_end(&r->reply);
	}
	reply_list_end(&r->reply);
}

int act_tags_emit_of(struct store_tx *tx, struct req *r, const char *rid)
{
	struct tag_set s;
	int rc = store_tags_get(tx, r->account, rid, &s);

	if (rc == 0)
		act_emit_tags(r, &s);
	return rc;
}
