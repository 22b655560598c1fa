/* create_load_balancer.c - CreateLoadBalancer (NETWORK.md F.1): with a
 * VSwitchId an intranet load balancer in that vSwitch's VPC, holding one
 * of its private addresses; without one an internet (classic) one with a
 * public address. Active at once; DeleteProtection on|off. */
#include "slb.h"
#include "../model/regions.h"
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>

struct cl_job {
	struct req *r;
	struct slb b;
};

static int cl_tx(struct store_tx *tx, void *arg)
{
	struct cl_job *j = arg;
	struct slb *b = &j->b;
	struct vswitch w;
	int rc;

	if (b->vsw_id[0]) {
		rc = net_vsw_get(tx, j->r->account, b->vsw_id, &w);
		if (rc == STORE_NOTFOUND)
			return ERR_INVALID_VSWITCH_ID_NOT_FOUND;
		if (rc)
			return rc;
		if (!vnet_available(w.ready_ms, j->r->now_ms))
			return ERR_INCORRECT_VSWITCH_STATUS;
		snprintf(b->vpc_id, sizeof(b->vpc_id), "%s", w.vpc_id);
		snprintf(b->region, sizeof(b->region), "%s", w.region);
		snprintf(b->master_zone, sizeof(b->master_zone), "%s", w.zone);
		if ((rc = edge_lb_address(tx, &w, b->id, b->address)))
			return rc;
	}
	return edge_slb_put(tx, b, 1);
}

enum err_id slb_create_load_balancer(struct req *r)
{
	struct cl_job *j = arena_alloc(&r->arena, sizeof(*j));
	const char *prot = param_str(r, PARAM_DeleteProtection, "off");
	const struct region *rg = region_find(param_str(r, PARAM_RegionId, ""));
	struct slb *b;
	unsigned char rnd[3];
	enum err_id e;

	if (!j)
		return api_raise(r, ERR_INTERNAL_ERROR, NULL);
	memset(j, 0, sizeof(*j));
	j->r = r;
	b = &j->b;
	if (strcmp(prot, "on") != 0 && strcmp(prot, "off") != 0)
		return api_raise(r, ERR_INVALID_PARAMETER, "DeleteProtection");
	model_new_id(b->id, "lb-");
	snprintf(b->account, sizeof(b->account), "%s", r->account);
	snprintf(b->region, sizeof(b->region), "%s", param_str(r, PARAM_RegionId, ""));
	snprintf(b->vsw_id, sizeof(b->vsw_id), "%s", param_str(r, PARAM_VSwitchId, ""));
	snprintf(b->name, sizeof(b->name), "%s", param_str(r, PARAM_LoadBalancerName, ""));
	if (!b->name[0])
		snprintf(b->name, sizeof(b->name), "auto_named_slb");
	snprintf(b->spec, sizeof(b->spec), "%s", param_str(r, PARAM_LoadBalancerSpec, ""));
	snprintf(b->pay_type, sizeof(b->pay_type), "%s", param_str(r, PARAM_PayType, "PayOnDemand"));
	snprintf(b->internet_charge, sizeof(b->internet_charge), "%s",
	         param_str(r, PARAM_InternetChargeType, "paybytraffic"));
	b->bandwidth = (int)param_int(r, PARAM_Bandwidth, 5120);
	b->delete_protection = strcmp(prot, "on") == 0;
	snprintf(b->status, sizeof(b->status), "active");
	snprintf(b->address_type, sizeof(b->address_type), "%s", b->vsw_id[0] ? "intranet" : "internet");
	snprintf(b->master_zone, sizeof(b->master_zone), "%s", param_str(r, PARAM_MasterZoneId, ""));
	snprintf(b->slave_zone, sizeof(b->slave_zone), "%s", param_str(r, PARAM_SlaveZoneId, ""));
	if (!b->master_zone[0] && rg && rg->zones[0])
		snprintf(b->master_zone, sizeof(b->master_zone), "%s", rg->zones[0]);
	if (!b->vsw_id[0]) {   /* a public address, as the real service hands out */
		if (RAND_bytes(rnd, sizeof(rnd)) != 1)
			return api_raise(r, ERR_INTERNAL_ERROR, NULL);
		snprintf(b->address, sizeof(b->address), "47.%u.%u.%u", 96u + (rnd[0] & 15u),
		         (unsigned)rnd[1], 1u + rnd[2] % 254u);
	}
	b->created_ms = r->now_ms;
	if ((e = slb_write(r, cl_tx, j)) != ERR_OK)
		return e;
	reply_str(&r->reply, "LoadBalancerId", b->id);
	reply_str(&r->reply, "Address", b->address);
	reply_str(&r->reply, "AddressIPVersion", "ipv4");
	reply_str(&r->reply, "LoadBalancerName", b->name);
	reply_str(&r->reply, "NetworkType", b->vpc_id[0] ? "vpc" : "classic");
	reply_str(&r->reply, "VpcId", b->vpc_id);
	reply_str(&r->reply, "VSwitchId", b->vsw_id);
	reply_str(&r->reply, "ResourceGroupId", VPC_RESOURCE_GROUP);
	return ERR_OK;
}
