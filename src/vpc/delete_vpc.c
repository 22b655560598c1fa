/* delete_vpc.c - DeleteVpc: refused while the VPC is Pending, while it has
 * vSwitches (DependencyViolation.VSwitch) or security groups
 * (DependencyViolation.SecurityGroup), in that order (NETWORK.md E.5);
 * otherwise the VPC and its System route table go at once. */
#include "vpc.h"
#include "../store/tags.h"
#include <string.h>


struct dl_job {
	struct req *r;
	int dry_run;
};

static int dl_tx(struct store_tx *tx, void *arg)
{
	struct dl_job *j = arg;
	struct vpc v;
	int64_t n = 0;
	int rc = net_vpc_get(tx, j->r->account, param_str(j->r, PARAM_VpcId, ""), &v);

	if (rc == STORE_NOTFOUND)
		return ERR_INVALID_VPC_ID_NOT_FOUND;
	if (rc)
		return rc;
	if (!vnet_available(v.ready_ms, j->r->now_ms))
		return ERR_INCORRECT_VPC_STATUS;
	if ((rc = net_count(tx, v.account, VSW_KIND, v.id, &n)))
		return rc;
	if (n > 0)
		return ERR_DEPENDENCY_VIOLATION_VSWITCH;
	if ((rc = net_count(tx, v.account, SG_KIND, v.id, &n)))
		return rc;
	if (n > 0)
		return ERR_DEPENDENCY_VIOLATION_SECURITY_GROUP_VPC;
	if (j->dry_run)
		return ERR_DRY_RUN_OPERATION;
	if ((rc = store_tags_drop(tx, v.account, v.id)) ||
	    (rc = store_tags_drop(tx, v.account, v.route_table_id)))
		return rc;
	rc = store_res_delete(tx, v.account, v.route_table_id);
	if (rc && rc != STORE_NOTFOUND)
		return rc;
	return store_res_delete(tx, v.account, v.id);
}

enum err_id vpc_delete_vpc(struct req *r)
{
	struct dl_job j = { .r = r, .dry_run = param_bool(r, PARAM_DryRun, 0) };

	return vpc_write(r, dl_tx, &j);
}
