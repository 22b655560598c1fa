/* vedge.c - route entries, EIPs, load balancers: JSON documents and pure
 * rules (vedge.h). No I/O. */
#include "vedge.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void ve_copy(char *dst, size_t size, const json_t *doc, const char *key)
{
	const char *s = json_string_value(json_object_get(doc, key));

	snprintf(dst, size, "%s", s ? s : "");
}

static int64_t ve_i64(const json_t *doc, const char *key)
{
	return (int64_t)json_integer_value(json_object_get(doc, key));
}

struct json_t *vedge_rte_to_json(const struct rte *e)
{
	return (struct json_t *)json_pack("{s:s, s:s, s:s, s:s, s:s, s:I}",
		"vpc", e->vpc_id, "dst", e->dst, "hop_type", e->hop_type,
		"name", e->name, "description", e->description,
		"ready_ms", (json_int_t)e->ready_ms);
}

void vedge_rte_from_json(const struct json_t *jd, struct rte *e)
{
	const json_t *doc = (const json_t *)jd;

	ve_copy(e->vpc_id, sizeof(e->vpc_id), doc, "vpc");
	ve_copy(e->dst, sizeof(e->dst), doc, "dst");
	ve_copy(e->hop_type, sizeof(e->hop_type), doc, "hop_type");
	ve_copy(e->name, sizeof(e->name), doc, "name");
	ve_copy(e->description, sizeof(e->description), doc, "description");
	e->ready_ms = ve_i64(doc, "ready_ms");
}

struct json_t *vedge_eip_to_json(const struct eip *e)
{
	return (struct json_t *)json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I}",
		"ip", e->ip, "bandwidth", e->bandwidth, "internet_charge", e->internet_charge,
		"charge", e->charge, "name", e->name, "description", e->description,
		"isp", e->isp, "instance_type", e->instance_type, "private_ip", e->private_ip,
		"trans_end_ms", (json_int_t)e->trans_end_ms);
}

void vedge_eip_from_json(const struct json_t *jd, struct eip *e)
{
	const json_t *doc = (const json_t *)jd;

	ve_copy(e->ip, sizeof(e->ip), doc, "ip");
	ve_copy(e->bandwidth, sizeof(e->bandwidth), doc, "bandwidth");
	ve_copy(e->internet_charge, sizeof(e->internet_charge), doc, "internet_charge");
	ve_copy(e->charge, sizeof(e->charge), doc, "charge");
	ve_copy(e->name, sizeof(e->name), doc, "name");
	ve_copy(e->description, sizeof(e->description), doc, "description");
	ve_copy(e->isp, sizeof(e->isp), doc, "isp");
	ve_copy(e->instance_type, sizeof(e->instance_type), doc, "instance_type");
	ve_copy(e->private_ip, sizeof(e->private_ip), doc, "private_ip");
	e->trans_end_ms = ve_i64(doc, "trans_end_ms");
}

struct json_t *vedge_slb_to_json(const struct slb *b)
{
	return (struct json_t *)json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:b, s:s, s:s, s:s, s:I}",
		"name", b->name, "address", b->address, "address_type", b->address_type,
		"vpc", b->vpc_id, "spec", b->spec, "pay_type", b->pay_type,
		"internet_charge", b->internet_charge, "bandwidth", b->bandwidth,
		"delete_protection", b->delete_protection, "status", b->status,
		"master_zone", b->master_zone, "slave_zone", b->slave_zone,
		"configuring_until_ms", (json_int_t)b->configuring_until_ms);
}

void vedge_slb_from_json(const struct json_t *jd, struct slb *b)
{
	const json_t *doc = (const json_t *)jd;

	ve_copy(b->name, sizeof(b->name), doc, "name");
	ve_copy(b->address, sizeof(b->address), doc, "address");
	ve_copy(b->address_type, sizeof(b->address_type), doc, "address_type");
	ve_copy(b->vpc_id, sizeof(b->vpc_id), doc, "vpc");
	ve_copy(b->spec, sizeof(b->spec), doc, "spec");
	ve_copy(b->pay_type, sizeof(b->pay_type), doc, "pay_type");
	ve_copy(b->internet_charge, sizeof(b->internet_charge), doc, "internet_charge");
	b->bandwidth = (int)ve_i64(doc, "bandwidth");
	b->delete_protection = json_is_true(json_object_get(doc, "delete_protection"));
	ve_copy(b->status, sizeof(b->status), doc, "status");
	ve_copy(b->master_zone, sizeof(b->master_zone), doc, "master_zone");
	ve_copy(b->slave_zone, sizeof(b->slave_zone), doc, "slave_zone");
	b->configuring_until_ms = ve_i64(doc, "configuring_until_ms");
}

