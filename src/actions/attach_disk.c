/* attach_disk.c - AttachDisk: an Available disk joins a Running or
 * Stopped instance of the same zone; DeleteWithInstance defaults to false. */
#include "act.h"
#include "../common/limits.h"
#include <stdio.h>
#include <string.h>


static int ad_tx(struct store_tx *tx, void *arg)
{
	struct req *r = arg;
	struct instance in;
	struct disk d;
	struct inst_disks have;
	int rc;

	if ((rc = act_load_instance(tx, r, param_str(r, PARAM_InstanceId, ""), &in)))
		return rc;
	if ((rc = act_load_disk(tx, r, param_str(r, PARAM_DiskId, ""), &d)))
		return rc;
	if (in.flags & IF_LOCK_SECURITY)
		return ERR_INSTANCE_LOCKED_FOR_SECURITY;
	if (!act_running_or_stopped(r, &in))
		return ERR_INCORRECT_INSTANCE_STATUS_400;
	if (d.instance_id[0] || strcmp(d.zone, in.zone) != 0)
		return ERR_INCORRECT_DISK_STATUS;
	if ((rc = act_instance_disks(tx, r, in.id, &have)))
		return rc;
	/* a kept system disk joins only an instance without one (every ecsd
	 * instance has one): two system disks would make DetachDisk fail on
	 * either forever */
	if (strcmp(d.type, "system") == 0 && have.has_system)
		return ERR_INVALID_DEVICE_IN_USE;
	if (have.n >= LIM_DISKS_PER_INSTANCE || !have.device[0])
		return ERR_INSTANCE_DISK_LIMIT_EXCEEDED;
	if (param_bool(r, PARAM_DryRun, 0))
		return ERR_DRY_RUN_OPERATION;
	snprintf(d.instance_id, sizeof(d.instance_id), "%s", in.id);
	snprintf(d.device, sizeof(d.device), "%s", have.device);
	d.delete_with_instance = param_bool(r, PARAM_DeleteWithInstance, 0);
	d.ever_attached = 1;
	d.attached_ms = r->now_ms;
	return store_disk_update(tx, &d);
}

enum err_id act_attach_disk(struct req *r)
{
	return act_write(r, ad_tx, r);
}
