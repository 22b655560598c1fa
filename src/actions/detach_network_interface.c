/* detach_network_interface.c - DetachNetworkInterface, applied by eni_attach.c (one status
 * machine for both directions). */
#include "eni.h"

enum err_id act_detach_network_interface(struct req *r)
{
	return act_eni_attach(r, 0);
}
