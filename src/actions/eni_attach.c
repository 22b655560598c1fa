/* eni_attach.c - AttachNetworkInterface and DetachNetworkInterface: a
 * Secondary ENI moves Available -> Attaching -> InUse and back through
 * Detaching, each transient status lasting --transition-delay (NETWORK.md
 * B.1, B.3). The instance must be Running or Stopped, in the ENI's zone
 * and VPC, below its ENI limit. */
#include "eni.h"
#include <stdio.h>
#include <string.h>

struct ea_job {
	struct req *r;
	int attach;
};

struct ea_count {
	const char *inst;
	int n;
};

static int ea_count_cb(void *arg, const struct res *row)
{
	(void)row;
	((struct ea_count *)arg)->n++;
	return 0;
}

static int ea_tx(struct store_tx *tx, void *arg)
{
	struct ea_job *j = arg;
	struct req *r = j->r;
	struct instance in;
	struct eni e;
	const char *st;
	int rc = act_eni_load(tx, r, param_str(r, PARAM_NetworkInterfaceId, ""), &e);

	if (rc || (rc = act_eni_instance(tx, r, param_str(r, PARAM_InstanceId, ""), &in)))
		return rc;
	st = vnet_eni_status(&e, r->now_ms);
	if (!j->attach) {
		if (strcmp(e.type, "Primary") == 0)
			return ERR_INVALID_OPERATION_DETACH_PRIMARY_ENI;
		if (strcmp(e.instance_id, in.id) != 0 || strcmp(st, "InUse") != 0)
			return ERR_INVALID_OPERATION_INVALID_ENI_STATE;
	} else {
		struct ea_count c = { in.id, 0 };
		struct res_query q;

		if (strcmp(e.type, "Primary") == 0)
			return ERR_INVALID_OPERATION_INVALID_ENI_TYPE;
		if (strcmp(st, "Available") != 0)
			return ERR_INVALID_OPERATION_INVALID_ENI_STATE;
		if (strcmp(e.vpc_id, in.vpc_id) != 0)
			return ERR_INVALID_OPERATION_VPC_MISMATCH;
		if (strcmp(e.zone, in.zone) != 0)
			return ERR_INVALID_OPERATION_AZ_MISMATCH;
		memset(&q, 0, sizeof(q));
		q.account = r->account;
		q.kind = ENI_KIND;
		q.ref = in.id;
		if ((rc = store_res_list(tx, &q, ea_count_cb, &c)))
			return rc;
		if (c.n >= ENI_PER_INSTANCE)
			return ERR_ENI_PER_INSTANCE_LIMIT_EXCEEDED;
	}
	if (!act_running_or_stopped(r, &in))
		return ERR_INVALID_OPERATION_INVALID_ECS_STATE;
	snprintf(e.instance_id, sizeof(e.instance_id), "%s", j->attach ? in.id : "");
	snprintf(e.status, sizeof(e.status), "%s", j->attach ? "InUse" : "Available");
	snprintf(e.trans, sizeof(e.trans), "%s", j->attach ? "Attaching" : "Detaching");
	e.trans_end_ms = r->now_ms + r->ecsd->transition_ms;
	return net_eni_put(tx, &e, 0);
}

enum err_id act_eni_attach(struct req *r, int attach)
{
	struct ea_job j = { r, attach };

	return act_write(r, ea_tx, &j);
}
