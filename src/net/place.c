/* place.c - network interfaces and security groups as resources rows, and
 * the placement of new instances: vSwitch, security groups, primary ENI,
 * private and public addresses, the defaults of docs/decisions.md
 * "Default network" (net.h). No HTTP, no replies. */
#include "net.h"
#include <jansson.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>

int net_eni_get(struct store_tx *tx, const char *account, const char *id,
                struct eni *out)
{
	struct res r;
	int rc = store_res_get(tx, account, ENI_KIND, id, &r);

	if (rc)
		return rc;
	memset(out, 0, sizeof(*out));
	snprintf(out->id, sizeof(out->id), "%.31s", r.id);
	snprintf(out->account, sizeof(out->account), "%s", r.account);
	snprintf(out->region, sizeof(out->region), "%s", r.region);
	snprintf(out->vsw_id, sizeof(out->vsw_id), "%.31s", r.parent);
	snprintf(out->instance_id, sizeof(out->instance_id), "%.31s", r.ref);
	out->created_ms = r.created_ms;
	out->seq = r.seq;
	vnet_eni_from_json(r.doc, out);
	json_decref((json_t *)r.doc);
	return 0;
}

int net_eni_put(struct store_tx *tx, struct eni *e, int insert)
{
	struct res r;
	int rc;

	net_row(&r, e->id, e->account, ENI_KIND, e->region, e->vsw_id,
	        e->instance_id, e->created_ms, e->seq);
	r.doc = vnet_eni_to_json(e);
	if (!r.doc)
		return STORE_EIO;
	rc = insert ? store_res_insert(tx, &r) : store_res_update(tx, &r);
	if (rc == 0 && insert)
		e->seq = r.seq;
	json_decref((json_t *)r.doc);
	return rc;
}

int net_sg_get(struct store_tx *tx, const char *account, const char *id,
               struct sg *out, struct json_t **doc)
{
	struct res r;
	int rc = store_res_get(tx, account, SG_KIND, id, &r);

	if (doc)
		*doc = NULL;
	if (rc)
		return rc;
	memset(out, 0, sizeof(*out));
	snprintf(out->id, sizeof(out->id), "%.31s", r.id);
	snprintf(out->account, sizeof(out->account), "%s", r.account);
	snprintf(out->region, sizeof(out->region), "%s", r.region);
	snprintf(out->vpc_id, sizeof(out->vpc_id), "%.31s", r.parent);
	out->created_ms = r.created_ms;
	out->seq = r.seq;
	vnet_sg_from_json(r.doc, out);
	if (doc)
		*doc = r.doc;
	else
		json_decref((json_t *)r.doc);
	return 0;
}

int net_sg_put(struct store_tx *tx, struct sg *g, const struct json_t *doc,
               int insert)
{
	struct res r;
	int rc;

	net_row(&r, g->id, g->account, SG_KIND, g->region, g->vpc_id,
	        g->is_default ? SG_REF_DEFAULT : "", g->created_ms, g->seq);
	r.doc = vnet_sg_to_json(g, doc);
	if (!r.doc)
		return STORE_EIO;
	rc = insert ? store_res_insert(tx, &r) : store_res_update(tx, &r);
	if (rc == 0 && insert)
		g->seq = r.seq;
	json_decref((json_t *)r.doc);
	return rc;
}

/* The id of the VPC's default group, or STORE_NOTFOUND. */
struct net_dsg {
	char id[64];
};

static int net_dsg_cb(void *arg, const struct res *r)
{
	snprintf(((struct net_dsg *)arg)->id, 64, "%s", r->id);
	return 1;
}

int net_default_sg(struct store_tx *tx, const struct vpc *v, int64_t now_ms,
                   struct sg *out)
{
	struct net_dsg f = { "" };
	struct res_query q;
	int rc;

