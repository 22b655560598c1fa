/* pg_int.h - what the pieces of the PostgreSQL store backend (postgres.c,
 * pg_schema.c, pg_conn.c, pg_rows.c) share: tunables, row layouts, statement
 * numbers, the store and transaction structs. Include it nowhere else. */
#ifndef ECSD_PG_INT_H
#define ECSD_PG_INT_H
#include "store.h"
#include <libpq-fe.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

/* Tunables of this backend (timing, not hostile-input ceilings). */
#define PG_POOL_DEFAULT      8
#define PG_POOL_MAX          256
#define PG_CHECKOUT_WAIT_MS  5000     /* wait for a free pooled connection */
#define PG_CONNECT_TIMEOUT_S "2"      /* libpq connect_timeout */
#define PG_STMT_TIMEOUT_MS   5000     /* server-side statement_timeout */
#define PG_REPLY_WAIT_MS     8000     /* client-side wait for any reply */
#define PG_IDLE_TX_MS        30000    /* server drops a transaction left idle */
#define PG_MIGRATE_WAIT_MS   60000    /* migration (may wait for another node) */
#define PG_OPEN_WAIT_MS      30000    /* keep trying the server at open */
#define PG_DOWN_BACKOFF_MS   250      /* after a failed connect, fail fast */
#define PG_RETRY_MAX         100      /* runs of fn on serialization failure */
#define PG_BACKOFF_US        500      /* first retry backoff; doubles, jittered */
#define PG_NONCE_SWEEP_EVERY 1000     /* first uses per expired-row sweep */
#define PG_NONCE_BATCH       256      /* nonces one shared-table insert takes */
#define PG_NONCE_SWEEP_ROWS  "5000"   /* rows one sweep deletes at most */
#define PG_MAX_PARAMS        48
#define PG_SQL_BYTES         4096     /* one generated statement */
#define PG_ARRAY_BYTES       (1024 * 1024) /* an id list as a text[] literal */
#define PG_MSG_BYTES         512
#define PG_DYN_MASKS         1024     /* filter combinations per query kind (2^10: DescribeDisks has 10 optional filters) */
#define PG_LOCK_KEY          "7297846203572512"  /* advisory lock: migrations */

/* ---- row layouts: one column table per resource drives every statement ---- */
enum pg_ctype { PC_STR, PC_INT, PC_I64, PC_U32 };
struct pg_col {
	const char *name;
	enum pg_ctype t;
	size_t off, size;
};

/* Per resource: get, get (any account), insert, update, delete. */
enum { EST_GET, EST_GET_ANY, EST_INS, EST_UPD, EST_DEL, EST__N };
enum pg_stmt {
	ST_INST = 0,
	ST_DISK = ST_INST + EST__N,
	ST_SNAP = ST_DISK + EST__N,
	ST_SNAP_DEL_AUTO = ST_SNAP + EST__N,
	ST_TOKEN_GET,
	ST_TOKEN_PUT,
	ST_NONCE_USE,
	ST_NONCE_SWEEP,
	ST_RES_GET, ST_RES_INS, ST_RES_UPD, ST_RES_DEL,
	ST_KV_GET, ST_KV_PUT, ST_KV_SCAN, ST_PURGE,   /* pg_ctl.c */
	ST__COUNT
};
/* Generated list/count statements, one per combination of filters. */
enum pg_dyn { DYN_INST, DYN_INST_N, DYN_DISK, DYN_DISK_N, DYN_SNAP, DYN_SNAP_N,
              DYN_RES, DYN_RES_N, DYN_AUDIT, DYN__COUNT };
#define PG_RES_COLS "seq, id, account, kind, region, parent, ref, created_ms, doc"

struct pg_ent {
	const char *table;
	const struct pg_col *cols;
	int ncols;
	size_t seq_off, size;
	int st;      /* first of its EST__N statements */
	int dyn;     /* its list kind; count kind is dyn + 1 */
};
extern const struct pg_ent pg_ent_inst, pg_ent_disk, pg_ent_snap;

union pg_row {
	struct instance i;
	struct disk d;
	struct snapshot s;
};

/* ---- the store, its pool and a transaction ---- */
struct pg_conn {
	PGconn *c;          /* NULL: (re)connect at next checkout */
	int busy, fresh, broken;
	int ending;         /* a read's COMMIT was sent, its reply not read yet */
	uint64_t fixed;     /* bit per enum pg_stmt prepared on c */
	uint64_t dyn[DYN__COUNT][PG_DYN_MASKS / 64];
};

struct store {
	struct store_base base;
	char *uri;
	char where[160];    /* "host:port" for logs; never the password */
	int durable;
	char *sql[ST__COUNT];
	pthread_mutex_t mu; /* guards busy flags, down, down_until */
	pthread_cond_t cv;
	int npool;
	struct pg_conn *pool;
	int down;           /* logged as unavailable, not yet as back */
	int64_t down_until; /* monotonic ms: fail fast instead of connecting */
	atomic_uint nonce_calls;
	int rerun_first;    /* ECSD_TEST_RERUN: roll back every first run and re-run
	                       it, as after a serialization failure (tests only) */
	/* nonces waiting for the shared table (pg_nonce.c) */
	pthread_mutex_t nmu;
	struct pg_nonce_req *nq;   /* queue, oldest first */
	int nleader;               /* a batch is in flight */
};

