/* modify_disk_attribute.c - ModifyDiskAttribute: DiskName, Description,
 * DeleteWithInstance, DeleteAutoSnapshot, EnableAutoSnapshot of one disk
 * (DiskId) or several (DiskIds.N), all or none. */
#include "act.h"
#include <stdio.h>

enum err_id act_modify_disk_attribute(struct req *r);

static int one(struct store_tx *tx, struct req *r, const char *id)
{
	struct disk d;
	const char *v;
	int rc = act_load_disk(tx, r, id, &d);

	if (rc)
		return rc;
	if ((v = arg_str(r, "DiskName", NULL)))
		snprintf(d.name, sizeof(d.name), "%s", v);
	if ((v = arg_str(r, "Description", NULL)))
		snprintf(d.description, sizeof(d.description), "%s", v);
	if (arg_present(r, "DeleteWithInstance")) {
		int dwi = arg_bool(r, "DeleteWithInstance", 0);
		if (!dwi && !d.portable)
			return fail(r, ERR_DISK_NOT_PORTABLE, NULL);
		d.delete_with_instance = dwi;
	}
	if (arg_present(r, "DeleteAutoSnapshot"))
		d.delete_auto_snapshot = arg_bool(r, "DeleteAutoSnapshot", 1);
	if (arg_present(r, "EnableAutoSnapshot"))
		d.enable_auto_snapshot = arg_bool(r, "EnableAutoSnapshot", 0);
	return store_disk_update(tx, &d);
}

static int mda_tx(struct store_tx *tx, void *arg)
{
	struct req *r = arg;
	const struct pval *ids = arg_val(r, "DiskIds");
	int rc;

	if (!ids->present)
		return one(tx, r, arg_str(r, "DiskId", ""));
	for (size_t i = 0; i < ids->nlist; i++)
		if ((rc = one(tx, r, ids->list[i])))
			return rc;
	return 0;
}

enum err_id act_modify_disk_attribute(struct req *r)
{
	int has_id = arg_present(r, "DiskId"), has_ids = arg_present(r, "DiskIds");

	if (has_id == has_ids)
		return fail(r, has_id ? ERR_INVALID_PARAMETER : ERR_MISSING_PARAMETER, "DiskId");
	if (!arg_present(r, "DiskName") && !arg_present(r, "Description") &&
	    !arg_present(r, "DeleteWithInstance") && !arg_present(r, "DeleteAutoSnapshot") &&
	    !arg_present(r, "EnableAutoSnapshot"))
		return fail(r, ERR_NO_ATTRIBUTE_TO_MODIFY, NULL);
	return act_result(r, store_write(r->ecsd->store, mda_tx, r));
}
