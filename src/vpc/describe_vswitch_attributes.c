/* describe_vswitch_attributes.c - DescribeVSwitchAttributes: one of the
 * caller's vSwitches; unknown or another account's is
 * InvalidVSwitchId.NotFound 404 (NETWORK.md E.2, recorded in
 * docs/decisions.md). */
#include "vpc.h"
#include <stdio.h>

struct dw_job {
	struct req *r;
	struct vswitch w;
	char vtb[ID_LEN];
	int64_t used;
};

static int dw_tx(struct store_tx *tx, void *arg)
{
	struct dw_job *j = arg;
	struct vpc v;
	int rc = net_vsw_get(tx, j->r->account, param_str(j->r, PARAM_VSwitchId, ""), &j->w);

	if (rc == STORE_NOTFOUND)
		return ERR_INVALID_VSWITCH_ID_NOT_FOUND;
	if (rc || (rc = net_vsw_used(tx, &j->w, &j->used)))
		return rc;
	rc = net_vpc_get(tx, j->r->account, j->w.vpc_id, &v);
	if (rc && rc != STORE_NOTFOUND)
		return rc;
	snprintf(j->vtb, sizeof(j->vtb), "%s", rc ? "" : v.route_table_id);
	return 0;
}

enum err_id vpc_describe_vswitch_attributes(struct req *r)
{
	struct dw_job j = { .r = r };
	enum err_id e;

	if (param_bool(r, PARAM_DryRun, 0))
		return api_raise(r, ERR_DRY_RUN_OPERATION, NULL);
	if ((e = vpc_read(r, dw_tx, &j)) != ERR_OK)
		return e;
	vpc_emit_vsw(r, &j.w, j.vtb, j.used);
	return ERR_OK;
}
