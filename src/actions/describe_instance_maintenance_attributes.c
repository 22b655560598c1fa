/* describe_instance_maintenance_attributes.c - the platform's defaults for
 * every listed instance: AutoRecover on maintenance, no notification, one
 * nightly window. Terraform requires one entry per instance. */
#include "act.h"

static void emit(struct req *r, const struct instance *in)
{
	struct reply *rp = &r->reply;

	reply_str(rp, "InstanceId", in->id);
	reply_bool(rp, "NotifyOnMaintenance", 0);
	reply_obj_begin(rp, "ActionOnMaintenance");
	reply_str(rp, "DefaultValue", "AutoRecover");
	reply_str(rp, "Value", "AutoRecover");
	reply_list_begin(rp, "SupportedValues", "SupportedValue");
	reply_str(rp, NULL, "Stop");
	reply_str(rp, NULL, "AutoRecover");
	reply_str(rp, NULL, "AutoRedeploy");
	reply_list_end(rp);
	reply_obj_end(rp);
	reply_list_begin(rp, "MaintenanceWindows", "MaintenanceWindow");
	reply_obj_begin(rp, NULL);
	reply_str(rp, "StartTime", "18:00:00");
	reply_str(rp, "EndTime", "21:00:00");
	reply_obj_end(rp);
	reply_list_end(rp);
}

enum err_id act_describe_instance_maintenance_attributes(struct req *r)
{
	const struct pval *v = param_val(r, PARAM_InstanceId);
	struct inst_ids ids = { v->list, v->nlist, v->present, NULL };

	return act_each_instance(r, ids, "MaintenanceAttributes", "MaintenanceAttribute", emit);
}
