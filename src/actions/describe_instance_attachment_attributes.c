/* describe_instance_attachment_attributes.c - private-pool attachment of
 * each listed instance: ecsd has no private pools, so every instance
 * matches "Open" with no pool. Terraform requires one entry per instance. */
#include "act.h"

static void emit(struct req *r, const struct instance *in)
{
	reply_str(&r->reply, "InstanceId", in->id);
	reply_str(&r->reply, "PrivatePoolOptionsMatchCriteria", "Open");
	reply_str(&r->reply, "PrivatePoolOptionsId", "");
}

enum err_id act_describe_instance_attachment_attributes(struct req *r)
{
	const struct pval *v = param_val(r, PARAM_InstanceIds);
	struct inst_ids ids = { v->list, v->nlist, v->present, NULL };

	return act_each_instance(r, ids, "Instances", "Instance", emit);
}
