/* describe_load_balancers.c - DescribeLoadBalancers (NETWORK.md F.2): the
 * caller's load balancers of RegionId, filtered by LoadBalancerId (comma
 * list), LoadBalancerName, VpcId, VSwitchId, Address, AddressType,
 * NetworkType and ServerId (those that have that backend); page numbers. */
#include "slb.h"
#include <stdio.h>
#include <string.h>

#define DL_MAX_PAGE 100

struct dl_job {
	struct req *r;
	const char *ids, *name, *vpc, *vsw, *addr, *atype, *ntype, *server;
	long long pg_number, pg_size;
	struct slb *rows;
	int n;
	int64_t total;
	struct slb_backend *be;
	struct store_tx *tx;
	int rc;
};

static int dl_is(const char *want, const char *have)
{
	return !*want || strcmp(want, have) == 0;
}

static int dl_row(void *arg, const struct res *row)
{
	struct dl_job *j = arg;
	struct slb b;

	memset(&b, 0, sizeof(b));
	snprintf(b.id, sizeof(b.id), "%.31s", row->id);
	snprintf(b.account, sizeof(b.account), "%s", row->account);
	snprintf(b.region, sizeof(b.region), "%s", row->region);
	snprintf(b.vsw_id, sizeof(b.vsw_id), "%.31s", row->parent);
	b.created_ms = row->created_ms;
	b.seq = row->seq;
	vedge_slb_from_json(row->doc, &b);
	if (!slb_in_list(j->ids, b.id) || !dl_is(j->name, b.name) || !dl_is(j->vpc, b.vpc_id) ||
	    !dl_is(j->vsw, b.vsw_id) || !dl_is(j->addr, b.address) ||
	    !dl_is(j->atype, b.address_type) ||
	    !dl_is(j->ntype, b.vpc_id[0] ? "vpc" : "classic"))
		return 0;
	if (*j->server) {
		int n = 0, hit = 0;

		if ((j->rc = edge_backends(j->tx, b.account, b.id, j->be, SLB_BACKENDS_MAX, &n)))
			return 1;
		for (int i = 0; i < n; i++)
			hit |= strcmp(j->be[i].server_id, j->server) == 0;
		if (!hit)
			return 0;
	}
	if (j->total >= (j->pg_number - 1) * j->pg_size && j->n < j->pg_size)
		j->rows[j->n++] = b;
	j->total++;
	return 0;
}

static int dl_tx(struct store_tx *tx, void *arg)
{
	struct dl_job *j = arg;
	struct res_query q;
	int rc;

	j->n = 0;
	j->total = 0;
	j->tx = tx;
	j->rc = 0;
	memset(&q, 0, sizeof(q));
	q.account = j->r->account;
	q.kind = SLB_KIND;
	q.region = param_str(j->r, PARAM_RegionId, "");
	rc = store_res_list(tx, &q, dl_row, j);
	if (j->rc)
		return j->rc;
	return rc < 0 ? rc : 0;
}

enum err_id slb_describe_load_balancers(struct req *r)
{
	struct dl_job j = { .r = r };
	struct reply *rp = &r->reply;
	enum err_id e;

	j.pg_number = param_int(r, PARAM_PageNumber, 1);
	j.pg_size = param_int(r, PARAM_PageSize, 50);
	j.ids = param_str(r, PARAM_LoadBalancerId, "");
	j.name = param_str(r, PARAM_LoadBalancerName, "");
	j.vpc = param_str(r, PARAM_VpcId, "");
	j.vsw = param_str(r, PARAM_VSwitchId, "");
	j.addr = param_str(r, PARAM_Address, "");
	j.atype = param_str(r, PARAM_AddressType, "");
	j.ntype = param_str(r, PARAM_NetworkType, "");
	j.server = param_str(r, PARAM_ServerId, "");
	j.rows = arena_alloc(&r->arena, sizeof(*j.rows) * DL_MAX_PAGE);
	j.be = arena_alloc(&r->arena, sizeof(*j.be) * SLB_BACKENDS_MAX);
	if (!j.rows || !j.be)
		return api_raise(r, ERR_INTERNAL_ERROR, NULL);
	if ((e = slb_read(r, dl_tx, &j)) != ERR_OK)
		return e;
	reply_int(rp, "TotalCount", j.total);
	reply_int(rp, "PageNumber", j.pg_number);
	reply_int(rp, "PageSize", j.pg_size);
	reply_list_begin(rp, "LoadBalancers", "LoadBalancer");
	for (int i = 0; i < j.n; i++) {
		reply_obj_begin(rp, NULL);
		slb_emit_lb(r, &j.rows[i]);
		reply_obj_end(rp);
	}
	reply_list_end(rp);
	return ERR_OK;
}
