/* vtag.c - what the VPC product's tag Actions share (TagResources,
 * UnTagResources, ListTagResources; NETWORK.md E.6): the upper-case
 * ResourceType and the resource kinds it names, and the resources of one
 * call, each the caller's. Tags live in store/tags.c, as for ECS. */
#include "vtag.h"
#include "../net/edge.h"
#include "../store/tags.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>

static const struct { const char *type, *kind; } vtag_types[] = {
	{ "VPC", VPC_KIND }, { "VSWITCH", VSW_KIND }, { "ROUTETABLE", VTB_KIND },
	{ "EIP", EIP_KIND },
};

const char *vtag_kind(const char *rtype)
{
	for (size_t i = 0; i < sizeof(vtag_types) / sizeof(vtag_types[0]); i++)
		if (strcmp(vtag_types[i].type, rtype) == 0)
			return vtag_types[i].kind;
	return NULL;
}

int vtag_check(struct store_tx *tx, const char *account, const char *kind,
               const char *const *ids, size_t n, char *region, size_t rlen)
{
	for (size_t i = 0; i < n; i++) {
		struct res r;
		int rc = store_res_get(tx, account, kind, ids[i], &r);

		if (rc == STORE_NOTFOUND)
			return ERR_INVALID_RESOURCE_ID_NOT_FOUND;
		if (rc)
			return rc;
		snprintf(region, rlen, "%s", r.region);
		json_decref((json_t *)r.doc);
	}
	return 0;
}
