/* describe_load_balancer_attribute.c - DescribeLoadBalancerAttribute
 * (NETWORK.md F.2): one of the caller's load balancers with its
 * BackendServers; unknown or another account's is
 * InvalidLoadBalancerId.NotFound 404. */
#include "slb.h"

struct da_job {
	struct req *r;
	struct slb lb;
	struct slb_backend *be;
	int n;
};

static int da_tx(struct store_tx *tx, void *arg)
{
	struct da_job *j = arg;
	int rc = edge_slb_get(tx, j->r->account, param_str(j->r, PARAM_LoadBalancerId, ""), &j->lb);

	if (rc == STORE_NOTFOUND)
		return ERR_INVALID_LOAD_BALANCER_ID_NOT_FOUND;
	if (rc)
		return rc;
	return edge_backends(tx, j->lb.account, j->lb.id, j->be, SLB_BACKENDS_MAX, &j->n);
}

enum err_id slb_describe_load_balancer_attribute(struct req *r)
{
	struct da_job j = { .r = r };
	struct reply *rp = &r->reply;
	enum err_id e;

	j.be = arena_alloc(&r->arena, sizeof(*j.be) * SLB_BACKENDS_MAX);
	if (!j.be)
		return api_raise(r, ERR_INTERNAL_ERROR, NULL);
	if ((e = slb_read(r, da_tx, &j)) != ERR_OK)
		return e;
	slb_emit_lb(r, &j.lb);
	reply_list_begin(rp, "ListenerPorts", "ListenerPort");
	reply_list_end(rp);
	reply_list_begin(rp, "ListenerPortsAndProtocol", "ListenerPortAndProtocol");
	reply_list_end(rp);
	reply_str(rp, "RenewalStatus", "AutoRenewal");
	reply_int(rp, "AutoReleaseTime", 0);
	slb_emit_backends(r, j.be, j.n);
	return ERR_OK;
}
