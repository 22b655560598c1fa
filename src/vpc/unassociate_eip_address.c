/* unassociate_eip_address.c - UnassociateEipAddress (NETWORK.md E.4): an
 * InUse EIP from the instance it is bound to (InstanceId, when given, must
 * be that one: InvalidBindingStatus otherwise); Unassociating for the
 * transition delay, then Available. */
#include "vpc.h"
#include "../net/edge.h"
#include <string.h>

struct un_job {
	struct req *r;
	const char *id, *inst;
};

static int un_tx(struct store_tx *tx, void *arg)
{
	struct un_job *j = arg;
	struct instance in;
	struct eip e;
	int rc = edge_eip_get(tx, j->r->account, j->id, &e);

	if (rc == STORE_NOTFOUND)
		return ERR_INVALID_ALLOCATION_ID_NOT_FOUND;
	if (rc)
		return rc;
	if (!e.instance_id[0] || (*j->inst && strcmp(j->inst, e.instance_id) != 0))
		return ERR_INVALID_BINDING_STATUS;
	if (!vedge_eip_settled(&e, j->r->now_ms))
		return ERR_INCORRECT_EIP_STATUS;
	rc = store_inst_get(tx, e.account, e.instance_id, &in);
	if (rc == 0)
		rc = edge_inst_eip(tx, &in, NULL);
	if (rc && rc != STORE_NOTFOUND)
		return rc;
	e.instance_id[0] = '\0';
	e.instance_type[0] = '\0';
	e.private_ip[0] = '\0';
	e.trans_end_ms = j->r->now_ms + j->r->ecsd->transition_ms;
	return edge_eip_put(tx, &e, 0);
}

enum err_id vpc_unassociate_eip_address(struct req *r)
{
	struct un_job j = { .r = r };

	j.id = param_str(r, PARAM_AllocationId, "");
	j.inst = param_str(r, PARAM_InstanceId, "");
	return vpc_write(r, un_tx, &j);
}
