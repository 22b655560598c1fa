/* tag_resources.c - TagResources (VPC, NETWORK.md E.6): Tag.N.Key/Value on
 * each ResourceId.N of ResourceType; an existing key takes the new value;
 * at most 20 tags per resource (QuotaExceeded.TagNum); keys 1-128, not
 * starting with "aliyun" or "acs:" (InvalidTagKey). One transaction. */
#include "vtag.h"
#include "../store/tags.h"
#include <stdio.h>
#include <string.h>

struct tr_job {
	struct req *r;
	const char *kind, *rtype;
	const struct pval *ids;
	struct tag_set add;
};

static int tr_tx(struct store_tx *tx, void *arg)
{
	struct tr_job *j = arg;
	char region[32] = "";
	int rc = vtag_check(tx, j->r->account, j->kind, j->ids->list, j->ids->nlist,
	                    region, sizeof(region));

	for (size_t i = 0; rc == 0 && i < j->ids->nlist; i++) {
		struct tag_set s;

		if ((rc = store_tags_get(tx, j->r->account, j->ids->list[i], &s)))
			break;
		for (int k = 0; k < j->add.n; k++)
			if (tag_set_put(&s, j->add.t[k].key, j->add.t[k].value))
				return ERR_QUOTA_EXCEEDED_TAG_NUM;
		rc = store_tags_put(tx, j->r->account, region, j->rtype, j->ids->list[i],
		                    j->ids->list[i], &s);
	}
	return rc;
}

enum err_id vpc_tag_resources(struct req *r)
{
	struct tr_job *j = arena_alloc(&r->arena, sizeof(*j));

	if (!j)
		return api_raise(r, ERR_INTERNAL_ERROR, NULL);
	memset(j, 0, sizeof(*j));
	j->r = r;
	j->rtype = param_str(r, PARAM_ResourceType, "");
	if (!(j->kind = vtag_kind(j->rtype)))
		return api_raise(r, ERR_INVALID_RESOURCE_TYPE_NOT_FOUND, NULL);
	j->ids = param_val(r, PARAM_ResourceId);
	if (j->ids->nlist == 0)
		return api_raise(r, ERR_MISSING_PARAMETER, "ResourceId.N");
	for (int n = 1; n <= TAG_MAX + 1; n++) {
		char kname[32], vname[32];
		const char *k, *v;

		snprintf(kname, sizeof(kname), "Tag.%d.Key", n);
		snprintf(vname, sizeof(vname), "Tag.%d.Value", n);
		if (!(k = param_subfield(r, kname)))
			break;
		v = param_subfield(r, vname);
		if (!*k || strlen(k) > TAG_KEY_MAX || strncmp(k, "aliyun", 6) == 0 ||
		    strncmp(k, "acs:", 4) == 0 || (v && strlen(v) > TAG_VALUE_MAX))
			return api_raise(r, ERR_INVALID_TAG_KEY, NULL);
		if (tag_set_put(&j->add, k, v ? v : ""))
			return api_raise(r, ERR_QUOTA_EXCEEDED_TAG_NUM, NULL);
	}
	if (j->add.n == 0)
		return api_raise(r, ERR_MISSING_PARAMETER, "Tag.N.Key");
	return vpc_write(r, tr_tx, j);
}
