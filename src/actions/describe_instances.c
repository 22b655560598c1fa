/* describe_instances.c - DescribeInstances: filters (InstanceIds, Status,
 * InstanceChargeType, ZoneId), page or token paging, wrapped lists. An
 * unknown id simply matches nothing (Terraform relies on the empty list). */
#include "act.h"

enum err_id act_describe_instances(struct req *r);

struct di_job {
	struct page_walk w;
	struct inst_query q;
};

static int di_row(void *arg, const struct instance *in)
{
	struct di_job *j = arg;

	if (act_page_take(&j->w, in->seq))
		return 1;
	reply_obj_begin(&j->w.r->reply, NULL);
	act_emit_instance(j->w.r, in, j->q.now_ms);
	reply_obj_end(&j->w.r->reply);
	return 0;
}

static int di_tx(struct store_tx *tx, void *arg)
{
	struct di_job *j = arg;
	int rc;

	reply_list_begin(&j->w.r->reply, "Instances", "Instance");
	rc = act_page_rc(store_inst_list(tx, &j->q, di_row, j));
	reply_list_end(&j->w.r->reply);
	if (rc)
		return rc;
	return act_page_total(&j->w, j->q.offset, j->q.after_seq) ? 0 :
	       store_inst_count(tx, &j->q, &j->w.total);
}

enum err_id act_describe_instances(struct req *r)
{
	struct di_job j = { .w.r = r };
	const struct pval *ids = arg_val(r, "InstanceIds");
	const char *st = arg_str(r, "Status", NULL);
	const char *ct = arg_str(r, "InstanceChargeType", NULL);
	enum err_id rc;

	if ((rc = act_paging(r, &j.w.pg, 100)) != ERR_OK)
		return rc;
	j.q.account = r->account;
	j.q.region = arg_str(r, "RegionId", NULL);
	j.q.ids.v = ids->list;
	j.q.ids.n = ids->nlist;
	j.q.ids.set = ids->present;
	j.q.zone = arg_str(r, "ZoneId", NULL);
	j.q.status = -1;
	if (st && (j.q.status = inst_status_parse(st)) < 0)
		return fail(r, ERR_INVALID_STATUS_NOT_FOUND, NULL);
	j.q.charge = -1;
	if (ct && (j.q.charge = charge_parse(ct)) < 0)
		return fail(r, ERR_INVALID_INSTANCE_CHARGE_TYPE_NOT_FOUND, NULL);
	if (arg_bool(r, "DryRun", 0))
		return fail(r, ERR_DRY_RUN_OPERATION, NULL);
	j.q.now_ms = r->now_ms;
	j.q.after_seq = j.w.pg.after_seq;
	j.q.offset = j.w.pg.offset;
	j.q.limit = j.w.pg.limit + 1;
	if ((rc = act_result(r, store_read(r->ecsd->store, di_tx, &j))) != ERR_OK)
		return rc;
	act_page_finish(&j.w);
	return ERR_OK;
}