struct json_t *vedge_be_to_json(const struct slb_backend *s)
{
	return (struct json_t *)json_pack("{s:i, s:s, s:s}", "weight", s->weight,
		"type", s->type, "description", s->description);
}

void vedge_be_from_json(const struct json_t *jd, struct slb_backend *s)
{
	const json_t *doc = (const json_t *)jd;

	s->weight = (int)ve_i64(doc, "weight");
	ve_copy(s->type, sizeof(s->type), doc, "type");
	ve_copy(s->description, sizeof(s->description), doc, "description");
}

int vedge_hop_type_known(const char *t)
{
	static const char *const types[] = {
		"Instance", "HaVip", "RouterInterface", "NetworkInterface",
		"VpnGateway", "IPv6Gateway", "NatGateway", "Attachment",
		"VpcPeer", "Ipv4Gateway", "GatewayEndpoint", "Ecr", NULL,
	};

	for (int i = 0; types[i]; i++)
		if (strcmp(t, types[i]) == 0)
			return 1;
	return 0;
}

const char *vedge_rte_status(const struct rte *e, int64_t now_ms)
{
	return now_ms < e->ready_ms ? "Pending" : "Available";
}

const char *vedge_eip_status(const struct eip *e, int64_t now_ms)
{
	int moving = now_ms < e->trans_end_ms;

	if (e->instance_id[0])
		return moving ? "Associating" : "InUse";
	return moving ? "Unassociating" : "Available";
}

int vedge_eip_settled(const struct eip *e, int64_t now_ms)
{
	return now_ms >= e->trans_end_ms;
}

int vedge_slb_configuring(const struct slb *b, int64_t now_ms)
{
	return now_ms < b->configuring_until_ms;
}

/* Terraform's pseudo-JSON uses single quotes: turn quotes that are not
 * inside a string of the other kind into double quotes. */
static char *ve_requote(const char *s)
{
	size_t n = strlen(s);
	char *o = malloc(n + 1);
	char in = 0;

	if (!o)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (in && c == '\\' && i + 1 < n) {
			o[i] = c;
			o[i + 1] = s[i + 1];
			i++;
			continue;
		}
		if (!in && (c == '"' || c == '\'')) {
			in = c;
			c = '"';
		} else if (in && c == in) {
			in = 0;
			c = '"';
		} else if (in == '\'' && c == '"') {
			c = '\'';   /* a double quote inside a single-quoted string */
		}
		o[i] = c;
	}
	o[n] = '\0';
	return o;
}

static int ve_weight(const json_t *w, int *out)
{
	long long v;
	char *end;

	if (!w) {
		*out = 100;
		return 0;
	}
	if (json_is_integer(w)) {
		v = json_integer_value(w);
	} else if (json_is_string(w) && json_string_value(w)[0]) {
		v = strtoll(json_string_value(w), &end, 10);
		if (*end)
			return -1;
	} else {
		return -1;
	}
	if (v < 0 || v > 100)
		return -1;
	*out = (int)v;
	return 0;
}

int vedge_backends_parse(const char *s, struct slb_backend *out, int max, int *n)
{
	char *txt = ve_requote(s);
	json_t *a = txt ? json_loads(txt, JSON_REJECT_DUPLICATES, NULL) : NULL;
	size_t i;
	json_t *it;
	int rc = -1;

	free(txt);
	*n = 0;
	if (!json_is_array(a) || json_array_size(a) == 0 || json_array_size(a) > (size_t)max)
		goto done;
	json_array_foreach(a, i, it) {
		struct slb_backend *b = &out[i];
		const char *id = json_string_value(json_object_get(it, "ServerId"));
		const char *type = json_string_value(json_object_get(it, "Type"));
		const char *desc = json_string_value(json_object_get(it, "Description"));

		memset(b, 0, sizeof(*b));
		if (!json_is_object(it) || !id || !id[0] || strlen(id) >= sizeof(b->server_id) ||
		    ve_weight(json_object_get(it, "Weight"), &b->weight))
			goto done;
		if (type && type[0] && strcmp(type, "ecs") != 0)
			goto done;   /* eni / eci backends: ecsd models ECS ones only */
		snprintf(b->server_id, sizeof(b->server_id), "%s", id);
		snprintf(b->type, sizeof(b->type), "ecs");
		snprintf(b->description, sizeof(b->description), "%s", desc ? desc : "");
		for (size_t k = 0; k < i; k++)
			if (strcmp(out[k].server_id, b->server_id) == 0)
				goto done;   /* the same server twice */
	}
	*n = (int)json_array_size(a);
	rc = 0;
done:
	json_decref(a);
	return rc;
}
