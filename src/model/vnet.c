/* vnet.c - the VPC product's pure rules and the JSON documents of its
 * resources (vnet.h). No I/O. */
#include "vnet.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>

static void vnet_copy(char *dst, size_t size, const json_t *doc, const char *key)
{
	const char *s = json_string_value(json_object_get(doc, key));

	snprintf(dst, size, "%s", s ? s : "");
}

static int64_t vnet_i64(const json_t *doc, const char *key)
{
	return (int64_t)json_integer_value(json_object_get(doc, key));
}

struct json_t *vnet_vpc_to_json(const struct vpc *v)
{
	return (struct json_t *)json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:I}",
		"name", v->name, "description", v->description, "cidr", v->cidr,
		"vrouter", v->vrouter_id, "vtb", v->route_table_id,
		"default", v->is_default, "ready_ms", (json_int_t)v->ready_ms);
}

void vnet_vpc_from_json(const struct json_t *jd, struct vpc *v)
{
	const json_t *doc = (const json_t *)jd;

	vnet_copy(v->name, sizeof(v->name), doc, "name");
	vnet_copy(v->description, sizeof(v->description), doc, "description");
	vnet_copy(v->cidr, sizeof(v->cidr), doc, "cidr");
	vnet_copy(v->vrouter_id, sizeof(v->vrouter_id), doc, "vrouter");
	vnet_copy(v->route_table_id, sizeof(v->route_table_id), doc, "vtb");
	v->is_default = json_is_true(json_object_get(doc, "default"));
	v->ready_ms = vnet_i64(doc, "ready_ms");
}

struct json_t *vnet_vsw_to_json(const struct vswitch *w)
{
	return (struct json_t *)json_pack("{s:s, s:s, s:s, s:s, s:b, s:I}",
		"zone", w->zone, "cidr", w->cidr, "name", w->name,
		"description", w->description, "default", w->is_default,
		"ready_ms", (json_int_t)w->ready_ms);
}

void vnet_vsw_from_json(const struct json_t *jd, struct vswitch *w)
{
	const json_t *doc = (const json_t *)jd;

	vnet_copy(w->zone, sizeof(w->zone), doc, "zone");
	vnet_copy(w->cidr, sizeof(w->cidr), doc, "cidr");
	vnet_copy(w->name, sizeof(w->name), doc, "name");
	vnet_copy(w->description, sizeof(w->description), doc, "description");
	w->is_default = json_is_true(json_object_get(doc, "default"));
	w->ready_ms = vnet_i64(doc, "ready_ms");
}

struct json_t *vnet_vtb_to_json(const struct vtb *t)
{
	return (struct json_t *)json_pack("{s:s, s:s, s:s, s:s}",
		"vrouter", t->vrouter_id, "name", t->name,
		"description", t->description, "type", t->type);
}

void vnet_vtb_from_json(const struct json_t *jd, struct vtb *t)
{
	const json_t *doc = (const json_t *)jd;

	vnet_copy(t->vrouter_id, sizeof(t->vrouter_id), doc, "vrouter");
	vnet_copy(t->name, sizeof(t->name), doc, "name");
	vnet_copy(t->description, sizeof(t->description), doc, "description");
	vnet_copy(t->type, sizeof(t->type), doc, "type");
}

struct json_t *vnet_eni_to_json(const struct eni *e)
{
	return (struct json_t *)json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s,"
		" s:b, s:s, s:s, s:I}",
		"vpc", e->vpc_id, "zone", e->zone, "type", e->type, "ip", e->ip,
		"mac", e->mac, "name", e->name, "description", e->description,
		"sgs", e->sg_ids, "dor", e->delete_on_release, "status", e->status,
		"trans", e->trans, "trans_end_ms", (json_int_t)e->trans_end_ms);
}

