/* edge.c - route entries, EIPs, load balancers and their backend servers
 * as rows of the resources table (edge.h). No HTTP, no replies. */
#include "edge.h"
#include "net.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The fixed columns every struct here starts with. */
static void edge_base(const struct res *r, char *id, char *account, char *region,
                      int64_t *created, int64_t *seq)
{
	snprintf(id, ID_LEN, "%.31s", r->id);
	snprintf(account, 32, "%s", r->account);
	snprintf(region, 32, "%s", r->region);
	*created = r->created_ms;
	*seq = r->seq;
}

int edge_rte_get(struct store_tx *tx, const char *account, const char *id, struct rte *out)
{
	struct res r;
	int rc = store_res_get(tx, account, RTE_KIND, id, &r);

	if (rc)
		return rc;
	memset(out, 0, sizeof(*out));
	edge_base(&r, out->id, out->account, out->region, &out->created_ms, &out->seq);
	snprintf(out->vtb_id, sizeof(out->vtb_id), "%.31s", r.parent);
	snprintf(out->hop_id, sizeof(out->hop_id), "%.31s", r.ref);
	vedge_rte_from_json(r.doc, out);
	json_decref((json_t *)r.doc);
	return 0;
}

int edge_eip_get(struct store_tx *tx, const char *account, const char *id, struct eip *out)
{
	struct res r;
	int rc = store_res_get(tx, account, EIP_KIND, id, &r);

	if (rc)
		return rc;
	memset(out, 0, sizeof(*out));
	edge_base(&r, out->id, out->account, out->region, &out->created_ms, &out->seq);
	snprintf(out->instance_id, sizeof(out->instance_id), "%.31s", r.ref);
	vedge_eip_from_json(r.doc, out);
	json_decref((json_t *)r.doc);
	return 0;
}

int edge_slb_get(struct store_tx *tx, const char *account, const char *id, struct slb *out)
{
	struct res r;
	int rc = store_res_get(tx, account, SLB_KIND, id, &r);

	if (rc)
		return rc;
	memset(out, 0, sizeof(*out));
	edge_base(&r, out->id, out->account, out->region, &out->created_ms, &out->seq);
	snprintf(out->vsw_id, sizeof(out->vsw_id), "%.31s", r.parent);
	vedge_slb_from_json(r.doc, out);
	json_decref((json_t *)r.doc);
	return 0;
}

int edge_rte_put(struct store_tx *tx, struct rte *e, int insert)
{
	struct res r;

	net_row(&r, e->id, e->account, RTE_KIND, e->region, e->vtb_id, e->hop_id,
	         e->created_ms, e->seq);
	r.doc = vedge_rte_to_json(e);
	return net_put(tx, &r, insert, &e->seq);
}

int edge_eip_put(struct store_tx *tx, struct eip *e, int insert)
{
	struct res r;

	net_row(&r, e->id, e->account, EIP_KIND, e->region, "", e->instance_id,
	         e->created_ms, e->seq);
	r.doc = vedge_eip_to_json(e);
	return net_put(tx, &r, insert, &e->seq);
}

int edge_slb_put(struct store_tx *tx, struct slb *b, int insert)
{
	struct res r;

	net_row(&r, b->id, b->account, SLB_KIND, b->region, b->vsw_id, "",
	         b->created_ms, b->seq);
	r.doc = vedge_slb_to_json(b);
	return net_put(tx, &r, insert, &b->seq);
}

struct edge_rtes {
	struct rte *out;
	int max, n, over;
};

static int edge_rte_cb(void *arg, const struct res *r)
{
	struct edge_rtes *l = arg;
	struct rte *e;

	if (l->n >= l->max) {
		l->over = 1;
		return 1;
	}
	e = &l->out[l->n++];
	memset(e, 0, sizeof(*e));
	edge_base(r, e->id, e->account, e->region, &e->created_ms, &e->seq);
	snprintf(e->vtb_id, sizeof(e->vtb_id), "%.31s", r->parent);
	snprintf(e->hop_id, sizeof(e->hop_id), "%.31s", r->ref);
	vedge_rte_from_json(r->doc, e);
	return 0;
}

int edge_rte_list(struct store_tx *tx, const char *account, const char *vtb_id,
                  struct rte *out, int max, int *n)
{
	struct edge_rtes l = { out, max, 0, 0 };
	struct res_query q;
	int rc;

	memset(&q, 0, sizeof(q));
	q.account = account;
	q.kind = RTE_KIND;
	q.parent = vtb_id;
	rc = store_res_list(tx, &q, edge_rte_cb, &l);
	*n = l.n;
	if (l.over)
		return STORE_EIO;
	return rc < 0 ? rc : 0;
}

int edge_count_ref(struct store_tx *tx, const char *account, const char *kind,
                   const char *ref, int64_t *n)
{
	struct res_query q;

	memset(&q, 0, sizeof(q));
	q.account = account;
	q.kind = kind;
	q.ref = ref;
	return store_res_count(tx, &q, n);
}

/* A backend row's id: the load balancer's and the server's ("/" appears
 * in no API id, so it cannot collide with another kind's). */
static void edge_be_id(char out[64], const char *lb_id, const char *server_id)
{
	snprintf(out, 64, "%.31s/%.31s", lb_id, server_id);
}

