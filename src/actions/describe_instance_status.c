/* describe_instance_status.c - DescribeInstanceStatus: id and status of
 * the caller's instances in a region, paged (PageSize 1-50). */
#include "act.h"

enum err_id act_describe_instance_status(struct req *r);

static void emit(struct req *r, const struct instance *in)
{
	reply_str(&r->reply, "InstanceId", in->id);
	reply_str(&r->reply, "Status", inst_status_name(inst_status_at(in, r->now_ms)));
}

enum err_id act_describe_instance_status(struct req *r)
{
	const struct pval *v = arg_val(r, "InstanceId");
	struct inst_ids ids = { v->list, v->nlist, v->present, arg_str(r, "ZoneId", NULL) };

	return act_each_instance(r, ids, "InstanceStatuses", "InstanceStatus", emit);
}
