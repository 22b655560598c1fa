/* store.h - the one storage interface (OpenSMTPD queue_backend, postgres
 * TableAmRoutine): a const vtable per backend (SQLite, PostgreSQL) behind
 * store_*() wrappers. Callers never see SQL. No ECS rules here. */
#ifndef ECSD_STORE_H
#define ECSD_STORE_H
#include <stdint.h>
#include <stddef.h>
#include "../model/model.h"
#include "../common/buf.h"
#include "replay.h"

/* Return codes of every store_* call (the callback's own positive API
 * error ids pass through unchanged). */
enum store_rc {
	STORE_OK = 0,
	STORE_NOTFOUND = -1,   /* get: no such row (for this account) */
	STORE_EIO = -2,        /* backend error: logged; client sees InternalError */
	STORE_EUNAVAIL = -3,   /* backend unreachable: client sees ServiceUnavailable */
	STORE_ECONFLICT = -4,  /* unique key taken (id collision) */
};

struct store;    /* one per process; thread-safe */
struct store_tx; /* one transaction, used by one thread */

/* A unit of work run inside one transaction. The contract:
 * - fn may run more than once for one call: PostgreSQL re-runs it from the
 *   start, on a fresh transaction, after a serialization failure;
 * - so fn reads and writes only through tx and its own arg, (re)sets every
 *   result it leaves in arg on each run, and writes nothing else: no reply,
 *   no request error, no shared state;
 * - it returns 0 to commit; any other value rolls back every change made
 *   through tx and is returned by store_write/store_read: a positive value
 *   is an API error id (enum err_id), a negative one a store_rc.
 * The caller acts on the outcome (reply, error) only after the call returns,
 * that is after the commit. */
typedef int (*store_fn)(struct store_tx *tx, void *arg);

struct store_opts {
	const char *uri;      /* data dir (SQLite) or "postgresql://..." */
	int pool_size;        /* PostgreSQL connections; 0 = default */
	int durable;          /* 1: acknowledged only once on disk (default) */
	size_t replay_budget; /* bytes of the replay cache; 0 = REPLAY_MB_DEFAULT MiB */
};

/* Opens (creating and migrating the schema as needed). Returns 0 or <0;
 * on failure writes a reason to err. */
int store_open(const struct store_opts *o, struct store **out, char *err,
               size_t errlen);
void store_close(struct store *s);
const char *store_backend_name(const struct store *s); /* "sqlite" | "postgresql" */

/* Runs fn in a read-write transaction; returns only once the commit is
 * durable (group commit: many callers may share one commit). */
int store_write(struct store *s, store_fn fn, void *arg);
/* Runs fn on a consistent read-only snapshot. */
int store_read(struct store *s, store_fn fn, void *arg);

/* Replay protection: the one replay cache of this store (SQLite: in this
 * process; PostgreSQL: this node's cache in front of a table shared by every
 * node). stamp_ms is the request's timestamp, already checked to be within
 * LIM_AUTH_WINDOW_S of now_ms; the nonce is remembered while it is.
 * 0 first use, 1 used (or a stamp outside the window), <0 store error
 * (PostgreSQL unreachable). The cache itself never fails: see replay.h. */
int store_nonce_use(struct store *s, const char *akid, const char *nonce,
                    int64_t stamp_ms, int64_t now_ms);
/* The replay cache's figures (for /metrics and the logs). */
void store_replay_stats(struct store *s, struct replay_stats *out);

/* ---- instances ---- */
/* account NULL matches any account (control API only). */
int store_inst_get(struct store_tx *tx, const char *account, const char *id,
                   struct instance *out);
int store_inst_insert(struct store_tx *tx, struct instance *in); /* sets seq */
int store_inst_update(struct store_tx *tx, const struct instance *in);
int store_inst_delete(struct store_tx *tx, const char *account, const char *id);

struct id_list {
	const char *const *v;
	size_t n;
	int set;               /* 1: filter on v (n may be 0: matches nothing) */
};

struct inst_query {
	const char *account;   /* required */
	const char *region;    /* NULL: any */
	struct id_list ids;
	const char *zone;      /* NULL: any */
	int status;            /* -1: any; else the status at now_ms */
	int charge;            /* -1: any */
	int64_t now_ms;
	int64_t after_seq;     /* keyset paging: rows with seq > after_seq */
	int64_t offset;        /* page paging */
	int limit;             /* rows to return */
};
typedef int (*inst_cb)(void *arg, const struct instance *in); /* !0 stops */
/* Rows in seq order. */
int store_inst_list(struct store_tx *tx, const struct inst_query *q,
                    inst_cb cb, void *arg);
