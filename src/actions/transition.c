/* transition.c - what StartInstance, StopInstance and RebootInstance share:
 * find the caller's instance, refuse security-locked ones, let the state
 * machine (model/instance.c) decide, store the new schedule. */
#include "act.h"
#include <stdio.h>

struct trans_job {
	struct req *r;
	enum inst_trans t;
	const char *stopped_mode;
	int dry_run;
};

static int trans_tx(struct store_tx *tx, void *arg)
{
	struct trans_job *j = arg;
	struct req *r = j->r;
	struct instance in;
	enum err_id e;
	int rc;

	if ((rc = act_load_instance(tx, r, param_str(r, PARAM_InstanceId, ""), &in)))
		return rc;
	if ((e = ACT_NOT_LOCKED(&in)) != ERR_OK)
		return api_raise(r, e, NULL);
	e = inst_enter(&in, j->t, r->now_ms, r->ecsd->transition_ms);
	if (e != ERR_OK)
		return api_raise(r, e, NULL);
	if (j->dry_run)
		return ERR_DRY_RUN_OPERATION;
	if (j->stopped_mode)
		snprintf(in.stopped_mode, sizeof(in.stopped_mode), "%s", j->stopped_mode);
	else if (j->t == TR_START)
		in.stopped_mode[0] = '\0';
	return store_inst_update(tx, &in);
}

enum err_id act_transition(struct req *r, enum inst_trans t,
                           const char *stopped_mode)
{
	struct trans_job j = { r, t, stopped_mode, param_bool(r, PARAM_DryRun, 0) };

	return act_write(r, trans_tx, &j);
}
