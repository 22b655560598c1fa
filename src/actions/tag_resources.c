/* tag_resources.c - TagResources: adds or overwrites Tag.N on 1-50
 * resources of one ResourceType, all or none; at most 20 tags a resource. */
#include "act.h"
#include "../store/tags.h"
#include <string.h>


/* The checks TagResources and UntagResources share, in the documented
 * order: RegionId, ResourceType, ResourceId.N (missing: 404, sic). */
enum err_id act_tag_common(struct req *r, const char **rtype)
{
	if (!*param_str(r, PARAM_RegionId, ""))
		return api_raise(r, ERR_MISSING_PARAMETER_REGION_ID_404, NULL);
	*rtype = param_str(r, PARAM_ResourceType, "");
	if (!**rtype)
		return api_raise(r, ERR_MISSING_PARAMETER_RESOURCE_TYPE, NULL);
	if (!act_tag_type_ok(*rtype))
		return api_raise(r, ERR_INVALID_RESOURCE_TYPE_NOT_FOUND, NULL);
	if (param_val(r, PARAM_ResourceId)->nlist == 0)
		return api_raise(r, ERR_MISSING_PARAMETER, "ResourceId.N");
	return ERR_OK;
}

struct tr_job {
	struct req *r;
	const char *rtype;
	struct tag_set add;
};

static int tr_tx(struct store_tx *tx, void *arg)
{
	struct tr_job *j = arg;
	struct req *r = j->r;
	const struct pval *ids = param_val(r, PARAM_ResourceId);
	const char *region = param_str(r, PARAM_RegionId, "");
	char (*rids)[ID_LEN] = arena_alloc(&r->arena, ids->nlist * ID_LEN + 1);
	int rc;

	if (!rids)
		return STORE_EIO;
	for (size_t i = 0; i < ids->nlist; i++) {   /* every resource first */
		rc = act_tag_target(tx, r, j->rtype, region, ids->list[i], rids[i]);
		if (rc == STORE_NOTFOUND)
			return ERR_INVALID_RESOURCE_ID_NOT_FOUND;
		if (rc)
			return rc;
	}
	for (size_t i = 0; i < ids->nlist; i++) {
		struct tag_set cur;
		const char *rid = rids[i];

		if ((rc = store_tags_get(tx, r->account, rid, &cur)))
			return rc;
		for (int k = 0; k < j->add.n; k++)
			if (tag_set_put(&cur, j->add.t[k].key, j->add.t[k].value))
				return ERR_QUOTA_EXCEED_TAGS;
		if ((rc = store_tags_put(tx, r->account, region, j->rtype, rid, ids->list[i], &cur)))
			return rc;
	}
	return 0;
}

enum err_id act_tag_resources(struct req *r)
{
	struct tr_job j = { .r = r };
	enum err_id rc;

	if ((rc = act_tag_common(r, &j.rtype)) != ERR_OK)
		return rc;
	if ((rc = act_tags_parse(r, &j.add)) != ERR_OK)
		return rc;
	if (j.add.n == 0)
		return api_raise(r, ERR_MISSING_PARAMETER_TAGS, NULL);
	return act_write(r, tr_tx, &j);
}
