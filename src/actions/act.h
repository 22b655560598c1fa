/* act.h - what Action handlers share: store error mapping, the rendering
 * of an instance/disk/snapshot through the reply API, paging, ClientToken
 * idempotency, common lookups. Each Action lives in its own file. */
#ifndef ECSD_ACT_H
#define ECSD_ACT_H
#include "../api/api.h"
#include "../ecsd.h"
#include "../model/model.h"
#include "../store/store.h"

/* Every ECS handler, declared once from its actions.def row:
 * enum err_id act_delete_instance(struct req *r); and so on. */
#define ACTION API_DECLARE_HANDLER
#include "../api/actions.def"
#undef ACTION

/* Runs fn(tx, job) in one write (read) transaction under store.h's
 * contract: fn may run more than once; it returns its outcome (0, an API
 * error id, or a store error) and keeps its results in job, which it
 * resets on every run. Returns ERR_OK once committed, else the error,
 * raised on r. A re-run starts from the reply as it was before the first
 * run, and a rolled-back run leaves nothing in it. The only way a handler
 * runs a transaction (tests/lint.sh). */
enum err_id act_write(struct req *r, store_fn fn, void *job);
enum err_id act_read(struct req *r, store_fn fn, void *job);
/* NextToken of the list position pos (a row index, >= 0) as an opaque
 * page token of the caller (auth/page_token.h); 0 or -1. out holds
 * PAGE_TOKEN_LEN + 1 bytes. untoken: 0 with *pos, or -1 for a token that
 * is not the caller's for this Action. */
int act_pos_token(struct req *r, int64_t pos, char *out);
int act_pos_untoken(struct req *r, const char *tok, int64_t *pos);

/* Field renderers (the DescribeInstances/DescribeDisks/DescribeSnapshots
 * item shapes); now_ms picks the status of the moment. Tags.Tag[] is the
 * caller's (act_tags_emit_of), as it needs the transaction. */
void act_emit_instance(struct req *r, const struct instance *in, int64_t now_ms);
void act_emit_disk(struct req *r, const struct disk *d);
/* The network fields of an instance item (NETWORK.md C.4): VpcAttributes,
 * SecurityGroupIds, NetworkInterfaces, EipAddress, PublicIpAddress,
 * InnerIpAddress (act_net.c). */
void act_emit_instance_net(struct req *r, const struct instance *in);
void act_emit_snapshot(struct req *r, const struct snapshot *sn);

/* Paging, both styles. Fills from PageNumber/PageSize or
 * NextToken/MaxResults (token mode if either of the latter is sent). */
struct paging {
	int token_mode;
	int64_t after_seq;
	int64_t offset;
	int limit;
	long long page_number, page_size;
};
enum err_id act_paging(struct req *r, struct paging *pg, int max_results_cap);
/* Emits TotalCount/PageNumber/PageSize/NextToken. last_seq: seq of the
 * last row returned; more: a row exists after it. */
void act_paging_emit(struct req *r, const struct paging *pg, int64_t total,
                     int64_t last_seq, int more);

/* One page of a Describe: counts rows as the store hands them over and
 * notices the one extra row (fetched with limit+1) that shows a next page. */
struct page_walk {
	struct req *r;
	struct paging pg;
	int64_t total, last_seq;
	int emitted, more;
};
/* At the start of every run of the walk's callback (a run may repeat:
 * store.h): forgets what an earlier run counted. */
void act_page_restart(struct page_walk *w);
/* Before emitting a row: 1 means "stop, this is the extra row". */
int act_page_take(struct page_walk *w, int64_t seq);
/* The store's list result: a stop by act_page_take is not an error. */
int act_page_rc(int rc);
/* After the walk: 1 when the walk itself gives TotalCount (a first page
 * that held every match), so the caller need not count. */
int act_page_total(struct page_walk *w, int64_t offset, int64_t after_seq);
/* TotalCount, PageNumber, PageSize, NextToken of the walk. */
void act_page_finish(struct page_walk *w);

/* ClientToken: within a write transaction, looks up (account, action,
 * token). Returns 0 with *hit=0 when the token is new (or absent), 0 with
 * *hit=1 and the stored result in out when the same request was seen,
 * ERR_IDEMPOTENT_PARAMETER_MISMATCH when the token was used with other
 * parameters, <0 on store error. */
int act_token_check(struct store_tx *tx, struct req *r, const char *token,
                    int *hit, struct buf *out);
int act_token_save(struct store_tx *tx, struct req *r, const char *token,
                   const char *result);

/* Loads the caller's instance; API errors for missing ones. */
int act_load_instance(struct store_tx *tx, struct req *r, const char *id,
                      struct instance *out);

/* RunInstances (stopped=0) and CreateInstance (stopped=1): validate,
 * create instances with their disks in one transaction, reply. */
