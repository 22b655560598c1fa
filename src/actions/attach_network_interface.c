/* attach_network_interface.c - AttachNetworkInterface, applied by eni_attach.c (one status
 * machine for both directions). */
#include "eni.h"

enum err_id act_attach_network_interface(struct req *r)
{
	return act_eni_attach(r, 1);
}
