/* plan.c - GET /_ecsd/instances/{id}/release-plan and the batch form
 * GET /_ecsd/release-plan: what DeleteInstance(s) would do now, computed
 * by the functions the release applies (release_check, release_disk_fate,
 * release_drops_auto_snapshots in model/release.c) over a read snapshot of
 * the store. Nothing is changed here. */
#include "web.h"
#include "ctl.h"
#include "../common/limits.h"
#include "../ecsd.h"
#include "../model/model.h"
#include "../net/edge.h"
#include "../store/store.h"
#include <jansson.h>
#include <string.h>

#define PLAN_ROWS 4096  /* snapshots listed per disk */

/* What lets a refused release through, per refusal. */
static const char *plan_remedy(enum err_id e, const struct instance *in, int st,
                               int64_t now)
{
	switch (e) {
	case ERR_INVALID_OPERATION_NOT_IN_WHITELIST:
		return "The platform must clear the white-list gate (control API state NotInWhiteList).";
	case ERR_INVALID_OPERATION_DELETION_PROTECTION:
		return "Turn deletion protection off (ModifyInstanceAttribute DeletionProtection=false).";
	case ERR_CHARGE_TYPE_VIOLATION:
		if (in->expired_ms > 0 && in->expired_ms <= now)
			return "The subscription has expired: release it with TerminateSubscription=true.";
		return "The subscription has not expired: convert it to pay-as-you-go (ModifyInstanceChargeType) first.";
	case ERR_INCORRECT_INSTANCE_STATUS_INITIALIZING:
		return "The instance is still being created; retry once it is Running or Stopped.";
	case ERR_INCORRECT_INSTANCE_STATUS:
		if (st == INST_RUNNING)
			return "Stop the instance first (StopInstance), or release it with Force=true.";
		return "The instance is stopping; retry once it is Stopped.";
	case ERR_DEPENDENCY_VIOLATION_SLB_CONFIGURING:
		return "Wait until the load balancer that references the instance has finished configuring.";
	case ERR_DEPENDENCY_VIOLATION_ROUTE_ENTRY:
		return "Remove the VPC route entry that points at the instance.";
	case ERR_INCORRECT_INSTANCE_STATUS_VOLUMES:
		return "Detach the volumes that still hold the instance.";
	default:
		return "";
	}
}

struct plan_disks {
	struct disk d[LIM_DISKS_PER_INSTANCE + 8];
	int n, over;
};

static int plan_disk_cb(void *arg, const struct disk *d)
{
	struct plan_disks *s = arg;

	if (s->n == (int)(sizeof(s->d) / sizeof(s->d[0]))) {
		s->over = 1;
		return 1;
	}
	s->d[s->n++] = *d;
	return 0;
}

struct plan_snaps {
	json_t *arr;
	int drop_auto;
};

static int plan_snap_cb(void *arg, const struct snapshot *sn)
{
	struct plan_snaps *s = arg;
	int gone = sn->is_auto && s->drop_auto;

	json_array_append_new(s->arr, json_pack("{s:s,s:s,s:s,s:s,s:s}",
		"SnapshotId", sn->id, "SnapshotName", sn->name,
		"SnapshotType", sn->is_auto ? "auto" : "user",
		"SourceDiskId", sn->source_disk_id,
		"Fate", gone ? "Deleted" : "Kept"));
	return 0;
}

/* The plan of one loaded instance: refusal (if any) and every disk's and
 * snapshot's fate. Returns 0 or a store error; *out owned by the caller. */