enum err_id act_create(struct req *r, int amount, int stopped);

/* StartInstance/StopInstance/RebootInstance: load, check the lock, move
 * the state machine, store; stopped_mode may be NULL. */
enum err_id act_transition(struct req *r, enum inst_trans t,
                           const char *stopped_mode);

/* Applies the release plan of model/release_rules.c to one instance inside tx:
 * disks released or kept, automatic snapshots per DeleteAutoSnapshot,
 * the instance removed. Returns 0, an API error id, or a store error. */
int act_release(struct store_tx *tx, struct req *r, const struct instance *in);
/* Deletes disk d with its tags and, when its DeleteAutoSnapshot says so,
 * its automatic snapshots (and their tags). 0 or a store error. */
int act_drop_disk(struct store_tx *tx, const struct disk *d);
/* What other products hold of in (release_net.c): sets IF_ROUTE_ENTRY and
 * IF_SLB_CONFIGURING on in from the store, for release_check. */
int act_release_deps(struct store_tx *tx, struct req *r, struct instance *in);
/* In the release's transaction: in leaves every load balancer's backends;
 * its EIP is unbound and kept. */
int act_release_edge(struct store_tx *tx, struct req *r, const struct instance *in);

/* The paged "one entry per instance" reads (DescribeInstanceStatus and the
 * Actions Terraform calls on every refresh): lists the caller's instances
 * of RegionId among ids (all of the region unless set) and in zone (any if
 * NULL), emitting each inside list container/item through emit, then
 * TotalCount/PageNumber/PageSize. */
struct inst_ids {
	const char **v;
	size_t n;
	int set;
	const char *zone;
};
enum err_id act_each_instance(struct req *r, struct inst_ids ids,
                              const char *container, const char *item,
                              void (*emit)(struct req *, const struct instance *));

/* Loads the caller's disk; InvalidDiskId.NotFound for missing ones. */
int act_load_disk(struct store_tx *tx, struct req *r, const char *id,
                  struct disk *out);
/* The disks attached to an instance: how many, whether one is its system
 * disk, and the lowest free data device name (/dev/xvdb../dev/xvdz; "" when
 * none is free). Device names are never derived from a count: a detach
 * leaves a hole that the next attach fills. */
struct inst_disks {
	int64_t n;
	int has_system;
	char device[32];
};
int act_instance_disks(struct store_tx *tx, struct req *r, const char *instance_id,
                       struct inst_disks *out);
/* 1 if the instance is Running or Stopped at the request's time. */
int act_running_or_stopped(const struct req *r, const struct instance *in);

/* The expiry of a subscription bought now for `period` units of the
 * request's PeriodUnit (default Month); API error for a bad term. */
enum err_id act_subscription_expiry(struct req *r, long long period,
                                    int64_t *expired_ms);

/* Tags (act_tags.c): Tag.N.Key/Value of a create, checked (ERR_OK or the
 * raised error); the same as a Describe filter; Tags.Tag[] of a set or of
 * a stored resource (0 or a store error). */
struct tag_set;
struct tag_filter;
enum err_id act_tags_parse(struct req *r, struct tag_set *out);
enum err_id act_tags_filter(struct req *r, struct tag_filter *f);
void act_emit_tags(struct req *r, const struct tag_set *s);
int act_tags_emit_of(struct store_tx *tx, struct req *r, const char *rid);
/* 1 if TagResources & co. know the (lower-case) ResourceType. */
int act_tag_type_ok(const char *rtype);
/* RegionId, ResourceType, ResourceId.N of TagResources/UntagResources,
 * checked in the documented order (missing ones are 404, sic). */
enum err_id act_tag_common(struct req *r, const char **rtype);
/* Finds the caller's resource `id` of rtype in region and the id its tags
 * are kept under (rid: the id itself, a key pair's internal id):
 * 0, STORE_NOTFOUND or a store error. */
int act_tag_target(struct store_tx *tx, struct req *r, const char *rtype,
                   const char *region, const char *id, char rid[ID_LEN]);

/* Issue 13's part of RunInstances/CreateInstance (create_extras.c):
 * check before the transaction (AutoReleaseTime, Tag.N); inside it,
 * before the instance is stored (key pair, schedule) and after each
 * resource is stored (its tags). API error, 0 or a store error. */
enum err_id act_create_check(struct req *r, int charge);
int act_create_pre(struct store_tx *tx, struct req *r, struct instance *in);
int act_create_tag(struct store_tx *tx, struct req *r, const char *rtype,
                   const char *id, const char *region);

/* Common preconditions of the lifecycle Actions. */
#define ACT_NOT_LOCKED(in) (((in)->flags & IF_LOCK_SECURITY) ? \
	ERR_INSTANCE_LOCKED_FOR_SECURITY : ERR_OK)

#endif
