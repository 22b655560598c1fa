/* sg_common.c - helpers of the security group Actions (sg.h). */
#include "sg.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>

int act_sg_load(struct store_tx *tx, struct req *r, const char *id,
                struct sg *out, struct json_t **doc)
{
	int rc = net_sg_get(tx, r->account, id, out, doc);

	if (rc == STORE_NOTFOUND)
		return ERR_INVALID_SECURITY_GROUP_ID_NOT_FOUND;
	if (rc == 0 && strcmp(out->region, param_str(r, PARAM_RegionId, out->region)) != 0) {
		if (doc) {
			json_decref((json_t *)*doc);
			*doc = NULL;
		}
		return ERR_INVALID_SECURITY_GROUP_ID_NOT_FOUND;
	}
	return rc;
}

/* The request's fields of one rule under prefix ("Permissions.3." or ""). */
static const char *sg_field(struct req *r, const char *prefix, const char *name)
{
	char key[96];

	if (!*prefix) {
		const struct param *p = params_get(&r->all, name);

		return p ? p->value : NULL;
	}
	snprintf(key, sizeof(key), "%s%s", prefix, name);
	return param_subfield(r, key);
}

static void sg_in(struct req *r, const char *pf, int egress, struct sgrule_in *in)
{
	const char *peer = egress ? "Dest" : "Source";
	const char *local = egress ? "Source" : "Dest";
	char k[48];

	memset(in, 0, sizeof(*in));
	in->proto = sg_field(r, pf, "IpProtocol");
	in->ports = sg_field(r, pf, "PortRange");
	in->sports = sg_field(r, pf, "SourcePortRange");
	snprintf(k, sizeof(k), "%sCidrIp", peer);
	in->cidr = sg_field(r, pf, k);
	snprintf(k, sizeof(k), "Ipv6%sCidrIp", peer);
	in->ipv6 = sg_field(r, pf, k);
	snprintf(k, sizeof(k), "%sGroupId", peer);
	in->group = sg_field(r, pf, k);
	snprintf(k, sizeof(k), "%sGroupOwnerAccount", peer);
	in->group_owner = sg_field(r, pf, k);
	snprintf(k, sizeof(k), "%sPrefixListId", peer);
	in->prefix = sg_field(r, pf, k);
	snprintf(k, sizeof(k), "%sCidrIp", local);
	in->local_cidr = sg_field(r, pf, k);
	in->nic = sg_field(r, pf, "NicType");
	in->policy = sg_field(r, pf, "Policy");
	in->priority = sg_field(r, pf, "Priority");
	in->desc = sg_field(r, pf, "Description");
}

enum err_id act_sg_rules(struct req *r, int egress, struct sg_rules *out)
{
	char pf[32];
	enum err_id e;

	out->n = 0;
	out->v = arena_alloc(&r->arena, sizeof(*out->v) * (SG_RULES_PER_CALL + 1));
	if (!out->v)
		return api_raise(r, ERR_INTERNAL_ERROR, NULL);
	for (int n = 1; n <= SG_RULES_PER_CALL; n++) {
		struct sgrule_in in;
		size_t pl;
		int any = 0;

		snprintf(pf, sizeof(pf), "Permissions.%d.", n);
		pl = strlen(pf);
		for (size_t i = 0; i < r->all.n && !any; i++)
			any = strncmp(r->all.v[i].name, pf, pl) == 0;
		if (!any)
			continue;
		sg_in(r, pf, egress, &in);
		if ((e = sgrule_parse(&in, egress, &out->v[out->n])) != ERR_OK)
			return api_raise(r, e, "Description");
		out->n++;
	}
	if (out->n == 0 && params_get(&r->all, "IpProtocol")) {
		struct sgrule_in in;

		sg_in(r, "", egress, &in);
		if ((e = sgrule_parse(&in, egress, &out->v[0])) != ERR_OK)
			return api_raise(r, e, "Description");
		out->n = 1;
	}
	return ERR_OK;
}

int act_sg_peers(struct store_tx *tx, struct req *r, const struct sg *g,
                 const struct sg_rules *rules)
{
	for (size_t i = 0; i < rules->n; i++) {
		const struct sgrule *x = &rules->v[i];
		struct sg peer;
		int rc;

		if (!x->group[0])
			continue;
		rc = x->group_owner[0] && strcmp(x->group_owner, r->account) != 0 ?
		     STORE_NOTFOUND : net_sg_get(tx, r->account, x->group, &peer, NULL);
		if (rc == STORE_NOTFOUND)
			return x->egress ? ERR_INVALID_DEST_GROUP_ID_NOT_FOUND :
			                   ERR_INVALID_SOURCE_GROUP_ID_NOT_FOUND;
		if (rc)
			return rc;
		if (strcmp(peer.vpc_id, g->vpc_id) != 0)
			return x->egress ? ERR_INVALID_DEST_GROUP_ID_MISMATCH :
			                   ERR_INVALID_SOURCE_GROUP_ID_MISMATCH;
	}
	return 0;
}

struct json_t *act_sg_rule_array(struct json_t *doc)
{
	json_t *a = json_object_get((json_t *)doc, "rules");

	if (!json_is_array(a)) {
		a = json_array();
		json_object_set_new((json_t *)doc, "rules", a);
	}
	return (struct json_t *)a;
}
