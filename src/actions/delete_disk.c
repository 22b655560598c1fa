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
		return api_raise(r, ERR_INCORRECT_DISK_STATUS, NULL);
	if (strcmp(d.type, "system") == 0)
		return api_raise(r, ERR_DISK_TYPE_VIOLATION, NULL);
	if (!d.portable)
		return api_raise(r, ERR_DISK_NOT_PORTABLE, NULL);
	if (param_bool(r, PARAM_DryRun, 0))
		return api_raise(r, ERR_DRY_RUN_OPERATION, NULL);
	return act_drop_disk(tx, &d);
}

enum err_id act_delete_disk(struct req *r)
{
	return act_result(r, store_write(r->ecsd->store, dk_tx, r));
}
