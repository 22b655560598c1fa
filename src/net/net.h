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
/* The account's default VPC in region, created (Available at once) on
 * first use; then its default vSwitch in zone, likewise (docs/decisions.md
 * "Default network"). */
int net_default_vsw(struct store_tx *tx, const char *account,
                    const char *region, const char *zone, int64_t now_ms,
                    struct vswitch *out);

/* Counting children for the dependency checks. */
int net_count(struct store_tx *tx, const char *account, const char *kind,
              const char *parent, int64_t *n);

#endif
