/* eni_common.c - helpers of the network interface Actions (eni.h). */
#include "eni.h"
#include <string.h>

int act_eni_load(struct store_tx *tx, struct req *r, const char *id, struct eni *out)
{
	int rc = net_eni_get(tx, r->account, id, out);

	if (rc == STORE_NOTFOUND ||
	    (rc == 0 && strcmp(out->region, param_str(r, PARAM_RegionId, "")) != 0))
		return ERR_INVALID_ENI_ID_NOT_FOUND;
	return rc;
}

int act_eni_instance(struct store_tx *tx, struct req *r, const char *id,
                     struct instance *out)
{
	int rc = store_inst_get(tx, r->account, id, out);

	return rc == STORE_NOTFOUND ? ERR_INVALID_ECS_ID_NOT_FOUND : rc;
}

static void eni_ids(struct reply *rp, const char *list)
{
	const char *p = list;

	reply_list_begin(rp, "SecurityGroupIds", "SecurityGroupId");
	while (p && *p) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char id[ID_LEN];

		if (n && n < sizeof(id)) {
			memcpy(id, p, n);
			id[n] = '\0';
			reply_str(rp, NULL, id);
		}
		p = e ? e + 1 : NULL;
	}
	reply_list_end(rp);
}

void act_emit_eni(struct req *r, const struct eni *e)
{
	struct reply *rp = &r->reply;
	char t[32];

	model_fmt_second(t, e->created_ms);
	reply_str(rp, "NetworkInterfaceId", e->id);
	reply_str(rp, "NetworkInterfaceName", e->name);
	reply_str(rp, "Description", e->description);
	reply_str(rp, "Status", vnet_eni_status(e, r->now_ms));
	reply_str(rp, "Type", e->type);
	reply_str(rp, "VpcId", e->vpc_id);
	reply_str(rp, "VSwitchId", e->vsw_id);
	reply_str(rp, "ZoneId", e->zone);
	reply_str(rp, "InstanceId", e->instance_id);
	reply_str(rp, "MacAddress", e->mac);
	reply_str(rp, "PrivateIpAddress", e->ip);
	reply_str(rp, "CreationTime", t);
	reply_bool(rp, "DeleteOnRelease", e->delete_on_release);
	reply_str(rp, "ResourceGroupId", "");
	reply_bool(rp, "ServiceManaged", 0);
	reply_str(rp, "ServiceID", "");
	eni_ids(rp, e->sg_ids);
	reply_list_begin(rp, "PrivateIpSets", "PrivateIpSet");
	reply_obj_begin(rp, NULL);
	reply_str(rp, "PrivateIpAddress", e->ip);
	reply_bool(rp, "Primary", 1);
	reply_str(rp, "PrivateDnsName", "");
	reply_obj_begin(rp, "AssociatedPublicIp");
	reply_str(rp, "PublicIpAddress", "");
	reply_str(rp, "AllocationId", "");
	reply_obj_end(rp);
	reply_obj_end(rp);
	reply_list_end(rp);
	reply_obj_begin(rp, "AssociatedPublicIp");
	reply_str(rp, "PublicIpAddress", "");
	reply_str(rp, "AllocationId", "");
	reply_obj_end(rp);
	reply_obj_begin(rp, "Attachment");
	reply_str(rp, "InstanceId", e->instance_id);
	reply_int(rp, "DeviceIndex", strcmp(e->type, "Primary") == 0 ? 0 : 1);
	reply_obj_end(rp);
	reply_list_begin(rp, "Ipv6Sets", "Ipv6Set");
	reply_list_end(rp);
	reply_list_begin(rp, "Tags", "Tag");
	reply_list_end(rp);
}