/* Rows matching q ignoring after_seq/offset/limit. */
int store_inst_count(struct store_tx *tx, const struct inst_query *q,
                     int64_t *total);

/* ---- disks ---- */
int store_disk_get(struct store_tx *tx, const char *account, const char *id,
                   struct disk *out);
int store_disk_insert(struct store_tx *tx, struct disk *d);
int store_disk_update(struct store_tx *tx, const struct disk *d);
int store_disk_delete(struct store_tx *tx, const char *account, const char *id);

struct disk_query {
	const char *account;   /* required */
	const char *region;    /* NULL: any */
	struct id_list ids;
	const char *instance_id; /* NULL: any */
	const char *zone;      /* NULL: any */
	const char *type;      /* NULL, "system", "data" */
	const char *category;  /* NULL: any */
	int attached;          /* -1 any, 1 In_use, 0 Available */
	int charge;            /* -1 any */
	int delete_with_instance; /* -1 any */
	int64_t after_seq;
	int64_t offset;
	int limit;
};
typedef int (*disk_cb)(void *arg, const struct disk *d);
int store_disk_list(struct store_tx *tx, const struct disk_query *q,
                    disk_cb cb, void *arg);
int store_disk_count(struct store_tx *tx, const struct disk_query *q,
                     int64_t *total);

/* ---- snapshots ---- */
int store_snap_get(struct store_tx *tx, const char *account, const char *id,
                   struct snapshot *out);
int store_snap_insert(struct store_tx *tx, struct snapshot *sn);
int store_snap_update(struct store_tx *tx, const struct snapshot *sn);
int store_snap_delete(struct store_tx *tx, const char *account, const char *id);
/* Deletes the automatic snapshots whose source disk is disk_id; *n = count. */
int store_snap_delete_auto(struct store_tx *tx, const char *account,
                           const char *disk_id, int64_t *n);

struct snap_query {
	const char *account;   /* required */
	const char *region;    /* NULL: any */
	struct id_list ids;
	const char *disk_id;   /* source disk; NULL: any */
	const char *instance_id; /* disks currently attached to it; NULL: any */
	int is_auto;           /* -1 any, 0 user, 1 auto */
	int status;            /* -1 any */
	int64_t after_seq;
	int64_t offset;
	int limit;
};
typedef int (*snap_cb)(void *arg, const struct snapshot *sn);
int store_snap_list(struct store_tx *tx, const struct snap_query *q,
                    snap_cb cb, void *arg);
int store_snap_count(struct store_tx *tx, const struct snap_query *q,
                     int64_t *total);

/* ---- idempotency (ClientToken) ---- */
/* Looks up (account, action, token). STORE_NOTFOUND, or 0 with the stored
 * request hash (hex) and result text copied out. */
int store_token_get(struct store_tx *tx, const char *account,
                    const char *action, const char *token,
                    char hash[65], struct buf *result);
int store_token_put(struct store_tx *tx, const char *account,
                    const char *action, const char *token,
                    const char *hash, const char *result, int64_t now_ms);

/* ---- generic resources (docs/store.md) ----
 * Every resource kind beyond instances, disks and snapshots (VPCs,
 * vSwitches, security groups, key pairs, tags, EIPs, ...) is one row of one
 * table: fixed, indexed columns plus a JSON document the kind's model/ code
 * reads and writes. Ids are unique across kinds. */
#define RES_KIND_LEN 24
#define RES_REF_LEN 136
struct json_t;
struct res {
	char id[64];
	char account[32];
	char kind[RES_KIND_LEN];   /* "vpc", "vswitch", "sg", "keypair", ... */
	char region[32];
	char parent[64];           /* owning resource's id, or "" */
	char ref[RES_REF_LEN];     /* a second indexed key, or "" (the instance
	                              an ENI serves, a key pair's name, ...) */
	int64_t created_ms;
	int64_t seq;               /* store-assigned creation order */
	struct json_t *doc;        /* the kind's fields: a JSON object */
};

