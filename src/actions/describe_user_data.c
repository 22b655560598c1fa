/* describe_user_data.c - DescribeUserData: ecsd keeps no user data, so an
 * existing instance answers an empty UserData (Terraform reads it on every
 * refresh). */
#include "act.h"
#include <string.h>


static int ud_tx(struct store_tx *tx, void *arg)
{
	struct req *r = arg;
	struct instance in;
	int rc;

	if ((rc = act_load_instance(tx, r, param_str(r, PARAM_InstanceId, ""), &in)))
		return rc;
	if (strcmp(in.region, param_str(r, PARAM_RegionId, "")) != 0)
		return ERR_INVALID_INSTANCE_ID_NOT_FOUND;
	reply_str(&r->reply, "RegionId", in.region);
	reply_str(&r->reply, "InstanceId", in.id);
	reply_str(&r->reply, "UserData", "");
	return 0;
}

enum err_id act_describe_user_data(struct req *r)
{
	return act_read(r, ud_tx, r);
}
