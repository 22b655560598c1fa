/* slb.h - what the classic SLB product's Action handlers (one file per
 * Action in src/slb/) share: their declarations from slb_actions.def,
 * running a store job, the load balancer item shape, the backend-server
 * calls' common path. Rules live in model/vedge.c, storage in net/edge.c. */
#ifndef ECSD_SLB_SLB_H
#define ECSD_SLB_SLB_H
#include "../api/api.h"
#include "../ecsd.h"
#include "../net/edge.h"
#include "../net/net.h"

#define ACTION API_DECLARE_HANDLER
#include "../api/slb_actions.def"
#undef ACTION

/* Runs fn in one write (read) transaction; ERR_OK, or the error raised on
 * r (a positive return of fn is an API error id). */
enum err_id slb_write(struct req *r, store_fn fn, void *job);
enum err_id slb_read(struct req *r, store_fn fn, void *job);

/* The fields DescribeLoadBalancers and DescribeLoadBalancerAttribute share
 * (NETWORK.md F.2), inside the caller's object. */
void slb_emit_lb(struct req *r, const struct slb *b);
/* BackendServers.BackendServer[] of the given servers. */
void slb_emit_backends(struct req *r, const struct slb_backend *s, int n);

/* 1 if id is one of the comma-separated ids of list ("" = every id). */
int slb_in_list(const char *list, const char *id);

/* Add, Remove and Set BackendServers: the load balancer, its configuring
 * window, the parsed servers, then op on each, in one transaction; the
 * answer lists the load balancer's servers afterwards. */
enum slb_op { SLB_ADD, SLB_REMOVE, SLB_SET };
enum err_id slb_backend_call(struct req *r, enum slb_op op);

#endif