static int plan_one(struct store_tx *tx, const struct instance *in0,
                    const struct release_opts *o, int64_t now, json_t **out)
{
	struct plan_disks ds;
	struct disk_query q;
	struct instance inst = *in0, *in = &inst;
	int rc = edge_release_deps(tx, in, now);   /* as DeleteInstance sees them */
	enum err_id e = rc ? ERR_OK : release_check(in, o, now);
	int st = inst_status_at(in, now);
	json_t *j, *disks = json_array(), *snaps = json_array();

	if (rc)
		return rc;
	memset(&ds, 0, sizeof(ds));
	memset(&q, 0, sizeof(q));
	q.account = in->account;
	q.instance_id = in->id;
	q.attached = -1;
	q.charge = -1;
	q.delete_with_instance = -1;
	q.limit = (int)(sizeof(ds.d) / sizeof(ds.d[0])) + 1;
	rc = store_disk_list(tx, &q, plan_disk_cb, &ds);
	for (int i = 0; rc == 0 && i < ds.n; i++) {
		const struct disk *d = &ds.d[i];
		int gone = release_disk_fate(in, d) == FATE_RELEASE;
		struct plan_snaps ps = { snaps, gone && release_drops_auto_snapshots(d) };
		struct snap_query sq;
		const char *why = gone ? ((in->flags & IF_LOCK_SECURITY) && !d->delete_with_instance ?
			"The instance is locked for security: every attached disk is released." :
			"DeleteWithInstance is true.") :
			"DeleteWithInstance is false: the disk is detached and kept as a pay-as-you-go disk.";

		json_array_append_new(disks, json_pack(
			"{s:s,s:s,s:s,s:s,s:i,s:b,s:b,s:s,s:s,s:s,s:s}",
			"DiskId", d->id, "DiskName", d->name, "Type", d->type,
			"Category", d->category, "Size", d->size_gb,
			"DeleteWithInstance", d->delete_with_instance,
			"DeleteAutoSnapshot", d->delete_auto_snapshot,
			"Fate", gone ? "Released" : "Kept",
			"DiskChargeTypeAfter", gone ? "" : charge_name(CHARGE_POSTPAID),
			"StatusAfter", gone ? "" : "Available",
			"Reason", why));
		memset(&sq, 0, sizeof(sq));
		sq.account = in->account;
		sq.disk_id = d->id;
		sq.is_auto = -1;
		sq.status = -1;
		sq.limit = PLAN_ROWS;
		rc = store_snap_list(tx, &sq, plan_snap_cb, &ps);
	}
	if (rc == 0 && ds.over)
		rc = STORE_EIO;
	if (rc) {
		json_decref(disks);
		json_decref(snaps);
		return rc;
	}
	j = json_pack("{s:s,s:s,s:s,s:s,s:s,s:b,s:b,s:b,s:b,s:o,s:o,s:[],s:[]}",
		"InstanceId", in->id, "InstanceName", in->name, "RegionId", in->region,
		"Status", inst_status_name(st), "InstanceChargeType", charge_name(in->charge),
		"Force", o->force, "TerminateSubscription", o->terminate_subscription,
		"SecurityLock", (in->flags & IF_LOCK_SECURITY) != 0,
		"Releasable", e == ERR_OK, "Disks", disks, "Snapshots", snaps,
		"NetworkInterfaces", "EipAddresses");
	if (e != ERR_OK) {
		const struct err_row *row = err_row(e);
		json_object_set_new(j, "Code", json_string(row->code));
		json_object_set_new(j, "Message", json_string(row->message));
		json_object_set_new(j, "HttpStatus", json_integer(row->status));
		json_object_set_new(j, "Remedy", json_string(plan_remedy(e, in, st, now)));
	} else if (in->flags & IF_FAIL_RELEASE) {
		json_object_set_new(j, "Fault", json_string(
			"FailRelease is set: the release will fail with InternalError and change nothing."));
	}
	*out = j;
	return 0;
}

struct plan_job {
	const char *account;          /* NULL: any (control token) */
	const char *region;           /* batch: the RegionId */
	const char *const *ids;
	size_t nids;
	struct release_opts o;
	int64_t now;
	json_t *plans;                /* array, one per id */
	json_t *missing;              /* array of unknown ids */
};

static int plan_tx(struct store_tx *tx, void *arg)
{
	struct plan_job *j = arg;

	for (size_t i = 0; i < j->nids; i++) {
		struct instance in;
		json_t *p = NULL;
		int rc = store_inst_get(tx, j->account, j->ids[i], &in);

		if (rc == 0 && j->region && strcmp(in.region, j->region) != 0)
			rc = STORE_NOTFOUND;
		if (rc == STORE_NOTFOUND) {
			json_array_append_new(j->missing, json_string(j->ids[i]));
			continue;
		}
		if (rc || (rc = plan_one(tx, &in, &j->o, j->now, &p)))
			return rc;
		json_array_append_new(j->plans, p);
	}
	return 0;
}

