/* act.c - helpers shared by the Action handlers (see act.h). Renders
 * resources through the reply API only; never writes bytes itself. */
#include "act.h"
#include "../auth/auth.h"
#include "../auth/page_token.h"
#include "../auth/sig.h"
#include "../model/catalog.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static enum err_id act_result(struct req *r, int rc)
{
	if (rc == 0)
		return ERR_OK;
	if (rc > 0)   /* the callback's outcome; its detail if it raised that id */
		return api_raise(r, (enum err_id)rc, r->err == (enum err_id)rc ?
		                 r->err_detail : NULL);
	if (rc == STORE_EUNAVAIL)
		return api_raise(r, ERR_SERVICE_UNAVAILABLE, NULL);
	return api_raise(r, ERR_INTERNAL_ERROR, NULL);
}

/* One run of a handler's callback under store.h's contract: a re-run
 * starts from the reply and the error as they were before the first run,
 * so what an earlier (rolled back) run wrote is gone and nothing is
 * emitted twice. */
struct act_call {
	struct req *r;
	store_fn fn;
	void *job;
	struct reply_mark mark;
	int runs;
};

static int act_run(struct store_tx *tx, void *arg)
{
	struct act_call *c = arg;

	if (c->runs++)
		reply_rewind(&c->r->reply, &c->mark);
	c->r->err = ERR_OK;
	c->r->err_detail = NULL;
	return c->fn(tx, c->job);
}

static enum err_id act_txn(struct req *r, int write, store_fn fn, void *job)
{
	struct act_call c = { .r = r, .fn = fn, .job = job };
	int rc;

	reply_mark(&r->reply, &c.mark);
	rc = write ? store_write(r->ecsd->store, act_run, &c)
	           : store_read(r->ecsd->store, act_run, &c);
	if (rc)   /* rolled back: nothing of the run stays in the reply */
		reply_rewind(&r->reply, &c.mark);
	return act_result(r, rc);
}

enum err_id act_write(struct req *r, store_fn fn, void *job)
{
	return act_txn(r, 1, fn, job);
}

enum err_id act_read(struct req *r, store_fn fn, void *job)
{
	return act_txn(r, 0, fn, job);
}

int act_load_instance(struct store_tx *tx, struct req *r, const char *id,
                      struct instance *out)
{
	int rc = store_inst_get(tx, r->account, id, out);

	if (rc == STORE_NOTFOUND)
		return ERR_INVALID_INSTANCE_ID_NOT_FOUND;
	return rc;
}

/* "PublicIpAddress":{"IpAddress":[]} — ecsd assigns no addresses */
struct each_job {
	struct req *r;
	struct inst_query q;
	int64_t total;
	void (*emit)(struct req *, const struct instance *);
	const char *container, *item;
};

static int each_row(void *arg, const struct instance *in)
{
	struct each_job *j = arg;

	reply_obj_begin(&j->r->reply, NULL);
	j->emit(j->r, in);
	reply_obj_end(&j->r->reply);
	return 0;
}

static int each_tx(struct store_tx *tx, void *arg)
{
	struct each_job *j = arg;
	int rc;

	if ((rc = store_inst_count(tx, &j->q, &j->total)))
		return rc;
	reply_list_begin(&j->r->reply, j->container, j->item);
	rc = store_inst_list(tx, &j->q, each_row, j);
	reply_list_end(&j->r->reply);
	return rc;
}

enum err_id act_each_instance(struct req *r, struct inst_ids ids,
                              const char *container, const char *item,
                              void (*emit)(struct req *, const struct instance *))
{
	struct each_job j = { .r = r, .emit = emit, .container = container, .item = item };
	long long pn = param_int(r, PARAM_PageNumber, 1), ps = param_int(r, PARAM_PageSize, 10);
	enum err_id rc;

	j.q.account = r->account;
	j.q.region = param_str(r, PARAM_RegionId, NULL);
	j.q.ids.v = ids.v;
	j.q.ids.n = ids.n;
	j.q.ids.set = ids.set;
	j.q.zone = ids.zone;
	j.q.status = -1;
	j.q.charge = -1;
	j.q.now_ms = r->now_ms;
	j.q.offset = (pn - 1) * ps;
	j.q.limit = (int)ps;
	if ((rc = act_read(r, each_tx, &j)) != ERR_OK)
		return rc;
	reply_int(&r->reply, "TotalCount", j.total);
	reply_int(&r->reply, "PageNumber", pn);
	reply_int(&r->reply, "PageSize", ps);
	return ERR_OK;
}

enum err_id act_subscription_expiry(struct req *r, long long period,
                                    int64_t *expired_ms)
{
	int64_t term = 0;
	enum err_id e = charge_term_ms(param_str(r, PARAM_PeriodUnit, "Month"), period, &term);

	if (e != ERR_OK)
		return api_raise(r, e, e == ERR_INVALID_PARAMETER ? "PeriodUnit" : NULL);
	*expired_ms = r->now_ms + term;
	return ERR_OK;
}