struct res_query {
	const char *account;   /* NULL: every account (control API, fixtures) */
	const char *kind;      /* NULL: every kind */
	const char *region;    /* NULL: any */
	const char *parent;    /* NULL: any */
	const char *ref;       /* NULL: any */
	struct id_list ids;
	int64_t after_seq;     /* rows with seq > after_seq */
	int64_t offset;
	int limit;             /* <= 0: no limit */
};
/* r and r->doc are borrowed for the call only (json_incref to keep the
 * document). A non-zero return stops the walk and is returned. */
typedef int (*res_cb)(void *arg, const struct res *r);

/* Loads id (of kind, if kind is not NULL; of account, if account is not
 * NULL). On 0, out->doc is a new reference the caller must json_decref;
 * STORE_NOTFOUND otherwise (out->doc NULL). */
int store_res_get(struct store_tx *tx, const char *account, const char *kind,
                  const char *id, struct res *out);
/* Inserts r (doc must be an object; it is not consumed) and sets r->seq.
 * STORE_ECONFLICT when the id exists; the transaction must then end (on
 * PostgreSQL it is spent): to take an id that may exist, store_res_get it
 * first. */
int store_res_insert(struct store_tx *tx, struct res *r);
/* Replaces region, parent, ref and doc of (r->account, r->id);
 * STORE_NOTFOUND when there is no such row. */
int store_res_update(struct store_tx *tx, const struct res *r);
/* Deletes (account, id); STORE_NOTFOUND when there is no such row. */
int store_res_delete(struct store_tx *tx, const char *account, const char *id);
/* Rows matching q in seq order; counts ignoring the page fields. */
int store_res_list(struct store_tx *tx, const struct res_query *q,
                   res_cb cb, void *arg);
int store_res_count(struct store_tx *tx, const struct res_query *q,
                    int64_t *total);

/* For backends: r->doc as compact text (malloc'd), or NULL when it is not
 * an object or exceeds LIM_RES_DOC_BYTES. */
char *store_res_dump(const struct res *r);
/* ---- control state and account-wide operations (control API) ---- */
/* Small named documents every node shares (the virtual clock, the fault
 * rules): text values by key. kv_get: STORE_NOTFOUND when unset. */
int store_kv_get(struct store_tx *tx, const char *key, struct buf *val);
int store_kv_put(struct store_tx *tx, const char *key, const char *val);
typedef int (*kv_cb)(void *arg, const char *key, const char *val);
/* Every document as last committed, outside any caller transaction and
 * cheaply (once per API request): one statement. */
int store_kv_scan(struct store *s, kv_cb cb, void *arg);
/* Deletes every resource row (instances, disks, snapshots, generic
 * resources, ClientToken results) of account, or of every account when account is "". Credentials,
 * nonces and the kv documents are not touched. */
int store_purge(struct store_tx *tx, const char *account);

/* ---- the audit trail (issue 14): one row per recorded API call ---- */
struct audit_event {
	int64_t seq;               /* set by append; newest has the largest */
	int64_t time_ms;
	char account[32];          /* "" when no account could be told */
	char akid[64];
	char source[64];           /* peer address */
	char product[16];          /* "ecs", ... */
	char action[64];
	char resources[1024];      /* ",id,id," : the resource ids it named */
	char code[64];             /* API Code, "OK" on success */
	int status;                /* HTTP status */
	char request_id[40];
	const char *params;        /* JSON object text, nothing secret; borrowed */
};
struct audit_query {
	const char *account;       /* NULL: every account (control token) */
	const char *action;        /* NULL: any */
	const char *resource;      /* NULL: any; else one id it named */
	int64_t since_ms;          /* 0: any; else time_ms >= since_ms */
	int64_t before_seq;        /* 0: from the newest; else seq < before_seq */
	int limit;
};
/* ev and ev->params are borrowed for the call only. !0 stops the walk. */
typedef int (*audit_cb)(void *arg, const struct audit_event *ev);
/* Appends ev inside tx (sets ev->seq). */
int store_audit_append(struct store_tx *tx, struct audit_event *ev);
/* Matching events, newest first. */
int store_audit_list(struct store_tx *tx, const struct audit_query *q,
                     audit_cb cb, void *arg);
/* Deletes events older than before_ms; *n = how many. */
int store_audit_prune(struct store_tx *tx, int64_t before_ms, int64_t *n);

