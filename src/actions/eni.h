/* eni.h - what the network interface Actions share (eni_common.c):
 * loading one of the caller's ENIs and the DescribeNetworkInterfaces item.
 * Storage: net/place.c; statuses: model/vnet.c. */
#ifndef ECSD_ACTIONS_ENI_H
#define ECSD_ACTIONS_ENI_H
#include "act.h"
#include "../net/net.h"

#define ENI_PER_INSTANCE 8   /* primary included (docs/decisions.md) */

/* The caller's ENI of the request's RegionId: 0,
 * ERR_INVALID_ENI_ID_NOT_FOUND or a store error. */
int act_eni_load(struct store_tx *tx, struct req *r, const char *id, struct eni *out);
/* The caller's instance for the ENI Actions: ERR_INVALID_ECS_ID_NOT_FOUND
 * when missing. */
int act_eni_instance(struct store_tx *tx, struct req *r, const char *id,
                     struct instance *out);
void act_emit_eni(struct req *r, const struct eni *e);
/* AttachNetworkInterface (attach=1) and DetachNetworkInterface. */
enum err_id act_eni_attach(struct req *r, int attach);

#endif
