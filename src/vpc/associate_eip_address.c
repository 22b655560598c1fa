/* associate_eip_address.c - AssociateEipAddress (NETWORK.md E.4): an
 * Available EIP to one of the caller's instances (InstanceType
 * EcsInstance), Running or Stopped, that has none; Associating for the
 * transition delay, then InUse. The EIP's InstanceId is set at once
 * (Terraform reads it straight back). */
#include "vpc.h"
#include "../net/edge.h"
#include <stdio.h>
#include <string.h>

struct as_job {
	struct req *r;
	const char *id, *inst;
};

static int as_tx(struct store_tx *tx, void *arg)
{
	struct as_job *j = arg;
	struct instance in;
	struct eip e;
	int64_t n = 0;
	int st, rc = edge_eip_get(tx, j->r->account, j->id, &e);

	if (rc == STORE_NOTFOUND)
		return ERR_INVALID_ALLOCATION_ID_NOT_FOUND;
	if (rc)
		return rc;
	rc = store_inst_get(tx, j->r->account, j->inst, &in);
	if (rc == STORE_NOTFOUND)
		return ERR_INVALID_INSTAN_ID_NOT_FOUND;
	if (rc)
		return rc;
	if (e.instance_id[0] || !vedge_eip_settled(&e, j->r->now_ms))
		return ERR_INCORRECT_EIP_STATUS;
	st = inst_status_at(&in, j->r->now_ms);
	if (st != INST_RUNNING && st != INST_STOPPED)
		return ERR_INCORRECT_INSTANCE_STATUS_VPC;
	if ((rc = edge_count_ref(tx, in.account, EIP_KIND, in.id, &n)))
		return rc;
	if (n > 0)
		return ERR_INVALID_ASSOCIATION_DUPLICATED;
	snprintf(e.instance_id, sizeof(e.instance_id), "%s", in.id);
	snprintf(e.instance_type, sizeof(e.instance_type), "EcsInstance");
	edge_inst_private_ip(&in, e.private_ip);
	e.trans_end_ms = j->r->now_ms + j->r->ecsd->transition_ms;
	if ((rc = edge_eip_put(tx, &e, 0)))
		return rc;
	return edge_inst_eip(tx, &in, &e);
}

enum err_id vpc_associate_eip_address(struct req *r)
{
	struct as_job j = { .r = r };
	const char *type = param_str(r, PARAM_InstanceType, "EcsInstance");

	if (*type && strcmp(type, "EcsInstance") != 0)
		return api_raise(r, ERR_INVALID_INSTANCE_TYPE_VALUE_NOT_SUPPORTED, NULL);
	j.id = param_str(r, PARAM_AllocationId, "");
	j.inst = param_str(r, PARAM_InstanceId, "");
	return vpc_write(r, as_tx, &j);
}
