/* create_vswitch.c - CreateVSwitch: a vSwitch in a zone of the VPC's
 * region, its CIDR block (mask 16-29) inside the VPC's and overlapping no
 * other vSwitch of the VPC; Pending for the transition delay. */
#include "vpc.h"
#include "../model/regions.h"
#include <stdio.h>
#include <string.h>

struct cw_job {
	struct req *r;
	struct vswitch w;
	struct cidr c;
};

struct cw_scan {
	const struct cidr *c;
	int overlap;
};

static int cw_sib(void *arg, const struct res *row)
{
	struct cw_scan *s = arg;
	struct vswitch o;
	struct cidr c;

	memset(&o, 0, sizeof(o));
	vnet_vsw_from_json(row->doc, &o);
	if (cidr_parse(o.cidr, &c) == 0 && cidr_overlaps(&c, s->c))
		s->overlap = 1;
	return 0;
}

static int cw_tx(struct store_tx *tx, void *arg)
{
	struct cw_job *j = arg;
	struct cw_scan s = { &j->c, 0 };
	struct res_query q;
	struct cidr vc;
	struct vpc v;
	int rc = net_vpc_get(tx, j->r->account, param_str(j->r, PARAM_VpcId, ""), &v);

	if (rc == STORE_NOTFOUND)
		return ERR_INVALID_VPC_ID_NOT_FOUND;
	if (rc)
		return rc;
	if (!region_has_zone(region_find(v.region), j->w.zone))
		return ERR_INVALID_ZONE_ID_NOT_FOUND;
	if (!vnet_available(v.ready_ms, j->r->now_ms))
		return ERR_INCORRECT_VPC_STATUS;
	if (cidr_parse(v.cidr, &vc))
		return STORE_EIO;
	rc = vnet_vsw_cidr(param_str(j->r, PARAM_CidrBlock, ""), &vc, &j->c);
	if (rc != ERR_OK)
		return rc;
	memset(&q, 0, sizeof(q));
	q.account = v.account;
	q.kind = VSW_KIND;
	q.parent = v.id;
	if ((rc = store_res_list(tx, &q, cw_sib, &s)))
		return rc;
	if (s.overlap)
		return ERR_INVALID_CIDR_BLOCK_OVERLAPPED;
	cidr_fmt(&j->c, j->w.cidr);
	snprintf(j->w.region, sizeof(j->w.region), "%s", v.region);
	snprintf(j->w.vpc_id, sizeof(j->w.vpc_id), "%s", v.id);
	j->w.seq = 0;
	return net_vsw_put(tx, &j->w, 1);
}

enum err_id vpc_create_vswitch(struct req *r)
{
	struct cw_job *j = arena_alloc(&r->arena, sizeof(*j));
	enum err_id e;

	if (!j)
		return api_raise(r, ERR_INTERNAL_ERROR, NULL);
	memset(j, 0, sizeof(*j));
	j->r = r;
	model_new_id(j->w.id, "vsw-");
	snprintf(j->w.account, sizeof(j->w.account), "%s", r->account);
	snprintf(j->w.zone, sizeof(j->w.zone), "%s", param_str(r, PARAM_ZoneId, ""));
	snprintf(j->w.name, sizeof(j->w.name), "%s", param_str(r, PARAM_VSwitchName, ""));
	snprintf(j->w.description, sizeof(j->w.description), "%s",
	         param_str(r, PARAM_Description, ""));
	j->w.created_ms = r->now_ms;
	j->w.ready_ms = r->now_ms + r->ecsd->transition_ms;
	if ((e = vpc_write(r, cw_tx, j)) != ERR_OK)
		return e;
	reply_str(&r->reply, "VSwitchId", j->w.id);
	return ERR_OK;
}
