/* modify_instance_attribute.c - ModifyInstanceAttribute: name,
 * description, host name, DeletionProtection. Unspecified attributes stay
 * as they are; security-locked instances are refused. */
#include "act.h"
#include <stdio.h>
#include <string.h>


static int starts_http(const char *s)
{
	return strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0;
}

static int mia_tx(struct store_tx *tx, void *arg)
{
	struct req *r = arg;
	struct instance in;
	const char *v;
	int rc;

	if ((rc = act_load_instance(tx, r, param_str(r, PARAM_InstanceId, ""), &in)))
		return rc;
	if (in.flags & IF_LOCK_SECURITY)
		return ERR_INSTANCE_LOCKED_FOR_SECURITY;
	if ((v = param_str(r, PARAM_InstanceName, NULL)))
		snprintf(in.name, sizeof(in.name), "%s", v);
	if ((v = param_str(r, PARAM_Description, NULL)))
		snprintf(in.description, sizeof(in.description), "%s", v);
	if ((v = param_str(r, PARAM_HostName, NULL)))
		snprintf(in.hostname, sizeof(in.hostname), "%s", v);
	if (param_given(r, PARAM_DeletionProtection)) {
		int dp = param_bool(r, PARAM_DeletionProtection, 0);

		/* pay-as-you-go only (Terraform retries on this very code) */
		if (dp && in.charge == CHARGE_PREPAID)
			return ERR_INVALID_CHARGE_TYPE_VALUE_NOT_SUPPORTED;
		in.deletion_protection = dp;
	}
	return store_inst_update(tx, &in);
}

enum err_id act_modify_instance_attribute(struct req *r)
{
	const char *name = param_str(r, PARAM_InstanceName, NULL);
	const char *desc = param_str(r, PARAM_Description, NULL);
	const char *host = param_str(r, PARAM_HostName, NULL);

	if (name && (strlen(name) < 2 || strlen(name) > 128 || starts_http(name)))
		return api_raise(r, ERR_INVALID_INSTANCE_NAME_MALFORMED, NULL);
	if (desc && (strlen(desc) > 256 || starts_http(desc)))
		return api_raise(r, ERR_INVALID_DESCRIPTION_MALFORMED, NULL);
	if (host && (strlen(host) < 2 || strlen(host) > 64))
		return api_raise(r, ERR_INVALID_HOST_NAME_MALFORMED, NULL);
	return act_write(r, mia_tx, r);
}
