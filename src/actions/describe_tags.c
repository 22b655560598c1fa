/* describe_tags.c - DescribeTags (the older API alicloud_images still
 * calls): the distinct tags of the caller's resources of ResourceType
 * (every type when absent), or of one ResourceId, paged. */
#include "act.h"
#include "../store/tags.h"
#include <string.h>


#define DT_MAX 1000

struct dt_job {
	struct req *r;
	const char *rid;
	struct tag_filter tf;
	int n;
	struct tag *seen;
};

static int dt_row(void *arg, const char *api_id, const char *rid,
                  const char *rtype, const struct tag_set *s)
{
	struct dt_job *j = arg;

	if (j->rid && *j->rid && strcmp(j->rid, api_id) != 0)
		return 0;
	if (!tag_match(s, &j->tf))
		return 0;
	for (int k = 0; k < s->n; k++) {
		int dup = 0;

		for (int i = 0; i < j->n && !dup; i++)
			dup = strcmp(j->seen[i].key, s->t[k].key) == 0 &&
			      strcmp(j->seen[i].value, s->t[k].value) == 0;
		if (!dup && j->n < DT_MAX)
			j->seen[j->n++] = s->t[k];
	}
	(void)rid;
	(void)rtype;
	return 0;
}

static int dt_tx(struct store_tx *tx, void *arg)
{
	struct dt_job *j = arg;
	const char *rt = param_str(j->r, PARAM_ResourceType, NULL);

	return store_tags_walk(tx, j->r->account, rt && *rt ? rt : NULL,
	                       param_str(j->r, PARAM_RegionId, ""), dt_row, j);
}

enum err_id act_describe_tags(struct req *r)
{
	struct dt_job j = { .r = r };
	long long page = param_int(r, PARAM_PageNumber, 1), size = param_int(r, PARAM_PageSize, 50);
	enum err_id rc;

	j.rid = param_str(r, PARAM_ResourceId, NULL);
	j.seen = arena_alloc(&r->arena, DT_MAX * sizeof(struct tag));
	if (!j.seen)
		return api_raise(r, ERR_INTERNAL_ERROR, NULL);
	if ((rc = act_tags_filter(r, &j.tf)) != ERR_OK)
		return rc;
	if ((rc = act_read(r, dt_tx, &j)) != ERR_OK)
		return rc;
	reply_list_begin(&r->reply, "Tags", "Tag");
	for (long long i = (page - 1) * size; i < j.n && i < page * size; i++) {
		reply_obj_begin(&r->reply, NULL);
		reply_str(&r->reply, "TagKey", j.seen[i].key);
		reply_str(&r->reply, "TagValue", j.seen[i].value);
		reply_obj_end(&r->reply);
	}
	reply_list_end(&r->reply);
	reply_int(&r->reply, "TotalCount", j.n);
	reply_int(&r->reply, "PageNumber", page);
	reply_int(&r->reply, "PageSize", size);
	return ERR_OK;
}