/* Force and TerminateSubscription from the query; -1 (out filled) if bad. */
static int plan_opts(struct web_req *w, struct release_opts *o, struct http_out *out)
{
	memset(o, 0, sizeof(*o));
	o->force = web_query_bool(w, "Force", 0);
	o->terminate_subscription = web_query_bool(w, "TerminateSubscription", 0);
	o->force_stop = 1;
	if (o->force < 0 || o->terminate_subscription < 0) {
		web_error(out, 400, "InvalidParameter",
		          "Force and TerminateSubscription take true or false.");
		return -1;
	}
	return 0;
}

static int plan_run(struct web_req *w, struct plan_job *j, struct http_out *out)
{
	int rc;

	j->account = w->account;
	j->now = ctl_now_ms(w->e);   /* the virtual clock (issue 15) */
	j->plans = json_array();
	j->missing = json_array();
	rc = store_read(w->e->store, plan_tx, j);
	if (rc) {
		json_decref(j->plans);
		json_decref(j->missing);
		web_error(out, rc == STORE_EUNAVAIL ? 503 : 500, "InternalError", "The store failed.");
		return -1;
	}
	return 0;
}

void web_release_plan(struct web_req *w, const char *instance_id, struct http_out *out)
{
	struct plan_job j;
	const char *ids[1] = { instance_id };

	memset(&j, 0, sizeof(j));
	if (plan_opts(w, &j.o, out))
		return;
	if (!model_id_valid(instance_id, "i-")) {
		web_error(out, 400, "InvalidParameter", "The input parameter InstanceId is invalid.");
		return;
	}
	j.ids = ids;
	j.nids = 1;
	if (plan_run(w, &j, out))
		return;
	if (json_array_size(j.missing))
		web_error(out, 404, "InvalidInstanceId.NotFound", "The specified InstanceId does not exist.");
	else
		web_json(out, 200, json_incref(json_array_get(j.plans, 0)));
	json_decref(j.plans);
	json_decref(j.missing);
}

/* The batch: InstanceId.N (1..100) in RegionId, judged as DeleteInstances
 * judges them (unknown ids first, then each id's rules in order). */
void web_release_plans(struct web_req *w, struct http_out *out)
{
	struct plan_job j;
	const char **ids = arena_alloc(&w->arena, LIM_BATCH_IDS * sizeof(*ids));
	size_t n = 0;
	json_t *res, *first = NULL;

	memset(&j, 0, sizeof(j));
	if (!ids || plan_opts(w, &j.o, out))
		return;
	j.region = web_query(w, "RegionId");
	for (size_t i = 0; i < w->query.n; i++) {
		const struct param *p = &w->query.v[i];
		if (strncmp(p->name, "InstanceId.", 11) != 0)
			continue;
		if (n == LIM_BATCH_IDS || !model_id_valid(p->value, "i-")) {
			web_error(out, 400, "InvalidParameter", "InstanceId.N takes 1 to 100 valid instance ids.");
			return;
		}
		ids[n++] = p->value;
	}
	if (!j.region || !*j.region || n == 0) {
		web_error(out, 400, "MissingParameter", "RegionId and InstanceId.N are required.");
		return;
	}
	j.ids = ids;
	j.nids = n;
	if (plan_run(w, &j, out))
		return;
	res = json_pack("{s:b,s:O,s:O}", "Releasable", 0, "Instances", j.plans,
	                "MissingInstanceIds", j.missing);
	for (size_t i = 0; i < json_array_size(j.plans) && !first; i++)
		if (!json_is_true(json_object_get(json_array_get(j.plans, i), "Releasable")))
			first = json_array_get(j.plans, i);
	if (json_array_size(j.missing)) {
		json_object_set_new(res, "Code", json_string("InvalidInstanceIds.NotFound"));
		json_object_set_new(res, "Message", json_string("Some InstanceIds are not found in this region."));
	} else if (first) {
		json_object_set(res, "Code", json_object_get(first, "Code"));
		json_object_set(res, "Message", json_object_get(first, "Message"));
		json_object_set(res, "InstanceId", json_object_get(first, "InstanceId"));
	} else {
		json_object_set_new(res, "Releasable", json_true());
	}
	json_decref(j.plans);
	json_decref(j.missing);
	web_json(out, 200, res);
}
