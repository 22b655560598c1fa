/* act_net.c - the network fields of an instance as DescribeInstances and
 * DescribeInstanceAttribute show them (NETWORK.md C.4), read from the
 * instance row alone so that a Describe stays one statement. */
#include "act.h"
#include <string.h>

static void an_ip_list(struct reply *rp, const char *container, const char *ip)
{
	reply_list_begin(rp, container, "IpAddress");
	if (ip && *ip)
		reply_str(rp, NULL, ip);
	reply_list_end(rp);
}

/* Each id of a comma-separated list as a string item. */
static void an_ids(struct reply *rp, const char *list)
{
	const char *p = list;

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
}

void act_emit_instance_net(struct req *r, const struct instance *in)
{
	struct reply *rp = &r->reply;

	reply_list_begin(rp, "SecurityGroupIds", "SecurityGroupId");
	an_ids(rp, in->sg_ids);
	reply_list_end(rp);
	an_ip_list(rp, "PublicIpAddress", in->public_ip);
	an_ip_list(rp, "InnerIpAddress", NULL);   /* classic network only */
	reply_obj_begin(rp, "VpcAttributes");
	reply_str(rp, "VpcId", in->vpc_id);
	reply_str(rp, "VSwitchId", in->vswitch_id);
	reply_str(rp, "NatIpAddress", "");
	an_ip_list(rp, "PrivateIpAddress", in->private_ip);
	reply_obj_end(rp);
	reply_obj_begin(rp, "EipAddress");
	reply_str(rp, "AllocationId", in->eip_id);
	reply_str(rp, "IpAddress", in->eip_ip);
	reply_int(rp, "Bandwidth", in->eip_bandwidth);
	reply_str(rp, "InternetChargeType", in->eip_charge);
	reply_bool(rp, "IsSupportUnassociate", in->eip_id[0] != '\0');
	reply_obj_end(rp);
	reply_list_begin(rp, "NetworkInterfaces", "NetworkInterface");
	if (in->eni_id[0]) {
		reply_obj_begin(rp, NULL);
		reply_str(rp, "NetworkInterfaceId", in->eni_id);
		reply_str(rp, "Type", "Primary");
		reply_str(rp, "MacAddress", in->mac);
		reply_str(rp, "PrimaryIpAddress", in->private_ip);
		reply_list_begin(rp, "PrivateIpSets", "PrivateIpSet");
		reply_obj_begin(rp, NULL);
		reply_str(rp, "PrivateIpAddress", in->private_ip);
		reply_bool(rp, "Primary", 1);
		reply_obj_end(rp);
		reply_list_end(rp);
		reply_obj_end(rp);
	}
	reply_list_end(rp);
}
