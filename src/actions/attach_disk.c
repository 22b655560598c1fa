/* attach_disk.c - AttachDisk: an Available disk joins a Running or
 * Stopped instance of the same zone; DeleteWithInstance defaults to false. */
#include "act.h"
#include "../common/limits.h"
#include <stdio.h>
#include <string.h>

enum err_id act_attach_disk(struct req *r);

static int ad_tx(struct store_tx *tx, void *arg)
{
	struct req *r = arg;
	struct instance in;
	struct disk d;
	struct disk_query q;
	int64_t n = 0;
	int rc;

	if ((rc = act_load_instance(tx, r, arg_str(r, "InstanceId", ""), &in)))
		return rc;
	if ((rc = act_load_disk(tx, r, arg_str(r, "DiskId", ""), &d)))
		return rc;
	if (in.flags & IF_LOCK_SECURITY)
		return fail(r, ERR_INSTANCE_LOCKED_FOR_SECURITY, NULL);
	if (!act_running_or_stopped(r, &in))
		return fail(r, ERR_INCORRECT_INSTANCE_STATUS_400, NULL);
	if (d.instance_id[0] || strcmp(d.zone, in.zone) != 0)
		return fail(r, ERR_INCORRECT_DISK_STATUS, NULL);
	memset(&q, 0, sizeof(q));
	q.account = r->account;
	q.instance_id = in.id;
	q.attached = -1;
	q.charge = -1;
	q.delete_with_instance = -1;
	if ((rc = store_disk_count(tx, &q, &n)))
		return rc;
	if (n >= LIM_DISKS_PER_INSTANCE)
		return fail(r, ERR_INSTANCE_DISK_LIMIT_EXCEEDED, NULL);
	if (arg_bool(r, "DryRun", 0))
		return fail(r, ERR_DRY_RUN_OPERATION, NULL);
	snprintf(d.instance_id, sizeof(d.instance_id), "%s", in.id);
	snprintf(d.device, sizeof(d.device), "/dev/xvd%c", (char)('a' + n));
	d.delete_with_instance = arg_bool(r, "DeleteWithInstance", 0);
	d.ever_attached = 1;
	d.attached_ms = r->now_ms;
	return store_disk_update(tx, &d);
}

enum err_id act_attach_disk(struct req *r)
{
	return act_result(r, store_write(r->ecsd->store, ad_tx, r));
}
