/* slb.c - helpers shared by the SLB product's handlers (slb.h), and the
 * backend-server calls' one path (NETWORK.md F.3, F.5). */
#include "slb.h"
#include <stdio.h>
#include <string.h>

static enum err_id slb_result(struct req *r, int rc)
{
	if (rc == 0)
		return ERR_OK;
	if (rc > 0)
		return api_raise(r, (enum err_id)rc, NULL);
	return api_raise(r, rc == STORE_EUNAVAIL ? ERR_SERVICE_UNAVAILABLE : ERR_INTERNAL_ERROR, NULL);
}

enum err_id slb_write(struct req *r, store_fn fn, void *job)
{
	return slb_result(r, store_write(r->ecsd->store, fn, job));
}

enum err_id slb_read(struct req *r, store_fn fn, void *job)
{
	return slb_result(r, store_read(r->ecsd->store, fn, job));
}

void slb_emit_lb(struct req *r, const struct slb *b)
{
	struct reply *rp = &r->reply;
	char t[32];

	model_fmt_second(t, b->created_ms);
	reply_str(rp, "LoadBalancerId", b->id);
	reply_str(rp, "LoadBalancerName", b->name);
	reply_str(rp, "LoadBalancerStatus", b->status);
	reply_str(rp, "Address", b->address);
	reply_str(rp, "AddressType", b->address_type);
	reply_str(rp, "AddressIPVersion", "ipv4");
	reply_str(rp, "NetworkType", b->vpc_id[0] ? "vpc" : "classic");
	reply_str(rp, "VpcId", b->vpc_id);
	reply_str(rp, "VSwitchId", b->vsw_id);
	reply_str(rp, "RegionId", b->region);
	reply_str(rp, "RegionIdAlias", b->region);
	reply_str(rp, "MasterZoneId", b->master_zone);
	reply_str(rp, "SlaveZoneId", b->slave_zone);
	reply_str(rp, "PayType", b->pay_type);
	reply_str(rp, "InternetChargeType", b->internet_charge);
	reply_str(rp, "InstanceChargeType", "PayBySpec");
	reply_int(rp, "Bandwidth", b->bandwidth);
	reply_str(rp, "LoadBalancerSpec", b->spec);
	reply_str(rp, "CreateTime", t);
	reply_int(rp, "CreateTimeStamp", b->created_ms);
	reply_str(rp, "DeleteProtection", b->delete_protection ? "on" : "off");
	reply_str(rp, "ModificationProtectionStatus", "NonProtection");
	reply_str(rp, "ResourceGroupId", VPC_RESOURCE_GROUP);
	reply_str(rp, "BusinessStatus", "Normal");
	reply_list_begin(rp, "Tags", "Tag");
	reply_list_end(rp);
}

void slb_emit_backends(struct req *r, const struct slb_backend *s, int n)
{
	struct reply *rp = &r->reply;

	reply_list_begin(rp, "BackendServers", "BackendServer");
	for (int i = 0; i < n; i++) {
		reply_obj_begin(rp, NULL);
		reply_str(rp, "ServerId", s[i].server_id);
		reply_int(rp, "Weight", s[i].weight);
		reply_str(rp, "Type", s[i].type);
		reply_str(rp, "Description", s[i].description);
		reply_obj_end(rp);
	}
	reply_list_end(rp);
}

int slb_in_list(const char *list, const char *id)
{
	size_t n = strlen(id);
	const char *p = list;

	if (!*list)
		return 1;
	while ((p = strstr(p, id)) != NULL) {
		int starts = p == list || p[-1] == ',' || p[-1] == ' ';
		int ends = p[n] == '\0' || p[n] == ',' || p[n] == ' ';

		if (starts && ends)
			return 1;
		p += n;
	}
	return 0;
}

struct sb_job {
	struct req *r;
	enum slb_op op;
	struct slb_backend in[SLB_BACKENDS_PER_CALL];
	int nin;
	struct slb_backend *now;   /* the servers afterwards */
	int nnow;
};

