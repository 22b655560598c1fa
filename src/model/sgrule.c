/* sgrule.c - security group rule checks and identity (sgrule.h). Pure. */
#include "sgrule.h"
#include "cidr.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int sr_given(const char *s)
{
	return s && *s;
}

/* "a/b" with integers; 0 or -1. */
static int sr_range(const char *s, long *a, long *b)
{
	char *e;

	*a = strtol(s, &e, 10);
	if (e == s || *e != '/')
		return -1;
	s = e + 1;
	*b = strtol(s, &e, 10);
	return e == s || *e ? -1 : 0;
}

/* An IPv4 address with an optional /mask (host bits allowed). */
static int sr_cidr4(const char *s)
{
	char ip[16];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	uint32_t a;
	char *e;
	long m;

	if (n == 0 || n >= sizeof(ip))
		return -1;
	memcpy(ip, s, n);
	ip[n] = '\0';
	if (cidr_ip_parse(ip, &a))
		return -1;
	if (!slash)
		return 0;
	m = strtol(slash + 1, &e, 10);
	return e == slash + 1 || *e || m < 0 || m > 32 ? -1 : 0;
}

static void sr_copy(char *dst, size_t size, const char *s)
{
	snprintf(dst, size, "%s", s ? s : "");
}

enum err_id sgrule_parse(const struct sgrule_in *in, int egress, struct sgrule *out)
{
	static const char *const protos[] = { "TCP", "UDP", "ICMP", "GRE", "ALL", "ICMPV6" };
	long a, b;
	size_t k;

	memset(out, 0, sizeof(*out));
	out->egress = egress;
	if (!sr_given(in->proto))
		return ERR_INVALID_IP_PROTOCOL;
	for (k = 0; k < sizeof(protos) / sizeof(protos[0]); k++)
		if (strcasecmp(in->proto, protos[k]) == 0)
			break;
	if (k == sizeof(protos) / sizeof(protos[0]))
		return ERR_INVALID_IP_PROTOCOL;
	sr_copy(out->proto, sizeof(out->proto), protos[k]);
	if (!sr_given(in->ports) || sr_range(in->ports, &a, &b))
		return ERR_INVALID_PARAM_PORT_RANGE;
	if (k <= 1) {   /* TCP, UDP: 1..65535 */
		if (a == -1 && b == -1)
			return ERR_OPERATION_DENIED_PORT_RANGE;
		if (a < 1 || b > 65535 || a > b)
			return ERR_INVALID_PARAM_PORT_RANGE;
	} else if (a != -1 || b != -1) {
		return ERR_OPERATION_DENIED_PORT_RANGE;
	}
	snprintf(out->ports, sizeof(out->ports), "%ld/%ld", a, b);
	if (sr_given(in->sports)) {
		if (sr_range(in->sports, &a, &b) || ((a < 1 || b > 65535 || a > b) &&
		                                     !(a == -1 && b == -1)))
			return ERR_INVALID_PARAM_PORT_RANGE;
		snprintf(out->sports, sizeof(out->sports), "%ld/%ld", a, b);
	}
	if (!sr_given(in->cidr) && !sr_given(in->ipv6) && !sr_given(in->group) &&
	    !sr_given(in->prefix))
		return egress ? ERR_MISSING_PARAMETER_DEST : ERR_MISSING_PARAMETER_SOURCE;
	if (sr_given(in->cidr) && sr_cidr4(in->cidr))
		return egress ? ERR_INVALID_DEST_CIDR_IP_MALFORMED : ERR_INVALID_SOURCE_CIDR_IP_MALFORMED;
	if (sr_given(in->local_cidr) && sr_cidr4(in->local_cidr))
		return egress ? ERR_INVALID_SOURCE_CIDR_IP_MALFORMED : ERR_INVALID_DEST_CIDR_IP_MALFORMED;
	if (sr_given(in->ipv6) && (strlen(in->ipv6) >= sizeof(out->ipv6) || !strchr(in->ipv6, ':')))
		return egress ? ERR_INVALID_DEST_CIDR_IP_MALFORMED : ERR_INVALID_SOURCE_CIDR_IP_MALFORMED;
	sr_copy(out->cidr, sizeof(out->cidr), in->cidr);
	sr_copy(out->local_cidr, sizeof(out->local_cidr), in->local_cidr);
	sr_copy(out->ipv6, sizeof(out->ipv6), in->ipv6);
	sr_copy(out->group, sizeof(out->group), in->group);
	sr_copy(out->group_owner, sizeof(out->group_owner), in->group_owner);
	sr_copy(out->prefix, sizeof(out->prefix), in->prefix);
	if (!sr_given(in->policy) || strcasecmp(in->policy, "accept") == 0)
		sr_copy(out->policy, sizeof(out->policy), "Accept");
	else if (strcasecmp(in->policy, "drop") == 0)
		sr_copy(out->policy, sizeof(out->policy), "Drop");
	else
		return ERR_INVALID_POLICY_MALFORMED;
	out->priority = 1;
	if (sr_given(in->priority)) {
		char *e;
		long p = strtol(in->priority, &e, 10);

		if (*e || p < 1 || p > 100)
			return ERR_INVALID_PRIORITY;
		out->priority = (int)p;
	}
	/* VPC groups: intranet only; empty (and Terraform's "<nil>") mean it */
	if (sr_given(in->nic) && strcasecmp(in->nic, "intranet") != 0 &&
	    strcmp(in->nic, "<nil>") != 0)
		return ERR_INVALID_NIC_TYPE;
	sr_copy(out->nic, sizeof(out->nic), "intranet");
	if (in->desc && strlen(in->desc) > 512)
		return ERR_INVALID_PARAMETER;
	sr_copy(out->desc, sizeof(out->desc), in->desc);
	return ERR_OK;
}