struct store_tx {
	struct store_tx_base base;
	struct store *s;
	struct pg_conn *pc;
	int err;            /* first failure; later calls return it at once */
	int retry;          /* serialization failure / deadlock: re-run fn */
	int lost;           /* the connection failed (not a timeout) */
	const char *begin;  /* BEGIN not sent yet: goes with the first statement */
	int first_lost;     /* the connection failed on that first exchange */
};

struct pg_params {
	int n, bad;
	const char *v[PG_MAX_PARAMS];
	char num[PG_MAX_PARAMS][24];
};

/* ---- pg_schema.c ---- */
void pg_add_cols(struct buf *b, const struct pg_ent *e);
int pg_stmt_sql(char *sql[ST__COUNT]);
int pg_migrate(PGconn *c, char *err, size_t errlen);

/* ---- pg_conn.c ---- */
int64_t pg_now_ms(void);
void pg_sleep_us(int64_t us);
void pg_copy_msg(char *dst, size_t len, const char *msg);
PGresult *pg_await(PGconn *c, int64_t wait_ms);
PGresult *pg_exec(struct store_tx *tx, const char *name, const char *sql,
                  uint64_t *word, uint64_t bit, const struct pg_params *p);
PGresult *pg_exec_st(struct store_tx *tx, int st, const struct pg_params *p);
int pg_connect(const struct store *s, PGconn **out, char *msg, size_t len);
/* Statement parameters: append one and return its number (the n of $n). */
int pg_param(struct pg_params *p, const char *v);
int pg_i64(struct pg_params *p, int64_t x);
int pg_str(struct pg_params *p, const char *s);
int64_t pg_parse_i64(const char *v);
int pg_checkout(struct store *s, struct pg_conn **out);
void pg_release(struct store *s, struct pg_conn *pc);
void pg_tx_init(struct store_tx *tx, struct store *s, struct pg_conn *pc);
int pg_write(struct store *s, store_fn fn, void *arg);
int pg_read(struct store *s, store_fn fn, void *arg);

/* ---- pg_nonce.c ---- */
int pg_nonce_use(struct store *s, const char *akid, const char *nonce,
                 int64_t stamp_ms, int64_t now_ms);

/* ---- pg_rows.c: the vtable entries ---- */
/* The six vtable entries of resource R: struct S rows, struct Q queries. */
#define PG_ROW_ENTRIES(R, S, Q) \
	int pg_##R##_get(struct store_tx *tx, const char *account, \
	                 const char *id, struct S *out); \
	int pg_##R##_insert(struct store_tx *tx, struct S *row); \
	int pg_##R##_update(struct store_tx *tx, const struct S *row); \
	int pg_##R##_delete(struct store_tx *tx, const char *account, \
	                    const char *id); \
	int pg_##R##_list(struct store_tx *tx, const struct Q *q, R##_cb cb, \
	                  void *arg); \
	int pg_##R##_count(struct store_tx *tx, const struct Q *q, int64_t *total);
PG_ROW_ENTRIES(inst, instance, inst_query)
PG_ROW_ENTRIES(disk, disk, disk_query)
PG_ROW_ENTRIES(snap, snapshot, snap_query)
#undef PG_ROW_ENTRIES
int pg_snap_delete_auto(struct store_tx *tx, const char *account,
                        const char *disk_id, int64_t *n);
int pg_token_get(struct store_tx *tx, const char *account, const char *action,
                 const char *token, char hash[65], struct buf *result);
int pg_token_put(struct store_tx *tx, const char *account, const char *action,
                 const char *token, const char *hash, const char *result,
                 int64_t now_ms);

/* ---- pg_res.c: generic resources ---- */
int pg_res_get(struct store_tx *tx, const char *account, const char *kind,
               const char *id, struct res *out);
int pg_res_insert(struct store_tx *tx, struct res *r);
int pg_res_update(struct store_tx *tx, const struct res *r);
int pg_res_delete(struct store_tx *tx, const char *account, const char *id);
int pg_res_list(struct store_tx *tx, const struct res_query *q, res_cb cb,
                void *arg);
int pg_res_count(struct store_tx *tx, const struct res_query *q, int64_t *total);
/* ---- pg_audit.c ---- */
int pg_audit_append(struct store_tx *tx, struct audit_event *ev);
int pg_audit_list(struct store_tx *tx, const struct audit_query *q,
                  audit_cb cb, void *arg);
int pg_audit_prune(struct store_tx *tx, int64_t before_ms, int64_t *n);
/* ---- pg_ctl.c: the control documents and account purge ---- */
int pg_kv_get(struct store_tx *tx, const char *key, struct buf *val);
int pg_kv_put(struct store_tx *tx, const char *key, const char *val);
int pg_kv_scan(struct store *s, kv_cb cb, void *arg);   /* in pg_conn.c */
int pg_purge(struct store_tx *tx, const char *account);

#endif
