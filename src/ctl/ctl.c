/* ctl.c - the /_ecsd/ control API: set the states real ECS reaches
 * outside its public API (locks, dependencies, a held initialisation, an
 * expired subscription, fault injection), make automatic snapshots, bulk
 * load instances, report health. JSON in and out; bearer token; loopback
 * peers only unless --control-remote. Documented in docs/control-api.md. */
#include "ctl.h"
#include "../actions/auto_release.h"
#include "../dispatch/dispatch.h"
#include "../auth/sig.h"
#include "../common/limits.h"
#include "../ecsd.h"
#include "../model/model.h"
#include "../model/regions.h"
#include "../store/store.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CT "application/json;charset=utf-8"

static void reply_json(struct http_out *out, int status, json_t *j)
{
	out->status = status;
	out->content_type = CT;
	out->body = json_dumps(j, JSON_COMPACT);
	out->body_len = out->body ? strlen(out->body) : 0;
	json_decref(j);
}

static void reply_err(struct http_out *out, int status, const char *code,
                      const char *msg)
{
	reply_json(out, status, json_pack("{s:s,s:s}", "Code", code, "Message", msg));
}

static const struct flag_name {
	const char *key;
	uint32_t bit;
} flag_names[] = {
	{ "SecurityLock", IF_LOCK_SECURITY },
	{ "FinancialLock", IF_LOCK_FINANCIAL },
	{ "NotInWhiteList", IF_NOT_IN_WHITELIST },
	{ "HoldInit", IF_HOLD_INIT },
	{ "VolumesBlock", IF_VOLUMES_BLOCK },
	{ "FailRelease", IF_FAIL_RELEASE },
};
#define NFLAGS (sizeof(flag_names) / sizeof(flag_names[0]))

struct state_job {
	const char *id;
	json_t *body;
	struct instance in;
	const char *bad;    /* a refused key */
	int64_t now_ms;
};

static int state_tx(struct store_tx *tx, void *arg)
{
	struct state_job *j = arg;
	const char *key;
	json_t *v;
	int rc = store_inst_get(tx, NULL, j->id, &j->in);

	if (rc)
		return rc;
	json_object_foreach(j->body, key, v) {
		size_t i;

		if (strcmp(key, "Expired") == 0) {
			if (!json_is_boolean(v) || j->in.charge != CHARGE_PREPAID) {
				j->bad = key;
				return 1;
			}
			j->in.expired_ms = json_is_true(v) ? j->now_ms - 1000 :
				j->now_ms + 30LL * 86400000;
			continue;
		}
		for (i = 0; i < NFLAGS; i++)
			if (strcmp(flag_names[i].key, key) == 0)
				break;
		if (i == NFLAGS || !json_is_boolean(v)) {
			j->bad = key;
			return 1;
		}
		if (json_is_true(v))
			j->in.flags |= flag_names[i].bit;
		else
			j->in.flags &= ~flag_names[i].bit;
		if (flag_names[i].bit == IF_HOLD_INIT) {
			if (json_is_true(v)) {
				j->in.p1_status = INST_PENDING;
				j->in.p1_end_ms = INT64_MAX / 2;
			} else {
				j->in.p1_end_ms = 0;
				j->in.p2_end_ms = 0;
			}
		}
	}
	return store_inst_update(tx, &j->in);
}

static json_t *instance_json(const struct instance *in, int64_t now)
{
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:I,s:b}", "InstanceId", in->id,
	                      "AccountId", in->account, "RegionId", in->region,
	                      "Status", inst_status_name(inst_status_at(in, now)),
	                      "ExpiredTime", (json_int_t)in->expired_ms,
	                      "DeletionProtection", in->deletion_protection);

	for (size_t i = 0; i < NFLAGS; i++)
		json_object_set_new(o, flag_names[i].key,
		                    json_boolean(in->flags & flag_names[i].bit));
	return o;
}

static void ctl_state(struct ecsd *e, const char *id, const char *body,
                      size_t len, struct http_out *out)
{
	struct state_job j;
	json_error_t je;
	int rc, bad_expired;

	memset(&j, 0, sizeof(j));
	j.id = id;
	j.now_ms = ctl_now_ms(e);
	j.body = json_loadb(body ? body : "", len, 0, &je);
	if (!j.body || !json_is_object(j.body)) {
		json_decref(j.body);
		reply_err(out, 400, "InvalidJson", "The body must be a JSON object.");
		return;
	}
	rc = store_write(e->store, state_tx, &j);
	bad_expired = j.bad && strcmp(j.bad, "Expired") == 0; /* j.bad lives in j.body */
	json_decref(j.body);
	if (rc == STORE_NOTFOUND)
		reply_err(out, 404, "InvalidInstanceId.NotFound", "The specified InstanceId does not exist.");
	else if (rc == 1)
		reply_err(out, 400, "InvalidParameter",
		          bad_expired ?
		          "Expired takes a boolean and applies to PrePaid instances only." :
		          "Unknown key or non-boolean value.");
	else if (rc == STORE_EUNAVAIL)
		reply_err(out, 503, "ServiceUnavailable", "The store is unavailable.");
	else if (rc)
		reply_err(out, 500, "InternalError", "The store failed.");
	else
		reply_json(out, 200, instance_json(&j.in, j.now_ms));
}

