/* untag_resources.c - UntagResources (ECS spelling): removes TagKey.N, or
 * every tag with All=true, from 1-50 resources, all or none. */
#include "act.h"
#include "../store/tags.h"
#include <string.h>


struct ut_job {
	struct req *r;
	const char *rtype;
};

static int ut_tx(struct store_tx *tx, void *arg)
{
	struct ut_job *j = arg;
	struct req *r = j->r;
	const struct pval *ids = param_val(r, PARAM_ResourceId);
	const struct pval *keys = param_val(r, PARAM_TagKey);
	const char *region = param_str(r, PARAM_RegionId, "");
	int all = keys->nlist == 0 && param_bool(r, PARAM_All, 0), rc;

	for (size_t i = 0; i < ids->nlist; i++) {
		struct tag_set cur;
		char rid[ID_LEN];

		rc = act_tag_target(tx, r, j->rtype, region, ids->list[i], rid);
		if (rc == STORE_NOTFOUND)
			return ERR_INVALID_RESOURCE_ID_NOT_FOUND;
		if (rc || (rc = store_tags_get(tx, r->account, rid, &cur)))
			return rc;
		if (all)
			cur.n = 0;
		for (size_t k = 0; k < keys->nlist; k++)
			tag_set_remove(&cur, keys->list[k]);
		if ((rc = store_tags_put(tx, r->account, region, j->rtype, rid, ids->list[i], &cur)))
			return rc;
	}
	return 0;
}

enum err_id act_untag_resources(struct req *r)
{
	struct ut_job j = { .r = r };
	enum err_id rc;

	if ((rc = act_tag_common(r, &j.rtype)) != ERR_OK)
		return rc;
	return act_write(r, ut_tx, &j);
}
