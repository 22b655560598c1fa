/* describe_instances.c - DescribeInstances: filters (InstanceIds, Status,
 * InstanceChargeType, ZoneId), page or token paging, wrapped lists. An
 * unknown id simply matches nothing (Terraform relies on the empty list). */
#include "act.h"
#include "../store/tags.h"
#include <string.h>

struct di_job {
	struct page_walk w;
	struct inst_query q;
	struct store_tx *tx;
	const char *key_pair;     /* KeyPairName filter, or NULL */
	struct tag_filter tf;     /* Tag.N filter */
	int64_t skip_first;       /* PageNumber offset applied here under those */
	int64_t skip;             /* what is left of it in this run */
};

/* The filters the store cannot apply: 1 match, 0 not, <0 store error;
 * tags receives the instance's tags. */
static int di_match(struct di_job *j, const struct instance *in, struct tag_set *tags)
{
	int rc;

	if (j->key_pair && strcmp(j->key_pair, in->key_pair_name) != 0)
		return 0;
	if ((rc = store_tags_get(j->tx, in->account, in->id, tags)))
		return rc;
	return tag_match(tags, &j->tf);
}

static int di_row(void *arg, const struct instance *in)
{
	struct di_job *j = arg;
	struct tag_set tags;
	int rc = di_match(j, in, &tags);

	if (rc <= 0)
		return rc;
	if (j->skip > 0) {
		j->skip--;
		return 0;
	}
	if (act_page_take(&j->w, in->seq))
		return 1;
	reply_obj_begin(&j->w.r->reply, NULL);
	act_emit_instance(j->w.r, in, j->q.now_ms);
	act_emit_tags(j->w.r, &tags);
	reply_obj_end(&j->w.r->reply);
	return 0;
}

static int di_count_row(void *arg, const struct instance *in)
{
	struct di_job *j = arg;
	struct tag_set tags;
	int rc = di_match(j, in, &tags);

	if (rc < 0)
		return rc;
	j->w.total += rc;
	return 0;
}

/* TotalCount under filters the store cannot apply: walk every match. */
static int di_count(struct store_tx *tx, struct di_job *j)
{
	struct inst_query q = j->q;

	q.after_seq = 0;
	q.offset = 0;
	q.limit = 0;
	j->w.total = 0;
	return store_inst_list(tx, &q, di_count_row, j);
}

static int di_tx(struct store_tx *tx, void *arg)
{
	struct di_job *j = arg;
	int rc;

	j->tx = tx;
	act_page_restart(&j->w);
	j->skip = j->skip_first;
	reply_list_begin(&j->w.r->reply, "Instances", "Instance");
	rc = act_page_rc(store_inst_list(tx, &j->q, di_row, j));
	reply_list_end(&j->w.r->reply);
	if (rc)
		return rc;
	if (act_page_total(&j->w, j->w.pg.offset, j->q.after_seq))
		return 0;
	if (j->key_pair || j->tf.n)
		return di_count(tx, j);
	return store_inst_count(tx, &j->q, &j->w.total);
}

enum err_id act_describe_instances(struct req *r)
{
	struct di_job j = { .w.r = r };
	const struct pval *ids = param_val(r, PARAM_InstanceIds);
	const char *st = param_str(r, PARAM_Status, NULL);
	const char *ct = param_str(r, PARAM_InstanceChargeType, NULL);
	enum err_id rc;

	if ((rc = act_paging(r, &j.w.pg, 100)) != ERR_OK)
		return rc;
	j.q.account = r->account;
	j.q.region = param_str(r, PARAM_RegionId, NULL);
	j.q.ids.v = ids->list;
	j.q.ids.n = ids->nlist;
	j.q.ids.set = ids->present;
	j.q.zone = param_str(r, PARAM_ZoneId, NULL);
	j.q.status = -1;
	if (st && (j.q.status = inst_status_parse(st)) < 0)
		return api_raise(r, ERR_INVALID_STATUS_NOT_FOUND, NULL);
	j.q.charge = -1;
	if (ct && (j.q.charge = charge_parse(ct)) < 0)
		return api_raise(r, ERR_INVALID_INSTANCE_CHARGE_TYPE_NOT_FOUND, NULL);
	j.key_pair = param_str(r, PARAM_KeyPairName, NULL);
	if (j.key_pair && !*j.key_pair)
		j.key_pair = NULL;
	if ((rc = act_tags_filter(r, &j.tf)) != ERR_OK)
		return rc;
	if (param_bool(r, PARAM_DryRun, 0))
		return api_raise(r, ERR_DRY_RUN_OPERATION, NULL);
	j.q.now_ms = r->now_ms;
	j.q.after_seq = j.w.pg.after_seq;
	j.q.offset = j.w.pg.offset;
	j.q.limit = j.w.pg.limit + 1;
	if (j.key_pair || j.tf.n) {   /* filters applied row by row in C */
		j.skip_first = j.q.offset;
		j.q.offset = 0;
		j.q.limit = 0;
	}
	if ((rc = act_read(r, di_tx, &j)) != ERR_OK)
		return rc;
	act_page_finish(&j.w);
	return ERR_OK;
}
