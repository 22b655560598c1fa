/* add_backend_servers.c - AddBackendServers (NETWORK.md F.3): the common
 * path of slb_backend_call with SLB_ADD. */
#include "slb.h"

enum err_id slb_add_backend_servers(struct req *r)
{
	return slb_backend_call(r, SLB_ADD);
}
