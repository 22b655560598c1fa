/* describe_snapshots.c - DescribeSnapshots: filters (InstanceId, DiskId as
 * the source disk, which may be released, SnapshotIds, SnapshotType,
 * Status), page or token paging. */
#include "act.h"
#include <string.h>


struct dsn_job {
	struct store_tx *tx;
	struct page_walk w;
	struct snap_query q;
};

static int dsn_row(void *arg, const struct snapshot *sn)
{
	struct dsn_job *j = arg;
	int rc;

	if (act_page_take(&j->w, sn->seq))
		return 1;
	reply_obj_begin(&j->w.r->reply, NULL);
	act_emit_snapshot(j->w.r, sn);
	rc = act_tags_emit_of(j->tx, j->w.r, sn->id);
	reply_obj_end(&j->w.r->reply);
	return rc;
}

static int dsn_tx(struct store_tx *tx, void *arg)
{
	struct dsn_job *j = arg;
	int rc;

	j->tx = tx;
	act_page_restart(&j->w);   /* a run may repeat (store.h) */
	reply_list_begin(&j->w.r->reply, "Snapshots", "Snapshot");
	rc = act_page_rc(store_snap_list(tx, &j->q, dsn_row, j));
	reply_list_end(&j->w.r->reply);
	if (rc)
		return rc;
	return act_page_total(&j->w, j->q.offset, j->q.after_seq) ? 0 :
	       store_snap_count(tx, &j->q, &j->w.total);
}

enum err_id act_describe_snapshots(struct req *r)
{
	struct dsn_job j = { .w.r = r };
	const struct pval *ids = param_val(r, PARAM_SnapshotIds);
	const char *type = param_str(r, PARAM_SnapshotType, "all");
	const char *st = param_str(r, PARAM_Status, "all");
	enum err_id rc;

	if ((rc = act_paging(r, &j.w.pg, 100)) != ERR_OK)
		return rc;
	j.q.account = r->account;
	j.q.region = param_str(r, PARAM_RegionId, NULL);
	j.q.ids.v = ids->list;
	j.q.ids.n = ids->nlist;
	j.q.ids.set = ids->present;
	j.q.disk_id = param_str(r, PARAM_DiskId, NULL);
	if (j.q.disk_id && !*j.q.disk_id)
		j.q.disk_id = NULL;
	j.q.instance_id = param_str(r, PARAM_InstanceId, NULL);
	if (j.q.instance_id && !*j.q.instance_id)
		j.q.instance_id = NULL;
	if (strcmp(type, "all") == 0)
		j.q.is_auto = -1;
	else if (strcmp(type, "auto") == 0 || strcmp(type, "timer") == 0)
		j.q.is_auto = 1;
	else if (strcmp(type, "user") == 0)
		j.q.is_auto = 0;
	else
		return api_raise(r, ERR_INVALID_PARAMETER, "SnapshotType");
	if (strcmp(st, "all") == 0)
		j.q.status = -1;
	else if (strcmp(st, "progressing") == 0)
		j.q.status = SNAP_PROGRESSING;
	else if (strcmp(st, "accomplished") == 0)
		j.q.status = SNAP_ACCOMPLISHED;
	else if (strcmp(st, "failed") == 0)
		j.q.status = SNAP_FAILED;
	else
		return api_raise(r, ERR_INVALID_PARAMETER, "Status");
	j.q.after_seq = j.w.pg.after_seq;
	j.q.offset = j.w.pg.offset;
	j.q.limit = j.w.pg.limit + 1;
	if ((rc = act_read(r, dsn_tx, &j)) != ERR_OK)
		return rc;
	act_page_finish(&j.w);
	return ERR_OK;
}