/* An instance AddBackendServers may take: the caller's, Running, in the
 * load balancer's VPC. */
static int sb_server(struct store_tx *tx, struct req *r, const struct slb *lb,
                     const char *id)
{
	struct instance in;
	int rc = store_inst_get(tx, r->account, id, &in);

	if (rc == STORE_NOTFOUND)
		return ERR_OBTAIN_IP_FAIL;
	if (rc)
		return rc;
	if (inst_status_at(&in, r->now_ms) != INST_RUNNING)
		return ERR_OBTAIN_IP_FAIL;
	if (lb->vpc_id[0] && !edge_inst_in_vpc(&in, lb->vpc_id))
		return ERR_OBTAIN_IP_FAIL;
	return 0;
}

static int sb_find(const struct slb_backend *s, int n, const char *id)
{
	for (int i = 0; i < n; i++)
		if (strcmp(s[i].server_id, id) == 0)
			return i;
	return -1;
}

static int sb_tx(struct store_tx *tx, void *arg)
{
	struct sb_job *j = arg;
	struct slb lb;
	int rc = edge_slb_get(tx, j->r->account, param_str(j->r, PARAM_LoadBalancerId, ""), &lb);

	if (rc == STORE_NOTFOUND)
		return ERR_INVALID_LOAD_BALANCER_ID_NOT_FOUND;
	if (rc || (rc = edge_backends(tx, lb.account, lb.id, j->now, SLB_BACKENDS_MAX, &j->nnow)))
		return rc;
	if (vedge_slb_configuring(&lb, j->r->now_ms))
		return ERR_SERVICE_IS_CONFIGURING;
	for (int i = 0; i < j->nin; i++) {
		const struct slb_backend *s = &j->in[i];
		int k = sb_find(j->now, j->nnow, s->server_id);

		if (j->op == SLB_ADD) {
			if ((rc = sb_server(tx, j->r, &lb, s->server_id)))
				return rc;
			if (k < 0 && j->nnow >= SLB_BACKENDS_MAX)
				return ERR_OBTAIN_IP_FAIL;
			if ((rc = edge_backend_put(tx, &lb, s)))
				return rc;
			j->now[k < 0 ? j->nnow++ : k] = *s;
		} else if (k < 0) {
			continue;   /* not a backend: ignored (NETWORK.md F.3) */
		} else if (j->op == SLB_SET) {
			j->now[k].weight = s->weight;
			if ((rc = edge_backend_put(tx, &lb, &j->now[k])))
				return rc;
		} else {
			if ((rc = edge_backend_del(tx, &lb, s->server_id)))
				return rc;
			j->now[k] = j->now[--j->nnow];
		}
	}
	/* every change opens the configuring window (--slb-configuring-delay) */
	lb.configuring_until_ms = j->r->now_ms + j->r->ecsd->slb_configuring_ms;
	return edge_slb_put(tx, &lb, 0);
}

enum err_id slb_backend_call(struct req *r, enum slb_op op)
{
	struct sb_job *j = arena_alloc(&r->arena, sizeof(*j));
	enum err_id e;

	if (!j || !(j->now = arena_alloc(&r->arena, sizeof(*j->now) * SLB_BACKENDS_MAX)))
		return api_raise(r, ERR_INTERNAL_ERROR, NULL);
	j->r = r;
	j->op = op;
	if (vedge_backends_parse(param_str(r, PARAM_BackendServers, ""), j->in,
	                         SLB_BACKENDS_PER_CALL, &j->nin))
		return api_raise(r, ERR_INVALID_PARAMETER, "BackendServers");
	if ((e = slb_write(r, sb_tx, j)) != ERR_OK)
		return e;
	reply_str(&r->reply, "LoadBalancerId", param_str(r, PARAM_LoadBalancerId, ""));
	slb_emit_backends(r, j->now, j->nnow);
	return ERR_OK;
}
