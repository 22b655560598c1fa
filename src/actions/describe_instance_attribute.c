/* describe_instance_attribute.c - DescribeInstanceAttribute: one of the
 * caller's instances, the DescribeInstances item shape at top level. */
#include "act.h"

static int da_tx(struct store_tx *tx, void *arg)
{
	struct req *r = arg;
	struct instance in;
	int rc;

	if ((rc = act_load_instance(tx, r, param_str(r, PARAM_InstanceId, ""), &in)))
		return rc;
	act_emit_instance(r, &in, r->now_ms);
	return act_tags_emit_of(tx, r, in.id);
}

enum err_id act_describe_instance_attribute(struct req *r)
{
	return act_read(r, da_tx, r);
}