struct auto_job {
	const char *disk_id;
	struct snapshot sn;
	int64_t now_ms;
};

static int auto_tx(struct store_tx *tx, void *arg)
{
	struct auto_job *j = arg;
	struct disk d;
	int rc;

	/* any account: the control API acts for the platform */
	if ((rc = store_disk_get(tx, NULL, j->disk_id, &d)))
		return rc;
	memset(&j->sn, 0, sizeof(j->sn));
	model_new_id(j->sn.id, "s-");
	snprintf(j->sn.account, sizeof(j->sn.account), "%s", d.account);
	snprintf(j->sn.region, sizeof(j->sn.region), "%s", d.region);
	snprintf(j->sn.name, sizeof(j->sn.name), "auto_%s", d.id);
	snprintf(j->sn.source_disk_id, sizeof(j->sn.source_disk_id), "%s", d.id);
	snprintf(j->sn.source_disk_type, sizeof(j->sn.source_disk_type), "%s", d.type);
	j->sn.source_disk_size = d.size_gb;
	j->sn.is_auto = 1;
	j->sn.status = SNAP_ACCOMPLISHED;
	j->sn.created_ms = j->now_ms;
	return store_snap_insert(tx, &j->sn);
}

static void ctl_auto_snapshot(struct ecsd *e, const char *disk_id,
                              struct http_out *out)
{
	struct auto_job j = { .disk_id = disk_id, .now_ms = ctl_now_ms(e) };
	int rc = store_write(e->store, auto_tx, &j);

	if (rc == STORE_NOTFOUND)
		reply_err(out, 404, "InvalidDiskId.NotFound", "The specified disk does not exist.");
	else if (rc)
		reply_err(out, rc == STORE_EUNAVAIL ? 503 : 500, "InternalError", "The store failed.");
	else
		reply_json(out, 200, json_pack("{s:s,s:s}", "SnapshotId", j.sn.id,
		                               "SnapshotType", "auto"));
}

struct bulk_job {
	const char *account, *region, *type;
	long long count, done;
	int64_t now_ms;
};

#define BULK_BATCH 5000

static int bulk_tx(struct store_tx *tx, void *arg)
{
	struct bulk_job *j = arg;
	const struct region *rg = region_find(j->region);
	long long end = j->done + BULK_BATCH;
	int rc;

	if (end > j->count)
		end = j->count;
	for (long long i = j->done; i < end; i++) {
		struct instance in;

		memset(&in, 0, sizeof(in));
		model_new_id(in.id, "i-");
		snprintf(in.account, sizeof(in.account), "%s", j->account);
		snprintf(in.region, sizeof(in.region), "%s", j->region);
		snprintf(in.zone, sizeof(in.zone), "%s", rg->zones[0]);
		snprintf(in.name, sizeof(in.name), "bulk-%lld", i);
		snprintf(in.instance_type, sizeof(in.instance_type), "%s", j->type);
		snprintf(in.image_id, sizeof(in.image_id), "aliyun_3_x64_20G_alibase_20240819.vhd");
		in.status = INST_STOPPED;
		in.created_ms = j->now_ms;
		if ((rc = store_inst_insert(tx, &in)))
			return rc;
	}
	return 0;
}

static void ctl_bulk(struct ecsd *e, const char *body, size_t len,
                     struct http_out *out)
{
	struct bulk_job j = { .type = "ecs.g6.large", .now_ms = ctl_now_ms(e) };
	json_error_t je;
	json_t *b = json_loadb(body ? body : "", len, 0, &je);
	json_int_t count = 0;
	int rc = 0;

