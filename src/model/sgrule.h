/* sgrule.h - security group rules (NETWORK.md A.1, A.3): one rule as a
 * struct, its checks in the documented order, its identity (Priority and
 * Description are not part of it), and its JSON in the group's document.
 * Pure; no I/O. */
#ifndef ECSD_SGRULE_H
#define ECSD_SGRULE_H
#include <stdint.h>
#include "model.h"

#define SG_RULES_MAX 200       /* ingress + egress per group */
#define SG_RULES_PER_CALL 100  /* Permissions.N */

struct sgrule {
	char id[ID_LEN];           /* sgr-... */
	int egress;                /* 0 ingress, 1 egress */
	char proto[8];             /* TCP UDP ICMP GRE ALL ICMPV6 (upper case) */
	char ports[24];            /* "22/22", "-1/-1" */
	char sports[24];           /* SourcePortRange or "" */
	char cidr[48];             /* peer CIDR (Source for ingress, Dest for egress) */
	char ipv6[64];             /* peer IPv6 CIDR */
	char group[ID_LEN];        /* peer group */
	char group_owner[32];      /* its account ("" = own) */
	char prefix[48];           /* peer prefix list */
	char local_cidr[48];       /* quintuple: DestCidrIp (ingress) / SourceCidrIp (egress) */
	char nic[12];              /* intranet */
	char policy[8];            /* Accept | Drop */
	int priority;              /* 1..100 */
	char desc[513];
	int64_t created_ms;
};

/* The raw fields of one rule as the request gives them (NULL = absent). */
struct sgrule_in {
	const char *proto, *ports, *sports, *cidr, *ipv6, *group, *group_owner,
	           *prefix, *local_cidr, *nic, *policy, *priority, *desc;
};

/* Checks in and fills out (id and created_ms left to the caller). The
 * group peer is only checked for shape here. ERR_OK or the API error. */
enum err_id sgrule_parse(const struct sgrule_in *in, int egress, struct sgrule *out);
/* 1 if a and b are the same rule (A.1 identity). */
int sgrule_same(const struct sgrule *a, const struct sgrule *b);

struct json_t;
struct json_t *sgrule_to_json(const struct sgrule *r);
void sgrule_from_json(const struct json_t *j, struct sgrule *r);

#endif
