/* vnet.h - VPC product resources as plain structs (VPC, vSwitch, route
 * table, a vSwitch's allocated private address), their JSON documents for
 * the generic store (docs/store.md), and the pure rules: statuses over
 * time, CIDR choices. No I/O, no SQL, no HTTP. */
#ifndef ECSD_VNET_H
#define ECSD_VNET_H
#include <stdint.h>
#include "model.h"
#include "cidr.h"

/* Kinds in the resources table. */
#define VPC_KIND "vpc"
#define VSW_KIND "vswitch"
#define VTB_KIND "vtb"
#define VIP_KIND "ip"          /* one allocated private address of a vSwitch */
#define SG_KIND "sg"           /* an ECS security group; parent: its VPC */
#define ENI_KIND "eni"         /* a network interface; parent: its vSwitch */
#define VPC_REF_DEFAULT "default" /* ref of an account's default VPC */

#define VPC_DEFAULT_CIDR "172.16.0.0/12"  /* CreateVpc without CidrBlock */
#define VPC_MASK_MIN 8
#define VPC_MASK_MAX 28
#define VSW_MASK_MIN 16
#define VSW_MASK_MAX 29
#define VPC_RESOURCE_GROUP "rg-acfmzw2jz2z3vaa"  /* every account's default group */

struct vpc {
	char id[ID_LEN];
	char account[32];
	char region[32];
	char name[129];
	char description[257];
	char cidr[20];
	char vrouter_id[ID_LEN];
	char route_table_id[ID_LEN];
	int is_default;
	int64_t created_ms;
	int64_t ready_ms;          /* Pending until then, Available after */
	int64_t seq;
};

struct vswitch {
	char id[ID_LEN];
	char account[32];
	char region[32];
	char vpc_id[ID_LEN];
	char zone[40];
	char cidr[20];
	char name[129];
	char description[257];
	int is_default;
	int64_t created_ms;
	int64_t ready_ms;
	int64_t seq;
};

struct vtb {
	char id[ID_LEN];
	char account[32];
	char region[32];
	char vpc_id[ID_LEN];
	char vrouter_id[ID_LEN];
	char name[129];
	char description[257];
	char type[8];              /* System | Custom */
	int64_t created_ms;
	int64_t seq;
};

/* A network interface (NETWORK.md B.1). Status values move like an
 * instance's: trans until trans_end_ms, then status. */
struct eni {
	char id[ID_LEN];
	char account[32];
	char region[32];
	char vsw_id[ID_LEN];
	char vpc_id[ID_LEN];
	char zone[40];
	char instance_id[ID_LEN];  /* "" when detached */
	char type[12];             /* Primary | Secondary */
	char ip[16];
	char mac[18];
	char name[129];
	char description[257];
	char sg_ids[INST_SG_IDS];  /* comma-separated */
	int delete_on_release;
	char status[16];           /* Available | InUse */
	char trans[16];            /* Attaching | Detaching | "" */
	int64_t trans_end_ms;
	int64_t created_ms;
	int64_t seq;
};

/* A security group (NETWORK.md A.1); its rules stay in the document and
 * are read by the security group Actions. */
struct sg {
	char id[ID_LEN];
	char account[32];
	char region[32];
	char vpc_id[ID_LEN];
	char name[129];
	char description[257];
	char type[12];             /* normal | enterprise */
	char inner_policy[8];      /* Accept | Drop */
	int is_default;
	int64_t created_ms;
	int64_t seq;
};
#define SG_REF_DEFAULT "default" /* ref of a VPC's default group */
#define PUBIP_KIND "pubip"      /* a system-assigned public address */

struct json_t;
/* Document <-> struct: only the fields the store's fixed columns do not
 * hold (id, account, region, parent, created_ms, seq are set by the
 * caller). *_to_json returns a new reference or NULL (out of memory);
 * *_from_json fills what the document has and leaves the rest zero. */
struct json_t *vnet_vpc_to_json(const struct vpc *v);
void vnet_vpc_from_json(const struct json_t *doc, struct vpc *v);
struct json_t *vnet_vsw_to_json(const struct vswitch *w);
void vnet_vsw_from_json(const struct json_t *doc, struct vswitch *w);
struct json_t *vnet_vtb_to_json(const struct vtb *t);
void vnet_vtb_from_json(const struct json_t *doc, struct vtb *t);

struct json_t *vnet_eni_to_json(const struct eni *e);
void vnet_eni_from_json(const struct json_t *doc, struct eni *e);
/* The group's fields over doc (its "rules" member is kept): a new
 * reference, or NULL. */
struct json_t *vnet_sg_to_json(const struct sg *g, const struct json_t *doc);
void vnet_sg_from_json(const struct json_t *doc, struct sg *g);
/* The ENI's status at now_ms. */
const char *vnet_eni_status(const struct eni *e, int64_t now_ms);
/* 1 if id is one of the comma-separated ids of list. */
int vnet_id_in(const char *list, const char *id);

/* "Pending" or "Available" at now_ms. */
const char *vnet_status(int64_t ready_ms, int64_t now_ms);
int vnet_available(int64_t ready_ms, int64_t now_ms);

/* CIDR rules (NETWORK.md E.1, E.2). ERR_OK or the API error. */
enum err_id vnet_vpc_cidr(const char *s, struct cidr *out);
enum err_id vnet_vsw_cidr(const char *s, const struct cidr *vpc, struct cidr *out);

/* The CIDR of an account's default VPC and of its default vSwitch in the
 * zone_index-th zone of the region (docs/decisions.md). */
#define VPC_DEFAULT_VPC_CIDR "172.16.0.0/12"
void vnet_default_vsw_cidr(int zone_index, char out[20]);

#endif
