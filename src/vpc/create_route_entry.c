/* create_route_entry.c - CreateRouteEntry: a custom route in one of the
 * caller's route tables, its next hop validated by type (NETWORK.md E.3):
 * an instance of the same VPC that is Running or Stopped (the hop
 * DeleteInstance then refuses to release), a network interface of the
 * VPC, or a type ecsd models nothing of (InvalidNextHop.NotFound). Pending
 * for the transition delay; one change at a time per table. */
#include "vpc.h"
#include "../net/edge.h"
#include <stdio.h>
#include <string.h>

struct ce_job {
	struct req *r;
	struct rte e;
	struct rte *rows;
	int dry_run;
};

/* The next hop of e, of its type, in e's VPC: 0 or an API error. */
static int ce_hop(struct store_tx *tx, struct req *r, const struct rte *e)
{
	struct instance in;
	struct eni ni;
	int rc, st;

	if (strcmp(e->hop_type, "Instance") == 0) {
		rc = store_inst_get(tx, r->account, e->hop_id, &in);
		if (rc == STORE_NOTFOUND)
			return ERR_INVALID_INSTAN_ID_NOT_FOUND;
		if (rc)
			return rc;
		if (!edge_inst_in_vpc(&in, e->vpc_id))
			return ERR_INVALID_NEXT_HOP_NOT_FOUND;
		st = inst_status_at(&in, r->now_ms);
		if (st != INST_RUNNING && st != INST_STOPPED)
			return ERR_INCORRECT_INSTANCE_STATUS_VPC;
		return 0;
	}
	if (strcmp(e->hop_type, "NetworkInterface") == 0) {
		rc = net_eni_get(tx, r->account, e->hop_id, &ni);
		if (rc == STORE_NOTFOUND || (rc == 0 && strcmp(ni.vpc_id, e->vpc_id) != 0))
			return ERR_INVALID_NEXT_HOP_NOT_FOUND;
		return rc;
	}
	/* HaVip, gateways, router interfaces...: ecsd has none of them */
	return ERR_INVALID_NEXT_HOP_NOT_FOUND;
}

static int ce_tx(struct store_tx *tx, void *arg)
{
	struct ce_job *j = arg;
	struct rte *e = &j->e;
	struct vtb t;
	struct vpc v;
	struct cidr c;
	int n = 0, rc = net_vtb_get(tx, j->r->account, e->vtb_id, &t);

	if (rc == STORE_NOTFOUND)
		return ERR_INVALID_ROUTE_TABLE_ID_NOT_FOUND;
	if (rc || (rc = net_vpc_get(tx, t.account, t.vpc_id, &v)))
		return rc == STORE_NOTFOUND ? ERR_INVALID_ROUTE_TABLE_ID_NOT_FOUND : rc;
	if (!vnet_available(v.ready_ms, j->r->now_ms))
		return ERR_INCORRECT_VPC_STATUS;
	if ((rc = edge_rte_list(tx, t.account, t.id, j->rows, RTE_PER_TABLE, &n)))
		return rc;
	if (cidr_parse(e->dst, &c))
		return STORE_EIO;
	for (int i = 0; i < n; i++) {
		if (strcmp(j->rows[i].dst, e->dst) == 0)
			return ERR_INVALID_CIDR_BLOCK_DUPLICATE;
		if (strcmp(vedge_rte_status(&j->rows[i], j->r->now_ms), "Available") != 0)
			return ERR_INCORRECT_ROUTE_ENTRY_STATUS;   /* one change at a time */
	}
	if (n >= RTE_PER_TABLE)
		return ERR_INVALID_PARAMETER;   /* a table's quota of custom entries */
	snprintf(e->vpc_id, sizeof(e->vpc_id), "%s", v.id);
	snprintf(e->region, sizeof(e->region), "%s", t.region);
	if ((rc = ce_hop(tx, j->r, e)))
		return rc;
	if (j->dry_run)
		return ERR_DRY_RUN_OPERATION;
	return edge_rte_put(tx, e, 1);
}

enum err_id vpc_create_route_entry(struct req *r)
{
	struct ce_job *j = arena_alloc(&r->arena, sizeof(*j));
	const char *type = param_str(r, PARAM_NextHopType, "");
	struct cidr c;
	enum err_id e;

	if (!j || !(j->rows = arena_alloc(&r->arena, sizeof(*j->rows) * RTE_PER_TABLE)))
		return api_raise(r, ERR_INTERNAL_ERROR, NULL);
	memset(&j->e, 0, sizeof(j->e));
	j->r = r;
	if (!*type)
		type = "Instance";
	if (!vedge_hop_type_known(type))
		return api_raise(r, ERR_INVALID_NEXT_HOP_TYPE, NULL);
	if (cidr_parse(param_str(r, PARAM_DestinationCidrBlock, ""), &c))
		return api_raise(r, ERR_INVALID_CIDR_BLOCK_MALFORMED, NULL);
	if (!*param_str(r, PARAM_NextHopId, ""))
		return api_raise(r, ERR_MISSING_PARAMETER, "NextHopId");
	model_new_id(j->e.id, "rte-");
	snprintf(j->e.account, sizeof(j->e.account), "%s", r->account);
	snprintf(j->e.vtb_id, sizeof(j->e.vtb_id), "%s", param_str(r, PARAM_RouteTableId, ""));
	cidr_fmt(&c, j->e.dst);
	snprintf(j->e.hop_type, sizeof(j->e.hop_type), "%s", type);
	snprintf(j->e.hop_id, sizeof(j->e.hop_id), "%s", param_str(r, PARAM_NextHopId, ""));
	snprintf(j->e.name, sizeof(j->e.name), "%s", param_str(r, PARAM_RouteEntryName, ""));
	snprintf(j->e.description, sizeof(j->e.description), "%s",
	         param_str(r, PARAM_Description, ""));
	j->e.created_ms = r->now_ms;
	j->e.ready_ms = r->now_ms + r->ecsd->transition_ms;
	j->dry_run = param_bool(r, PARAM_DryRun, 0);
	if ((e = vpc_write(r, ce_tx, j)) != ERR_OK)
		return e;
	reply_str(&r->reply, "RouteEntryId", j->e.id);
	return ERR_OK;
}
