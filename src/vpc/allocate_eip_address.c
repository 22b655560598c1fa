/* allocate_eip_address.c - AllocateEipAddress (NETWORK.md E.4): a public
 * address of the region, Available at once; Bandwidth is a string (Mbit/s,
 * default "5"), InternetChargeType PayByBandwidth | PayByTraffic,
 * InstanceChargeType PostPaid | PrePaid. */
#include "vpc.h"
#include "../net/edge.h"
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int al_tx(struct store_tx *tx, void *arg)
{
	return edge_eip_put(tx, arg, 1);
}

static int al_one_of(const char *v, const char *a, const char *b)
{
	return strcmp(v, a) == 0 || strcmp(v, b) == 0;
}

enum err_id vpc_allocate_eip_address(struct req *r)
{
	struct eip *e = arena_alloc(&r->arena, sizeof(*e));
	const char *bw = param_str(r, PARAM_Bandwidth, "5");
	unsigned char rnd[3];
	long long v;
	char *end;
	enum err_id err;

	if (!e || RAND_bytes(rnd, sizeof(rnd)) != 1)
		return api_raise(r, ERR_INTERNAL_ERROR, NULL);
	memset(e, 0, sizeof(*e));
	v = strtoll(bw, &end, 10);
	if (!*bw || *end || v < 1 || v > 10000)
		return api_raise(r, ERR_INVALID_PARAMETER, "Bandwidth");
	snprintf(e->bandwidth, sizeof(e->bandwidth), "%lld", v);
	snprintf(e->internet_charge, sizeof(e->internet_charge), "%s",
	         param_str(r, PARAM_InternetChargeType, "PayByBandwidth"));
	snprintf(e->charge, sizeof(e->charge), "%s", param_str(r, PARAM_InstanceChargeType, "PostPaid"));
	if (!al_one_of(e->internet_charge, "PayByBandwidth", "PayByTraffic"))
		return api_raise(r, ERR_INVALID_PARAMETER, "InternetChargeType");
	if (!al_one_of(e->charge, "PostPaid", "PrePaid"))
		return api_raise(r, ERR_INVALID_PARAMETER, "InstanceChargeType");
	model_new_id(e->id, "eip-");
	snprintf(e->account, sizeof(e->account), "%s", r->account);
	snprintf(e->region, sizeof(e->region), "%s", param_str(r, PARAM_RegionId, ""));
	snprintf(e->name, sizeof(e->name), "%s", param_str(r, PARAM_Name, ""));
	snprintf(e->description, sizeof(e->description), "%s", param_str(r, PARAM_Description, ""));
	snprintf(e->isp, sizeof(e->isp), "%s", param_str(r, PARAM_ISP, "BGP"));
	snprintf(e->ip, sizeof(e->ip), "47.%u.%u.%u", 96u + (rnd[0] & 15u), (unsigned)rnd[1],
	         1u + rnd[2] % 254u);
	e->created_ms = r->now_ms;
	if ((err = vpc_write(r, al_tx, e)) != ERR_OK)
		return err;
	reply_str(&r->reply, "AllocationId", e->id);
	reply_str(&r->reply, "EipAddress", e->ip);
	reply_str(&r->reply, "OrderId", "");
	reply_str(&r->reply, "ResourceGroupId", VPC_RESOURCE_GROUP);
	return ERR_OK;
}
