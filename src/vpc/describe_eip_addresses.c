/* describe_eip_addresses.c - DescribeEipAddresses (NETWORK.md E.4): the
 * caller's EIPs of RegionId, filtered by AllocationId, EipAddress (comma
 * lists), Status, AssociatedInstanceType, AssociatedInstanceId and
 * ChargeType; page numbers (PageSize up to 100, default 10). */
#include "vpc.h"
#include "../net/edge.h"
#include <stdio.h>
#include <string.h>

struct de_job {
	struct req *r;
	const char *ids, *ips, *status, *itype, *inst, *charge;
	struct vpc_page pg;
	struct eip *rows;
	size_t n;
	int64_t total;
};

static int de_is(const char *want, const char *have)
{
	return !*want || strcmp(want, have) == 0;
}

static int de_row(void *arg, const struct res *row)
{
	struct de_job *j = arg;
	struct eip e;

	memset(&e, 0, sizeof(e));
	snprintf(e.id, sizeof(e.id), "%.31s", row->id);
	snprintf(e.account, sizeof(e.account), "%s", row->account);
	snprintf(e.region, sizeof(e.region), "%s", row->region);
	snprintf(e.instance_id, sizeof(e.instance_id), "%.31s", row->ref);
	e.created_ms = row->created_ms;
	e.seq = row->seq;
	vedge_eip_from_json(row->doc, &e);
	if (!vpc_in_list(j->ids, e.id) || !vpc_in_list(j->ips, e.ip) ||
	    !de_is(j->status, vedge_eip_status(&e, j->r->now_ms)) ||
	    !de_is(j->itype, e.instance_type) || !de_is(j->inst, e.instance_id) ||
	    !de_is(j->charge, e.charge))
		return 0;
	if (vpc_page_has(&j->pg, j->total++) && j->n < (size_t)j->pg.size)
		j->rows[j->n++] = e;
	return 0;
}

static int de_tx(struct store_tx *tx, void *arg)
{
	struct de_job *j = arg;
	struct res_query q;
	int rc;

	j->n = 0;
	j->total = 0;
	memset(&q, 0, sizeof(q));
	q.account = j->r->account;
	q.kind = EIP_KIND;
	q.region = param_str(j->r, PARAM_RegionId, "");
	rc = store_res_list(tx, &q, de_row, j);
	return rc < 0 ? rc : 0;
}

static void de_emit(struct req *r, const struct eip *e)
{
	struct reply *rp = &r->reply;
	char t[32];

	model_fmt_second(t, e->created_ms);
	reply_obj_begin(rp, NULL);
	reply_str(rp, "AllocationId", e->id);
	reply_str(rp, "IpAddress", e->ip);
	reply_str(rp, "Status", vedge_eip_status(e, r->now_ms));
	reply_str(rp, "InstanceId", e->instance_id);
	reply_str(rp, "InstanceType", e->instance_type);
	reply_str(rp, "InstanceRegionId", e->instance_id[0] ? e->region : "");
	reply_str(rp, "PrivateIpAddress", e->private_ip);
	reply_str(rp, "Bandwidth", e->bandwidth);
	reply_str(rp, "InternetChargeType", e->internet_charge);
	reply_str(rp, "ChargeType", e->charge);
	reply_str(rp, "AllocationTime", t);
	reply_str(rp, "ExpiredTime", "");
	reply_str(rp, "Name", e->name);
	reply_str(rp, "Description", e->description);
	reply_str(rp, "ISP", e->isp);
	reply_str(rp, "Netmode", "public");
	reply_str(rp, "Mode", "NAT");
	reply_str(rp, "RegionId", e->region);
	reply_str(rp, "ResourceGroupId", VPC_RESOURCE_GROUP);
	reply_str(rp, "VpcId", "");
	reply_bool(rp, "DeletionProtection", 0);
	reply_str(rp, "HDMonitorStatus", "OFF");
	reply_str(rp, "BandwidthPackageId", "");
	reply_list_begin(rp, "OperationLocks", "LockReason");
	reply_list_end(rp);
	reply_list_begin(rp, "Tags", "Tag");
	reply_list_end(rp);
	reply_obj_end(rp);
}

enum err_id vpc_describe_eip_addresses(struct req *r)
{
	struct de_job j = { .r = r };
	enum err_id e;

	vpc_page_get(r, &j.pg);
	j.ids = param_str(r, PARAM_AllocationId, "");
	j.ips = param_str(r, PARAM_EipAddress, "");
	j.status = param_str(r, PARAM_Status, "");
	j.itype = param_str(r, PARAM_AssociatedInstanceType, "");
	j.inst = param_str(r, PARAM_AssociatedInstanceId, "");
	j.charge = param_str(r, PARAM_ChargeType, "");
	j.rows = arena_alloc(&r->arena, sizeof(*j.rows) * (size_t)j.pg.size);
	if (!j.rows)
		return api_raise(r, ERR_INTERNAL_ERROR, NULL);
	if ((e = vpc_read(r, de_tx, &j)) != ERR_OK)
		return e;
	vpc_page_emit(r, &j.pg, j.total);
	reply_list_begin(&r->reply, "EipAddresses", "EipAddress");
	for (size_t i = 0; i < j.n; i++)
		de_emit(r, &j.rows[i]);
	reply_list_end(&r->reply);
	return ERR_OK;
}
