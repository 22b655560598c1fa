/* net.h - the network resources over the store, shared by the VPC
 * Actions (src/vpc/) and the ECS Actions that place instances
 * (src/actions/): loading and saving VPCs, vSwitches and route tables as
 * rows of the generic resources table, private address allocation, and
 * the account's default network. Runs inside a store transaction; returns
 * 0, an API error id (> 0), or a store error (< 0). No HTTP, no replies. */
#ifndef ECSD_NET_H
#define ECSD_NET_H
#include "../model/vnet.h"
#include "../store/store.h"

/* Load the account's VPC / vSwitch / route table: 0 or STORE_NOTFOUND. */
int net_vpc_get(struct store_tx *tx, const char *account, const char *id,
                struct vpc *out);
int net_vsw_get(struct store_tx *tx, const char *account, const char *id,
                struct vswitch *out);
int net_vtb_get(struct store_tx *tx, const char *account, const char *id,
                struct vtb *out);
/* Insert (insert=1) or update one row. */
int net_vpc_put(struct store_tx *tx, struct vpc *v, int insert);
int net_vsw_put(struct store_tx *tx, struct vswitch *w, int insert);
int net_vtb_put(struct store_tx *tx, struct vtb *t, int insert);

/* Creates a VPC with its vRouter id and System route table. v holds the
 * caller's fields (account, region, name, description, cidr, is_default,
 * created_ms, ready_ms); ids are made here. */
int net_vpc_create(struct store_tx *tx, struct vpc *v);

/* Addresses of a vSwitch in use (instances' and ENIs' private IPs). */
int net_vsw_used(struct store_tx *tx, const struct vswitch *w, int64_t *n);
/* Takes a private address of w for owner (an ENI or instance id): want
 * when given; otherwise the first free usable address from where this
 * process last took one in w (the first address for a vSwitch it has not
 * seen), wrapping round: O(1) while addresses are only taken, and no read
 * of w's other addresses (a released one is found again once the search
 * wraps). ERR_INVALID_PRIVATE_IP_ADDRESS
 * (not a usable address of w), ERR_INVALID_PRIVATE_IP_ADDRESS_DUPLICATED,
 * ERR_INVALID_VSWITCH_IP_NOT_ENOUGH; out gets the address. */
int net_ip_take(struct store_tx *tx, const struct vswitch *w, const char *want,
                const char *owner, char out[16]);
/* Gives an address back (missing: ignored). */
int net_ip_free(struct store_tx *tx, const char *account, const char *vsw_id,
                const char *ip);

/* The account's default VPC in region, created (Available at once) on
 * first use; then its default vSwitch in zone, likewise (docs/decisions.md
 * "Default network"). */
int net_default_vsw(struct store_tx *tx, const char *account,
                    const char *region, const char *zone, int64_t now_ms,
                    struct vswitch *out);

/* The fixed columns of a resources row (doc left NULL). */
/* Writes r (its doc consumed): insert or update; sets *seq (if not NULL)
 * on insert. 0 or a store error. */
int net_put(struct store_tx *tx, struct res *r, int insert, int64_t *seq);
void net_row(struct res *r, const char *id, const char *account,
             const char *kind, const char *region, const char *parent,
             const char *ref, int64_t created_ms, int64_t seq);
/* The id of the first row of (account, kind, region, ref): 0 or
 * STORE_NOTFOUND. */
int net_find(struct store_tx *tx, const char *account, const char *kind,
             const char *region, const char *ref, char id[64]);

/* ---- network interfaces and security groups (place.c) ---- */
int net_eni_get(struct store_tx *tx, const char *account, const char *id,
                struct eni *out);
int net_eni_put(struct store_tx *tx, struct eni *e, int insert);
/* doc (optional, may be NULL): a new reference to the group's document,
 * rules included, for the caller to json_decref. */
int net_sg_get(struct store_tx *tx, const char *account, const char *id,
               struct sg *out, struct json_t **doc);
/* doc: the previous document (rules kept) or NULL. */
int net_sg_put(struct store_tx *tx, struct sg *g, const struct json_t *doc,
               int insert);
/* The VPC's default security group, created on first use. */
int net_default_sg(struct store_tx *tx, const struct vpc *v, int64_t now_ms,
                   struct sg *out);

/* Security group membership: one resources row per (group, member), the
 * member being an ENI id (an instance counts through its primary ENI).
 * join: STORE_ECONFLICT when already a member; leave: STORE_NOTFOUND when
 * not one. */
#define SGM_KIND "sgm"
int net_sg_join(struct store_tx *tx, const char *account, const char *region,
                const char *sg_id, const char *member);
int net_sg_leave(struct store_tx *tx, const char *account, const char *sg_id,
                 const char *member);
int net_sg_members(struct store_tx *tx, const char *account, const char *sg_id,
                   int64_t *n);
/* Joins (join=1) or leaves every group of a comma-separated list. */
int net_sg_join_all(struct store_tx *tx, const char *account, const char *region,
                    const char *sgs, const char *member, int join);

/* Where RunInstances / CreateInstance put instances (docs/decisions.md
 * "Default network"): the vSwitch (given, or the account's default one
 * in zone) and the security groups (given, or the default VPC's default
 * group). Returns 0, or an API error id: ERR_INVALID_VSWITCH_ID_NOT_FOUND_ECS,
 * ERR_INCORRECT_VSWITCH_STATUS, ERR_INVALID_PARAMETER (ZoneId differs
 * from the vSwitch's), ERR_INVALID_SECURITY_GROUP_ID_NOT_FOUND,
 * ERR_INVALID_PARAMETER_MISMATCH, ERR_MISSING_PARAMETER (*missing names
 * VSwitchId or SecurityGroupId). */
struct net_place {
	const char *account, *region;
	const char *vswitch_id;    /* NULL: default */
	const char *zone;          /* NULL: the vSwitch's / the region's first */
	const char *const *sg_ids; /* requested groups */
	size_t nsg;
	int64_t now_ms;
	/* out */
	struct vswitch vsw;
	char sgs[INST_SG_IDS];
	const char *missing;
};
int net_place_resolve(struct store_tx *tx, struct net_place *p);
/* Gives one instance its primary ENI, private address (want, or the
 * lowest free one) and, when bandwidth_out > 0, a public address. */
int net_place_instance(struct store_tx *tx, const struct net_place *p,
                       const char *want_ip, struct instance *in);
/* Deletes an ENI with its address and memberships. */
int net_eni_drop(struct store_tx *tx, const struct eni *e);
/* A MAC address in Alibaba's 00:16:3e range. */
void net_new_mac(char out[18]);
/* Undoes net_place_instance at release: the primary ENI, its addresses;
 * secondary ENIs go (DeleteOnRelease) or are detached and kept. */
int net_unplace_instance(struct store_tx *tx, const struct instance *in);

/* Counting children for the dependency checks. */
int net_count(struct store_tx *tx, const char *account, const char *kind,
              const char *parent, int64_t *n);

#endif
