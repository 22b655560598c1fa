/* set_load_balancer_delete_protection.c - SetLoadBalancerDeleteProtection
 * (NETWORK.md F.4): DeleteProtection on | off. */
#include "slb.h"
#include <string.h>

struct sp_job {
	struct req *r;
	int on;
};

static int sp_tx(struct store_tx *tx, void *arg)
{
	struct sp_job *j = arg;
	struct slb lb;
	int rc = edge_slb_get(tx, j->r->account, param_str(j->r, PARAM_LoadBalancerId, ""), &lb);

	if (rc == STORE_NOTFOUND)
		return ERR_INVALID_LOAD_BALANCER_ID_NOT_FOUND;
	if (rc)
		return rc;
	lb.delete_protection = j->on;
	return edge_slb_put(tx, &lb, 0);
}

enum err_id slb_set_load_balancer_delete_protection(struct req *r)
{
	const char *v = param_str(r, PARAM_DeleteProtection, "");
	struct sp_job j = { .r = r, .on = strcmp(v, "on") == 0 };

	if (!j.on && strcmp(v, "off") != 0)
		return api_raise(r, ERR_INVALID_PARAMETER, "DeleteProtection");
	return slb_write(r, sp_tx, &j);
}
