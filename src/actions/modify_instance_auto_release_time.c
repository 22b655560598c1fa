/* modify_instance_auto_release_time.c - ModifyInstanceAutoReleaseTime:
 * sets (or, without AutoReleaseTime, cancels) the time a pay-as-you-go
 * instance is released; auto_release.c releases it when the time comes. */
#include "auto_release.h"
#include "../model/autorelease.h"
#include <string.h>


struct mar_job {
	struct req *r;
	int64_t at_ms;
};

static int mar_tx(struct store_tx *tx, void *arg)
{
	struct mar_job *j = arg;
	struct req *r = j->r;
	struct instance in;
	int rc = store_inst_get(tx, r->account, param_str(r, PARAM_InstanceId, ""), &in);

	if (rc == STORE_NOTFOUND)
		return ERR_NO_SUCH_RESOURCE;
	if (rc)
		return rc;
	if (param_given(r, PARAM_RegionId) && strcmp(in.region, param_str(r, PARAM_RegionId, "")) != 0)
		return ERR_NO_SUCH_RESOURCE;
	if (in.charge == CHARGE_PREPAID)
		return ERR_CHARGE_TYPE_VIOLATION;
	if ((rc = act_ar_schedule(tx, &in, j->at_ms)))
		return rc;
	return store_inst_update(tx, &in);
}

enum err_id act_modify_instance_auto_release_time(struct req *r)
{
	struct mar_job j = { r, 0 };
	const char *at = param_str(r, PARAM_AutoReleaseTime, "");

	if (!*param_str(r, PARAM_InstanceId, ""))
		return api_raise(r, ERR_MISSING_PARAMTER_INSTANCE_ID, NULL);
	if (*at && autorelease_parse(at, r->now_ms, &j.at_ms))
		return api_raise(r, ERR_INVALID_AUTO_RELEASE_TIME_MALFORMED, NULL);
	return act_write(r, mar_tx, &j);
}