	memset(&q, 0, sizeof(q));
	q.account = v->account;
	q.kind = SG_KIND;
	q.parent = v->id;
	q.ref = SG_REF_DEFAULT;
	q.limit = 1;
	rc = store_res_list(tx, &q, net_dsg_cb, &f);
	if (rc < 0)
		return rc;
	if (f.id[0])
		return net_sg_get(tx, v->account, f.id, out, NULL);
	memset(out, 0, sizeof(*out));
	model_new_id(out->id, "sg-");
	snprintf(out->account, sizeof(out->account), "%s", v->account);
	snprintf(out->region, sizeof(out->region), "%s", v->region);
	snprintf(out->vpc_id, sizeof(out->vpc_id), "%s", v->id);
	snprintf(out->name, sizeof(out->name), "default");
	snprintf(out->description, sizeof(out->description), "System created security group.");
	snprintf(out->type, sizeof(out->type), "normal");
	snprintf(out->inner_policy, sizeof(out->inner_policy), "Accept");
	out->is_default = 1;
	out->created_ms = now_ms;
	return net_sg_put(tx, out, NULL, 1);
}

static void net_sgm_id(char id[64], const char *sg_id, const char *member)
{
	snprintf(id, 64, "%s/%s/%s", SGM_KIND, sg_id, member);
}

int net_sg_join(struct store_tx *tx, const char *account, const char *region,
                const char *sg_id, const char *member)
{
	struct res r;
	char id[64];
	int rc;

	net_sgm_id(id, sg_id, member);
	net_row(&r, id, account, SGM_KIND, region, sg_id, member, 0, 0);
	r.doc = (struct json_t *)json_object();
	rc = r.doc ? store_res_insert(tx, &r) : STORE_EIO;
	json_decref((json_t *)r.doc);
	return rc;
}

int net_sg_leave(struct store_tx *tx, const char *account, const char *sg_id,
                 const char *member)
{
	char id[64];

	net_sgm_id(id, sg_id, member);
	return store_res_delete(tx, account, id);
}

int net_sg_members(struct store_tx *tx, const char *account, const char *sg_id,
                   int64_t *n)
{
	return net_count(tx, account, SGM_KIND, sg_id, n);
}

/* Runs fn for each id of a comma-separated list; stops at an error. */
static int net_each_id(const char *list, int (*fn)(void *, const char *), void *arg)
{
	const char *p = list;
	int rc = 0;

	while (p && *p && rc == 0) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char id[ID_LEN];

		if (n && n < sizeof(id)) {
			memcpy(id, p, n);
			id[n] = '\0';
			rc = fn(arg, id);
		}
		p = e ? e + 1 : NULL;
	}
	return rc;
}

struct net_memb {
	struct store_tx *tx;
	const char *account, *region, *member;
	int join;
};

static int net_memb_one(void *arg, const char *sg_id)
{
	struct net_memb *m = arg;
	int rc;

	if (m->join)
		return net_sg_join(m->tx, m->account, m->region, sg_id, m->member);
	rc = net_sg_leave(m->tx, m->account, sg_id, m->member);
	return rc == STORE_NOTFOUND ? 0 : rc;
}

int net_sg_join_all(struct store_tx *tx, const char *account, const char *region,
                    const char *sgs, const char *member, int join)
{
	struct net_memb m = { tx, account, region, member, join };

	return net_each_id(sgs, net_memb_one, &m);
}

/* Appends id to the comma-separated list (room checked by the caller). */
static void net_list_add(char *list, size_t size, const char *id)
{
	size_t n = strlen(list);

	snprintf(list + n, size - n, "%s%s", n ? "," : "", id);
}