int act_load_disk(struct store_tx *tx, struct req *r, const char *id,
                  struct disk *out)
{
	int rc = store_disk_get(tx, r->account, id, out);

	if (rc == STORE_NOTFOUND)
		return ERR_INVALID_DISK_ID_NOT_FOUND;
	return rc;
}

struct disks_walk {
	struct inst_disks *out;
	unsigned char used[26];   /* /dev/xvda .. /dev/xvdz */
};

static int disks_row(void *arg, const struct disk *d)
{
	struct disks_walk *w = arg;

	w->out->n++;
	if (strcmp(d->type, "system") == 0)
		w->out->has_system = 1;
	if (strncmp(d->device, "/dev/xvd", 8) == 0 && d->device[8] >= 'a' &&
	    d->device[8] <= 'z' && d->device[9] == '\0')
		w->used[d->device[8] - 'a'] = 1;
	return 0;
}

int act_instance_disks(struct store_tx *tx, struct req *r, const char *instance_id,
                       struct inst_disks *out)
{
	struct disks_walk w = { .out = out };
	struct disk_query q;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&q, 0, sizeof(q));
	q.account = r->account;
	q.instance_id = instance_id;
	q.attached = -1;
	q.charge = -1;
	q.delete_with_instance = -1;
	q.limit = 64;   /* more than LIM_DISKS_PER_INSTANCE: every attached disk */
	if ((rc = store_disk_list(tx, &q, disks_row, &w)))
		return rc;
	for (int c = 1; c < 26; c++) {   /* 'a' is the system disk's */
		if (!w.used[c]) {
			snprintf(out->device, sizeof(out->device), "/dev/xvd%c", 'a' + c);
			break;
		}
	}
	return 0;
}

int act_running_or_stopped(const struct req *r, const struct instance *in)
{
	int st = inst_status_at(in, r->now_ms);

	return st == INST_RUNNING || st == INST_STOPPED;
}

void act_emit_instance(struct req *r, const struct instance *in, int64_t now_ms)
{
	struct reply *rp = &r->reply;
	char t[32], family[32] = "";
	int cpu = 0, mem = 0;
	const char *os_name, *os_type;

	catalog_instance_type(in->instance_type, &cpu, &mem, family);
	catalog_image_os(in->image_id, &os_name, &os_type);
	reply_str(rp, "InstanceId", in->id);
	reply_str(rp, "InstanceName", in->name);
	reply_str(rp, "Description", in->description);
	reply_str(rp, "HostName", in->hostname);
	reply_str(rp, "RegionId", in->region);
	reply_str(rp, "ZoneId", in->zone);
	reply_str(rp, "Status", inst_status_name(inst_status_at(in, now_ms)));
	reply_str(rp, "InstanceType", in->instance_type);
	reply_str(rp, "InstanceTypeFamily", family);
	reply_int(rp, "Cpu", cpu);
	reply_int(rp, "Memory", mem);
	reply_str(rp, "ImageId", in->image_id);
	reply_str(rp, "OSName", os_name);
	reply_str(rp, "OSType", os_type);
	reply_str(rp, "InstanceChargeType", charge_name(in->charge));
	reply_str(rp, "InternetChargeType", "PayByTraffic");
	reply_int(rp, "InternetMaxBandwidthIn", 200);
	reply_int(rp, "InternetMaxBandwidthOut", in->bandwidth_out);
	model_fmt_minute(t, in->created_ms);
	reply_str(rp, "CreationTime", t);
	if (in->started_ms)
		model_fmt_minute(t, in->started_ms);
	reply_str(rp, "StartTime", in->started_ms ? t : "");
	if (in->charge == CHARGE_PREPAID && in->expired_ms)
		model_fmt_minute(t, in->expired_ms);
	else
		snprintf(t, sizeof(t), "2099-12-31T15:59Z");
	reply_str(rp, "ExpiredTime", t);
	if (in->auto_release_ms)
		model_fmt_minute(t, in->auto_release_ms);
	reply_str(rp, "AutoReleaseTime", in->auto_release_ms ? t : "");
	reply_bool(rp, "DeletionProtection", in->deletion_protection);
	reply_str(rp, "StoppedMode", in->stopped_mode[0] ? in->stopped_mode : "Not-applicable");
	reply_str(rp, "SpotStrategy", "NoSpot");
	reply_bool(rp, "IoOptimized", 1);
	reply_str(rp, "InstanceNetworkType", "vpc");
	reply_str(rp, "SerialNumber", in->id + 2);
	reply_bool(rp, "Recyclable", 0);
	reply_bool(rp, "DeviceAvailable", 1);
	reply_str(rp, "ResourceGroupId", "");
	reply_str(rp, "KeyPairName", in->key_pair_name);
	reply_list_begin(rp, "OperationLocks", "LockReason");
	if (in->flags & IF_LOCK_SECURITY) {
		reply_obj_begin(rp, NULL);
		reply_str(rp, "LockReason", "security");
		reply_str(rp, "LockMsg", "The instance is locked for security reasons.");
		reply_obj_end(rp);
	}
	if (in->flags & IF_LOCK_FINANCIAL) {
		reply_obj_begin(rp, NULL);
		reply_str(rp, "LockReason", "financial");
		reply_str(rp, "LockMsg", "The account has an overdue payment.");
		reply_obj_end(rp);
	}
	reply_list_end(rp);
	act_emit_instance_net(r, in);
}

