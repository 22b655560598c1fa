/* vpc.c - helpers shared by the VPC product's handlers (vpc.h). */
#include "vpc.h"
#include "../common/limits.h"
#include <stdio.h>
#include <string.h>

static enum err_id vpc_result(struct req *r, int rc)
{
	if (rc == 0)
		return ERR_OK;
	if (rc > 0)
		return api_raise(r, (enum err_id)rc, NULL);
	if (rc == STORE_EUNAVAIL)
		return api_raise(r, ERR_SERVICE_UNAVAILABLE, NULL);
	return api_raise(r, ERR_INTERNAL_ERROR, NULL);
}

enum err_id vpc_write(struct req *r, store_fn fn, void *job)
{
	return vpc_result(r, store_write(r->ecsd->store, fn, job));
}

enum err_id vpc_read(struct req *r, store_fn fn, void *job)
{
	return vpc_result(r, store_read(r->ecsd->store, fn, job));
}

static void vpc_empty_list(struct reply *rp, const char *c, const char *i)
{
	reply_list_begin(rp, c, i);
	reply_list_end(rp);
}

void vpc_emit_vpc(struct req *r, const struct vpc *v, const struct vpc_ids *vsw)
{
	struct reply *rp = &r->reply;
	char t[32];

	model_fmt_second(t, v->created_ms);
	reply_str(rp, "VpcId", v->id);
	reply_str(rp, "RegionId", v->region);
	reply_str(rp, "Status", vnet_status(v->ready_ms, r->now_ms));
	reply_str(rp, "VpcName", v->name);
	reply_str(rp, "Description", v->description);
	reply_str(rp, "CreationTime", t);
	reply_str(rp, "CidrBlock", v->cidr);
	reply_str(rp, "VRouterId", v->vrouter_id);
	reply_bool(rp, "IsDefault", v->is_default);
	reply_bool(rp, "ClassicLinkEnabled", 0);
	reply_bool(rp, "EnabledIpv6", 0);
	reply_str(rp, "Ipv6CidrBlock", "");
	reply_str(rp, "ResourceGroupId", VPC_RESOURCE_GROUP);
	reply_str(rp, "DnsHostnameStatus", "DISABLED");
	reply_str(rp, "DhcpOptionsSetId", "");
	reply_str(rp, "DhcpOptionsSetStatus", "");
	reply_list_begin(rp, "VSwitchIds", "VSwitchId");
	for (size_t i = 0; vsw && i < vsw->n; i++)
		reply_str(rp, NULL, vsw->v[i]);
	reply_list_end(rp);
	reply_list_begin(rp, "RouterTableIds", "RouterTableIds");
	reply_str(rp, NULL, v->route_table_id);
	reply_list_end(rp);
	vpc_empty_list(rp, "SecondaryCidrBlocks", "SecondaryCidrBlock");
	vpc_empty_list(rp, "UserCidrs", "UserCidr");
	vpc_empty_list(rp, "NatGatewayIds", "NatGatewayIds");
	vpc_empty_list(rp, "Ipv6CidrBlocks", "Ipv6CidrBlock");
	vpc_empty_list(rp, "Tags", "Tag");
}

void vpc_emit_vsw(struct req *r, const struct vswitch *w, const char *vtb_id,
                  int64_t used)
{
	struct reply *rp = &r->reply;
	struct cidr c;
	int64_t avail = 0;
	char t[32];

	if (cidr_parse(w->cidr, &c) == 0)
		avail = cidr_usable(&c) - used;
	model_fmt_second(t, w->created_ms);
	reply_str(rp, "VSwitchId", w->id);
	reply_str(rp, "VpcId", w->vpc_id);
	reply_str(rp, "Status", vnet_status(w->ready_ms, r->now_ms));
	reply_str(rp, "CidrBlock", w->cidr);
	reply_str(rp, "ZoneId", w->zone);
	reply_int(rp, "AvailableIpAddressCount", avail < 0 ? 0 : avail);
	reply_str(rp, "VSwitchName", w->name);
	reply_str(rp, "Description", w->description);
	reply_str(rp, "CreationTime", t);
	reply_bool(rp, "IsDefault", w->is_default);
	reply_str(rp, "ResourceGroupId", VPC_RESOURCE_GROUP);
	reply_str(rp, "RegionId", w->region);
	reply_str(rp, "Ipv6CidrBlock", "");
	reply_bool(rp, "EnabledIpv6", 0);
	reply_str(rp, "NetworkAclId", "");
	reply_str(rp, "ShareType", "Sharing");
	reply_obj_begin(rp, "RouteTable");
	reply_str(rp, "RouteTableId", vtb_id);
	reply_str(rp, "RouteTableType", "System");
	reply_obj_end(rp);
	vpc_empty_list(rp, "Tags", "Tag");
}

void vpc_page_get(struct req *r, struct vpc_page *pg)
{
	pg->number = param_int(r, PARAM_PageNumber, 1);
	pg->size = param_int(r, PARAM_PageSize, 10);
}

int vpc_page_has(const struct vpc_page *pg, int64_t idx)
{
	return idx >= (pg->number - 1) * pg->size && idx < pg->number * pg->size;
}

void vpc_page_emit(struct req *r, const struct vpc_page *pg, int64_t total)
{
	reply_int(&r->reply, "TotalCount", total);
	reply_int(&r->reply, "PageNumber", pg->number);
	reply_int(&r->reply, "PageSize", pg->size);
}

struct vpc_kids {
	struct req *r;
	struct vpc_ids *out;
	size_t cap;
};

static int vpc_kid(void *arg, const struct res *row)
{
	struct vpc_kids *k = arg;

	if (k->out->n >= k->cap)
		return 0;
	snprintf(k->out->v[k->out->n++], ID_LEN, "%.31s", row->id);
	return 0;
}

int vpc_child_ids(struct store_tx *tx, struct req *r, const char *kind,
                  const char *parent, struct vpc_ids *out)
{
	struct vpc_kids k = { r, out, LIM_VPC_CHILDREN };
	struct res_query q;

	memset(&q, 0, sizeof(q));
	q.account = r->account;
	q.kind = kind;
	q.parent = parent;
	out->n = 0;
	out->v = arena_alloc(&r->arena, sizeof(*out->v) * LIM_VPC_CHILDREN);
	if (!out->v)
		return STORE_EIO;
	return store_res_list(tx, &q, vpc_kid, &k);
}

int vpc_in_list(const char *list, const char *id)
{
	size_t n = strlen(id);

	if (!list || !*list)
		return 1;
	for (const char *p = list; *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		while (len && *p == ' ')
			p++, len--;
		while (len && p[len - 1] == ' ')
			len--;
		if (len == n && strncmp(p, id, n) == 0)
			return 1;
		if (!e)
			break;
		p = e + 1;
	}
	return 0;
}

int vpc_group_ok(const char *rg)
{
	return !rg || !*rg || strcmp(rg, VPC_RESOURCE_GROUP) == 0;
}
