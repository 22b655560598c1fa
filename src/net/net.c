/* net.c - VPCs, vSwitches and route tables as rows of the resources table,
 * private addresses, the default network (net.h). No HTTP, no replies. */
#include "net.h"
#include "../model/regions.h"
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* The fixed columns shared by every kind. */
void net_row(struct res *r, const char *id, const char *account,
                    const char *kind, const char *region, const char *parent,
                    const char *ref, int64_t created_ms, int64_t seq)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->id, sizeof(r->id), "%s", id);
	snprintf(r->account, sizeof(r->account), "%s", account);
	snprintf(r->kind, sizeof(r->kind), "%s", kind);
	snprintf(r->region, sizeof(r->region), "%s", region);
	snprintf(r->parent, sizeof(r->parent), "%s", parent);
	snprintf(r->ref, sizeof(r->ref), "%s", ref);
	r->created_ms = created_ms;
	r->seq = seq;
}

int net_put(struct store_tx *tx, struct res *r, int insert, int64_t *seq)
{
	int rc;

	if (!r->doc)
		return STORE_EIO;
	rc = insert ? store_res_insert(tx, r) : store_res_update(tx, r);
	if (rc == 0 && insert && seq)
		*seq = r->seq;
	json_decref((json_t *)r->doc);
	return rc;
}

static void net_base(const struct res *r, char *id, char *account, char *region,
                     int64_t *created, int64_t *seq)
{
	snprintf(id, ID_LEN, "%.31s", r->id);
	snprintf(account, 32, "%s", r->account);
	snprintf(region, 32, "%s", r->region);
	*created = r->created_ms;
	*seq = r->seq;
}

int net_vpc_get(struct store_tx *tx, const char *account, const char *id,
                struct vpc *out)
{
	struct res r;
	int rc = store_res_get(tx, account, VPC_KIND, id, &r);

	if (rc)
		return rc;
	memset(out, 0, sizeof(*out));
	net_base(&r, out->id, out->account, out->region, &out->created_ms, &out->seq);
	vnet_vpc_from_json(r.doc, out);
	json_decref((json_t *)r.doc);
	return 0;
}

int net_vsw_get(struct store_tx *tx, const char *account, const char *id,
                struct vswitch *out)
{
	struct res r;
	int rc = store_res_get(tx, account, VSW_KIND, id, &r);

	if (rc)
		return rc;
	memset(out, 0, sizeof(*out));
	net_base(&r, out->id, out->account, out->region, &out->created_ms, &out->seq);
	snprintf(out->vpc_id, sizeof(out->vpc_id), "%.31s", r.parent);
	vnet_vsw_from_json(r.doc, out);
	json_decref((json_t *)r.doc);
	return 0;
}

int net_vtb_get(struct store_tx *tx, const char *account, const char *id,
                struct vtb *out)
{
	struct res r;
	int rc = store_res_get(tx, account, VTB_KIND, id, &r);

	if (rc)
		return rc;
	memset(out, 0, sizeof(*out));
	net_base(&r, out->id, out->account, out->region, &out->created_ms, &out->seq);
	snprintf(out->vpc_id, sizeof(out->vpc_id), "%.31s", r.parent);
	vnet_vtb_from_json(r.doc, out);
	json_decref((json_t *)r.doc);
	return 0;
}

int net_vpc_put(struct store_tx *tx, struct vpc *v, int insert)
{
	struct res r;

	net_row(&r, v->id, v->account, VPC_KIND, v->region, "",
	        v->is_default ? VPC_REF_DEFAULT : "", v->created_ms, v->seq);
	r.doc = vnet_vpc_to_json(v);
	return net_put(tx, &r, insert, &v->seq);
}

int net_vsw_put(struct store_tx *tx, struct vswitch *w, int insert)
{
	struct res r;
	char ref[64] = "";

	if (w->is_default)
		snprintf(ref, sizeof(ref), "default:%s", w->zone);
	net_row(&r, w->id, w->account, VSW_KIND, w->region, w->vpc_id, ref,
	        w->created_ms, w->seq);
	r.doc = vnet_vsw_to_json(w);
	return net_put(tx, &r, insert, &w->seq);
}

int net_vtb_put(struct store_tx *tx, struct vtb *t, int insert)
{
	struct res r;

	net_row(&r, t->id, t->account, VTB_KIND, t->region, t->vpc_id, "",
	        t->created_ms, t->seq);
	r.doc = vnet_vtb_to_json(t);
	return net_put(tx, &r, insert, &t->seq);
}

