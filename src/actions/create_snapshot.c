/* create_snapshot.c - CreateSnapshot: a manual (user) snapshot of a disk
 * that is attached to a Running or Stopped instance, or was attached
 * before; at most LIM_SNAPSHOTS_PER_DISK per disk. Completes at once. */
#include "act.h"
#include "../model/tag.h"
#include "../common/limits.h"
#include <stdio.h>
#include <string.h>


struct cs_job {
	struct req *r;
	struct snapshot sn;
	const char *token;
};

static int cs_tx(struct store_tx *tx, void *arg)
{
	struct cs_job *j = arg;
	struct req *r = j->r;
	struct disk d;
	struct snap_query q;
	struct buf prev;
	int64_t n = 0;
	int hit = 0, rc;

	buf_init(&prev, 256);
	rc = act_token_check(tx, r, j->token, &hit, &prev);
	if (rc == 0 && hit)
		snprintf(j->sn.id, sizeof(j->sn.id), "%s", buf_cstr(&prev));
	buf_free(&prev);
	if (rc || hit)
		return rc;
	if ((rc = act_load_disk(tx, r, param_str(r, PARAM_DiskId, ""), &d)))
		return rc;
	if (d.instance_id[0]) {
		struct instance in;

		if ((rc = act_load_instance(tx, r, d.instance_id, &in)))
			return rc;
		if (in.flags & IF_LOCK_SECURITY)
			return ERR_INSTANCE_LOCKED_FOR_SECURITY;
		if (!act_running_or_stopped(r, &in))
			return ERR_INCORRECT_INSTANCE_STATUS_400;
	} else if (!d.ever_attached) {
		return ERR_INCORRECT_DISK_STATUS_NEVER_ATTACHED;
	}
	memset(&q, 0, sizeof(q));
	q.account = r->account;
	q.disk_id = d.id;
	q.is_auto = 0;
	q.status = -1;
	if ((rc = store_snap_count(tx, &q, &n)))
		return rc;
	if (n >= LIM_SNAPSHOTS_PER_DISK)
		return ERR_QUOTA_EXCEED_SNAPSHOT;
	snprintf(j->sn.region, sizeof(j->sn.region), "%s", d.region);
	snprintf(j->sn.source_disk_id, sizeof(j->sn.source_disk_id), "%s", d.id);
	snprintf(j->sn.source_disk_type, sizeof(j->sn.source_disk_type), "%s", d.type);
	j->sn.source_disk_size = d.size_gb;
	if ((rc = store_snap_insert(tx, &j->sn)) ||
	    (rc = act_create_tag(tx, r, "snapshot", j->sn.id, j->sn.region)))
		return rc;
	return act_token_save(tx, r, j->token, j->sn.id);
}

enum err_id act_create_snapshot(struct req *r)
{
	struct cs_job *j = arena_alloc(&r->arena, sizeof(*j));
	enum err_id rc;

	if (!j)
		return api_raise(r, ERR_INTERNAL_ERROR, NULL);
	j->r = r;
	j->token = param_str(r, PARAM_ClientToken, NULL);
	model_new_id(j->sn.id, "s-");
	snprintf(j->sn.account, sizeof(j->sn.account), "%s", r->account);
	snprintf(j->sn.name, sizeof(j->sn.name), "%s", param_str(r, PARAM_SnapshotName, ""));
	snprintf(j->sn.description, sizeof(j->sn.description), "%s", param_str(r, PARAM_Description, ""));
	j->sn.is_auto = 0;
	j->sn.status = SNAP_ACCOMPLISHED;
	j->sn.retention_days = (int)param_int(r, PARAM_RetentionDays, 0);
	j->sn.created_ms = r->now_ms;
	{
		struct tag_set tags;

		if ((rc = act_tags_parse(r, &tags)) != ERR_OK)
			return rc;
	}
	if ((rc = act_write(r, cs_tx, j)) != ERR_OK)
		return rc;
	reply_str(&r->reply, "SnapshotId", j->sn.id);
	return ERR_OK;
}
