/* delete_network_interface.c - DeleteNetworkInterface: an Available
 * Secondary ENI goes with its address and memberships; a primary one is
 * InvalidOperation.InvalidEniType, one not Available (attached, Attaching,
 * Detaching) InvalidOperation.InvalidEniState (NETWORK.md B.4). */
#include "eni.h"
#include <string.h>

static int dni_tx(struct store_tx *tx, void *arg)
{
	struct req *r = arg;
	struct eni e;
	int rc = act_eni_load(tx, r, param_str(r, PARAM_NetworkInterfaceId, ""), &e);

	if (rc)
		return rc;
	if (strcmp(e.type, "Primary") == 0)
		return ERR_INVALID_OPERATION_INVALID_ENI_TYPE;
	if (strcmp(vnet_eni_status(&e, r->now_ms), "Available") != 0)
		return ERR_INVALID_OPERATION_INVALID_ENI_STATE;
	return net_eni_drop(tx, &e);
}

enum err_id act_delete_network_interface(struct req *r)
{
	return act_write(r, dni_tx, r);
}
