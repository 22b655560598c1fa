/* list_tag_resources.c - ListTagResources (VPC, NETWORK.md E.6): the tags
 * of ResourceId.N, or of every resource of ResourceType whose tags match
 * Tag.N (AND; a key without a value matches any value); one item per
 * (resource, tag); MaxResults 1-50 (default 50), NextToken = how many items
 * came before. Always TagResources.TagResource, [] when none. */
#include "vtag.h"
#include "../store/tags.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LT_MAX 1000   /* items one answer is built from */

struct lt_item {
	char id[64];
	struct tag t;
};

struct lt_job {
	struct req *r;
	const char *rtype;
	const struct pval *ids;
	struct tag_filter f;
	struct lt_item *items;
	int n;
};

static int lt_add(struct lt_job *j, const char *id, const struct tag_set *s)
{
	if (!tag_match(s, &j->f))
		return 0;
	for (int k = 0; k < s->n && j->n < LT_MAX; k++) {
		snprintf(j->items[j->n].id, sizeof(j->items[j->n].id), "%s", id);
		j->items[j->n++].t = s->t[k];
	}
	return 0;
}

static int lt_cb(void *arg, const char *api_id, const char *rid, const char *rtype,
                 const struct tag_set *s)
{
	(void)rid;
	(void)rtype;
	return lt_add(arg, api_id, s);
}

static int lt_tx(struct store_tx *tx, void *arg)
{
	struct lt_job *j = arg;
	int rc = 0;

	j->n = 0;
	if (j->ids->nlist == 0)
		return store_tags_walk(tx, j->r->account, j->rtype, NULL, lt_cb, j);
	for (size_t i = 0; rc == 0 && i < j->ids->nlist; i++) {
		struct tag_set s;

		if ((rc = store_tags_get(tx, j->r->account, j->ids->list[i], &s)))
			break;
		rc = lt_add(j, j->ids->list[i], &s);
	}
	return rc;
}

enum err_id vpc_list_tag_resources(struct req *r)
{
	struct lt_job j = { .r = r };
	const char *tok = param_str(r, PARAM_NextToken, "");
	long long max = param_int(r, PARAM_MaxResults, 50), skip = 0;
	struct reply *rp = &r->reply;
	char next[24] = "", *end;
	enum err_id e;
	int i;

	j.rtype = param_str(r, PARAM_ResourceType, "");
	if (!vtag_kind(j.rtype))
		return api_raise(r, ERR_INVALID_RESOURCE_TYPE_NOT_FOUND, NULL);
	j.ids = param_val(r, PARAM_ResourceId);
	for (int n = 1; n <= TAG_FILTER_MAX; n++) {
		char kname[32], vname[32];

		snprintf(kname, sizeof(kname), "Tag.%d.Key", n);
		snprintf(vname, sizeof(vname), "Tag.%d.Value", n);
		if (!(j.f.f[j.f.n].key = param_subfield(r, kname)))
			break;
		j.f.f[j.f.n++].value = param_subfield(r, vname);
	}
	if (*tok) {
		skip = strtoll(tok, &end, 10);
		if (*end || skip < 0 || skip > LT_MAX)
			return api_raise(r, ERR_INVALID_PARAMETER, "NextToken");
	}
	j.items = arena_alloc(&r->arena, sizeof(*j.items) * LT_MAX);
	if (!j.items)
		return api_raise(r, ERR_INTERNAL_ERROR, NULL);
	if ((e = vpc_read(r, lt_tx, &j)) != ERR_OK)
		return e;
	reply_list_begin(rp, "TagResources", "TagResource");
	for (i = (int)skip; i < j.n && i < skip + max; i++) {
		reply_obj_begin(rp, NULL);
		reply_str(rp, "ResourceId", j.items[i].id);
		reply_str(rp, "ResourceType", j.rtype);
		reply_str(rp, "TagKey", j.items[i].t.key);
		reply_str(rp, "TagValue", j.items[i].t.value);
		reply_obj_end(rp);
	}
	reply_list_end(rp);
	if (i < j.n)
		snprintf(next, sizeof(next), "%d", i);
	reply_str(rp, "NextToken", next);
	return ERR_OK;
}
