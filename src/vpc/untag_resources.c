/* untag_resources.c - UnTagResources (VPC, capital T; NETWORK.md E.6): the
 * keys TagKey.N, or every tag with All=true, from each ResourceId.N. Keys
 * a resource lacks are ignored. One transaction. */
#include "vtag.h"
#include "../store/tags.h"
#include <stdio.h>
#include <string.h>

struct ut_job {
	struct req *r;
	const char *kind, *rtype;
	const struct pval *ids, *keys;
	int all;
};

static int ut_tx(struct store_tx *tx, void *arg)
{
	struct ut_job *j = arg;
	char region[32] = "";
	int rc = vtag_check(tx, j->r->account, j->kind, j->ids->list, j->ids->nlist,
	                    region, sizeof(region));

	for (size_t i = 0; rc == 0 && i < j->ids->nlist; i++) {
		struct tag_set s;

		if ((rc = store_tags_get(tx, j->r->account, j->ids->list[i], &s)))
			break;
		if (j->all)
			s.n = 0;
		for (size_t k = 0; k < j->keys->nlist; k++)
			tag_set_remove(&s, j->keys->list[k]);
		rc = store_tags_put(tx, j->r->account, region, j->rtype, j->ids->list[i],
		                    j->ids->list[i], &s);
	}
	return rc;
}

enum err_id vpc_untag_resources(struct req *r)
{
	struct ut_job j = { .r = r };

	j.rtype = param_str(r, PARAM_ResourceType, "");
	if (!(j.kind = vtag_kind(j.rtype)))
		return api_raise(r, ERR_INVALID_RESOURCE_TYPE_NOT_FOUND, NULL);
	j.ids = param_val(r, PARAM_ResourceId);
	j.keys = param_val(r, PARAM_TagKey);
	j.all = param_bool(r, PARAM_All, 0);
	if (j.ids->nlist == 0)
		return api_raise(r, ERR_MISSING_PARAMETER, "ResourceId.N");
	return vpc_write(r, ut_tx, &j);
}
