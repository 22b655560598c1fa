/* delete_vswitch.c - DeleteVSwitch: refused while Pending
 * (IncorrectVSwitchStatus) or while anything holds one of its addresses:
 * instances, network interfaces, load balancers (DependencyViolation,
 * NETWORK.md E.2). Otherwise gone at once. */
#include "vpc.h"
#include "../store/tags.h"

static int dw_tx(struct store_tx *tx, void *arg)
{
	struct req *r = arg;
	struct vswitch w;
	int64_t used = 0, n = 0;
	int rc = net_vsw_get(tx, r->account, param_str(r, PARAM_VSwitchId, ""), &w);

	if (rc == STORE_NOTFOUND)
		return ERR_INVALID_VSWITCH_ID_NOT_FOUND;
	if (rc)
		return rc;
	if (!vnet_available(w.ready_ms, r->now_ms))
		return ERR_INCORRECT_VSWITCH_STATUS;
	if ((rc = net_vsw_used(tx, &w, &used)) ||
	    (rc = net_count(tx, w.account, ENI_KIND, w.id, &n)))
		return rc;
	if (used > 0 || n > 0)
		return ERR_DEPENDENCY_VIOLATION;
	if ((rc = store_tags_drop(tx, w.account, w.id)))
		return rc;
	return store_res_delete(tx, w.account, w.id);
}

enum err_id vpc_delete_vswitch(struct req *r)
{
	return vpc_write(r, dw_tx, r);
}