struct edge_bes {
	struct slb_backend *out;
	char (*ids)[ID_LEN];
	int max, n, over;
};

static int edge_be_cb(void *arg, const struct res *r)
{
	struct edge_bes *l = arg;

	if (l->n >= l->max) {
		l->over = 1;
		return 1;
	}
	if (l->out) {
		struct slb_backend *s = &l->out[l->n];

		memset(s, 0, sizeof(*s));
		snprintf(s->server_id, sizeof(s->server_id), "%.31s", r->ref);
		vedge_be_from_json(r->doc, s);
	} else {
		snprintf(l->ids[l->n], ID_LEN, "%.31s", r->parent);
	}
	l->n++;
	return 0;
}

static int edge_be_walk(struct store_tx *tx, const struct res_query *q, struct edge_bes *l,
                        int *n)
{
	int rc = store_res_list(tx, q, edge_be_cb, l);

	*n = l->n;
	if (l->over)
		return STORE_EIO;
	return rc < 0 ? rc : 0;
}

int edge_backends(struct store_tx *tx, const char *account, const char *lb_id,
                  struct slb_backend *out, int max, int *n)
{
	struct edge_bes l = { out, NULL, max, 0, 0 };
	struct res_query q;

	memset(&q, 0, sizeof(q));
	q.account = account;
	q.kind = SLBBE_KIND;
	q.parent = lb_id;
	return edge_be_walk(tx, &q, &l, n);
}

int edge_lbs_of(struct store_tx *tx, const char *account, const char *instance_id,
                char (*ids)[ID_LEN], int max, int *n)
{
	struct edge_bes l = { NULL, ids, max, 0, 0 };
	struct res_query q;

	memset(&q, 0, sizeof(q));
	q.account = account;
	q.kind = SLBBE_KIND;
	q.ref = instance_id;
	return edge_be_walk(tx, &q, &l, n);
}

int edge_backend_put(struct store_tx *tx, const struct slb *lb, const struct slb_backend *s)
{
	struct res r, old;
	char id[64];
	int rc;

	edge_be_id(id, lb->id, s->server_id);
	rc = store_res_get(tx, lb->account, SLBBE_KIND, id, &old);
	if (rc == 0)
		json_decref((json_t *)old.doc);
	else if (rc != STORE_NOTFOUND)
		return rc;
	net_row(&r, id, lb->account, SLBBE_KIND, lb->region, lb->id, s->server_id,
	         rc == 0 ? old.created_ms : 0, rc == 0 ? old.seq : 0);
	r.doc = vedge_be_to_json(s);
	return net_put(tx, &r, rc == STORE_NOTFOUND, NULL);
}

int edge_backend_del(struct store_tx *tx, const struct slb *lb, const char *server_id)
{
	char id[64];
	int rc;

	edge_be_id(id, lb->id, server_id);
	rc = store_res_delete(tx, lb->account, id);
	return rc == STORE_NOTFOUND ? 0 : rc;
}

int edge_inst_in_vpc(const struct instance *in, const char *vpc_id)
{
	return strcmp(in->vpc_id, vpc_id) == 0;
}

int edge_lb_address(struct store_tx *tx, const struct vswitch *w, const char *lb_id,
                    char out[16])
{
	return net_ip_take(tx, w, NULL, lb_id, out);
}

int edge_lb_address_free(struct store_tx *tx, const struct slb *lb)
{
	if (!lb->vsw_id[0] || !lb->address[0])
		return 0;
	return net_ip_free(tx, lb->account, lb->vsw_id, lb->address);
}

void edge_inst_private_ip(const struct instance *in, char out[16])
{
	snprintf(out, 16, "%s", in->private_ip);
}

int edge_inst_eip(struct store_tx *tx, struct instance *in, const struct eip *e)
{
	snprintf(in->eip_id, sizeof(in->eip_id), "%s", e ? e->id : "");
	snprintf(in->eip_ip, sizeof(in->eip_ip), "%s", e ? e->ip : "");
	in->eip_bandwidth = e ? (int)strtol(e->bandwidth, NULL, 10) : 0;
	snprintf(in->eip_charge, sizeof(in->eip_charge), "%s", e ? e->internet_charge : "");
	return store_inst_update(tx, in);
}

#define EDGE_LBS 64   /* load balancers one instance may serve */

int edge_release_deps(struct store_tx *tx, struct instance *in, int64_t now_ms)
{
	char ids[EDGE_LBS][ID_LEN];
	int64_t n = 0;
	int nl = 0, rc;

	in->flags &= ~(uint32_t)(IF_ROUTE_ENTRY | IF_SLB_CONFIGURING);
	if ((rc = edge_count_ref(tx, in->account, RTE_KIND, in->id, &n)))
		return rc;
	if (n > 0)
		in->flags |= IF_ROUTE_ENTRY;
	if ((rc = edge_lbs_of(tx, in->account, in->id, ids, EDGE_LBS, &nl)))
		return rc;
	for (int i = 0; i < nl; i++) {
		struct slb lb;

		rc = edge_slb_get(tx, in->account, ids[i], &lb);
		if (rc == STORE_NOTFOUND)
			continue;
		if (rc)
			return rc;
		if (vedge_slb_configuring(&lb, now_ms))
			in->flags |= IF_SLB_CONFIGURING;
	}
	return 0;
}
