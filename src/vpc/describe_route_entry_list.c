/* describe_route_entry_list.c - DescribeRouteEntryList: the custom entries
 * of one of the caller's route tables (NETWORK.md E.3), filtered by
 * RouteEntryId, DestinationCidrBlock, RouteEntryName, RouteEntryType,
 * NextHopType, NextHopId; MaxResult per page (1-100, default 10) and
 * NextToken (the count of entries already returned). */
#include "vpc.h"
#include "../net/edge.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct dl_job {
	struct req *r;
	const char *vtb;
	struct rte *rows;
	int n;
};

static int dl_tx(struct store_tx *tx, void *arg)
{
	struct dl_job *j = arg;
	struct vtb t;
	int rc = net_vtb_get(tx, j->r->account, j->vtb, &t);

	if (rc == STORE_NOTFOUND)
		return ERR_INVALID_ROUTE_TABLE_ID_NOT_FOUND;
	if (rc)
		return rc;
	return edge_rte_list(tx, t.account, t.id, j->rows, RTE_PER_TABLE, &j->n);
}

static int dl_match(const char *want, const char *have)
{
	return !*want || strcmp(want, have) == 0;
}

static void dl_emit(struct req *r, const struct rte *e)
{
	struct reply *rp = &r->reply;
	char t[32];

	model_fmt_second(t, e->created_ms);
	reply_obj_begin(rp, NULL);
	reply_str(rp, "RouteEntryId", e->id);
	reply_str(rp, "RouteTableId", e->vtb_id);
	reply_str(rp, "DestinationCidrBlock", e->dst);
	reply_str(rp, "Type", "Custom");
	reply_str(rp, "Status", vedge_rte_status(e, r->now_ms));
	reply_str(rp, "RouteEntryName", e->name);
	reply_str(rp, "Description", e->description);
	reply_str(rp, "IpVersion", "ipv4");
	reply_str(rp, "CreateTime", t);
	reply_list_begin(rp, "NextHops", "NextHop");
	reply_obj_begin(rp, NULL);
	reply_str(rp, "NextHopType", e->hop_type);
	reply_str(rp, "NextHopId", e->hop_id);
	reply_int(rp, "Enabled", 1);
	reply_int(rp, "Weight", 0);
	reply_str(rp, "NextHopRegionId", e->region);
	reply_obj_end(rp);
	reply_list_end(rp);
	reply_obj_end(rp);
}

enum err_id vpc_describe_route_entry_list(struct req *r)
{
	struct dl_job j = { .r = r };
	const char *id = param_str(r, PARAM_RouteEntryId, "");
	const char *dst = param_str(r, PARAM_DestinationCidrBlock, "");
	const char *name = param_str(r, PARAM_RouteEntryName, "");
	const char *type = param_str(r, PARAM_RouteEntryType, "");
	const char *htype = param_str(r, PARAM_NextHopType, "");
	const char *hop = param_str(r, PARAM_NextHopId, "");
	const char *tok = param_str(r, PARAM_NextToken, "");
	long long max = param_int(r, PARAM_MaxResult, 10), skip = 0, seen = 0, shown = 0;
	int more = 0;
	char next[24] = "", *end;
	enum err_id e;

	if (*tok) {
		skip = strtoll(tok, &end, 10);
		if (*end || skip < 0 || skip > RTE_PER_TABLE)
			return api_raise(r, ERR_INVALID_PARAMETER, "NextToken");
	}
	j.vtb = param_str(r, PARAM_RouteTableId, "");
	j.rows = arena_alloc(&r->arena, sizeof(*j.rows) * RTE_PER_TABLE);
	if (!j.rows)
		return api_raise(r, ERR_INTERNAL_ERROR, NULL);
	if ((e = vpc_read(r, dl_tx, &j)) != ERR_OK)
		return e;
	reply_list_begin(&r->reply, "RouteEntrys", "RouteEntry");
	for (int i = 0; i < j.n; i++) {
		const struct rte *x = &j.rows[i];

		if (!dl_match(id, x->id) || !dl_match(dst, x->dst) || !dl_match(name, x->name) ||
		    (*type && strcmp(type, "Custom") != 0) || !dl_match(htype, x->hop_type) ||
		    !dl_match(hop, x->hop_id))
			continue;
		if (seen++ < skip)
			continue;
		if (shown == max) {
			more = 1;
			break;
		}
		dl_emit(r, x);
		shown++;
	}
	reply_list_end(&r->reply);
	if (more)
		snprintf(next, sizeof(next), "%lld", skip + shown);
	reply_str(&r->reply, "NextToken", next);
	return ERR_OK;
}
