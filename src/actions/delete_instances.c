/* delete_instances.c - DeleteInstances: 1-100 ids, all or none. Every id
 * is checked first (existence in RegionId, then the release rules); only
 * if all pass is anything released, in one transaction. ClientToken makes
 * a retried batch answer the same. */
#include "act.h"
#include <string.h>


struct dels_job {
	struct req *r;
	struct release_opts o;
	int dry_run;
	const char *token;
};

static int dels_tx(struct store_tx *tx, void *arg)
{
	struct dels_job *j = arg;
	struct req *r = j->r;
	const struct pval *ids = param_val(r, PARAM_InstanceId);
	const char *region = param_str(r, PARAM_RegionId, "");
	struct instance *in;
	struct buf missing, prev;
	int hit = 0, rc;

	buf_init(&prev, 4096);
	rc = act_token_check(tx, r, j->token, &hit, &prev);
	buf_free(&prev);
	if (rc || hit)
		return rc;
	in = arena_alloc(&r->arena, ids->nlist * sizeof(*in));
	if (!in)
		return ERR_INTERNAL_ERROR;
	buf_init(&missing, 8192);
	for (size_t i = 0; i < ids->nlist; i++) {
		rc = store_inst_get(tx, r->account, ids->list[i], &in[i]);
		if (rc == STORE_NOTFOUND || (rc == 0 && strcmp(in[i].region, region) != 0)) {
			buf_printf(&missing, "%s%s", missing.len ? "," : "", ids->list[i]);
			continue;
		}
		if (rc) {
			buf_free(&missing);
			return rc;
		}
	}
	if (missing.len) {
		api_raise(r, ERR_INVALID_INSTANCE_IDS_NOT_FOUND, arena_strdup(&r->arena, buf_cstr(&missing)));
		buf_free(&missing);
		return ERR_INVALID_INSTANCE_IDS_NOT_FOUND;
	}
	buf_free(&missing);
	for (size_t i = 0; i < ids->nlist; i++) {
		enum err_id e;

		if ((rc = act_release_deps(tx, r, &in[i])))
			return rc;
		e = release_check(&in[i], &j->o, r->now_ms);
		if (e != ERR_OK)
			return api_raise(r, e, NULL);
	}
	if (j->dry_run)
		return ERR_DRY_RUN_OPERATION;
	for (size_t i = 0; i < ids->nlist; i++)
		if ((rc = act_release(tx, r, &in[i])))
			return rc;
	return act_token_save(tx, r, j->token, "ok");
}

enum err_id act_delete_instances(struct req *r)
{
	struct dels_job j = { .r = r };
	const struct pval *ids = param_val(r, PARAM_InstanceId);

	for (size_t i = 0; i < ids->nlist; i++) {
		if (!model_id_valid(ids->list[i], "i-"))
			return api_raise(r, ERR_INVALID_PARAMETER_INSTANCE_ID, NULL);
		for (size_t k = 0; k < i; k++)
			if (strcmp(ids->list[i], ids->list[k]) == 0)
				return api_raise(r, ERR_INVALID_PARAMETER, "InstanceId");
	}
	j.o.force = param_bool(r, PARAM_Force, 0);
	j.o.force_stop = param_bool(r, PARAM_ForceStop, 1);
	j.o.terminate_subscription = param_bool(r, PARAM_TerminateSubscription, 0);
	j.dry_run = param_bool(r, PARAM_DryRun, 0);
	j.token = param_str(r, PARAM_ClientToken, NULL);
	return act_write(r, dels_tx, &j);
}
