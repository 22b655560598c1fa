/* create_disk.c - CreateDisk: a pay-as-you-go data disk, Available in a
 * zone of RegionId (or attached at once when InstanceId is given). */
#include "act.h"
#include "../model/tag.h"
#include "../common/limits.h"
#include "../model/catalog.h"
#include "../model/regions.h"
#include <stdio.h>
#include <string.h>


struct cd_job {
	struct req *r;
	struct disk d;
	const char *snapshot_id, *instance_id, *token;
};

static int cd_tx(struct store_tx *tx, void *arg)
{
	struct cd_job *j = arg;
	struct req *r = j->r;
	struct buf prev;
	int hit = 0, rc;

	buf_init(&prev, 256);
	rc = act_token_check(tx, r, j->token, &hit, &prev);
	if (rc == 0 && hit)
		snprintf(j->d.id, sizeof(j->d.id), "%s", buf_cstr(&prev));
	buf_free(&prev);
	if (rc || hit)
		return rc;
	if (j->snapshot_id) {
		struct snapshot sn;

		rc = store_snap_get(tx, r->account, j->snapshot_id, &sn);
		if (rc == STORE_NOTFOUND)
			return ERR_INVALID_SNAPSHOT_ID_NOT_FOUND;
		if (rc)
			return rc;
		snprintf(j->d.source_snapshot_id, sizeof(j->d.source_snapshot_id), "%s", sn.id);
		if (!j->d.size_gb)
			j->d.size_gb = sn.source_disk_size;
		if (j->d.size_gb < sn.source_disk_size)
			return ERR_INVALID_DATA_DISK_SIZE;
	}
	if (j->instance_id) {
		struct instance in;
		struct inst_disks have;

		if ((rc = act_load_instance(tx, r, j->instance_id, &in)))
			return rc;
		if (in.flags & IF_LOCK_SECURITY)
			return ERR_INSTANCE_LOCKED_FOR_SECURITY;
		if (!act_running_or_stopped(r, &in))
			return ERR_INCORRECT_INSTANCE_STATUS;
		if ((rc = act_instance_disks(tx, r, in.id, &have)))
			return rc;
		if (have.n >= LIM_DISKS_PER_INSTANCE || !have.device[0])
			return ERR_INSTANCE_DISK_LIMIT_EXCEEDED;
		snprintf(j->d.region, sizeof(j->d.region), "%s", in.region);
		snprintf(j->d.zone, sizeof(j->d.zone), "%s", in.zone);
		snprintf(j->d.instance_id, sizeof(j->d.instance_id), "%s", in.id);
		snprintf(j->d.device, sizeof(j->d.device), "%s", have.device);
		j->d.charge = in.charge;
		j->d.delete_with_instance = 1;
		j->d.ever_attached = 1;
		j->d.attached_ms = r->now_ms;
	}
	if ((rc = store_disk_insert(tx, &j->d)) ||
	    (rc = act_create_tag(tx, r, "disk", j->d.id, j->d.region)))
		return rc;
	return act_token_save(tx, r, j->token, j->d.id);
}

enum err_id act_create_disk(struct req *r)
{
	struct cd_job *j = arena_alloc(&r->arena, sizeof(*j));
	const struct region *rg = region_find(param_str(r, PARAM_RegionId, ""));
	const char *zone = param_str(r, PARAM_ZoneId, NULL);
	const char *cat = param_str(r, PARAM_DiskCategory, "cloud");
	enum err_id rc;

	if (!j)
		return api_raise(r, ERR_INTERNAL_ERROR, NULL);
	j->r = r;
	j->instance_id = param_str(r, PARAM_InstanceId, NULL);
	j->snapshot_id = param_str(r, PARAM_SnapshotId, NULL);
	j->token = param_str(r, PARAM_ClientToken, NULL);
	if (j->instance_id && !*j->instance_id)
		j->instance_id = NULL;
	if (j->snapshot_id && !*j->snapshot_id)
		j->snapshot_id = NULL;
	if (!j->instance_id) {
		if (!zone || !*zone)
			return api_raise(r, ERR_MISSING_PARAMETER, "ZoneId");
		if (!region_has_zone(rg, zone))
			return api_raise(r, ERR_INVALID_ZONE_ID_NOT_FOUND, NULL);
	}
	if (!catalog_disk_category_ok(cat))
		return api_raise(r, ERR_INVALID_DISK_CATEGORY, NULL);
	if (!param_given(r, PARAM_Size) && !j->snapshot_id)
		return api_raise(r, ERR_MISSING_PARAMETER, "Size");
	if (param_given(r, PARAM_Size) && param_int(r, PARAM_Size, 0) < 20)
		return api_raise(r, ERR_INVALID_DATA_DISK_SIZE, NULL);
	{
		struct tag_set tags;

		if ((rc = act_tags_parse(r, &tags)) != ERR_OK)
			return rc;
	}
	if (param_bool(r, PARAM_DryRun, 0))
		return api_raise(r, ERR_DRY_RUN_OPERATION, NULL);
	model_new_id(j->d.id, "d-");
	snprintf(j->d.account, sizeof(j->d.account), "%s", r->account);
	snprintf(j->d.region, sizeof(j->d.region), "%s", rg->id);
	snprintf(j->d.zone, sizeof(j->d.zone), "%s", zone ? zone : "");
	snprintf(j->d.type, sizeof(j->d.type), "data");
	snprintf(j->d.category, sizeof(j->d.category), "%s", cat);
	snprintf(j->d.name, sizeof(j->d.name), "%s", param_str(r, PARAM_DiskName, ""));
	snprintf(j->d.description, sizeof(j->d.description), "%s", param_str(r, PARAM_Description, ""));
	j->d.size_gb = (int)param_int(r, PARAM_Size, 0);
	j->d.portable = 1;
	j->d.delete_auto_snapshot = param_bool(r, PARAM_DeleteAutoSnapshot, 1); /* documented default */
	j->d.charge = CHARGE_POSTPAID;
	j->d.created_ms = r->now_ms;
	if ((rc = act_write(r, cd_tx, j)) != ERR_OK)
		return rc;
	reply_str(&r->reply, "DiskId", j->d.id);
	return ERR_OK;
}
