/* release_eip_address.c - ReleaseEipAddress (NETWORK.md E.4): only an
 * Available pay-as-you-go EIP; refused while bound (IncorrectEipStatus) and
 * for a PrePaid one (Forbidden.ChargeTypeIsPrepaid). */
#include "vpc.h"
#include "../store/tags.h"
#include "../net/edge.h"
#include <string.h>

static int rl_tx(struct store_tx *tx, void *arg)
{
	struct req *r = arg;
	struct eip e;
	int rc = edge_eip_get(tx, r->account, param_str(r, PARAM_AllocationId, ""), &e);

	if (rc == STORE_NOTFOUND)
		return ERR_INVALID_ALLOCATION_ID_NOT_FOUND;
	if (rc)
		return rc;
	if (e.instance_id[0] || !vedge_eip_settled(&e, r->now_ms))
		return ERR_INCORRECT_EIP_STATUS;
	if (strcmp(e.charge, "PrePaid") == 0)
		return ERR_FORBIDDEN_CHARGE_TYPE_IS_PREPAID;
	if ((rc = store_tags_drop(tx, e.account, e.id)))
		return rc;
	return store_res_delete(tx, e.account, e.id);
}

enum err_id vpc_release_eip_address(struct req *r)
{
	return vpc_write(r, rl_tx, r);
}
