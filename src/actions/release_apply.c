/* release.c - applies a release (DeleteInstance, DeleteInstances) inside
 * the caller's transaction: every effect of the seed page or none. The
 * rules themselves are in model/release_rules.c. */
#include "act.h"
#include "../common/limits.h"
#include "../store/tags.h"
#include "auto_release.h"
#include "../net/net.h"
#include <string.h>

struct disk_set {
	struct disk d[LIM_DISKS_PER_INSTANCE + 8];
	int n, over;
};

static int collect(void *arg, const struct disk *d)
{
	struct disk_set *s = arg;

	if (s->n == (int)(sizeof(s->d) / sizeof(s->d[0]))) {
		s->over = 1;
		return 1;
	}
	s->d[s->n++] = *d;
	return 0;
}

static int drop_snap_tags(void *arg, const struct snapshot *sn)
{
	void **a = arg;

	return store_tags_drop(a[0], sn->account, sn->id);
}

int act_drop_disk(struct store_tx *tx, const struct disk *d)
{
	int64_t n = 0;
	int rc;

	if (release_drops_auto_snapshots(d)) {
		struct snap_query q;
		void *a[1] = { tx };

		memset(&q, 0, sizeof(q));
		q.account = d->account;
		q.disk_id = d->id;
		q.is_auto = 1;
		q.status = -1;
		if ((rc = store_snap_list(tx, &q, drop_snap_tags, a)))
			return rc;
		if ((rc = store_snap_delete_auto(tx, d->account, d->id, &n)))
			return rc;
	}
	if ((rc = store_tags_drop(tx, d->account, d->id)))
		return rc;
	return store_disk_delete(tx, d->account, d->id);
}

int act_release(struct store_tx *tx, struct req *r, const struct instance *in)
{
	struct disk_set *ds = arena_alloc(&r->arena, sizeof(*ds));
	struct disk_query q;
	int rc;

	if (!ds)
		return ERR_INTERNAL_ERROR;
	memset(&q, 0, sizeof(q));
	q.account = in->account;
	q.instance_id = in->id;
	q.attached = -1;
	q.charge = -1;
	q.delete_with_instance = -1;
	q.limit = (int)(sizeof(ds->d) / sizeof(ds->d[0])) + 1;
	if ((rc = store_disk_list(tx, &q, collect, ds)))
		return rc;
	if (ds->over)
		return ERR_INTERNAL_ERROR;
	for (int i = 0; i < ds->n; i++) {
		struct disk *d = &ds->d[i];

		if (release_disk_fate(in, d) == FATE_RELEASE) {
			if ((rc = act_drop_disk(tx, d)))
				return rc;
		} else {
			release_keep_disk(d, r->now_ms);
			if ((rc = store_disk_update(tx, d)))
				return rc;
		}
	}
	/* fault injection (control API): fail after the disks were touched,
	 * proving that a release is all or nothing */
	if ((rc = act_release_edge(tx, r, in)))
		return rc;
	if (in->flags & IF_FAIL_RELEASE)
		return ERR_INTERNAL_ERROR;
	if ((rc = store_tags_drop(tx, in->account, in->id)))
		return rc;
	if (in->auto_release_ms) {
		struct instance cp = *in;

		if ((rc = act_ar_schedule(tx, &cp, 0)))
			return rc;
	}
	/* the primary ENI and the instance's addresses go with it */
	if ((rc = net_unplace_instance(tx, in)))
		return rc;
	return store_inst_delete(tx, in->account, in->id);
}
