/* describe_vswitches.c - DescribeVSwitches: the caller's vSwitches of
 * RegionId and/or VpcId, filtered by VSwitchId (comma list), ZoneId,
 * VSwitchName and IsDefault, page-number paging. */
#include "vpc.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>

struct ds_row {
	struct vswitch w;
	char vtb[ID_LEN];
	int64_t used;
};

struct ds_job {
	struct req *r;
	const char *ids, *zone, *name;
	int is_default;
	struct vpc_page pg;
	struct ds_row *rows;
	size_t n;
	int64_t total;
};

static int ds_row(void *arg, const struct res *row)
{
	struct ds_job *j = arg;
	struct vswitch w;

	memset(&w, 0, sizeof(w));
	snprintf(w.id, sizeof(w.id), "%.31s", row->id);
	vnet_vsw_from_json(row->doc, &w);
	if (!vpc_in_list(j->ids, w.id) || (j->zone && strcmp(j->zone, w.zone)) ||
	    (j->name && strcmp(j->name, w.name)) ||
	    (j->is_default >= 0 && j->is_default != w.is_default))
		return 0;
	if (vpc_page_has(&j->pg, j->total++) && j->n < (size_t)j->pg.size) {
		snprintf(w.account, sizeof(w.account), "%s", row->account);
		snprintf(w.region, sizeof(w.region), "%s", row->region);
		snprintf(w.vpc_id, sizeof(w.vpc_id), "%.31s", row->parent);
		w.created_ms = row->created_ms;
		w.seq = row->seq;
		j->rows[j->n++].w = w;
	}
	return 0;
}

static int ds_tx(struct store_tx *tx, void *arg)
{
	struct ds_job *j = arg;
	struct res_query q;
	int rc;

	j->n = 0;
	j->total = 0;
	memset(&q, 0, sizeof(q));
	q.account = j->r->account;
	q.kind = VSW_KIND;
	q.region = param_str(j->r, PARAM_RegionId, NULL);
	q.parent = param_str(j->r, PARAM_VpcId, NULL);
	if (q.region && !*q.region)
		q.region = NULL;
	if (q.parent && !*q.parent)
		q.parent = NULL;
	if ((rc = store_res_list(tx, &q, ds_row, j)))
		return rc;
	for (size_t i = 0; i < j->n; i++) {
		struct vpc v;

		if ((rc = net_vsw_used(tx, &j->rows[i].w, &j->rows[i].used)))
			return rc;
		rc = net_vpc_get(tx, j->r->account, j->rows[i].w.vpc_id, &v);
		if (rc && rc != STORE_NOTFOUND)
			return rc;
		snprintf(j->rows[i].vtb, ID_LEN, "%s", rc ? "" : v.route_table_id);
	}
	return 0;
}

enum err_id vpc_describe_vswitches(struct req *r)
{
	struct ds_job j = { .r = r };
	enum err_id e;

	vpc_page_get(r, &j.pg);
	if (!*param_str(r, PARAM_RegionId, "") && !*param_str(r, PARAM_VpcId, ""))
		return api_raise(r, ERR_MISSING_PARAMETER, "RegionId");
	j.ids = param_str(r, PARAM_VSwitchId, NULL);
	j.zone = param_str(r, PARAM_ZoneId, NULL);
	j.name = param_str(r, PARAM_VSwitchName, NULL);
	if (j.zone && !*j.zone)
		j.zone = NULL;
	if (j.name && !*j.name)
		j.name = NULL;
	j.is_default = param_given(r, PARAM_IsDefault) ? param_bool(r, PARAM_IsDefault, 0) : -1;
	j.rows = arena_alloc(&r->arena, sizeof(*j.rows) * (size_t)j.pg.size);
	if (!j.rows)
		return api_raise(r, ERR_INTERNAL_ERROR, NULL);
	if (param_bool(r, PARAM_DryRun, 0))
		return api_raise(r, ERR_DRY_RUN_OPERATION, NULL);
	if (!vpc_group_ok(param_str(r, PARAM_ResourceGroupId, NULL)))
		j.n = 0, j.total = 0;   /* another resource group: no match */
	else if ((e = vpc_read(r, ds_tx, &j)) != ERR_OK)
		return e;
	vpc_page_emit(r, &j.pg, j.total);
	reply_list_begin(&r->reply, "VSwitches", "VSwitch");
	for (size_t i = 0; i < j.n; i++) {
		reply_obj_begin(&r->reply, NULL);
		vpc_emit_vsw(r, &j.rows[i].w, j.rows[i].vtb, j.rows[i].used);
		reply_obj_end(&r->reply);
	}
	reply_list_end(&r->reply);
	return ERR_OK;
}