void vnet_eni_from_json(const struct json_t *jd, struct eni *e)
{
	const json_t *doc = (const json_t *)jd;

	vnet_copy(e->vpc_id, sizeof(e->vpc_id), doc, "vpc");
	vnet_copy(e->zone, sizeof(e->zone), doc, "zone");
	vnet_copy(e->type, sizeof(e->type), doc, "type");
	vnet_copy(e->ip, sizeof(e->ip), doc, "ip");
	vnet_copy(e->mac, sizeof(e->mac), doc, "mac");
	vnet_copy(e->name, sizeof(e->name), doc, "name");
	vnet_copy(e->description, sizeof(e->description), doc, "description");
	vnet_copy(e->sg_ids, sizeof(e->sg_ids), doc, "sgs");
	e->delete_on_release = json_is_true(json_object_get(doc, "dor"));
	vnet_copy(e->status, sizeof(e->status), doc, "status");
	vnet_copy(e->trans, sizeof(e->trans), doc, "trans");
	e->trans_end_ms = vnet_i64(doc, "trans_end_ms");
}

const char *vnet_eni_status(const struct eni *e, int64_t now_ms)
{
	return e->trans[0] && now_ms < e->trans_end_ms ? e->trans : e->status;
}

struct json_t *vnet_sg_to_json(const struct sg *g, const struct json_t *old)
{
	json_t *doc = old ? json_deep_copy((const json_t *)old) : json_object();

	if (!doc)
		return NULL;
	if (!json_object_get(doc, "rules"))
		json_object_set_new(doc, "rules", json_array());
	json_object_set_new(doc, "name", json_string(g->name));
	json_object_set_new(doc, "description", json_string(g->description));
	json_object_set_new(doc, "type", json_string(g->type));
	json_object_set_new(doc, "policy", json_string(g->inner_policy));
	json_object_set_new(doc, "default", json_boolean(g->is_default));
	return (struct json_t *)doc;
}

void vnet_sg_from_json(const struct json_t *jd, struct sg *g)
{
	const json_t *doc = (const json_t *)jd;

	vnet_copy(g->name, sizeof(g->name), doc, "name");
	vnet_copy(g->description, sizeof(g->description), doc, "description");
	vnet_copy(g->type, sizeof(g->type), doc, "type");
	vnet_copy(g->inner_policy, sizeof(g->inner_policy), doc, "policy");
	g->is_default = json_is_true(json_object_get(doc, "default"));
}

int vnet_id_in(const char *list, const char *id)
{
	size_t n = strlen(id);

	for (const char *p = list; p && *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len == n && strncmp(p, id, n) == 0)
			return 1;
		if (!e)
			break;
		p = e + 1;
	}
	return 0;
}

int vnet_available(int64_t ready_ms, int64_t now_ms)
{
	return now_ms >= ready_ms;
}

const char *vnet_status(int64_t ready_ms, int64_t now_ms)
{
	return vnet_available(ready_ms, now_ms) ? "Available" : "Pending";
}

enum err_id vnet_vpc_cidr(const char *s, struct cidr *out)
{
	if (cidr_parse(s, out))
		return ERR_INVALID_CIDR_BLOCK_MALFORMED;
	if (out->mask < VPC_MASK_MIN || out->mask > VPC_MASK_MAX || cidr_reserved(out))
		return ERR_INVALID_VPC_CIDR;
	return ERR_OK;
}

enum err_id vnet_vsw_cidr(const char *s, const struct cidr *vpc, struct cidr *out)
{
	if (cidr_parse(s, out))
		return ERR_INVALID_CIDR_BLOCK_MALFORMED;
	if (out->mask < VSW_MASK_MIN || out->mask > VSW_MASK_MAX ||
	    !cidr_contains(vpc, out))
		return ERR_INVALID_VSWITCH_CIDR;
	return ERR_OK;
}

void vnet_default_vsw_cidr(int zone_index, char out[20])
{
	/* 172.16.0.0/12 holds sixteen /16s: one per zone, from 172.16 up */
	snprintf(out, 20, "172.%d.0.0/16", 16 + (zone_index & 15));
}
