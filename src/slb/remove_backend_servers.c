/* remove_backend_servers.c - RemoveBackendServers (NETWORK.md F.3): the common
 * path of slb_backend_call with SLB_REMOVE. */
#include "slb.h"

enum err_id slb_remove_backend_servers(struct req *r)
{
	return slb_backend_call(r, SLB_REMOVE);
}
