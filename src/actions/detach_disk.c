/* detach_disk.c - DetachDisk: a data disk leaves its instance, becomes
 * Available with DeleteWithInstance false. System disks stay. */
#include "act.h"
#include <string.h>


static int dd_tx(struct store_tx *tx, void *arg)
{
	struct req *r = arg;
	struct instance in;
	struct disk d;
	int rc;

	if ((rc = act_load_instance(tx, r, param_str(r, PARAM_InstanceId, ""), &in)))
		return rc;
	if ((rc = act_load_disk(tx, r, param_str(r, PARAM_DiskId, ""), &d)))
		return rc;
	if (in.flags & IF_LOCK_SECURITY)
		return ERR_INSTANCE_LOCKED_FOR_SECURITY;
	if (strcmp(d.instance_id, in.id) != 0)
		return ERR_INCORRECT_DISK_STATUS;
	if (strcmp(d.type, "system") == 0 || !d.portable)
		return ERR_DISK_NOT_PORTABLE;
	if (!act_running_or_stopped(r, &in))
		return ERR_INCORRECT_INSTANCE_STATUS;
	if (param_bool(r, PARAM_DryRun, 0))
		return ERR_DRY_RUN_OPERATION;
	d.instance_id[0] = '\0';
	d.device[0] = '\0';
	d.delete_with_instance = 0;
	d.detached_ms = r->now_ms;
	return store_disk_update(tx, &d);
}

enum err_id act_detach_disk(struct req *r)
{
	return act_write(r, dd_tx, r);
}