int net_vpc_create(struct store_tx *tx, struct vpc *v)
{
	struct vtb t;
	int rc;

	model_new_id(v->id, "vpc-");
	model_new_id(v->vrouter_id, "vrt-");
	model_new_id(v->route_table_id, "vtb-");
	if ((rc = net_vpc_put(tx, v, 1)))
		return rc;
	memset(&t, 0, sizeof(t));
	snprintf(t.id, sizeof(t.id), "%s", v->route_table_id);
	snprintf(t.account, sizeof(t.account), "%s", v->account);
	snprintf(t.region, sizeof(t.region), "%s", v->region);
	snprintf(t.vpc_id, sizeof(t.vpc_id), "%s", v->id);
	snprintf(t.vrouter_id, sizeof(t.vrouter_id), "%s", v->vrouter_id);
	snprintf(t.type, sizeof(t.type), "System");
	t.created_ms = v->created_ms;
	return net_vtb_put(tx, &t, 1);
}

int net_count(struct store_tx *tx, const char *account, const char *kind,
              const char *parent, int64_t *n)
{
	struct res_query q;

	memset(&q, 0, sizeof(q));
	q.account = account;
	q.kind = kind;
	q.parent = parent;
	return store_res_count(tx, &q, n);
}

int net_vsw_used(struct store_tx *tx, const struct vswitch *w, int64_t *n)
{
	return net_count(tx, w->account, VIP_KIND, w->id, n);
}

/* Inserts the address row; 1 when it was taken already. */
static int net_ip_row(struct store_tx *tx, const struct vswitch *w, uint32_t ip,
                      const char *owner, char out[16])
{
	struct res r;
	char id[64];
	int rc;

	cidr_ip_fmt(ip, out);
	snprintf(id, sizeof(id), "%s/%s", w->id, out);
	/* a point read of this one id, never an insert that may fail */
	rc = store_res_get(tx, NULL, NULL, id, &r);
	if (rc == 0)
		json_decref((json_t *)r.doc);
	if (rc != STORE_NOTFOUND)
		return rc == 0 ? 1 : rc;
	net_row(&r, id, w->account, VIP_KIND, w->region, w->id, owner, 0, 0);
	r.doc = (struct json_t *)json_object();
	rc = r.doc ? store_res_insert(tx, &r) : STORE_EIO;
	json_decref((json_t *)r.doc);
	return rc;
}

/* Where the next free address of a vSwitch probably is: a process-wide
 * hint, never the truth (the unique id of each address row decides), so
 * that taking an address needs no read of the vSwitch's addresses -- a
 * read that, under PostgreSQL's SERIALIZABLE, would make every concurrent
 * RunInstances into one vSwitch conflict with every other. */
#define NET_HINTS 1024
static struct net_hint {
	char vsw[ID_LEN];
	int64_t next;
} net_hints[NET_HINTS];
static pthread_mutex_t net_hint_mu = PTHREAD_MUTEX_INITIALIZER;

static struct net_hint *net_hint_slot(const char *vsw)
{
	uint32_t h = 2166136261u;

