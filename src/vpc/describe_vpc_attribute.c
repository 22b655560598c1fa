/* describe_vpc_attribute.c - DescribeVpcAttribute: one of the caller's
 * VPCs with its vSwitch ids; another account's is InvalidVpcId.NotFound. */
#include "vpc.h"
#include <string.h>

struct da_job {
	struct req *r;
	struct vpc v;
	struct vpc_ids kids;
};

static int da_tx(struct store_tx *tx, void *arg)
{
	struct da_job *j = arg;
	int rc = net_vpc_get(tx, j->r->account, param_str(j->r, PARAM_VpcId, ""), &j->v);

	if (rc == STORE_NOTFOUND)
		return ERR_INVALID_VPC_ID_NOT_FOUND;
	if (rc)
		return rc;
	return vpc_child_ids(tx, j->r, VSW_KIND, j->v.id, &j->kids);
}

enum err_id vpc_describe_vpc_attribute(struct req *r)
{
	struct da_job j = { .r = r };
	enum err_id e;

	if (param_bool(r, PARAM_DryRun, 0))
		return api_raise(r, ERR_DRY_RUN_OPERATION, NULL);
	if ((e = vpc_read(r, da_tx, &j)) != ERR_OK)
		return e;
	vpc_emit_vpc(r, &j.v, &j.kids);
	return ERR_OK;
}
