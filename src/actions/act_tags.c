/* act_tags.c - Tag.N.Key/Value as the ECS Actions read them: the tags of a
 * create (checked against the documented limits), the tag filter of a
 * Describe, Tags.Tag[] in replies. Storage is store/tags.c. */
#include "act.h"
#include "keypair_res.h"
#include "../store/tags.h"
#include <jansson.h>
#include <stdio.h>
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

/* ResourceType -> how to find the resource: the API types of NETWORK.md
 * D.6 that ecsd has. Security groups and ENIs are generic resources of
 * kind "sg" / "eni"; key pairs are named. */
static const char *const tag_types[] = {
	"instance", "disk", "snapshot", "securitygroup", "eni", "keypair",
};

int act_tag_type_ok(const char *rtype)
{
	for (size_t i = 0; i < sizeof(tag_types) / sizeof(tag_types[0]); i++)
		if (strcmp(tag_types[i], rtype) == 0)
			return 1;
	return 0;
}

int act_tag_target(struct store_tx *tx, struct req *r, const char *rtype,
                   const char *region, const char *id, char rid[ID_LEN])
{
	int rc;

	snprintf(rid, ID_LEN, "%s", id);
	if (strcmp(rtype, "instance") == 0) {
		struct instance in;
		rc = store_inst_get(tx, r->account, id, &in);
		return rc ? rc : strcmp(in.region, region) ? STORE_NOTFOUND : 0;
	}
	if (strcmp(rtype, "disk") == 0) {
		struct disk d;
		rc = store_disk_get(tx, r->account, id, &d);
		return rc ? rc : strcmp(d.region, region) ? STORE_NOTFOUND : 0;
	}
	if (strcmp(rtype, "snapshot") == 0) {
		struct snapshot sn;
		rc = store_snap_get(tx, r->account, id, &sn);
		return rc ? rc : strcmp(sn.region, region) ? STORE_NOTFOUND : 0;
	}
	if (strcmp(rtype, "keypair") == 0) {
		struct kp *k = arena_alloc(&r->arena, sizeof(*k));
		if (!k)
			return STORE_EIO;
		if ((rc = act_kp_find(tx, r->account, region, id, k)))
			return rc;
		snprintf(rid, ID_LEN, "%s", k->id);
		return 0;
	}
	{
		struct res row;
		rc = store_res_get(tx, r->account, strcmp(rtype, "eni") == 0 ? "eni" : "sg", id, &row);
		if (rc)
			return rc;
		json_decref(row.doc);
		return strcmp(row.region, region) ? STORE_NOTFOUND : 0;
	}
}
