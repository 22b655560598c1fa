/* describe_instance_status.c - DescribeInstanceStatus: id and status of
 * the caller's instances in a region, paged (PageSize 1-50). */
#include "act.h"

enum err_id act_describe_instance_status(struct req *r);

struct ds_job {
	struct req *r;
	struct inst_query q;
	int64_t total;
};

static int ds_row(void *arg, const struct instance *in)
{
	struct ds_job *j = arg;

	reply_obj_begin(&j->r->reply, NULL);
	reply_str(&j->r->reply, "InstanceId", in->id);
	reply_str(&j->r->reply, "Status", inst_status_name(inst_status_at(in, j->q.now_ms)));
	reply_obj_end(&j->r->reply);
	return 0;
}

static int ds_tx(struct store_tx *tx, void *arg)
{
	struct ds_job *j = arg;
	int rc;

	if ((rc = store_inst_count(tx, &j->q, &j->total)))
		return rc;
	reply_list_begin(&j->r->reply, "InstanceStatuses", "InstanceStatus");
	rc = store_inst_list(tx, &j->q, ds_row, j);
	reply_list_end(&j->r->reply);
	return rc;
}

enum err_id act_describe_instance_status(struct req *r)
{
	struct ds_job j = { .r = r };
	const struct pval *ids = arg_val(r, "InstanceId");
	long long pn = arg_int(r, "PageNumber", 1), ps = arg_int(r, "PageSize", 10);
	enum err_id rc;

	j.q.account = r->account;
	j.q.region = arg_str(r, "RegionId", NULL);
	j.q.ids.v = ids->list;
	j.q.ids.n = ids->nlist;
	j.q.ids.set = ids->present;
	j.q.zone = arg_str(r, "ZoneId", NULL);
	j.q.status = -1;
	j.q.charge = -1;
	j.q.now_ms = r->now_ms;
	j.q.offset = (pn - 1) * ps;
	j.q.limit = (int)ps;
	if ((rc = act_result(r, store_read(r->ecsd->store, ds_tx, &j))) != ERR_OK)
		return rc;
	reply_int(&r->reply, "TotalCount", j.total);
	reply_int(&r->reply, "PageNumber", pn);
	reply_int(&r->reply, "PageSize", ps);
	return ERR_OK;
}
