/* describe_network_interfaces.c - DescribeNetworkInterfaces: the caller's
 * ENIs of RegionId, primary and secondary unless Type says, filtered by
 * NetworkInterfaceId.N, InstanceId, VpcId, VSwitchId, SecurityGroupId,
 * Status, NetworkInterfaceName, PrimaryIpAddress; pages by
 * PageNumber/PageSize or MaxResults (10-500, clamped)/NextToken (a
 * position) (NETWORK.md B.5). */
#include "eni.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct dni_job {
	struct req *r;
	const struct pval *ids;
	const char *inst, *vpc, *vsw, *sg, *type, *status, *name, *ip;
	int64_t first, size, total;
	struct eni *rows;
	size_t n;
};

static int dni_eq(const char *want, const char *have)
{
	return !want || !*want || strcmp(want, have) == 0;
}

static int dni_row(void *arg, const struct res *row)
{
	struct dni_job *j = arg;
	struct eni e;
	int hit = !j->ids->present;

	memset(&e, 0, sizeof(e));
	snprintf(e.id, sizeof(e.id), "%.31s", row->id);
	snprintf(e.vsw_id, sizeof(e.vsw_id), "%.31s", row->parent);
	snprintf(e.instance_id, sizeof(e.instance_id), "%.31s", row->ref);
	vnet_eni_from_json(row->doc, &e);
	for (size_t i = 0; !hit && i < j->ids->nlist; i++)
		hit = strcmp(j->ids->list[i], e.id) == 0;
	if (!hit || !dni_eq(j->inst, e.instance_id) || !dni_eq(j->vpc, e.vpc_id) ||
	    !dni_eq(j->vsw, e.vsw_id) || !dni_eq(j->type, e.type) ||
	    !dni_eq(j->status, vnet_eni_status(&e, j->r->now_ms)) ||
	    !dni_eq(j->name, e.name) || !dni_eq(j->ip, e.ip) ||
	    (j->sg && *j->sg && !vnet_id_in(e.sg_ids, j->sg)))
		return 0;
	if (j->total++ < j->first || (int64_t)j->n >= j->size)
		return 0;
	snprintf(e.account, sizeof(e.account), "%s", row->account);
	snprintf(e.region, sizeof(e.region), "%s", row->region);
	e.created_ms = row->created_ms;
	j->rows[j->n++] = e;
	return 0;
}

static int dni_tx(struct store_tx *tx, void *arg)
{
	struct dni_job *j = arg;
	struct res_query q;

	j->n = 0;
	j->total = 0;
	memset(&q, 0, sizeof(q));
	q.account = j->r->account;
	q.kind = ENI_KIND;
	q.region = param_str(j->r, PARAM_RegionId, "");
	if (j->vsw && *j->vsw)
		q.parent = j->vsw;
	if (j->inst && *j->inst)
		q.ref = j->inst;
	return store_res_list(tx, &q, dni_row, j);
}

enum err_id act_describe_network_interfaces(struct req *r)
{
	struct dni_job j = { .r = r };
	struct reply *rp = &r->reply;
	const char *tok = param_str(r, PARAM_NextToken, "");
	int token_mode = param_given(r, PARAM_MaxResults) || *tok;
	long long pn = param_int(r, PARAM_PageNumber, 1);
	enum err_id e;
	char next[80] = "";

	j.ids = param_val(r, PARAM_NetworkInterfaceId);
	j.inst = param_str(r, PARAM_InstanceId, NULL);
	j.vpc = param_str(r, PARAM_VpcId, NULL);
	j.vsw = param_str(r, PARAM_VSwitchId, NULL);
	j.sg = param_str(r, PARAM_SecurityGroupId, NULL);
	j.type = param_str(r, PARAM_Type, NULL);
	j.status = param_str(r, PARAM_Status, NULL);
	j.name = param_str(r, PARAM_NetworkInterfaceName, NULL);
	j.ip = param_str(r, PARAM_PrimaryIpAddress, NULL);
	if (token_mode) {
		j.size = param_int(r, PARAM_MaxResults, 10);
		j.size = j.size < 10 ? 10 : j.size > 500 ? 500 : j.size;
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
	if ((e = act_read(r, dni_tx, &j)) != ERR_OK)
		return e;
	if (token_mode && j.first + (int64_t)j.n < j.total &&
	    act_pos_token(r, j.first + (int64_t)j.n, next))
		return api_raise(r, ERR_INTERNAL_ERROR, NULL);
	reply_str(rp, "NextToken", next);
	reply_int(rp, "TotalCount", j.total);
	reply_int(rp, "PageNumber", token_mode ? 1 : pn);
	reply_int(rp, "PageSize", j.size);
	reply_list_begin(rp, "NetworkInterfaceSets", "NetworkInterfaceSet");
	for (size_t i = 0; i < j.n; i++) {
		reply_obj_begin(rp, NULL);
		act_emit_eni(r, &j.rows[i]);
		reply_obj_end(rp);
	}
	reply_list_end(rp);
	return ERR_OK;
}
