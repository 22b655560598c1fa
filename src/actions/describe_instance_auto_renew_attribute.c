/* describe_instance_auto_renew_attribute.c - auto-renewal of instances
 * (InstanceId: up to 100 ids separated by commas): ecsd never renews, so
 * every listed instance reports AutoRenewEnabled false, RenewalStatus
 * Normal. Terraform reads it for PrePaid instances. */
#include "act.h"
#include "../common/limits.h"
#include <string.h>


static void emit(struct req *r, const struct instance *in)
{
	reply_str(&r->reply, "InstanceId", in->id);
	reply_bool(&r->reply, "AutoRenewEnabled", 0);
	reply_int(&r->reply, "Duration", 0);
	reply_str(&r->reply, "PeriodUnit", "Month");
	reply_str(&r->reply, "RenewalStatus", "Normal");
	reply_bool(&r->reply, "EnableExpectedRenewDay", 0);
}

enum err_id act_describe_instance_auto_renew_attribute(struct req *r)
{
	const char *csv = param_str(r, PARAM_InstanceId, NULL);
	struct inst_ids ids = { NULL, 0, 0, NULL };

	if (csv && *csv) {
		char *copy = arena_strdup(&r->arena, csv), *save = NULL, *tok;

		ids.v = arena_alloc(&r->arena, LIM_LIST_ITEMS * sizeof(char *));
		if (!copy || !ids.v)
			return api_raise(r, ERR_INTERNAL_ERROR, NULL);
		for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			if (ids.n == LIM_LIST_ITEMS)
				return api_raise(r, ERR_INVALID_PARAMETER, "InstanceId");
			ids.v[ids.n++] = tok;
		}
		ids.set = 1;
	}
	return act_each_instance(r, ids, "InstanceRenewAttributes", "InstanceRenewAttribute", emit);
}