	if (!b || json_unpack(b, "{s:s,s:s,s:I}", "AccountId", &j.account,
	                      "RegionId", &j.region, "Count", &count) ||
	    count < 1 || count > 10000000 || !region_find(j.region) ||
	    strlen(j.account) >= 32) {
		json_decref(b);
		reply_err(out, 400, "InvalidParameter",
		          "Body: {\"AccountId\":s,\"RegionId\":s,\"Count\":1..10000000}.");
		return;
	}
	j.count = count;
	while (j.done < j.count && rc == 0) {
		rc = store_write(e->store, bulk_tx, &j);
		j.done += j.count - j.done < BULK_BATCH ? j.count - j.done : BULK_BATCH;
	}
	json_decref(b);
	if (rc)
		reply_err(out, 500, "InternalError", "The store failed.");
	else
		reply_json(out, 200, json_pack("{s:I}", "Created", (json_int_t)j.count));
}

struct get_job {
	const char *id;
	struct instance in;
};

static int get_tx(struct store_tx *tx, void *arg)
{
	struct get_job *j = arg;

	return store_inst_get(tx, NULL, j->id, &j->in);
}

/* POST /auto-release/run {"Now": ms}: the due-release pass the scheduler
 * runs every second, now, as if the clock read Now (default: the clock;
 * never earlier than it). Answers {"Released": n}. */
static void ctl_auto_release(struct ecsd *e, const char *body, size_t len,
                             struct http_out *out)
{
	int64_t now = ctl_now_ms(e), at = 0;
	int done = 0;

	if (len) {
		json_error_t jerr;
		json_t *j = json_loadb(body, len, 0, &jerr);
		json_t *v = j ? json_object_get(j, "Now") : NULL;

		if (!j || !json_is_object(j) || (v && !json_is_integer(v))) {
			json_decref(j);
			reply_err(out, 400, "InvalidParameter", "Body: {\"Now\": epoch ms}.");
			return;
		}
		at = v ? (int64_t)json_integer_value(v) : 0;
		json_decref(j);
	}
	if (at > now)
		now = at;
	if (act_ar_run_due(e, now, 1000, &done)) {
		reply_err(out, 500, "InternalError", "The store failed.");
		return;
	}
	reply_json(out, 200, json_pack("{s:i}", "Released", done));
}

void ctl_handle(struct ecsd *e, const char *method, const char *path,
                const char *query, const char *body, size_t body_len,
                const char *token, int loopback, struct http_out *out)
{
	char id[64];
	const char *rest;
	size_t n;

	memset(out, 0, sizeof(*out));
	if (!loopback && !e->ctl_remote) {
		reply_err(out, 403, "Forbidden", "The control API answers loopback peers only.");
		return;
	}
	if (strcmp(path, "/health") == 0) {
		reply_json(out, 200, json_pack("{s:s,s:s}", "Status", "ok", "Store",
		                               store_backend_name(e->store)));
		return;
	}
	/* an empty presented token never matches, whatever the configuration */
	if (!token || !*token || !e->ctl_token || !*e->ctl_token ||
	    !sig_equal(token, e->ctl_token)) {
		reply_err(out, 401, "Unauthorized", "A valid control token is required.");
		return;
	}
	if (strcmp(path, "/auto-release/run") == 0 && strcmp(method, "POST") == 0) {
		ctl_auto_release(e, body, body_len, out);
		return;
	}
	if (ctl_tools_route(e, method, path, query, body, body_len, out))
		return;
	if (strcmp(path, "/bulk/instances") == 0 && strcmp(method, "POST") == 0) {
		ctl_bulk(e, body, body_len, out);
		return;
	}
	if (strncmp(path, "/instances/", 11) == 0 || strncmp(path, "/disks/", 7) == 0) {
		int disk = path[1] == 'd';
		const char *p = path + (disk ? 7 : 11);

		rest = strchr(p, '/');
		n = rest ? (size_t)(rest - p) : strlen(p);
		if (n == 0 || n >= sizeof(id)) {
			reply_err(out, 404, "NotFound", "No such control resource.");
			return;
		}
		memcpy(id, p, n);
		id[n] = '\0';
		if (!disk && rest && strcmp(rest, "/state") == 0 && strcmp(method, "POST") == 0) {
			ctl_state(e, id, body, body_len, out);
			return;
		}
		if (!disk && !rest && strcmp(method, "GET") == 0) {
			struct get_job j = { .id = id };
			int rc = store_read(e->store, get_tx, &j);

			if (rc == STORE_NOTFOUND)
				reply_err(out, 404, "InvalidInstanceId.NotFound", "The specified InstanceId does not exist.");
			else if (rc)
				reply_err(out, 500, "InternalError", "The store failed.");
			else
				reply_json(out, 200, instance_json(&j.in, ctl_now_ms(e)));
			return;
		}
		if (disk && rest && strcmp(rest, "/auto-snapshots") == 0 && strcmp(method, "POST") == 0) {
			ctl_auto_snapshot(e, id, out);
			return;
		}
	}
	reply_err(out, 404, "NotFound", "No such control resource.");
}
