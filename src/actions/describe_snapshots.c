/* describe_snapshots.c - DescribeSnapshots: filters (InstanceId, DiskId as
 * the source disk, which may be released, SnapshotIds, SnapshotType,
 * Status), page or token paging. */
#include "act.h"
#include <string.h>

enum err_id act_describe_snapshots(struct req *r);

struct dsn_job {
	struct req *r;
	struct snap_query q;
	struct paging pg;
	int64_t total, last_seq;
	int emitted, more;
};

static int dsn_row(void *arg, const struct snapshot *sn)
{
	struct dsn_job *j = arg;

	if (j->emitted == j->pg.limit) {
		j->more = 1;
		return 1;
	}
	reply_obj_begin(&j->r->reply, NULL);
	act_emit_snapshot(j->r, sn);
	reply_obj_end(&j->r->reply);
	j->last_seq = sn->seq;
	j->emitted++;
	return 0;
}

static int dsn_tx(struct store_tx *tx, void *arg)
{
	struct dsn_job *j = arg;
	int rc;

	if ((rc = store_snap_count(tx, &j->q, &j->total)))
		return rc;
	reply_list_begin(&j->r->reply, "Snapshots", "Snapshot");
	rc = store_snap_list(tx, &j->q, dsn_row, j);
	if (rc > 0)
		rc = 0;   /* the row callback stopped the walk: a next page exists */
	if (rc == 1 && j->more)
		rc = 0;   /* the row callback stopped the walk: not an error */
	reply_list_end(&j->r->reply);
	return rc;
}

enum err_id act_describe_snapshots(struct req *r)
{
	struct dsn_job j = { .r = r };
	const struct pval *ids = arg_val(r, "SnapshotIds");
	const char *type = arg_str(r, "SnapshotType", "all");
	const char *st = arg_str(r, "Status", "all");
	enum err_id rc;

	if ((rc = act_paging(r, &j.pg, 100)) != ERR_OK)
		return rc;
	j.q.account = r->account;
	j.q.region = arg_str(r, "RegionId", NULL);
	j.q.ids.v = ids->list;
	j.q.ids.n = ids->nlist;
	j.q.ids.set = ids->present;
	j.q.disk_id = arg_str(r, "DiskId", NULL);
	if (j.q.disk_id && !*j.q.disk_id)
		j.q.disk_id = NULL;
	j.q.instance_id = arg_str(r, "InstanceId", NULL);
	if (j.q.instance_id && !*j.q.instance_id)
		j.q.instance_id = NULL;
	if (strcmp(type, "all") == 0)
		j.q.is_auto = -1;
	else if (strcmp(type, "auto") == 0 || strcmp(type, "timer") == 0)
		j.q.is_auto = 1;
	else if (strcmp(type, "user") == 0)
		j.q.is_auto = 0;
	else
		return fail(r, ERR_INVALID_PARAMETER, "SnapshotType");
	if (strcmp(st, "all") == 0)
		j.q.status = -1;
	else if (strcmp(st, "progressing") == 0)
		j.q.status = SNAP_PROGRESSING;
	else if (strcmp(st, "accomplished") == 0)
		j.q.status = SNAP_ACCOMPLISHED;
	else if (strcmp(st, "failed") == 0)
		j.q.status = SNAP_FAILED;
	else
		return fail(r, ERR_INVALID_PARAMETER, "Status");
	j.q.after_seq = j.pg.after_seq;
	j.q.offset = j.pg.offset;
	j.q.limit = j.pg.limit + 1;
	if ((rc = act_result(r, store_read(r->ecsd->store, dsn_tx, &j))) != ERR_OK)
		return rc;
	act_paging_emit(r, &j.pg, j.total, j.last_seq, j.more && j.pg.token_mode);
	return ERR_OK;
}
