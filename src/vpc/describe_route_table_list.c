/* describe_route_table_list.c - DescribeRouteTableList: the caller's route
 * tables of RegionId (each VPC's System table), filtered by VpcId,
 * RouteTableId, RouterId, RouteTableType and RouteTableName, page-number
 * paging; the wrappers are RouterTableList/RouterTableListType. */
#include "vpc.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>

struct dr_row {
	struct vtb t;
	struct vpc_ids kids;
};

struct dr_job {
	struct req *r;
	const char *id, *router, *type, *name;
	struct vpc_page pg;
	struct dr_row *rows;
	size_t n;
	int64_t total;
};

static int dr_match(const char *want, const char *have)
{
	return !want || !*want || strcmp(want, have) == 0;
}

static int dr_row(void *arg, const struct res *row)
{
	struct dr_job *j = arg;
	struct vtb t;

	memset(&t, 0, sizeof(t));
	snprintf(t.id, sizeof(t.id), "%.31s", row->id);
	vnet_vtb_from_json(row->doc, &t);
	if (!dr_match(j->id, t.id) || !dr_match(j->router, t.vrouter_id) ||
	    !dr_match(j->type, t.type) || !dr_match(j->name, t.name))
		return 0;
	if (vpc_page_has(&j->pg, j->total++) && j->n < (size_t)j->pg.size) {
		snprintf(t.account, sizeof(t.account), "%s", row->account);
		snprintf(t.region, sizeof(t.region), "%s", row->region);
		snprintf(t.vpc_id, sizeof(t.vpc_id), "%.31s", row->parent);
		t.created_ms = row->created_ms;
		t.seq = row->seq;
		j->rows[j->n++].t = t;
	}
	return 0;
}

static int dr_tx(struct store_tx *tx, void *arg)
{
	struct dr_job *j = arg;
	struct res_query q;
	int rc;

	j->n = 0;
	j->total = 0;
	memset(&q, 0, sizeof(q));
	q.account = j->r->account;
	q.kind = VTB_KIND;
	q.region = param_str(j->r, PARAM_RegionId, "");
	q.parent = param_str(j->r, PARAM_VpcId, NULL);
	if (q.parent && !*q.parent)
		q.parent = NULL;
	if ((rc = store_res_list(tx, &q, dr_row, j)))
		return rc;
	for (size_t i = 0; i < j->n; i++)
		if ((rc = vpc_child_ids(tx, j->r, VSW_KIND, j->rows[i].t.vpc_id,
		                        &j->rows[i].kids)))
			return rc;
	return 0;
}

enum err_id vpc_describe_route_table_list(struct req *r)
{
	struct dr_job j = { .r = r };
	struct reply *rp = &r->reply;
	const char *rtype = param_str(r, PARAM_RouterType, "VRouter");
	enum err_id e;
	char t[32];

	vpc_page_get(r, &j.pg);
	j.id = param_str(r, PARAM_RouteTableId, NULL);
	j.router = param_str(r, PARAM_RouterId, NULL);
	j.type = param_str(r, PARAM_RouteTableType, NULL);
	j.name = param_str(r, PARAM_RouteTableName, NULL);
	j.rows = arena_alloc(&r->arena, sizeof(*j.rows) * (size_t)j.pg.size);
	if (!j.rows)
		return api_raise(r, ERR_INTERNAL_ERROR, NULL);
	if ((*rtype && strcmp(rtype, "VRouter") != 0) ||
	    !vpc_group_ok(param_str(r, PARAM_ResourceGroupId, NULL)))
		j.n = 0;   /* no VBR tables, no other group: an empty answer */
	else if ((e = vpc_read(r, dr_tx, &j)) != ERR_OK)
		return e;
	vpc_page_emit(r, &j.pg, j.total);
	reply_list_begin(rp, "RouterTableList", "RouterTableListType");
	for (size_t i = 0; i < j.n; i++) {
		const struct vtb *tb = &j.rows[i].t;

		model_fmt_second(t, tb->created_ms);
		reply_obj_begin(rp, NULL);
		reply_str(rp, "RouteTableId", tb->id);
		reply_str(rp, "RouteTableName", tb->name);
		reply_str(rp, "RouteTableType", tb->type);
		reply_str(rp, "RouterId", tb->vrouter_id);
		reply_str(rp, "RouterType", "VRouter");
		reply_str(rp, "VpcId", tb->vpc_id);
		reply_str(rp, "Status", "Available");
		reply_str(rp, "Description", tb->description);
		reply_str(rp, "CreationTime", t);
		reply_str(rp, "ResourceGroupId", VPC_RESOURCE_GROUP);
		reply_str(rp, "AssociateType", "VSwitch");
		reply_list_begin(rp, "VSwitchIds", "VSwitchId");
		for (size_t k = 0; k < j.rows[i].kids.n; k++)
			reply_str(rp, NULL, j.rows[i].kids.v[k]);
		reply_list_end(rp);
		reply_list_begin(rp, "Tags", "Tag");
		reply_list_end(rp);
		reply_obj_end(rp);
	}
	reply_list_end(rp);
	return ERR_OK;
}