	for (const char *p = vsw; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	return &net_hints[h % NET_HINTS];
}

static int64_t net_hint_get(const char *vsw)
{
	struct net_hint *s = net_hint_slot(vsw);
	int64_t n;

	pthread_mutex_lock(&net_hint_mu);
	n = strcmp(s->vsw, vsw) == 0 ? s->next : 0;
	pthread_mutex_unlock(&net_hint_mu);
	return n;
}

static void net_hint_set(const char *vsw, int64_t next)
{
	struct net_hint *s = net_hint_slot(vsw);

	pthread_mutex_lock(&net_hint_mu);
	snprintf(s->vsw, sizeof(s->vsw), "%s", vsw);
	s->next = next;
	pthread_mutex_unlock(&net_hint_mu);
}

int net_ip_take(struct store_tx *tx, const struct vswitch *w, const char *want,
                const char *owner, char out[16])
{
	struct cidr c;
	int64_t cap, k, start;
	uint32_t ip;
	int rc;

	if (cidr_parse(w->cidr, &c))
		return STORE_EIO;
	cap = cidr_usable(&c);
	if (want && *want) {
		if (cidr_ip_parse(want, &ip) || !cidr_ip_usable(&c, ip))
			return ERR_INVALID_PRIVATE_IP_ADDRESS;
		rc = net_ip_row(tx, w, ip, owner, out);
		return rc == 1 ? ERR_INVALID_PRIVATE_IP_ADDRESS_DUPLICATED : rc;
	}
	start = net_hint_get(w->id);
	for (int64_t i = 0; i < cap; i++) {
		k = (start + i) % cap;
		rc = net_ip_row(tx, w, cidr_nth_usable(&c, k), owner, out);
		if (rc == 0)
			net_hint_set(w->id, k + 1);
		if (rc != 1)
			return rc;
	}
	return ERR_INVALID_VSWITCH_IP_NOT_ENOUGH;
}

int net_ip_free(struct store_tx *tx, const char *account, const char *vsw_id,
                const char *ip)
{
	char id[64];
	int rc;

	snprintf(id, sizeof(id), "%s/%s", vsw_id, ip);
	rc = store_res_delete(tx, account, id);
	return rc == STORE_NOTFOUND ? 0 : rc;
}

/* The first row of (account, kind, region, ref), loaded by id. */
struct net_first {
	char id[64];
};

static int net_first_cb(void *arg, const struct res *r)
{
	snprintf(((struct net_first *)arg)->id, 64, "%s", r->id);
	return 1;
}

int net_find(struct store_tx *tx, const char *account, const char *kind,
                    const char *region, const char *ref, char id[64])
{
	struct res_query q;
	struct net_first f = { "" };
	int rc;

	memset(&q, 0, sizeof(q));
	q.account = account;
	q.kind = kind;
	q.region = region;
	q.ref = ref;
	q.limit = 1;
	rc = store_res_list(tx, &q, net_first_cb, &f);
	if (rc < 0)
		return rc;
	snprintf(id, 64, "%s", f.id);
	return f.id[0] ? 0 : STORE_NOTFOUND;
}

/* The first /16 of the default VPC's block, from the zone's own, that no
 * vSwitch of the VPC overlaps. */
struct net_free16 {
	int taken[16];
};

static int net_free16_cb(void *arg, const struct res *r)
{
	struct net_free16 *f = arg;
	struct vswitch w;
	struct cidr c, b;
	char t[20];

	memset(&w, 0, sizeof(w));
	vnet_vsw_from_json(r->doc, &w);
	if (cidr_parse(w.cidr, &c))
		return 0;
	for (int i = 0; i < 16; i++) {
		vnet_default_vsw_cidr(i, t);
		if (cidr_parse(t, &b) == 0 && cidr_overlaps(&b, &c))
			f->taken[i] = 1;
	}
	return 0;
}

int net_default_vsw(struct store_tx *tx, const char *account,
                    const char *region, const char *zone, int64_t now_ms,
                    struct vswitch *out)
{
	const struct region *rg = region_find(region);
	struct net_free16 f;
	struct res_query q;
	char id[64], ref[64];
	struct vpc v;
	int rc, zi = 0, k;

	if (!rg)
		return ERR_INVALID_REGION_ID_NOT_FOUND;
	if (!zone)
		zone = rg->zones[0];
	while (rg->zones[zi] && strcmp(rg->zones[zi], zone) != 0)
		zi++;
	if (!rg->zones[zi])
		return ERR_INVALID_ZONE_ID_NOT_FOUND;
	snprintf(ref, sizeof(ref), "default:%s", zone);
	rc = net_find(tx, account, VSW_KIND, region, ref, id);
	if (rc == 0)
		return net_vsw_get(tx, account, id, out);
	if (rc != STORE_NOTFOUND)
		return rc;
	rc = net_find(tx, account, VPC_KIND, region, VPC_REF_DEFAULT, id);
	if (rc == 0) {
		rc = net_vpc_get(tx, account, id, &v);
	} else if (rc == STORE_NOTFOUND) {
		memset(&v, 0, sizeof(v));
		snprintf(v.account, sizeof(v.account), "%s", account);
		snprintf(v.region, sizeof(v.region), "%s", region);
		snprintf(v.cidr, sizeof(v.cidr), "%s", VPC_DEFAULT_VPC_CIDR);
		v.is_default = 1;
		v.created_ms = v.ready_ms = now_ms;
		rc = net_vpc_create(tx, &v);
	}
	if (rc)
		return rc;
	memset(&f, 0, sizeof(f));
	memset(&q, 0, sizeof(q));
	q.account = account;
	q.kind = VSW_KIND;
	q.parent = v.id;
	if ((rc = store_res_list(tx, &q, net_free16_cb, &f)))
		return rc;
	for (k = 0; k < 16 && f.taken[(zi + k) % 16]; k++)
		;
	if (k == 16)
		return ERR_INVALID_VSWITCH_IP_NOT_ENOUGH;
	memset(out, 0, sizeof(*out));
	model_new_id(out->id, "vsw-");
	snprintf(out->account, sizeof(out->account), "%s", account);
	snprintf(out->region, sizeof(out->region), "%s", region);
	snprintf(out->vpc_id, sizeof(out->vpc_id), "%s", v.id);
	snprintf(out->zone, sizeof(out->zone), "%s", zone);
	vnet_default_vsw_cidr((zi + k) % 16, out->cidr);
	out->is_default = 1;
	out->created_ms = out->ready_ms = now_ms;
	return net_vsw_put(tx, out, 1);
}
