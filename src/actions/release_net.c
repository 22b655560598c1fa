/* release_net.c - what other products hold of an instance being released
 * (NETWORK.md E.5, F.5), found in the store rather than in flags: a custom
 * route entry whose next hop is the instance (DependencyViolation.RouteEntry),
 * a load balancer that has it as a backend and is configuring
 * (DependencyViolation.SLBConfiguring); and, once the release goes ahead,
 * in the same transaction: it leaves every load balancer's backends and
 * its EIP is unbound and kept. The order of the refusals is release_check's. */
#include "act.h"
#include "../net/edge.h"
#include <stdio.h>
#include <string.h>

#define RN_LBS 64   /* load balancers one instance may serve */

int act_release_deps(struct store_tx *tx, struct req *r, struct instance *in)
{
	return edge_release_deps(tx, in, r->now_ms);
}

struct rn_eips {
	char ids[4][ID_LEN];
	int n;
};

static int rn_eip(void *arg, const struct res *row)
{
	struct rn_eips *l = arg;

	if (l->n < 4)
		snprintf(l->ids[l->n++], ID_LEN, "%.31s", row->id);
	return 0;
}

int act_release_edge(struct store_tx *tx, struct req *r, const struct instance *in)
{
	char (*ids)[ID_LEN] = arena_alloc(&r->arena, sizeof(*ids) * RN_LBS);
	struct rn_eips eips = { .n = 0 };
	struct res_query q;
	int nl = 0, rc;

	if (!ids)
		return STORE_EIO;
	if ((rc = edge_lbs_of(tx, in->account, in->id, ids, RN_LBS, &nl)))
		return rc;
	for (int i = 0; i < nl; i++) {
		struct slb lb;

		memset(&lb, 0, sizeof(lb));
		snprintf(lb.id, sizeof(lb.id), "%s", ids[i]);
		snprintf(lb.account, sizeof(lb.account), "%s", in->account);
		if ((rc = edge_backend_del(tx, &lb, in->id)))
			return rc;
	}
	memset(&q, 0, sizeof(q));
	q.account = in->account;
	q.kind = EIP_KIND;
	q.ref = in->id;
	if ((rc = store_res_list(tx, &q, rn_eip, &eips)) < 0)
		return rc;
	for (int i = 0; i < eips.n; i++) {
		struct eip e;

		if ((rc = edge_eip_get(tx, in->account, eips.ids[i], &e)))
			return rc;
		e.instance_id[0] = '\0';      /* unbound and kept: Available */
		e.instance_type[0] = '\0';
		e.private_ip[0] = '\0';
		e.trans_end_ms = 0;
		if ((rc = edge_eip_put(tx, &e, 0)))
			return rc;
	}
	return 0;
}
