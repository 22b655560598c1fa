/* sq_int.h - what the pieces of the SQLite store backend (sqlite.c,
 * sq_schema.c, sq_writer.c, sq_rows.c) share: tunables, row layouts,
 * statement numbers, the connection, job, store and transaction structs.
 * Include it nowhere else. */
#ifndef ECSD_SQ_INT_H
#define ECSD_SQ_INT_H
#include "store.h"
#include "../common/limits.h"
#include <sqlite3.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#define SQ_BUSY_TIMEOUT_MS   10000
#define SQ_DB_FILE           "ecsd.db"
#define SQ_CHECKPOINT_FRAMES 1000    /* WAL frames that wake the checkpointer
                                        (SQLite's own autocheckpoint default) */
#define SQ_WRITER_CACHE_KB   32768   /* writer page cache: no re-reads of hot
                                        index pages (readers keep the default) */
#define SQ_STR_(x) #x
#define SQ_STR(x) SQ_STR_(x)

/* ---- row <-> struct mapping: one table per struct, id and account first ---- */

enum col_kind { COL_TEXT, COL_INT, COL_I64, COL_U32 };

struct col {
	const char *name;
	enum col_kind kind;
	size_t off;
	size_t size; /* text: the char array's size */
};

enum ent_kind { ENT_INST, ENT_DISK, ENT_SNAP, ENT__COUNT };

struct entity {
	const char *table;
	const struct col *cols;
	size_t ncols;
	size_t seq_off;
	size_t size;
};

extern const struct entity sq_ents[ENT__COUNT];   /* sq_schema.c */

/* Fixed statements, prepared once per connection on first use. Each
 * entity has GET, INS, UPD, DEL in that order at ST_ENT(kind). */
enum st {
	ST_BEGIN, ST_BEGIN_IMM, ST_COMMIT, ST_ROLLBACK,
	ST_SAVEPOINT, ST_RELEASE, ST_ROLLBACK_TO,
	ST_ENT0,
	ST_GET_ANY = ST_ENT0 + 4 * ENT__COUNT,  /* by id alone, one per entity */
	ST_SNAP_DEL_AUTO = ST_GET_ANY + ENT__COUNT, ST_TOKEN_GET, ST_TOKEN_PUT,
	ST_COUNT_REGION, ST_COUNT_ALL,
	ST_KV_GET, ST_KV_PUT, ST_KV_SCAN,            /* sq_ctl.c */
	ST_PURGE_INST, ST_PURGE_DISK, ST_PURGE_SNAP, ST_PURGE_TOKEN, ST_PURGE_RES,
	ST__COUNT
};
enum { E_GET, E_INS, E_UPD, E_DEL };
#define ST_ENT(kind, op) (ST_ENT0 + 4 * (kind) + (op))

/* ---- connections, statements, transactions ---- */

struct sq_slot {
	sqlite3_stmt *st;
	int busy;
};

struct sq_dyn {
	char *sql;
	sqlite3_stmt *st;
	int busy;
	uint64_t used;
};

struct sq_conn {
	sqlite3 *db;
	struct sq_conn *next; /* reader free list */
	struct sq_slot fixed[ST__COUNT];
	struct sq_dyn dyn[LIM_STORE_STMT_CACHE];
	uint64_t tick;
};

struct sq_job {
	store_fn fn;
	void *arg;
	int rc;
	int done;
	pthread_cond_t cv;
	struct sq_job *next;
	struct sq_job *wake[2];  /* woken by this job once it is woken */
};

struct store {
	struct store_base base;
	char path[PATH_MAX];
	int durable;
	char *sql[ST__COUNT];          /* fixed statement texts (owned) */
	char *select[ENT__COUNT];      /* "SELECT seq, cols FROM table" (owned) */
	struct sq_conn *w;             /* owned by the writer thread */
	pthread_t writer;
	int writer_running;
	struct sq_conn *ck;            /* owned by the checkpointer thread */
	pthread_t ckpt;
	int ckpt_running, ckpt_want, ckpt_stop;
	pthread_mutex_t ckmu;
	pthread_cond_t ckcv;
	pthread_mutex_t qmu;
	pthread_cond_t qcv;
	struct sq_job *qhead, *qtail;
	int stopping;
	pthread_mutex_t rmu;
	pthread_cond_t rcv;
	struct sq_conn *rfree;
	int rcount;
	/* ctl_kv as last committed, for sq_kv_scan (sq_ctl.c): one process
	 * owns the database, so a generation bumped by the writer after each
	 * commit that wrote ctl_kv tells every reader when to read it again */
	atomic_uint_fast64_t kv_gen;
	int kv_dirty;               /* writer thread only */
	pthread_mutex_t kvmu;
	uint64_t kv_cache_gen;      /* generation of kv_cache; 0 none */
	struct buf kv_cache;        /* "key\0value\0" per row */
};

struct store_tx {
	struct store_tx_base base;
	struct store *s;
	struct sq_conn *c;
};

/* A statement in use: slot is NULL for a transient one (finalized after). */
struct sq_use {
	sqlite3_stmt *st;
	int *busy;
};

enum sq_role { SQ_READER, SQ_WRITER, SQ_CHECKPOINTER };

/* ---- sq_schema.c ---- */
int sq_migrate(struct store *s, char *err, size_t errlen);
/* Builds the fixed statement texts from the column tables. */
int sq_build_sql(struct store *s);

/* ---- sq_writer.c: statements, connections, the threads ---- */
void sq_log(sqlite3 *db, const char *what);
int sq_fail(struct sq_conn *c, int rc, const char *what);
int sq_fixed(struct store_tx *tx, enum st i, struct sq_use *u);
int sq_dynamic(struct store_tx *tx, const char *sql, struct sq_use *u);
void sq_done(struct sq_use *u);
/* Runs a statement that returns no rows (BEGIN, COMMIT, ...). */
int sq_simple(struct store_tx *tx, enum st i);
int sq_exec(sqlite3 *db, const char *sql);
void sq_conn_close(struct sq_conn *c);
struct sq_conn *sq_conn_open(struct store *s, enum sq_role role);
void *sq_writer(void *arg);
int sq_write(struct store *s, store_fn fn, void *arg);
void sq_checkpointer_start(struct store *s);
int sq_read(struct store *s, store_fn fn, void *arg);
int sq_nonce_use(struct store *s, const char *akid, const char *nonce,
                 int64_t stamp_ms, int64_t now_ms);

/* ---- sq_rows.c: the vtable's row operations, each for every resource ---- */
int sq_inst_get(struct store_tx *tx, const char *account, const char *id,
                struct instance *out);
int sq_disk_get(struct store_tx *tx, const char *account, const char *id,
                struct disk *out);
int sq_snap_get(struct store_tx *tx, const char *account, const char *id,
                struct snapshot *out);
int sq_inst_insert(struct store_tx *tx, struct instance *in);
int sq_disk_insert(struct store_tx *tx, struct disk *d);
int sq_snap_insert(struct store_tx *tx, struct snapshot *sn);
int sq_inst_update(struct store_tx *tx, const struct instance *in);
int sq_disk_update(struct store_tx *tx, const struct disk *d);
int sq_snap_update(struct store_tx *tx, const struct snapshot *sn);
int sq_inst_delete(struct store_tx *tx, const char *account, const char *id);
int sq_disk_delete(struct store_tx *tx, const char *account, const char *id);
int sq_snap_delete(struct store_tx *tx, const char *account, const char *id);
int sq_snap_delete_auto(struct store_tx *tx, const char *account,
                        const char *disk_id, int64_t *n);
int sq_inst_list(struct store_tx *tx, const struct inst_query *q,
                 inst_cb cb, void *arg);
int sq_disk_list(struct store_tx *tx, const struct disk_query *q,
                 disk_cb cb, void *arg);
int sq_snap_list(struct store_tx *tx, const struct snap_query *q,
                 snap_cb cb, void *arg);
int sq_inst_count(struct store_tx *tx, const struct inst_query *q,
                  int64_t *total);
int sq_disk_count(struct store_tx *tx, const struct disk_query *q,
                  int64_t *total);
int sq_snap_count(struct store_tx *tx, const struct snap_query *q,
                  int64_t *total);
int sq_token_get(struct store_tx *tx, const char *account,
                 const char *action, const char *token, char hash[65],
                 struct buf *result);
int sq_token_put(struct store_tx *tx, const char *account,
                 const char *action, const char *token, const char *hash,
                 const char *result, int64_t now_ms);

/* ---- sq_res.c: generic resources ---- */
int sq_res_get(struct store_tx *tx, const char *account, const char *kind,
               const char *id, struct res *out);
int sq_res_insert(struct store_tx *tx, struct res *r);
int sq_res_update(struct store_tx *tx, const struct res *r);
int sq_res_delete(struct store_tx *tx, const char *account, const char *id);
int sq_res_list(struct store_tx *tx, const struct res_query *q, res_cb cb,
                void *arg);
int sq_res_count(struct store_tx *tx, const struct res_query *q, int64_t *total);
/* ---- sq_ctl.c: the control documents and account purge ---- */
int sq_kv_get(struct store_tx *tx, const char *key, struct buf *val);
int sq_kv_put(struct store_tx *tx, const char *key, const char *val);
int sq_kv_scan(struct store *s, kv_cb cb, void *arg);
int sq_purge(struct store_tx *tx, const char *account);
/* Writer, after a group's COMMIT or ROLLBACK: publishes a ctl_kv change. */
void sq_kv_published(struct store *s);

/* ---- sq_audit.c: the audit trail ---- */
int sq_audit_append(struct store_tx *tx, struct audit_event *ev);
int sq_audit_list(struct store_tx *tx, const struct audit_query *q,
                  audit_cb cb, void *arg);
int sq_audit_prune(struct store_tx *tx, int64_t before_ms, int64_t *n);

#endif