/* Runs hook(tx, hook_arg) inside the transaction of this thread's next
 * store_write, after its fn succeeded (a failing hook rolls the whole
 * transaction back). Used by dispatch to record an Action's audit event in
 * the transaction of its effect. *ran is set to 1 once the transaction
 * that ran the hook committed. created (may be NULL) is told the id of
 * every row fn inserts, and NULL when an attempt of fn starts. Cleared by
 * that store_write, or by store_write_hook(NULL, NULL, NULL, NULL). */
void store_write_hook(store_fn hook, void *hook_arg, int *ran,
                      void (*created)(void *hook_arg, const char *id));

/* ---- the backend vtable (implementations only) ---- */
struct store_ops {
	const char *name;
	int (*open)(const struct store_opts *o, struct store **out, char *err,
	            size_t errlen);
	void (*close)(struct store *s);
	int (*write)(struct store *s, store_fn fn, void *arg);
	int (*read)(struct store *s, store_fn fn, void *arg);
	int (*nonce_use)(struct store *s, const char *akid, const char *nonce,
	                 int64_t stamp_ms, int64_t now_ms);
	int (*inst_get)(struct store_tx *, const char *, const char *, struct instance *);
	int (*inst_insert)(struct store_tx *, struct instance *);
	int (*inst_update)(struct store_tx *, const struct instance *);
	int (*inst_delete)(struct store_tx *, const char *, const char *);
	int (*inst_list)(struct store_tx *, const struct inst_query *, inst_cb, void *);
	int (*inst_count)(struct store_tx *, const struct inst_query *, int64_t *);
	int (*disk_get)(struct store_tx *, const char *, const char *, struct disk *);
	int (*disk_insert)(struct store_tx *, struct disk *);
	int (*disk_update)(struct store_tx *, const struct disk *);
	int (*disk_delete)(struct store_tx *, const char *, const char *);
	int (*disk_list)(struct store_tx *, const struct disk_query *, disk_cb, void *);
	int (*disk_count)(struct store_tx *, const struct disk_query *, int64_t *);
	int (*snap_get)(struct store_tx *, const char *, const char *, struct snapshot *);
	int (*snap_insert)(struct store_tx *, struct snapshot *);
	int (*snap_update)(struct store_tx *, const struct snapshot *);
	int (*snap_delete)(struct store_tx *, const char *, const char *);
	int (*snap_delete_auto)(struct store_tx *, const char *, const char *, int64_t *);
	int (*snap_list)(struct store_tx *, const struct snap_query *, snap_cb, void *);
	int (*snap_count)(struct store_tx *, const struct snap_query *, int64_t *);
	int (*token_get)(struct store_tx *, const char *, const char *, const char *,
	                 char[65], struct buf *);
	int (*token_put)(struct store_tx *, const char *, const char *, const char *,
	                 const char *, const char *, int64_t);
	int (*res_get)(struct store_tx *, const char *, const char *, const char *,
	               struct res *);
	int (*res_insert)(struct store_tx *, struct res *);
	int (*res_update)(struct store_tx *, const struct res *);
	int (*res_delete)(struct store_tx *, const char *, const char *);
	int (*res_list)(struct store_tx *, const struct res_query *, res_cb, void *);
	int (*res_count)(struct store_tx *, const struct res_query *, int64_t *);
	int (*audit_append)(struct store_tx *, struct audit_event *);
	int (*audit_list)(struct store_tx *, const struct audit_query *, audit_cb, void *);
	int (*audit_prune)(struct store_tx *, int64_t, int64_t *);
	int (*kv_get)(struct store_tx *, const char *, struct buf *);
	int (*kv_put)(struct store_tx *, const char *, const char *);
	int (*kv_scan)(struct store *, kv_cb, void *);
	int (*purge)(struct store_tx *, const char *);
};

/* Every backend's struct store and struct store_tx begin with this, so the
 * wrappers in store.c can find the vtable. */
struct store_base {
	const struct store_ops *ops;
	struct replay *replay;    /* the backend's replay cache; it frees it */
};
struct store_tx_base {
	const struct store_ops *ops;
};

/* The replay cache a backend's open makes for o (its budget). */
struct replay *store_replay_new(const struct store_opts *o);

extern const struct store_ops store_sqlite_ops;
extern const struct store_ops store_postgres_ops;

#endif
