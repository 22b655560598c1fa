/* modify_disk_attribute.c - ModifyDiskAttribute: DiskName, Description,
 * DeleteWithInstance, DeleteAutoSnapshot, EnableAutoSnapshot of one disk
 * (DiskId) or several (DiskIds.N), all or none. */
#include "act.h"
#include <stdio.h>


static int one(struct store_tx *tx, struct req *r, const char *id)
{
	struct disk d;
	const char *v;
	int rc = act_load_disk(tx, r, id, &d);

	if (rc)
		return rc;
	if ((v = param_str(r, PARAM_DiskName, NULL)))
		snprintf(d.name, sizeof(d.name), "%s", v);
	if ((v = param_str(r, PARAM_Description, NULL)))
		snprintf(d.description, sizeof(d.description), "%s", v);
	if (param_given(r, PARAM_DeleteWithInstance)) {
		int dwi = param_bool(r, PARAM_DeleteWithInstance, 0);
		if (!dwi && !d.portable)
			return ERR_DISK_NOT_PORTABLE;
		d.delete_with_instance = dwi;
	}
	if (param_given(r, PARAM_DeleteAutoSnapshot))
		d.delete_auto_snapshot = param_bool(r, PARAM_DeleteAutoSnapshot, 1);
	if (param_given(r, PARAM_EnableAutoSnapshot))
		d.enable_auto_snapshot = param_bool(r, PARAM_EnableAutoSnapshot, 0);
	return store_disk_update(tx, &d);
}

static int mda_tx(struct store_tx *tx, void *arg)
{
	struct req *r = arg;
	const struct pval *ids = param_val(r, PARAM_DiskIds);
	int rc;

	if (!ids->present)
		return one(tx, r, param_str(r, PARAM_DiskId, ""));
	for (size_t i = 0; i < ids->nlist; i++)
		if ((rc = one(tx, r, ids->list[i])))
			return rc;
	return 0;
}

enum err_id act_modify_disk_attribute(struct req *r)
{
	int has_id = param_given(r, PARAM_DiskId), has_ids = param_given(r, PARAM_DiskIds);

	if (has_id == has_ids)
		return api_raise(r, has_id ? ERR_INVALID_PARAMETER : ERR_MISSING_PARAMETER, "DiskId");
	if (!param_given(r, PARAM_DiskName) && !param_given(r, PARAM_Description) &&
	    !param_given(r, PARAM_DeleteWithInstance) && !param_given(r, PARAM_DeleteAutoSnapshot) &&
	    !param_given(r, PARAM_EnableAutoSnapshot))
		return api_raise(r, ERR_NO_ATTRIBUTE_TO_MODIFY, NULL);
	return act_write(r, mda_tx, r);
}