int sgrule_same(const struct sgrule *a, const struct sgrule *b)
{
	return a->egress == b->egress && !strcmp(a->proto, b->proto) &&
	       !strcmp(a->ports, b->ports) && !strcmp(a->sports, b->sports) &&
	       !strcmp(a->cidr, b->cidr) && !strcmp(a->ipv6, b->ipv6) &&
	       !strcmp(a->group, b->group) && !strcmp(a->prefix, b->prefix) &&
	       !strcmp(a->local_cidr, b->local_cidr) && !strcmp(a->nic, b->nic) &&
	       !strcmp(a->policy, b->policy) &&
	       strcmp(a->group_owner, b->group_owner) == 0;
}

struct json_t *sgrule_to_json(const struct sgrule *r)
{
	return (struct json_t *)json_pack("{s:s, s:b, s:s, s:s, s:s, s:s, s:s, s:s,"
		" s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:I}",
		"id", r->id, "egress", r->egress, "proto", r->proto, "ports", r->ports,
		"sports", r->sports, "cidr", r->cidr, "ipv6", r->ipv6, "group", r->group,
		"owner", r->group_owner, "prefix", r->prefix, "local", r->local_cidr,
		"nic", r->nic, "policy", r->policy, "priority", r->priority,
		"desc", r->desc, "created_ms", (json_int_t)r->created_ms);
}

static void sr_get(char *dst, size_t size, const json_t *j, const char *k)
{
	sr_copy(dst, size, json_string_value(json_object_get(j, k)));
}

void sgrule_from_json(const struct json_t *jr, struct sgrule *r)
{
	const json_t *j = (const json_t *)jr;

	memset(r, 0, sizeof(*r));
	sr_get(r->id, sizeof(r->id), j, "id");
	r->egress = json_is_true(json_object_get(j, "egress"));
	sr_get(r->proto, sizeof(r->proto), j, "proto");
	sr_get(r->ports, sizeof(r->ports), j, "ports");
	sr_get(r->sports, sizeof(r->sports), j, "sports");
	sr_get(r->cidr, sizeof(r->cidr), j, "cidr");
	sr_get(r->ipv6, sizeof(r->ipv6), j, "ipv6");
	sr_get(r->group, sizeof(r->group), j, "group");
	sr_get(r->group_owner, sizeof(r->group_owner), j, "owner");
	sr_get(r->prefix, sizeof(r->prefix), j, "prefix");
	sr_get(r->local_cidr, sizeof(r->local_cidr), j, "local");
	sr_get(r->nic, sizeof(r->nic), j, "nic");
	sr_get(r->policy, sizeof(r->policy), j, "policy");
	r->priority = (int)json_integer_value(json_object_get(j, "priority"));
	sr_get(r->desc, sizeof(r->desc), j, "desc");
	r->created_ms = (int64_t)json_integer_value(json_object_get(j, "created_ms"));
}
