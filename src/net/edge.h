/* edge.h - route entries, EIPs, load balancers and backend servers over
 * the store (rows of the generic resources table), shared by the VPC and
 * SLB Actions and by DeleteInstance. Runs inside a store transaction;
 * returns 0, an API error id (> 0) or a store error (< 0). No HTTP. */
#ifndef ECSD_EDGE_H
#define ECSD_EDGE_H
#include "../model/vedge.h"
#include "../model/vnet.h"
#include "../store/store.h"

/* Load one of the account's rows: 0 or STORE_NOTFOUND. */
int edge_rte_get(struct store_tx *tx, const char *account, const char *id, struct rte *out);
int edge_eip_get(struct store_tx *tx, const char *account, const char *id, struct eip *out);
int edge_slb_get(struct store_tx *tx, const char *account, const char *id, struct slb *out);
/* Insert (insert=1) or update one row. */
int edge_rte_put(struct store_tx *tx, struct rte *e, int insert);
int edge_eip_put(struct store_tx *tx, struct eip *e, int insert);
int edge_slb_put(struct store_tx *tx, struct slb *b, int insert);

/* Every route entry of a route table, in creation order (at most max;
 * more is STORE_EIO). */
int edge_rte_list(struct store_tx *tx, const char *account, const char *vtb_id,
                  struct rte *out, int max, int *n);
/* How many of the account's rows of kind have ref (route entries whose
 * next hop is an instance, ...). */
int edge_count_ref(struct store_tx *tx, const char *account, const char *kind,
                   const char *ref, int64_t *n);

/* The backend servers of a load balancer, in the order they were added. */
int edge_backends(struct store_tx *tx, const char *account, const char *lb_id,
                  struct slb_backend *out, int max, int *n);
/* Adds or updates (same server) one backend server of lb. */
int edge_backend_put(struct store_tx *tx, const struct slb *lb, const struct slb_backend *s);
/* Removes one (absent: ignored). */
int edge_backend_del(struct store_tx *tx, const struct slb *lb, const char *server_id);
/* The ids of the load balancers that have instance_id as a backend. */
int edge_lbs_of(struct store_tx *tx, const char *account, const char *instance_id,
                char (*ids)[ID_LEN], int max, int *n);

/* A private address of w for load balancer lb_id (taken like an
 * instance's, so it counts against the vSwitch and keeps it in use), and
 * giving it back. */
int edge_lb_address(struct store_tx *tx, const struct vswitch *w, const char *lb_id,
                    char out[16]);
int edge_lb_address_free(struct store_tx *tx, const struct slb *lb);

/* The instance's primary private address ("" if it has none). */
void edge_inst_private_ip(const struct instance *in, char out[16]);

/* Shows e (NULL: none) as the instance's EipAddress (DescribeInstances)
 * and saves the instance. */
int edge_inst_eip(struct store_tx *tx, struct instance *in, const struct eip *e);

/* What other products hold of in, for release_check: sets IF_ROUTE_ENTRY
 * (a custom route entry's next hop is in) and IF_SLB_CONFIGURING (a load
 * balancer that has in as a backend is configuring at now_ms) on in. */
int edge_release_deps(struct store_tx *tx, struct instance *in, int64_t now_ms);

/* 1 if the instance is in the VPC. */
int edge_inst_in_vpc(const struct instance *in, const char *vpc_id);

#endif
