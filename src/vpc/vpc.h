/* vpc.h - what the VPC product's Action handlers (one file per Action in
 * src/vpc/) share: their declarations from vpc_actions.def, running a
 * store job, the item shapes of VPCs, vSwitches and route tables, and
 * page-number paging. Rules live in model/vnet.c, storage in net/. */
#ifndef ECSD_VPC_VPC_H
#define ECSD_VPC_VPC_H
#include "../api/api.h"
#include "../ecsd.h"
#include "../net/net.h"

#define ACTION API_DECLARE_HANDLER
#include "../api/vpc_actions.def"
#undef ACTION

/* Runs fn in one write (read) transaction; ERR_OK, or the error raised on
 * r (a positive return of fn is an API error id). */
enum err_id vpc_write(struct req *r, store_fn fn, void *job);
enum err_id vpc_read(struct req *r, store_fn fn, void *job);

/* Item shapes (NETWORK.md E.1-E.3). vsw_ids: the VPC's vSwitches. */
struct vpc_ids {
	char (*v)[ID_LEN];
	size_t n;
};
void vpc_emit_vpc(struct req *r, const struct vpc *v, const struct vpc_ids *vsw_ids);
void vpc_emit_vsw(struct req *r, const struct vswitch *w, const char *vtb_id,
                  int64_t used);

/* PageNumber/PageSize (default 1 and 10). */
struct vpc_page {
	long long number, size;
};
void vpc_page_get(struct req *r, struct vpc_page *pg);
/* 1 if the idx-th match (0-based) falls on the page. */
int vpc_page_has(const struct vpc_page *pg, int64_t idx);
void vpc_page_emit(struct req *r, const struct vpc_page *pg, int64_t total);

/* The ids of the account's rows of kind under parent, in creation order,
 * allocated from the request's arena (at most LIM_VPC_CHILDREN). */
int vpc_child_ids(struct store_tx *tx, struct req *r, const char *kind,
                  const char *parent, struct vpc_ids *out);

/* 1 if a ResourceGroupId filter (NULL or "" = none) matches the one
 * group every VPC resource is in. */
int vpc_group_ok(const char *rg);

/* 1 if id is one of the comma-separated ids of list (NULL or "" = all). */
int vpc_in_list(const char *list, const char *id);

#endif
