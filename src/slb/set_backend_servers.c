/* set_backend_servers.c - SetBackendServers (NETWORK.md F.3): the common
 * path of slb_backend_call with SLB_SET. */
#include "slb.h"

enum err_id slb_set_backend_servers(struct req *r)
{
	return slb_backend_call(r, SLB_SET);
}
