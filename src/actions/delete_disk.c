/* delete_disk.c - DeleteDisk: releases an Available data disk. Manual
 * snapshots stay, automatic ones follow DeleteAutoSnapshot; its tags go
 * with it. An unknown id (or another account's) is ignored, as
 * documented: 200. */
#include "act.h"
#include <string.h>


static int dk_tx(struct store_tx *tx, void *arg)
{
	struct req *r = arg;
	struct disk d;
	int rc = store_disk_get(tx, r->account, param_str(r, PARAM_DiskId, ""), &d);

	if (rc == STORE_NOTFOUND)
		return 0;
	if (rc)
		return rc;
	if (d.instance_id[0])
		return ERR_INCORRECT_DISK_STATUS;
	if (strcmp(d.type, "system") == 0)
		return ERR_DISK_TYPE_VIOLATION;
	if (!d.portable)
		return ERR_DISK_NOT_PORTABLE;
	if (param_bool(r, PARAM_DryRun, 0))
		return ERR_DRY_RUN_OPERATION;
	return act_drop_disk(tx, &d);
}

enum err_id act_delete_disk(struct req *r)
{
	return act_write(r, dk_tx, r);
}
