/* vtag.h - helpers of the VPC product's tag Actions (vtag.c). */
#ifndef ECSD_VPC_VTAG_H
#define ECSD_VPC_VTAG_H
#include "vpc.h"

/* The resources-table kind of a VPC ResourceType (VPC, VSWITCH,
 * ROUTETABLE, EIP), or NULL. */
const char *vtag_kind(const char *rtype);
/* 0 if every id is one of account's resources of kind (region gets the
 * last one's region), InvalidResourceId.NotFound, or a store error. */
int vtag_check(struct store_tx *tx, const char *account, const char *kind,
               const char *const *ids, size_t n, char *region, size_t rlen);

#endif
