/* create_security_group.c - CreateSecurityGroup: a group in one of the
 * caller's Available VPCs (VpcId required: NETWORK.md A.2); type normal
 * (InnerAccessPolicy Accept) or enterprise (Drop); no rules yet. */
#include "sg.h"
#include <stdio.h>
#include <string.h>
#include <strings.h>

struct csg_job {
	struct req *r;
	struct sg g;
	const char *vpc, *token;
};

static int csg_tx(struct store_tx *tx, void *arg)
{
	struct csg_job *j = arg;
	struct buf prev;
	struct vpc v;
	int hit = 0, rc;

	buf_init(&prev, 256);
	rc = act_token_check(tx, j->r, j->token, &hit, &prev);
	if (rc == 0 && hit)
		snprintf(j->g.id, sizeof(j->g.id), "%s", buf_cstr(&prev));
	buf_free(&prev);
	if (rc || hit)
		return rc;
	rc = net_vpc_get(tx, j->r->account, j->vpc, &v);
	if (rc == STORE_NOTFOUND || (rc == 0 && strcmp(v.region, j->g.region) != 0))
		return ERR_INVALID_VPC_ID_NOT_FOUND;
	if (rc)
		return rc;
	if (!vnet_available(v.ready_ms, j->r->now_ms))
		return ERR_INCORRECT_VPC_STATUS;
	snprintf(j->g.vpc_id, sizeof(j->g.vpc_id), "%s", v.id);
	j->g.seq = 0;
	if ((rc = net_sg_put(tx, &j->g, NULL, 1)))
		return rc;
	return act_token_save(tx, j->r, j->token, j->g.id);
}

/* 2-128 characters, starting with a letter or a non-ASCII character, not
 * with http:// or https:// (NETWORK.md A.2); "" = no name. */
static int csg_name_ok(const char *s)
{
	unsigned char c = (unsigned char)s[0];
	size_t n = strlen(s);

	if (!n)
		return 1;
	if (n < 2 || n > 128 || !strncmp(s, "http://", 7) || !strncmp(s, "https://", 8))
		return 0;
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

int act_sg_name_ok(const char *s)
{
	return csg_name_ok(s);
}

int act_sg_desc_ok(const char *s)
{
	size_t n = strlen(s);

	return n == 0 || (n >= 2 && n <= 256 && strncmp(s, "http://", 7) &&
	                  strncmp(s, "https://", 8));
}

enum err_id act_create_security_group(struct req *r)
{
	struct csg_job *j = arena_alloc(&r->arena, sizeof(*j));
	const char *type = param_str(r, PARAM_SecurityGroupType, "normal");
	const char *name = param_str(r, PARAM_SecurityGroupName, "");
	const char *desc = param_str(r, PARAM_Description, "");
	enum err_id e;

	if (!j)
		return api_raise(r, ERR_INTERNAL_ERROR, NULL);
	memset(j, 0, sizeof(*j));
	j->r = r;
	j->vpc = param_str(r, PARAM_VpcId, "");
	j->token = param_str(r, PARAM_ClientToken, NULL);
	if (!*j->vpc)
		return api_raise(r, ERR_INVALID_VPC_ID_EMPTY, NULL);
	if (!csg_name_ok(name))
		return api_raise(r, ERR_INVALID_SECURITY_GROUP_NAME_MALFORMED, NULL);
	if (!act_sg_desc_ok(desc))
		return api_raise(r, ERR_INVALID_SG_DESCRIPTION_MALFORMED, NULL);
	if (!*type)
		type = "normal";
	if (strcasecmp(type, "normal") && strcasecmp(type, "enterprise"))
		return api_raise(r, ERR_INVALID_SECURITY_GROUP_TYPE, NULL);
	model_new_id(j->g.id, "sg-");
	snprintf(j->g.account, sizeof(j->g.account), "%s", r->account);
	snprintf(j->g.region, sizeof(j->g.region), "%s", param_str(r, PARAM_RegionId, ""));
	snprintf(j->g.name, sizeof(j->g.name), "%s", name);
	snprintf(j->g.description, sizeof(j->g.description), "%s", desc);
	snprintf(j->g.type, sizeof(j->g.type), "%s",
	         strcasecmp(type, "enterprise") ? "normal" : "enterprise");
	snprintf(j->g.inner_policy, sizeof(j->g.inner_policy), "%s",
	         strcasecmp(type, "enterprise") ? "Accept" : "Drop");
	j->g.created_ms = r->now_ms;
	if ((e = act_write(r, csg_tx, j)) != ERR_OK)
		return e;
	reply_str(&r->reply, "SecurityGroupId", j->g.id);
	return ERR_OK;
}