int net_place_resolve(struct store_tx *tx, struct net_place *p)
{
	struct vpc v;
	struct sg g;
	int rc;

	p->sgs[0] = '\0';
	p->missing = NULL;
	if (p->vswitch_id) {
		rc = net_vsw_get(tx, p->account, p->vswitch_id, &p->vsw);
		if (rc == STORE_NOTFOUND)
			return ERR_INVALID_VSWITCH_ID_NOT_FOUND_ECS;
		if (rc)
			return rc;
		if (strcmp(p->vsw.region, p->region) != 0)
			return ERR_INVALID_VSWITCH_ID_NOT_FOUND_ECS;
		if (!vnet_available(p->vsw.ready_ms, p->now_ms))
			return ERR_INCORRECT_VSWITCH_STATUS;
		if (p->zone && strcmp(p->zone, p->vsw.zone) != 0)
			return ERR_INVALID_PARAMETER;
	} else if (p->nsg > 0) {
		/* a group outside the default VPC needs its vSwitch named */
		rc = net_sg_get(tx, p->account, p->sg_ids[0], &g, NULL);
		if (rc == STORE_NOTFOUND)
			return ERR_INVALID_SECURITY_GROUP_ID_NOT_FOUND;
		if (rc || (rc = net_vpc_get(tx, p->account, g.vpc_id, &v)))
			return rc == STORE_NOTFOUND ? ERR_INVALID_SECURITY_GROUP_ID_NOT_FOUND : rc;
		if (!v.is_default) {
			p->missing = "VSwitchId";
			return ERR_MISSING_PARAMETER;
		}
	}
	if (!p->vswitch_id &&
	    (rc = net_default_vsw(tx, p->account, p->region, p->zone, p->now_ms, &p->vsw)))
		return rc;
	if ((rc = net_vpc_get(tx, p->account, p->vsw.vpc_id, &v)))
		return rc == STORE_NOTFOUND ? STORE_EIO : rc;
	for (size_t i = 0; i < p->nsg; i++) {
		rc = net_sg_get(tx, p->account, p->sg_ids[i], &g, NULL);
		if (rc == STORE_NOTFOUND)
			return ERR_INVALID_SECURITY_GROUP_ID_NOT_FOUND;
		if (rc)
			return rc;
		if (strcmp(g.vpc_id, v.id) != 0)
			return ERR_INVALID_PARAMETER_MISMATCH;
		if (!vnet_id_in(p->sgs, g.id))
			net_list_add(p->sgs, sizeof(p->sgs), g.id);
	}
	if (p->nsg == 0) {
		if (!v.is_default) {
			p->missing = "SecurityGroupId";
			return ERR_MISSING_PARAMETER;
		}
		if ((rc = net_default_sg(tx, &v, p->now_ms, &g)))
			return rc;
		net_list_add(p->sgs, sizeof(p->sgs), g.id);
	}
	return 0;
}

/* A public address from 47.96.0.0/12, unique across accounts. */
static int net_public_ip(struct store_tx *tx, const struct instance *in, char out[16])
{
	for (int tries = 0; tries < 64; tries++) {
		unsigned char b[3];
		uint32_t ip;
		struct res r;
		char id[64];
		int rc;

		if (RAND_bytes(b, sizeof(b)) != 1)
			return STORE_EIO;
		ip = 0x2F600000u | ((uint32_t)(b[0] & 0x0F) << 16) | ((uint32_t)b[1] << 8) | b[2];
		if ((ip & 0xFF) == 0 || (ip & 0xFF) == 255)
			continue;
		cidr_ip_fmt(ip, out);
		snprintf(id, sizeof(id), "%s/%s", PUBIP_KIND, out);
		rc = store_res_get(tx, NULL, NULL, id, &r);
		if (rc == 0) {
			json_decref((json_t *)r.doc);
			continue;   /* taken: another one */
		}
		if (rc != STORE_NOTFOUND)
			return rc;
		net_row(&r, id, in->account, PUBIP_KIND, in->region, "", in->id, 0, 0);
		r.doc = (struct json_t *)json_object();
		rc = r.doc ? store_res_insert(tx, &r) : STORE_EIO;
		json_decref((json_t *)r.doc);
		return rc;
	}
	return STORE_EIO;
}

void net_new_mac(char out[18])
{
	unsigned char m[3] = { 0x5a, 0x17, 0x01 };

	if (RAND_bytes(m, sizeof(m)) != 1)
		m[2] ^= 0x3c;
	snprintf(out, 18, "00:16:3e:%02x:%02x:%02x", m[0], m[1], m[2]);
}