void act_emit_disk(struct req *r, const struct disk *d)
{
	struct reply *rp = &r->reply;
	char t[32];

	reply_str(rp, "DiskId", d->id);
	reply_str(rp, "DiskName", d->name);
	reply_str(rp, "Description", d->description);
	reply_str(rp, "RegionId", d->region);
	reply_str(rp, "ZoneId", d->zone);
	reply_str(rp, "InstanceId", d->instance_id);
	reply_str(rp, "Device", d->device);
	reply_str(rp, "Type", d->type);
	reply_str(rp, "Category", d->category);
	reply_int(rp, "Size", d->size_gb);
	reply_str(rp, "Status", d->instance_id[0] ? "In_use" : "Available");
	reply_str(rp, "DiskChargeType", charge_name(d->charge));
	reply_bool(rp, "Portable", d->portable);
	reply_bool(rp, "DeleteWithInstance", d->delete_with_instance);
	reply_bool(rp, "DeleteAutoSnapshot", d->delete_auto_snapshot);
	reply_bool(rp, "EnableAutoSnapshot", d->enable_auto_snapshot);
	reply_str(rp, "SourceSnapshotId", d->source_snapshot_id);
	reply_str(rp, "ImageId", d->image_id);
	reply_bool(rp, "Encrypted", 0);
	reply_str(rp, "PerformanceLevel", strcmp(d->category, "cloud_essd") == 0 ? "PL1" : "");
	model_fmt_second(t, d->created_ms);
	reply_str(rp, "CreationTime", t);
	if (d->attached_ms)
		model_fmt_second(t, d->attached_ms);
	reply_str(rp, "AttachedTime", d->attached_ms ? t : "");
	if (d->detached_ms)
		model_fmt_second(t, d->detached_ms);
	reply_str(rp, "DetachedTime", d->detached_ms ? t : "");
	reply_str(rp, "ExpiredTime", "2999-09-08T16:00Z");
	reply_list_begin(rp, "OperationLocks", "OperationLock");
	reply_list_end(rp);
}

void act_emit_snapshot(struct req *r, const struct snapshot *sn)
{
	struct reply *rp = &r->reply;
	static const char *const st[] = { "progressing", "accomplished", "failed" };
	char t[32], size[16];

	reply_str(rp, "SnapshotId", sn->id);
	reply_str(rp, "SnapshotName", sn->name);
	reply_str(rp, "Description", sn->description);
	reply_str(rp, "RegionId", sn->region);
	reply_str(rp, "Status", st[sn->status >= 0 && sn->status <= 2 ? sn->status : 1]);
	reply_str(rp, "Progress", sn->status == SNAP_ACCOMPLISHED ? "100%" : "0%");
	reply_int(rp, "RemainTime", 0);
	reply_str(rp, "SnapshotType", sn->is_auto ? "auto" : "user");
	reply_str(rp, "SourceDiskId", sn->source_disk_id);
	snprintf(size, sizeof(size), "%d", sn->source_disk_size);
	reply_str(rp, "SourceDiskSize", size);
	reply_str(rp, "SourceDiskType", sn->source_disk_type);
	model_fmt_second(t, sn->created_ms);
	reply_str(rp, "CreationTime", t);
	reply_str(rp, "LastModifiedTime", t);
	reply_int(rp, "RetentionDays", sn->retention_days);
	reply_str(rp, "Usage", "none");
	reply_str(rp, "Category", "standard");
	reply_bool(rp, "InstantAccess", 0);
	reply_bool(rp, "Encrypted", 0);
	reply_str(rp, "Available", "true");
}

/* NextToken: the seq of the last row returned, encrypted and bound to the
 * caller (auth/page_token.h): it reveals nothing about other accounts. */
static const char *token_secret(const struct req *r)
{
	const struct cred_key *k = r->akid ? creds_find(r->ecsd->creds, r->akid) : NULL;

	return k ? k->secret : NULL;
}

