/* modify_security_group_attribute.c - ModifySecurityGroupAttribute: name
 * and description; an omitted one stays (NETWORK.md A.7). */
#include "sg.h"
#include <jansson.h>
#include <stdio.h>

struct msg_job {
	struct req *r;
	const char *name, *desc;
};

static int msg_tx(struct store_tx *tx, void *arg)
{
	struct msg_job *j = arg;
	struct json_t *doc = NULL;
	struct sg g;
	int rc = act_sg_load(tx, j->r, param_str(j->r, PARAM_SecurityGroupId, ""), &g, &doc);

	if (rc)
		return rc;
	if (j->name)
		snprintf(g.name, sizeof(g.name), "%s", j->name);
	if (j->desc)
		snprintf(g.description, sizeof(g.description), "%s", j->desc);
	rc = net_sg_put(tx, &g, doc, 0);
	json_decref((json_t *)doc);
	return rc;
}

enum err_id act_modify_security_group_attribute(struct req *r)
{
	struct msg_job j = { .r = r };

	j.name = param_str(r, PARAM_SecurityGroupName, NULL);
	j.desc = param_str(r, PARAM_Description, NULL);
	if (j.name && !act_sg_name_ok(j.name))
		return api_raise(r, ERR_INVALID_SECURITY_GROUP_NAME_MALFORMED, NULL);
	if (j.desc && !act_sg_desc_ok(j.desc))
		return api_raise(r, ERR_INVALID_SG_DISCRIPTION_MALFORMED, NULL);
	return act_write(r, msg_tx, &j);
}
