/* describe_instance_status.c - DescribeInstanceStatus: id and status of
 * the caller's instances in a region, paged (PageSize 1-50). */
#include "act.h"

static void emit(struct req *r, const struct instance *in)
{
	reply_str(&r->reply, "InstanceId", in->id);
	reply_str(&r->reply, "Status", inst_status_name(inst_status_at(in, r->now_ms)));
}

enum err_id act_describe_instance_status(struct req *r)
{
	const struct pval *v = param_val(r, PARAM_InstanceId);
	struct inst_ids ids = { v->list, v->nlist, v->present, param_str(r, PARAM_ZoneId, NULL) };

	return act_each_instance(r, ids, "InstanceStatuses", "InstanceStatus", emit);
}
