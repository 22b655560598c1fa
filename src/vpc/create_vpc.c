/* create_vpc.c - CreateVpc: a VPC (Pending for the transition delay, then
 * Available) with its vRouter and System route table, in one job. The
 * CIDR block is checked by model/vnet.c (masks 8-28, no reserved range). */
#include "vpc.h"
#include <stdio.h>
#include <string.h>

struct cv_job {
	struct vpc v;
};

static int cv_tx(struct store_tx *tx, void *arg)
{
	struct cv_job *j = arg;

	j->v.seq = 0;
	return net_vpc_create(tx, &j->v);
}

/* VpcName: 1-128 characters, starting with a letter (or a non-ASCII
 * character), not with http:// or https:// (NETWORK.md E.1). */
static int cv_name_ok(const char *s)
{
	unsigned char c = (unsigned char)s[0];

	if (!*s)
		return 1;
	if (strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0)
		return 0;
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

enum err_id vpc_create_vpc(struct req *r)
{
	struct cv_job *j = arena_alloc(&r->arena, sizeof(*j));
	const char *name = param_str(r, PARAM_VpcName, "");
	struct cidr c;
	enum err_id e;

	if (!j)
		return api_raise(r, ERR_INTERNAL_ERROR, NULL);
	memset(j, 0, sizeof(*j));
	e = vnet_vpc_cidr(param_str(r, PARAM_CidrBlock, VPC_DEFAULT_CIDR), &c);
	if (e != ERR_OK)
		return api_raise(r, e, NULL);
	if (!cv_name_ok(name))
		return api_raise(r, ERR_INVALID_VPC_NAME_MALFORMED, NULL);
	if (param_bool(r, PARAM_DryRun, 0))
		return api_raise(r, ERR_DRY_RUN_OPERATION, NULL);
	snprintf(j->v.account, sizeof(j->v.account), "%s", r->account);
	snprintf(j->v.region, sizeof(j->v.region), "%s", param_str(r, PARAM_RegionId, ""));
	snprintf(j->v.name, sizeof(j->v.name), "%s", name);
	snprintf(j->v.description, sizeof(j->v.description), "%s",
	         param_str(r, PARAM_Description, ""));
	cidr_fmt(&c, j->v.cidr);
	j->v.created_ms = r->now_ms;
	j->v.ready_ms = r->now_ms + r->ecsd->transition_ms;
	if ((e = vpc_write(r, cv_tx, j)) != ERR_OK)
		return e;
	reply_str(&r->reply, "VpcId", j->v.id);
	reply_str(&r->reply, "VRouterId", j->v.vrouter_id);
	reply_str(&r->reply, "RouteTableId", j->v.route_table_id);
	reply_str(&r->reply, "ResourceGroupId", VPC_RESOURCE_GROUP);
	return ERR_OK;
}
