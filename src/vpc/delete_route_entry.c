/* delete_route_entry.c - DeleteRouteEntry: by RouteEntryId, or by
 * RouteTableId + DestinationCidrBlock (+ NextHopId); only Available
 * entries (IncorrectRouteEntryStatus while Pending); a missing one is
 * InvalidRouteEntry.NotFound, which Terraform takes as done. The entry
 * goes at once, and with it the instance's DependencyViolation.RouteEntry. */
#include "vpc.h"
#include "../net/edge.h"
#include <stdio.h>
#include <string.h>

struct de_job {
	struct req *r;
	const char *id, *vtb, *hop;
	char dst[20];
	struct rte *rows;
};

static int de_tx(struct store_tx *tx, void *arg)
{
	struct de_job *j = arg;
	struct rte e;
	int n = 0, rc, found = 0;

	if (*j->id) {
		rc = edge_rte_get(tx, j->r->account, j->id, &e);
		if (rc == STORE_NOTFOUND)
			return ERR_INVALID_ROUTE_ENTRY_NOT_FOUND;
		if (rc)
			return rc;
		found = 1;
	} else {
		struct vtb t;

		rc = net_vtb_get(tx, j->r->account, j->vtb, &t);
		if (rc == STORE_NOTFOUND)
			return ERR_INVALID_ROUTE_TABLE_ID_NOT_FOUND;
		if (rc || (rc = edge_rte_list(tx, t.account, t.id, j->rows, RTE_PER_TABLE, &n)))
			return rc;
		for (int i = 0; i < n && !found; i++)
			if (strcmp(j->rows[i].dst, j->dst) == 0 &&
			    (!*j->hop || strcmp(j->rows[i].hop_id, j->hop) == 0)) {
				e = j->rows[i];
				found = 1;
			}
		if (!found)
			return ERR_INVALID_ROUTE_ENTRY_NOT_FOUND;
	}
	if (strcmp(vedge_rte_status(&e, j->r->now_ms), "Available") != 0)
		return ERR_INCORRECT_ROUTE_ENTRY_STATUS;
	return store_res_delete(tx, e.account, e.id);
}

enum err_id vpc_delete_route_entry(struct req *r)
{
	struct de_job j = { .r = r };
	struct cidr c;

	j.id = param_str(r, PARAM_RouteEntryId, "");
	j.vtb = param_str(r, PARAM_RouteTableId, "");
	j.hop = param_str(r, PARAM_NextHopId, "");
	if (!*j.id) {
		if (!*j.vtb)
			return api_raise(r, ERR_MISSING_PARAMETER, "RouteTableId");
		if (cidr_parse(param_str(r, PARAM_DestinationCidrBlock, ""), &c))
			return api_raise(r, ERR_INVALID_CIDR_BLOCK_MALFORMED, NULL);
		cidr_fmt(&c, j.dst);
		j.rows = arena_alloc(&r->arena, sizeof(*j.rows) * RTE_PER_TABLE);
		if (!j.rows)
			return api_raise(r, ERR_INTERNAL_ERROR, NULL);
	}
	return vpc_write(r, de_tx, &j);
}
