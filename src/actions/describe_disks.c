/* describe_disks.c - DescribeDisks: filters (DiskIds, InstanceId,
 * DiskType, Category, Status, DiskChargeType, DeleteWithInstance, ZoneId),
 * page or token paging. Released disks are never listed. */
#include "act.h"
#include "../model/catalog.h"
#include <string.h>
#include <strings.h>


struct dd_job {
	struct store_tx *tx;
	struct page_walk w;
	struct disk_query q;
};

static int dd_row(void *arg, const struct disk *d)
{
	struct dd_job *j = arg;
	int rc;

	if (act_page_take(&j->w, d->seq))
		return 1;
	reply_obj_begin(&j->w.r->reply, NULL);
	act_emit_disk(j->w.r, d);
	rc = act_tags_emit_of(j->tx, j->w.r, d->id);
	reply_obj_end(&j->w.r->reply);
	return rc;
}

static int dd_tx(struct store_tx *tx, void *arg)
{
	struct dd_job *j = arg;
	int rc;

	j->tx = tx;
	act_page_restart(&j->w);   /* a run may repeat (store.h) */
	reply_list_begin(&j->w.r->reply, "Disks", "Disk");
	rc = act_page_rc(store_disk_list(tx, &j->q, dd_row, j));
	reply_list_end(&j->w.r->reply);
	if (rc)
		return rc;
	return act_page_total(&j->w, j->q.offset, j->q.after_seq) ? 0 :
	       store_disk_count(tx, &j->q, &j->w.total);
}

enum err_id act_describe_disks(struct req *r)
{
	struct dd_job j = { .w.r = r };
	const struct pval *ids = param_val(r, PARAM_DiskIds);
	const char *type = param_str(r, PARAM_DiskType, "all");
	const char *st = param_str(r, PARAM_Status, "All");
	const char *cat = param_str(r, PARAM_Category, "all");
	const char *ct = param_str(r, PARAM_DiskChargeType, NULL);
	enum err_id rc;

	if ((rc = act_paging(r, &j.w.pg, 500)) != ERR_OK)
		return rc;
	j.q.account = r->account;
	j.q.region = param_str(r, PARAM_RegionId, NULL);
	j.q.ids.v = ids->list;
	j.q.ids.n = ids->nlist;
	j.q.ids.set = ids->present;
	j.q.instance_id = param_str(r, PARAM_InstanceId, NULL);
	if (j.q.instance_id && !*j.q.instance_id)
		j.q.instance_id = NULL;
	j.q.zone = param_str(r, PARAM_ZoneId, NULL);
	if (j.q.zone && !*j.q.zone)
		j.q.zone = NULL;
	if (strcasecmp(type, "all") == 0)
		j.q.type = NULL;
	else if (strcasecmp(type, "system") == 0)
		j.q.type = "system";
	else if (strcasecmp(type, "data") == 0)
		j.q.type = "data";
	else
		return api_raise(r, ERR_INVALID_DISK_TYPE, NULL);
	if (strcasecmp(st, "All") == 0)
		j.q.attached = -1;
	else if (strcmp(st, "In_use") == 0)
		j.q.attached = 1;
	else if (strcmp(st, "Available") == 0)
		j.q.attached = 0;
	else if (!strcmp(st, "Attaching") || !strcmp(st, "Detaching") ||
	         !strcmp(st, "Creating") || !strcmp(st, "ReIniting"))
		j.q.attached = 2; /* transient states ecsd never shows: no match */
	else
		return api_raise(r, ERR_INVALID_DISK_STATUS_VALUE, NULL);
	if (strcasecmp(cat, "all") == 0)
		j.q.category = NULL;
	else if (catalog_disk_category_ok(cat))
		j.q.category = cat;
	else
		return api_raise(r, ERR_INVALID_DISK_CATEGORY, NULL);
	j.q.charge = -1;
	if (ct && (j.q.charge = charge_parse(ct)) < 0)
		return api_raise(r, ERR_INVALID_PARAMETER, "DiskChargeType");
	j.q.delete_with_instance = param_given(r, PARAM_DeleteWithInstance) ?
		param_bool(r, PARAM_DeleteWithInstance, 0) : -1;
	j.q.after_seq = j.w.pg.after_seq;
	j.q.offset = j.w.pg.offset;
	j.q.limit = j.w.pg.limit + 1;
	if (j.q.attached == 2) {
		/* an empty answer, wrappers present */
		reply_list_begin(&r->reply, "Disks", "Disk");
		reply_list_end(&r->reply);
		act_page_finish(&j.w);
		return ERR_OK;
	}
	if ((rc = act_read(r, dd_tx, &j)) != ERR_OK)
		return rc;
	act_page_finish(&j.w);
	return ERR_OK;
}
