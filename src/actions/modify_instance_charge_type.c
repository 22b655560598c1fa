/* modify_instance_charge_type.c - ModifyInstanceChargeType: PrePaid ->
 * PostPaid (Terraform's force_delete path) and PostPaid -> PrePaid with a
 * Period. Instances must be Running or Stopped; all or none change. */
#include "act.h"
#include "../model/regions.h"
#include <stdio.h>
#include <string.h>


struct mct_job {
	struct req *r;
	int to;
	int64_t expired_ms;
	int include_data;
	int dry_run;
	const char *token;
};

struct disk_ctx {
	struct store_tx *tx;
	struct mct_job *j;
	int rc;
};

static int disk_set(void *arg, const struct disk *d)
{
	struct disk_ctx *c = arg;
	struct disk nd = *d;

	if (strcmp(d->type, "data") == 0 && !c->j->include_data)
		return 0;
	nd.charge = c->j->to;
	c->rc = store_disk_update(c->tx, &nd);
	return c->rc;
}

static int mct_tx(struct store_tx *tx, void *arg)
{
	struct mct_job *j = arg;
	struct req *r = j->r;
	const struct pval *ids = param_val(r, PARAM_InstanceIds);
	const char *region = param_str(r, PARAM_RegionId, "");
	struct buf prev;
	int hit = 0, rc;

	buf_init(&prev, 4096);
	rc = act_token_check(tx, r, j->token, &hit, &prev);
	buf_free(&prev);
	if (rc || hit)
		return rc;
	for (size_t i = 0; i < ids->nlist; i++) {
		struct instance in;
		struct disk_query dq;
		struct disk_ctx dc = { tx, j, 0 };

		if ((rc = act_load_instance(tx, r, ids->list[i], &in)))
			return rc;
		if (strcmp(in.region, region) != 0)
			return ERR_INVALID_INSTANCE_ID_NOT_FOUND;
		if (!act_running_or_stopped(r, &in))
			return ERR_INCORRECT_INSTANCE_STATUS;
		if (in.charge == j->to)
			return ERR_CHARGE_TYPE_VIOLATION;
		if (in.flags & IF_LOCK_SECURITY)
			return ERR_INSTANCE_LOCKED_FOR_SECURITY;
		if (j->to == CHARGE_PREPAID && in.auto_release_ms)
			return ERR_RELEASE_TIME_HAVE_BEEN_SET;
		if (j->dry_run)
			continue;
		in.charge = j->to;
		in.expired_ms = j->to == CHARGE_PREPAID ? j->expired_ms : 0;
		if (j->to == CHARGE_PREPAID)
			in.deletion_protection = 0;  /* a pay-as-you-go-only attribute */
		if ((rc = store_inst_update(tx, &in)))
			return rc;
		memset(&dq, 0, sizeof(dq));
		dq.account = r->account;
		dq.instance_id = in.id;
		dq.attached = -1;
		dq.charge = -1;
		dq.delete_with_instance = -1;
		dq.limit = 100;
		if ((rc = store_disk_list(tx, &dq, disk_set, &dc)))
			return rc;
		if (dc.rc)
			return dc.rc;
	}
	if (j->dry_run)
		return ERR_DRY_RUN_OPERATION;
	return act_token_save(tx, r, j->token, "ok");
}

enum err_id act_modify_instance_charge_type(struct req *r)
{
	struct mct_job j = { .r = r };
	const char *to = param_str(r, PARAM_InstanceChargeType, "PrePaid");

	j.to = charge_parse(to);
	if (j.to < 0)
		return api_raise(r, ERR_INVALID_INSTANCE_CHARGE_TYPE_NOT_FOUND, NULL);
	if (j.to == CHARGE_PREPAID &&
	    act_subscription_expiry(r, param_int(r, PARAM_Period, 1), &j.expired_ms) != ERR_OK)
		return r->err;
	j.include_data = param_bool(r, PARAM_IncludeDataDisks, 0);
	j.dry_run = param_bool(r, PARAM_DryRun, 0);
	j.token = param_str(r, PARAM_ClientToken, NULL);
	if (act_write(r, mct_tx, &j) != ERR_OK)
		return r->err;
	reply_str(&r->reply, "OrderId", "20671870152");
	reply_list_begin(&r->reply, "FeeOfInstances", "FeeOfInstance");
	reply_list_end(&r->reply);
	return ERR_OK;
}
