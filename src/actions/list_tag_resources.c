/* list_tag_resources.c - ListTagResources: one TagResource per (resource,
 * tag) of one ResourceType, narrowed by ResourceId.N and Tag.N (AND),
 * 50 a page with NextToken (the position of the next entry). */
#include "act.h"
#include "../store/tags.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#define LTR_PAGE 50

struct lt_job {
	struct req *r;
	const char *rtype;
	struct tag_filter tf;
	long long skip, pos, emitted;
	int more;
};

static int lt_row(void *arg, const char *api_id, const char *rid,
                  const char *rtype, const struct tag_set *s)
{
	struct lt_job *j = arg;
	const struct pval *ids = param_val(j->r, PARAM_ResourceId);
	int hit = ids->nlist == 0;

	for (size_t i = 0; i < ids->nlist && !hit; i++)
		hit = strcmp(ids->list[i], api_id) == 0;
	if (!hit || !tag_match(s, &j->tf))
		return 0;
	for (int k = 0; k < s->n; k++, j->pos++) {
		if (j->pos < j->skip)
			continue;
		if (j->emitted == LTR_PAGE) {
			j->more = 1;
			return 1;
		}
		reply_obj_begin(&j->r->reply, NULL);
		reply_str(&j->r->reply, "ResourceId", api_id);
		reply_str(&j->r->reply, "ResourceType", rtype);
		reply_str(&j->r->reply, "TagKey", s->t[k].key);
		reply_str(&j->r->reply, "TagValue", s->t[k].value);
		reply_obj_end(&j->r->reply);
		j->emitted++;
	}
	(void)rid;
	return 0;
}

static int lt_tx(struct store_tx *tx, void *arg)
{
	struct lt_job *j = arg;
	int rc;

	reply_list_begin(&j->r->reply, "TagResources", "TagResource");
	rc = store_tags_walk(tx, j->r->account, j->rtype, param_str(j->r, PARAM_RegionId, ""), lt_row, j);
	reply_list_end(&j->r->reply);
	return rc > 0 ? 0 : rc;
}

enum err_id act_list_tag_resources(struct req *r)
{
	struct lt_job j = { .r = r };
	const char *tok = param_str(r, PARAM_NextToken, "");
	char next[24] = "";
	enum err_id rc;

	if (!*param_str(r, PARAM_RegionId, ""))
		return api_raise(r, ERR_MISSING_PARAMETER_REGION_ID_404, NULL);
	j.rtype = param_str(r, PARAM_ResourceType, "");
	if (!*j.rtype)
		return api_raise(r, ERR_MISSING_PARAMETER_RESOURCE_TYPE, NULL);
	if (!act_tag_type_ok(j.rtype))
		return api_raise(r, ERR_INVALID_RESOURCE_TYPE_NOT_FOUND, NULL);
	if (*tok) {
		char *end;

		j.skip = strtoll(tok, &end, 10);
		if (*end || j.skip <= 0)
			return api_raise(r, ERR_INVALID_NEXT_TOKEN, NULL);
	}
	if ((rc = act_tags_filter(r, &j.tf)) != ERR_OK)
		return rc;
	if ((rc = act_read(r, lt_tx, &j)) != ERR_OK)
		return rc;
	if (j.more)
		snprintf(next, sizeof(next), "%lld", j.pos);
	reply_str(&r->reply, "NextToken", next);
	return ERR_OK;
}
