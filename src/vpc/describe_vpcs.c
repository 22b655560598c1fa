/* describe_vpcs.c - DescribeVpcs: the caller's VPCs of RegionId, filtered
 * by VpcId (comma list), VpcName and IsDefault, page-number paging, each
 * with its vSwitch ids. */
#include "vpc.h"
#include "../common/limits.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>

struct dv_job {
	struct req *r;
	const char *ids, *name;
	int is_default;           /* -1 any */
	struct vpc_page pg;
	struct vpc *rows;
	struct vpc_ids *kids;
	size_t n;
	int64_t total;
};

static int dv_row(void *arg, const struct res *row)
{
	struct dv_job *j = arg;
	struct vpc v;

	memset(&v, 0, sizeof(v));
	snprintf(v.id, sizeof(v.id), "%.31s", row->id);
	vnet_vpc_from_json(row->doc, &v);
	if (!vpc_in_list(j->ids, v.id) || (j->name && strcmp(j->name, v.name)) ||
	    (j->is_default >= 0 && j->is_default != v.is_default))
		return 0;
	if (vpc_page_has(&j->pg, j->total++) && j->n < (size_t)j->pg.size) {
		snprintf(v.account, sizeof(v.account), "%s", row->account);
		snprintf(v.region, sizeof(v.region), "%s", row->region);
		v.created_ms = row->created_ms;
		v.seq = row->seq;
		j->rows[j->n++] = v;
	}
	return 0;
}

static int dv_tx(struct store_tx *tx, void *arg)
{
	struct dv_job *j = arg;
	struct res_query q;
	int rc;

	j->n = 0;
	j->total = 0;
	memset(&q, 0, sizeof(q));
	q.account = j->r->account;
	q.kind = VPC_KIND;
	q.region = param_str(j->r, PARAM_RegionId, "");
	if ((rc = store_res_list(tx, &q, dv_row, j)))
		return rc;
	for (size_t i = 0; i < j->n; i++)
		if ((rc = vpc_child_ids(tx, j->r, VSW_KIND, j->rows[i].id, &j->kids[i])))
			return rc;
	return 0;
}

enum err_id vpc_describe_vpcs(struct req *r)
{
	struct dv_job j = { .r = r };
	enum err_id e;

	vpc_page_get(r, &j.pg);
	j.ids = param_str(r, PARAM_VpcId, NULL);
	j.name = param_str(r, PARAM_VpcName, NULL);
	if (j.name && !*j.name)
		j.name = NULL;
	j.is_default = param_given(r, PARAM_IsDefault) ? param_bool(r, PARAM_IsDefault, 0) : -1;
	j.rows = arena_alloc(&r->arena, sizeof(*j.rows) * (size_t)j.pg.size);
	j.kids = arena_alloc(&r->arena, sizeof(*j.kids) * (size_t)j.pg.size);
	if (!j.rows || !j.kids)
		return api_raise(r, ERR_INTERNAL_ERROR, NULL);
	if (param_bool(r, PARAM_DryRun, 0))
		return api_raise(r, ERR_DRY_RUN_OPERATION, NULL);
	if (!vpc_group_ok(param_str(r, PARAM_ResourceGroupId, NULL)))
		j.n = 0, j.total = 0;   /* another resource group: no match */
	else if ((e = vpc_read(r, dv_tx, &j)) != ERR_OK)
		return e;
	vpc_page_emit(r, &j.pg, j.total);
	reply_list_begin(&r->reply, "Vpcs", "Vpc");
	for (size_t i = 0; i < j.n; i++) {
		reply_obj_begin(&r->reply, NULL);
		vpc_emit_vpc(r, &j.rows[i], &j.kids[i]);
		reply_obj_end(&r->reply);
	}
	reply_list_end(&r->reply);
	return ERR_OK;
}
