/* delete_instance.c - DeleteInstance, the heart of ecsd: every rule of the
 * seed page (model/release_rules.c), DryRun, all effects in one transaction.
 * RegionId, which the legacy SDKs always add, is ignored: the instance is
 * found by id across the caller's regions (docs/decisions.md). */
#include "act.h"

struct del_job {
	struct req *r;
	struct release_opts o;
	int dry_run;
};

static int del_tx(struct store_tx *tx, void *arg)
{
	struct del_job *j = arg;
	struct req *r = j->r;
	struct instance in;
	enum err_id e;
	int rc;

	if ((rc = act_load_instance(tx, r, param_str(r, PARAM_InstanceId, ""), &in)))
		return rc;
	if ((rc = act_release_deps(tx, r, &in)))
		return rc;
	if ((e = release_check(&in, &j->o, r->now_ms)) != ERR_OK)
		return api_raise(r, e, NULL);
	if (j->dry_run)
		return ERR_DRY_RUN_OPERATION;
	return act_release(tx, r, &in);
}

enum err_id act_delete_instance(struct req *r)
{
	struct del_job j = { .r = r };

	if (!model_id_valid(param_str(r, PARAM_InstanceId, ""), "i-"))
		return api_raise(r, ERR_INVALID_PARAMETER_INSTANCE_ID, NULL);
	j.o.force = param_bool(r, PARAM_Force, 0);
	j.o.force_stop = param_bool(r, PARAM_ForceStop, 1);
	j.o.terminate_subscription = param_bool(r, PARAM_TerminateSubscription, 0);
	j.dry_run = param_bool(r, PARAM_DryRun, 0);
	return act_write(r, del_tx, &j);
}