enum err_id act_paging(struct req *r, struct paging *pg, int cap)
{
	const char *tok = param_str(r, PARAM_NextToken, NULL);
	long long mr = param_int(r, PARAM_MaxResults, -1);

	memset(pg, 0, sizeof(*pg));
	if (tok || mr >= 0) {
		pg->token_mode = 1;
		if (mr < 0)
			mr = 10;
		if (mr < 10)
			mr = 10;   /* values below 10 are treated as 10 (TS-ECS) */
		if (mr > cap)
			mr = cap;
		pg->limit = (int)mr;
		pg->page_size = mr;
		pg->page_number = 1;
		if (tok && *tok) {
			const char *secret = token_secret(r);

			if (!secret || page_token_decode(secret, r->account, r->action->name,
			                                 tok, &pg->after_seq))
				return api_raise(r, ERR_INVALID_NEXT_TOKEN, NULL);
		}
		return ERR_OK;
	}
	pg->page_number = param_int(r, PARAM_PageNumber, 1);
	pg->page_size = param_int(r, PARAM_PageSize, 10);
	pg->limit = (int)pg->page_size;
	pg->offset = (pg->page_number - 1) * pg->page_size;
	return ERR_OK;
}

void act_paging_emit(struct req *r, const struct paging *pg, int64_t total,
                     int64_t last_seq, int more)
{
	char tok[PAGE_TOKEN_LEN + 1] = "";
	const char *secret = more ? token_secret(r) : NULL;

	/* no secret (cannot happen for a signed request) or a crypto failure:
	 * InternalError, never a page that silently ends the walk */
	if (more && (!secret || page_token_encode(secret, r->account, r->action->name,
	                                          last_seq, tok)))
		r->reply.out.over = 1;
	reply_int(&r->reply, "TotalCount", total);
	reply_int(&r->reply, "PageNumber", pg->page_number);
	reply_int(&r->reply, "PageSize", pg->page_size);
	reply_str(&r->reply, "NextToken", tok);
}

void act_page_restart(struct page_walk *w)
{
	w->total = 0;
	w->last_seq = 0;
	w->emitted = 0;
	w->more = 0;
}

int act_page_take(struct page_walk *w, int64_t seq)
{
	if (w->emitted == w->pg.limit) {
		w->more = 1;
		return 1;
	}
	w->last_seq = seq;
	w->emitted++;
	return 0;
}

int act_page_rc(int rc)
{
	return rc > 0 ? 0 : rc;
}

int act_page_total(struct page_walk *w, int64_t offset, int64_t after_seq)
{
	if (w->more || offset > 0 || after_seq > 0)
		return 0;
	w->total = w->emitted;
	return 1;
}

void act_page_finish(struct page_walk *w)
{
	act_paging_emit(w->r, &w->pg, w->total, w->last_seq,
	                w->more && w->pg.token_mode);
}

/* The request's fingerprint: every declared parameter but ClientToken and
 * DryRun, in table order, plus PT_RAW sub-fields. */
static void request_hash(struct req *r, char out[65])
{
	struct buf b;
	const struct action *a = r->action;

	buf_init(&b, 1 << 20);
	for (size_t i = 0; i < a->nparams; i++) {
		const char *n = a->params[i].name;

		if (strcmp(n, "ClientToken") == 0 || strcmp(n, "DryRun") == 0)
			continue;
		if (a->params[i].type == PT_RAW || a->params[i].type == PT_LIST) {
			size_t nl = strlen(n);
			for (size_t k = 0; k < r->all.n; k++) {
				const struct param *p = &r->all.v[k];
				if (strncmp(p->name, n, nl) == 0 && p->name[nl] == '.')
					buf_printf(&b, "%s=%s\n", p->name, p->value);
			}
			continue;
		}
		if (r->args[i].present)
			buf_printf(&b, "%s=%s\n", n, r->args[i].s);
	}
	sig_sha256_hex(buf_cstr(&b), b.len, out);
	buf_free(&b);
}

int act_token_check(struct store_tx *tx, struct req *r, const char *token,
                    int *hit, struct buf *out)
{
	char want[65], have[65];
	int rc;

	*hit = 0;
	if (!token || !*token)
		return 0;
	rc = store_token_get(tx, r->account, r->action->name, token, have, out);
	if (rc == STORE_NOTFOUND)
		return 0;
	if (rc)
		return rc;
	request_hash(r, want);
	if (strcmp(want, have) != 0)
		return ERR_IDEMPOTENT_PARAMETER_MISMATCH;
	*hit = 1;
	return 0;
}

int act_token_save(struct store_tx *tx, struct req *r, const char *token,
                   const char *result)
{
	char h[65];

	if (!token || !*token)
		return 0;
	request_hash(r, h);
	return store_token_put(tx, r->account, r->action->name, token, h, result,
	                       r->now_ms);
}