int net_place_instance(struct store_tx *tx, const struct net_place *p,
                       const char *want_ip, struct instance *in)
{
	struct eni e;
	int rc;

	memset(&e, 0, sizeof(e));
	model_new_id(e.id, "eni-");
	if ((rc = net_ip_take(tx, &p->vsw, want_ip, e.id, e.ip)))
		return rc;
	net_new_mac(e.mac);
	snprintf(e.account, sizeof(e.account), "%s", in->account);
	snprintf(e.region, sizeof(e.region), "%s", in->region);
	snprintf(e.vsw_id, sizeof(e.vsw_id), "%s", p->vsw.id);
	snprintf(e.vpc_id, sizeof(e.vpc_id), "%s", p->vsw.vpc_id);
	snprintf(e.zone, sizeof(e.zone), "%s", p->vsw.zone);
	snprintf(e.instance_id, sizeof(e.instance_id), "%s", in->id);
	snprintf(e.type, sizeof(e.type), "Primary");
	snprintf(e.sg_ids, sizeof(e.sg_ids), "%s", p->sgs);
	snprintf(e.status, sizeof(e.status), "InUse");
	e.delete_on_release = 1;
	e.created_ms = p->now_ms;
	if ((rc = net_eni_put(tx, &e, 1)) ||
	    (rc = net_sg_join_all(tx, e.account, e.region, p->sgs, e.id, 1)))
		return rc;
	snprintf(in->zone, sizeof(in->zone), "%s", p->vsw.zone);
	snprintf(in->vpc_id, sizeof(in->vpc_id), "%s", p->vsw.vpc_id);
	snprintf(in->vswitch_id, sizeof(in->vswitch_id), "%s", p->vsw.id);
	snprintf(in->private_ip, sizeof(in->private_ip), "%s", e.ip);
	snprintf(in->eni_id, sizeof(in->eni_id), "%s", e.id);
	snprintf(in->mac, sizeof(in->mac), "%s", e.mac);
	snprintf(in->sg_ids, sizeof(in->sg_ids), "%s", p->sgs);
	if (in->bandwidth_out > 0)
		return net_public_ip(tx, in, in->public_ip);
	return 0;
}

int net_eni_drop(struct store_tx *tx, const struct eni *e)
{
	int rc = store_res_delete(tx, e->account, e->id);

	if (rc == 0)
		rc = net_sg_join_all(tx, e->account, e->region, e->sg_ids, e->id, 0);
	if (rc == 0)
		rc = net_ip_free(tx, e->account, e->vsw_id, e->ip);
	return rc;
}

/* Secondary ENIs of a released instance: DeleteOnRelease ones go, the
 * others are detached and kept Available (NETWORK.md B.7). */
struct net_sec {
	struct eni e[16];
	int n;
};

static int net_sec_cb(void *arg, const struct res *r)
{
	struct net_sec *s = arg;

	if (s->n < 16)
		snprintf(s->e[s->n++].id, ID_LEN, "%.31s", r->id);
	return 0;
}

static int net_release_secondary(struct store_tx *tx, const struct instance *in)
{
	struct net_sec s;
	struct res_query q;
	int rc;

	memset(&q, 0, sizeof(q));
	s.n = 0;
	q.account = in->account;
	q.kind = ENI_KIND;
	q.ref = in->id;
	if ((rc = store_res_list(tx, &q, net_sec_cb, &s)))
		return rc;
	for (int i = 0; i < s.n; i++) {
		struct eni *e = &s.e[i];

		if ((rc = net_eni_get(tx, in->account, s.e[i].id, e)))
			return rc;
		if (strcmp(e->type, "Primary") == 0)
			continue;
		if (e->delete_on_release) {
			rc = net_eni_drop(tx, e);
		} else {
			e->instance_id[0] = '\0';
			snprintf(e->status, sizeof(e->status), "Available");
			e->trans[0] = '\0';
			rc = net_eni_put(tx, e, 0);
		}
		if (rc)
			return rc;
	}
	return 0;
}

int net_unplace_instance(struct store_tx *tx, const struct instance *in)
{
	char id[64];
	int rc;

	if ((rc = net_release_secondary(tx, in)))
		return rc;

	if (in->eni_id[0]) {
		rc = store_res_delete(tx, in->account, in->eni_id);
		if (rc && rc != STORE_NOTFOUND)
			return rc;
		if ((rc = net_sg_join_all(tx, in->account, in->region, in->sg_ids,
		                          in->eni_id, 0)))
			return rc;
	}
	if (in->vswitch_id[0] && in->private_ip[0] &&
	    (rc = net_ip_free(tx, in->account, in->vswitch_id, in->private_ip)))
		return rc;
	if (in->public_ip[0]) {
		snprintf(id, sizeof(id), "%s/%s", PUBIP_KIND, in->public_ip);
		rc = store_res_delete(tx, in->account, id);
		if (rc && rc != STORE_NOTFOUND)
			return rc;
	}
	return 0;
}
