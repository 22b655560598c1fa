/* delete_load_balancer.c - DeleteLoadBalancer (NETWORK.md F.4): refused
 * while DeleteProtection is on; otherwise the load balancer, its backend
 * list and its private address go in one transaction (its backends simply
 * stop being backends). */
#include "slb.h"
#include <string.h>

struct dl_job {
	struct req *r;
	struct slb_backend *be;
};

static int dl_tx(struct store_tx *tx, void *arg)
{
	struct dl_job *j = arg;
	struct slb lb;
	int n = 0, rc = edge_slb_get(tx, j->r->account, param_str(j->r, PARAM_LoadBalancerId, ""), &lb);

	if (rc == STORE_NOTFOUND)
		return ERR_INVALID_LOAD_BALANCER_ID_NOT_FOUND;
	if (rc)
		return rc;
	if (lb.delete_protection)
		return ERR_OPERATION_DENIED_DELETE_PROTECTION_IS_ON;
	if ((rc = edge_backends(tx, lb.account, lb.id, j->be, SLB_BACKENDS_MAX, &n)))
		return rc;
	for (int i = 0; i < n; i++)
		if ((rc = edge_backend_del(tx, &lb, j->be[i].server_id)))
			return rc;
	if ((rc = edge_lb_address_free(tx, &lb)))
		return rc;
	return store_res_delete(tx, lb.account, lb.id);
}

enum err_id slb_delete_load_balancer(struct req *r)
{
	struct dl_job j = { .r = r };

	j.be = arena_alloc(&r->arena, sizeof(*j.be) * SLB_BACKENDS_MAX);
	if (!j.be)
		return api_raise(r, ERR_INTERNAL_ERROR, NULL);
	return slb_write(r, dl_tx, &j);
}
