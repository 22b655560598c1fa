/* vedge.h - the resources at the edge of a VPC that point at instances:
 * custom route entries, elastic IP addresses, classic load balancers and
 * their backend servers; their JSON documents for the generic store
 * (docs/store.md) and the pure rules (statuses over time, next-hop types,
 * the BackendServers parameter). No I/O, no SQL, no HTTP. */
#ifndef ECSD_VEDGE_H
#define ECSD_VEDGE_H
#include <stdint.h>
#include "model.h"

/* Kinds in the resources table (parent / ref columns). */
#define RTE_KIND "rte"       /* route entry: parent its route table, ref its next hop */
#define EIP_KIND "eip"       /* EIP: parent "", ref the instance it is bound to */
#define SLB_KIND "slb"       /* load balancer: parent its vSwitch ("" classic) */
#define SLBBE_KIND "slbbe"   /* backend server: parent its LB, ref the instance */

#define RTE_PER_TABLE 200    /* custom entries per route table (NETWORK.md E.3) */
#define SLB_BACKENDS_PER_CALL 20
#define SLB_BACKENDS_MAX 200 /* backend servers of one load balancer */

struct rte {
	char id[ID_LEN];
	char account[32];
	char region[32];
	char vtb_id[ID_LEN];
	char vpc_id[ID_LEN];
	char dst[20];              /* DestinationCidrBlock, canonical */
	char hop_type[24];         /* Instance, NetworkInterface, HaVip, ... */
	char hop_id[ID_LEN];
	char name[129];
	char description[257];
	int64_t created_ms;
	int64_t ready_ms;          /* Pending until then, Available after */
	int64_t seq;
};

struct eip {
	char id[ID_LEN];
	char account[32];
	char region[32];
	char ip[16];
	char bandwidth[8];         /* Mbit/s, a string as the SDK types it */
	char internet_charge[16];  /* PayByBandwidth | PayByTraffic */
	char charge[10];           /* PostPaid | PrePaid */
	char name[129];
	char description[257];
	char isp[16];
	char instance_id[ID_LEN];  /* "" when not bound */
	char instance_type[24];    /* EcsInstance when bound */
	char private_ip[16];
	int64_t trans_end_ms;      /* Associating / Unassociating until then */
	int64_t created_ms;
	int64_t seq;
};

struct slb {
	char id[ID_LEN];
	char account[32];
	char region[32];
	char name[129];
	char address[16];
	char address_type[10];     /* internet | intranet */
	char vpc_id[ID_LEN];       /* "" for a classic (internet) one */
	char vsw_id[ID_LEN];
	char spec[32];
	char pay_type[16];         /* PayOnDemand */
	char internet_charge[16];  /* paybytraffic | paybybandwidth */
	int bandwidth;
	int delete_protection;
	char status[10];           /* active | inactive */
	char master_zone[40];
	char slave_zone[40];
	int64_t configuring_until_ms; /* a backend change is applied until then */
	int64_t created_ms;
	int64_t seq;
};

struct slb_backend {
	char server_id[ID_LEN];
	int weight;                /* 0-100 */
	char type[8];              /* ecs */
	char description[257];
};

struct json_t;
/* Document <-> struct, as vnet.h does: only what the fixed columns of the
 * row do not hold. *_to_json: a new reference or NULL. */
struct json_t *vedge_rte_to_json(const struct rte *e);
void vedge_rte_from_json(const struct json_t *doc, struct rte *e);
struct json_t *vedge_eip_to_json(const struct eip *e);
void vedge_eip_from_json(const struct json_t *doc, struct eip *e);
struct json_t *vedge_slb_to_json(const struct slb *b);
void vedge_slb_from_json(const struct json_t *doc, struct slb *b);
struct json_t *vedge_be_to_json(const struct slb_backend *s);
void vedge_be_from_json(const struct json_t *doc, struct slb_backend *s);

/* Route entries: 1 if t is a next-hop type CreateRouteEntry accepts
 * (NETWORK.md E.3), "Instance" when empty. */
int vedge_hop_type_known(const char *t);
const char *vedge_rte_status(const struct rte *e, int64_t now_ms);

/* EIP status at now_ms: Associating/InUse while bound, else
 * Unassociating/Available (NETWORK.md E.4). */
const char *vedge_eip_status(const struct eip *e, int64_t now_ms);
int vedge_eip_settled(const struct eip *e, int64_t now_ms);

/* 1 while a backend change of b is being applied (NETWORK.md F.5). */
int vedge_slb_configuring(const struct slb *b, int64_t now_ms);

/* Parses the BackendServers parameter: a JSON array of objects, with
 * double or single quotes (Terraform sends the latter), Weight a string or
 * a number 0-100 (default 100), Type "ecs" (default). Fills out[0..*n).
 * 0, or -1 for anything else (empty, too many, no ServerId, ...). */
int vedge_backends_parse(const char *s, struct slb_backend *out, int max, int *n);

#endif
