/* delete_snapshot.c - DeleteSnapshot: a manual or automatic snapshot goes,
 * unless a disk still exists that was created from it (SnapshotCreatedDisk
 * 403; Force=true deletes it anyway). Unknown ids are ignored: 200. */
#include "act.h"
#include "../store/tags.h"
#include <string.h>


static int made_from(void *arg, const struct disk *d)
{
	return strcmp(d->source_snapshot_id, (const char *)arg) == 0;
}

static int ds_tx(struct store_tx *tx, void *arg)
{
	struct req *r = arg;
	struct snapshot sn;
	struct disk_query q;
	int rc = store_snap_get(tx, r->account, param_str(r, PARAM_SnapshotId, ""), &sn);

	if (rc == STORE_NOTFOUND)
		return 0;
	if (rc)
		return rc;
	if (!param_bool(r, PARAM_Force, 0)) {
		memset(&q, 0, sizeof(q));
		q.account = r->account;
		q.attached = -1;
		q.charge = -1;
		q.delete_with_instance = -1;
		rc = store_disk_list(tx, &q, made_from, sn.id);
		if (rc > 0)
			return ERR_SNAPSHOT_CREATED_DISK;
		if (rc)
			return rc;
	}
	if ((rc = store_tags_drop(tx, r->account, sn.id)))
		return rc;
	return store_snap_delete(tx, r->account, sn.id);
}

enum err_id act_delete_snapshot(struct req *r)
{
	return act_write(r, ds_tx, r);
}
