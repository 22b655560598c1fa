/* describe_security_group_attribute.c - DescribeSecurityGroupAttribute:
 * the group and its rules of Direction (ingress, egress, all). NicType is
 * read as intranet whatever it says (Terraform sends "<nil>"); protocol
 * upper case, policy capitalised, Priority a string (NETWORK.md A.6). */
#include "sg.h"
#include <jansson.h>
#include <string.h>

struct dsa_job {
	struct req *r;
	struct sg g;
	struct json_t *doc;
};

static int dsa_tx(struct store_tx *tx, void *arg)
{
	struct dsa_job *j = arg;

	json_decref((json_t *)j->doc);
	j->doc = NULL;
	return act_sg_load(tx, j->r, param_str(j->r, PARAM_SecurityGroupId, ""), &j->g, &j->doc);
}

static void dsa_rule(struct reply *rp, const struct sgrule *x, const char *sg_vpc)
{
	const char *peer = x->egress ? "Dest" : "Source";
	char k[48], t[32], prio[8];

	(void)sg_vpc;
	model_fmt_second(t, x->created_ms);
	snprintf(prio, sizeof(prio), "%d", x->priority);
	reply_obj_begin(rp, NULL);
	reply_str(rp, "SecurityGroupRuleId", x->id);
	reply_str(rp, "Direction", x->egress ? "egress" : "ingress");
	reply_str(rp, "IpProtocol", x->proto);
	reply_str(rp, "PortRange", x->ports);
	reply_str(rp, "SourcePortRange", x->sports);
	snprintf(k, sizeof(k), "%sCidrIp", peer);
	reply_str(rp, k, x->cidr);
	snprintf(k, sizeof(k), "Ipv6%sCidrIp", peer);
	reply_str(rp, k, x->ipv6);
	snprintf(k, sizeof(k), "%sGroupId", peer);
	reply_str(rp, k, x->group);
	snprintf(k, sizeof(k), "%sGroupName", peer);
	reply_str(rp, k, "");
	snprintf(k, sizeof(k), "%sGroupOwnerAccount", peer);
	reply_str(rp, k, x->group_owner);
	snprintf(k, sizeof(k), "%sPrefixListId", peer);
	reply_str(rp, k, x->prefix);
	reply_str(rp, x->egress ? "SourceCidrIp" : "DestCidrIp", x->local_cidr);
	reply_str(rp, "NicType", x->nic);
	reply_str(rp, "Policy", x->policy);
	reply_str(rp, "Priority", prio);
	reply_str(rp, "Description", x->desc);
	reply_str(rp, "CreateTime", t);
	reply_obj_end(rp);
}

enum err_id act_describe_security_group_attribute(struct req *r)
{
	struct dsa_job j = { .r = r };
	struct reply *rp = &r->reply;
	const char *dir = param_str(r, PARAM_Direction, "all");
	enum err_id e;
	size_t i;
	json_t *it;

	if (*dir && strcmp(dir, "all") && strcmp(dir, "ingress") && strcmp(dir, "egress"))
		return api_raise(r, ERR_INVALID_PARAMETER, "Direction");
	if ((e = act_read(r, dsa_tx, &j)) != ERR_OK) {
		json_decref((json_t *)j.doc);
		return e;
	}
	reply_str(rp, "RegionId", j.g.region);
	reply_str(rp, "SecurityGroupId", j.g.id);
	reply_str(rp, "SecurityGroupName", j.g.name);
	reply_str(rp, "Description", j.g.description);
	reply_str(rp, "VpcId", j.g.vpc_id);
	reply_str(rp, "InnerAccessPolicy", j.g.inner_policy);
	reply_str(rp, "NextToken", "");
	reply_list_begin(rp, "Permissions", "Permission");
	json_array_foreach(json_object_get((json_t *)j.doc, "rules"), i, it) {
		struct sgrule x;

		sgrule_from_json(it, &x);
		if ((x.egress && !strcmp(dir, "ingress")) || (!x.egress && !strcmp(dir, "egress")))
			continue;
		dsa_rule(rp, &x, j.g.vpc_id);
	}
	reply_list_end(rp);
	reply_list_begin(rp, "SnapshotPolicyIds", "SnapshotPolicyId");
	reply_list_end(rp);
	json_decref((json_t *)j.doc);
	return ERR_OK;
}
