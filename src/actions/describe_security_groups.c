/* describe_security_groups.c - DescribeSecurityGroups: the caller's groups
 * of RegionId, filtered by VpcId, SecurityGroupId, SecurityGroupIds (JSON
 * array), SecurityGroupName, SecurityGroupType and NetworkType; pages by
 * PageNumber/PageSize or MaxResults/NextToken (a position). Unknown ids
 * give an empty list (NETWORK.md A.5). */
#include "sg.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct dsg_row {
	struct sg g;
	int rules, g2g;
	int64_t members;
};

struct dsg_job {
	struct req *r;
	const char *id, *name, *type;
	const struct pval *ids;
	int64_t first, size, total;
	int none;                /* a filter nothing can match */
	struct dsg_row *rows;
	size_t n;
};

static int dsg_match(const struct dsg_job *j, const struct sg *g)
{
	if (j->none)
		return 0;
	if (j->id && strcmp(j->id, g->id))
		return 0;
	if (j->name && strcmp(j->name, g->name))
		return 0;
	if (j->type && strcmp(j->type, g->type))
		return 0;
	if (j->ids->present) {
		for (size_t i = 0; i < j->ids->nlist; i++)
			if (strcmp(j->ids->list[i], g->id) == 0)
				return 1;
		return 0;
	}
	return 1;
}

static int dsg_row(void *arg, const struct res *row)
{
	struct dsg_job *j = arg;
	struct dsg_row *o;
	struct sg g;
	size_t i;
	json_t *it;

	memset(&g, 0, sizeof(g));
	snprintf(g.id, sizeof(g.id), "%.31s", row->id);
	vnet_sg_from_json(row->doc, &g);
	if (!dsg_match(j, &g))
		return 0;
	if (j->total++ < j->first || (int64_t)j->n >= j->size)
		return 0;
	o = &j->rows[j->n++];
	memset(o, 0, sizeof(*o));
	snprintf(g.account, sizeof(g.account), "%s", row->account);
	snprintf(g.region, sizeof(g.region), "%s", row->region);
	snprintf(g.vpc_id, sizeof(g.vpc_id), "%.31s", row->parent);
	g.created_ms = row->created_ms;
	o->g = g;
	json_array_foreach(json_object_get((json_t *)row->doc, "rules"), i, it) {
		o->rules++;
		if (*json_string_value(json_object_get(it, "group")) != '\0')
			o->g2g++;
	}
	return 0;
}

static int dsg_tx(struct store_tx *tx, void *arg)
{
	struct dsg_job *j = arg;
	struct res_query q;
	int rc;

	j->n = 0;
	j->total = 0;
	memset(&q, 0, sizeof(q));
	q.account = j->r->account;
	q.kind = SG_KIND;
	q.region = param_str(j->r, PARAM_RegionId, "");
	q.parent = param_str(j->r, PARAM_VpcId, NULL);
	if (q.parent && !*q.parent)
		q.parent = NULL;
	if ((rc = store_res_list(tx, &q, dsg_row, j)))
		return rc;
	for (size_t i = 0; i < j->n; i++)
		if ((rc = net_sg_members(tx, j->r->account, j->rows[i].g.id, &j->rows[i].members)))
			return rc;
	return 0;
}

enum err_id act_describe_security_groups(struct req *r)
{
	struct dsg_job j = { .r = r };
	struct reply *rp = &r->reply;
	const char *nt = param_str(r, PARAM_NetworkType, "");
	const char *tok = param_str(r, PARAM_NextToken, "");
	int token_mode = param_given(r, PARAM_MaxResults) || *tok;
	long long pn = param_int(r, PARAM_PageNumber, 1);
	enum err_id e;
	char t[32], next[80] = "";

	j.ids = param_val(r, PARAM_SecurityGroupIds);
	j.id = param_str(r, PARAM_SecurityGroupId, NULL);
	j.name = param_str(r, PARAM_SecurityGroupName, NULL);
	j.type = param_str(r, PARAM_SecurityGroupType, NULL);
	if (j.id && !*j.id)
		j.id = NULL;
	if (j.name && !*j.name)
		j.name = NULL;
	if (j.type && !*j.type)
		j.type = NULL;
	if (token_mode) {
		j.size = param_int(r, PARAM_MaxResults, 10);
		j.first = 0;
		if (*tok && act_pos_untoken(r, tok, &j.first))
			return api_raise(r, ERR_INVALID_NEXT_TOKEN, NULL);
	} else {
		j.size = param_int(r, PARAM_PageSize, 10);
		j.first = (pn - 1) * j.size;
	}
	j.rows = arena_alloc(&r->arena, sizeof(*j.rows) * (size_t)j.size);
	if (!j.rows)
		return api_raise(r, ERR_INTERNAL_ERROR, NULL);
	if (param_bool(r, PARAM_DryRun, 0))
		return api_raise(r, ERR_DRY_RUN_OPERATION, NULL);
	/* no classic groups; groups belong to no resource group */
	j.none = strcmp(nt, "classic") == 0 || *param_str(r, PARAM_ResourceGroupId, "");
	if ((e = act_read(r, dsg_tx, &j)) != ERR_OK)
		return e;
	reply_str(rp, "RegionId", param_str(r, PARAM_RegionId, ""));
	if (token_mode) {
		if (j.first + (int64_t)j.n < j.total &&
		    act_pos_token(r, j.first + (int64_t)j.n, next))
			return api_raise(r, ERR_INTERNAL_ERROR, NULL);
		reply_str(rp, "NextToken", next);
		reply_int(rp, "MaxResults", j.size);
	} else {
		reply_int(rp, "TotalCount", j.total);
		reply_int(rp, "PageNumber", pn);
		reply_int(rp, "PageSize", j.size);
	}
	reply_list_begin(rp, "SecurityGroups", "SecurityGroup");
	for (size_t i = 0; i < j.n; i++) {
		const struct dsg_row *o = &j.rows[i];

		model_fmt_second(t, o->g.created_ms);
		reply_obj_begin(rp, NULL);
		reply_str(rp, "SecurityGroupId", o->g.id);
		reply_str(rp, "SecurityGroupName", o->g.name);
		reply_str(rp, "Description", o->g.description);
		reply_str(rp, "SecurityGroupType", o->g.type);
		reply_str(rp, "VpcId", o->g.vpc_id);
		reply_str(rp, "CreationTime", t);
		reply_str(rp, "ResourceGroupId", "");
		reply_bool(rp, "ServiceManaged", 0);
		reply_int(rp, "RuleCount", o->rules);
		reply_int(rp, "GroupToGroupRuleCount", o->g2g);
		reply_int(rp, "EcsCount", o->members);
		reply_int(rp, "AvailableInstanceAmount", 2000 - o->members);
		reply_list_begin(rp, "Tags", "Tag");
		reply_list_end(rp);
		reply_obj_end(rp);
	}
	reply_list_end(rp);
	return ERR_OK;
}
