/* bench.h - ecs-bench, the load generator behind `make bench` (in the spirit
 * of redis-benchmark and pgbench): types shared by its files. Client only:
 * no server code and no ECS rules here; signing goes through src/auth/sig.h. */
#ifndef BENCH_H
#define BENCH_H
#include <pthread.h>
#include <stdint.h>
#include <stddef.h>
#include "../../src/common/arena.h"
#include "../../src/common/buf.h"

/* Ceilings of the client (limits.h holds the server's). */
#define BENCH_MAX_THREADS   64
#define BENCH_MAX_CONNS     4096
#define BENCH_REQ_BYTES     (64 * 1024)          /* one request */
#define BENCH_RESP_BYTES    (32 * 1024 * 1024)   /* one answer (a page of 100) */
#define BENCH_ARENA_BYTES   (1024 * 1024)        /* scratch of one request */
#define BENCH_CODES         32                   /* distinct Codes counted */
#define BENCH_CODE_BYTES    64
#define BENCH_ID_BYTES      48
#define BENCH_MAX_IDS       (4 * 1024 * 1024)    /* prepared instance ids */
#define BENCH_PRESIGN_BYTES (1024UL * 1024 * 1024) /* all presigned requests */
#define BENCH_HOST_BYTES    256
#define BENCH_PATH_BYTES    1024

#define BENCH_API_VERSION   "2014-05-26"

/* What one request is, for the per-operation tables of the report. */
enum bench_op {
	OP_GET,        /* plain GET of the URL (the static baseline) */
	OP_DESCRIBE,   /* DescribeInstances InstanceIds=["id"] */
	OP_PAGE,       /* DescribeInstances MaxResults=N, NextToken walk */
	OP_RUN,        /* RunInstances */
	OP_STOP,       /* StopInstance */
	OP_DELETE,     /* DeleteInstance */
	OP_CONTROL,    /* control API (/_ecsd/...) */
	OP__COUNT
};
extern const char *const bench_op_names[OP__COUNT];

/* ---- histogram (hist.c): log-linear, 1/64 relative precision, in ns ---- */
#define HIST_SUB_BITS 6
#define HIST_SUB      (1 << HIST_SUB_BITS)
#define HIST_BUCKETS  ((64 - HIST_SUB_BITS) * HIST_SUB + HIST_SUB)

struct hist {
	uint64_t n, sum_ns, max_ns;
	uint64_t b[HIST_BUCKETS];
};

void hist_add(struct hist *h, uint64_t ns);
void hist_merge(struct hist *into, const struct hist *from);
/* Value at quantile q (0..1), in ns; 0 when empty. */
uint64_t hist_quantile(const struct hist *h, double q);

/* ---- the run's configuration (main.c fills it) ---- */
enum bench_sign { SIGN_V1 = 1, SIGN_V3 = 3 };

struct bench_cfg {
	char host[BENCH_HOST_BYTES];  /* numeric IPv4, e.g. 127.0.0.1 */
	int port;
	char path[BENCH_PATH_BYTES];  /* request target of the get scenario */
	char host_hdr[BENCH_HOST_BYTES + 8];
	int conns, threads;
	double duration_s, warmup_s, rate, timeout_s;
	uint64_t max_requests;        /* 0: by duration */
	int sign;                     /* SIGN_V1 or SIGN_V3 */
	int xml;                      /* Format=XML instead of JSON (V1 only) */
	const char *akid, *secret, *region, *account, *ctl_token;
	const char *instance_type, *image_id;
	int page_size;                /* page scenario */
	int write_pct;                /* mix: share of cycle steps, 0-100 */
	int force_delete;             /* DeleteInstance Force=true */
	uint64_t presign;             /* sign this many requests before the run */
};

/* ---- the shared id pool (prepared instances) ---- */
struct bench_ids {
	char (*v)[BENCH_ID_BYTES];
	size_t n, cap;
	pthread_mutex_t mu;           /* appends during preparation */
	size_t next;                  /* delete: next unused id (atomic) */
};

int ids_add(struct bench_ids *ids, const char *id, size_t len);
int ids_load(struct bench_ids *ids, const char *path);
int ids_save(const struct bench_ids *ids, const char *path);
/* Fisher-Yates, so that deletes do not walk the table in creation order. */
void ids_shuffle(struct bench_ids *ids, uint64_t seed);

/* ---- connections and threads (loop.c) ---- */
struct bench;
struct bench_thread;

struct bench_conn {
	struct bench_thread *t;
	int fd;
	int state;                    /* enum conn_state in loop.c */
	struct buf out;               /* request being sent */
	size_t out_off;
	char *in;                     /* answer being read */
	size_t in_len, in_cap;
	size_t hdr_len;               /* bytes of the head once parsed, else 0 */
	size_t body_len;              /* Content-Length */
	int status, close_after;
	int64_t start_ns;             /* intended start (rate mode) or send time */
	int64_t sent_ns;              /* when it was handed to the socket */
	int op;                       /* enum bench_op of the request in flight */
	int measured;                 /* the answer falls in the measured window */
	int connected;
	int queued;                   /* on the thread's idle list (rate mode) */
	int connect_failures;         /* in a row; the connection retires at 3 */
	/* scenario state */
	int step;                     /* cycle: 0 run, 1 stop, 2 delete */
	char id[BENCH_ID_BYTES];      /* cycle: the instance; page: next token */
	uint64_t n;                   /* requests issued on this connection */
	int work;                     /* prepare: units held by this request */
};

struct code_count {
	char code[BENCH_CODE_BYTES];
	int op;
	uint64_t n;
};

struct bench_thread {
	struct bench *b;
	int idx;
	pthread_t tid;
	int ep;
	struct bench_conn *conns;
	int nconns;
	struct arena arena;           /* scratch of one request; reset each time */
	uint64_t rng;
	uint64_t nonce_ctr;
	double rate;                  /* requests/s of this thread; 0 flat out */
	int64_t next_due_ns;
	int *idle;                    /* connections waiting for their due time */
	int nidle;
	int live;                     /* connections not retired */
	/* results */
	struct hist h[OP__COUNT];
	uint64_t ok[OP__COUNT], err[OP__COUNT];
	uint64_t issued, completed, bytes_in, reconnects;
	struct code_count codes[BENCH_CODES];
	int ncodes;
	uint64_t codes_other;
	int64_t last_done_ns;
	uint64_t cycles;              /* cycle/mix: completed create-stop-delete */
	/* --presign: requests signed before the clock starts */
	struct buf pre;               /* the requests, back to back */
	size_t *pre_end;              /* end offset of each */
	unsigned char *pre_op;
	size_t pre_n, pre_next;
};

struct bench_scenario;

struct bench {
	struct bench_cfg cfg;
	const struct bench_scenario *sc;
	struct bench_ids *ids;
	struct bench_thread *th;
	int nthreads;
	int64_t t0_ns, measure_ns, end_ns;  /* start, end of warm-up, end */
	volatile int stop;            /* set once no more requests may start */
	uint64_t issued_total;        /* atomic: for max_requests */
	uint64_t work_total;          /* prepare: units to do */
	uint64_t work_claimed;        /* atomic */
	uint64_t work_done;           /* atomic */
	int64_t max_seq;              /* page/sample: seq range to start in */
	char salt[20];                /* nonce prefix of this process */
	int keep_body;                /* scenarios that parse answers */
};

/* One scenario: builds requests and sees answers. Tables over switches. */
struct bench_scenario {
	const char *name;
	const char *summary;
	int needs_ids;                /* 1: reads the pool, 2: consumes it */
	int presignable;              /* requests do not depend on answers */
	/* Builds the next request of c into c->out and sets c->op; returns 0,
	 * or 1 when the connection has no more work (it is retired). */
	int (*next)(struct bench_thread *t, struct bench_conn *c);
	/* Sees a complete answer (body may be NULL on a transport error). */
	void (*done)(struct bench_thread *t, struct bench_conn *c, int status,
	             const char *body, size_t len);
};

const struct bench_scenario *scen_find(const char *name);
const struct bench_scenario *scen_all(size_t *n);

/* Runs the configured scenario to completion; results stay in b->th.
 * Returns 0, or -1 if the run could not start. */
int loop_run(struct bench *b);
void loop_free(struct bench *b);
int64_t bench_now_ns(void);
uint64_t bench_rand(uint64_t *state);
/* Counts an error of op under code (a Code, or a transport reason). */
void bench_count_code(struct bench_thread *t, int op, const char *code,
                      size_t len);

/* ---- preparation and report (prep.c, main.c) ---- */
/* A fresh nonce prefix for b (each run restarts its counters). */
void bench_salt(struct bench *b);
/* Creates, loads or samples the pool as the options ask; 0 or -1. */
struct bench_prep {
	uint64_t fleet;               /* --fleet: bulk-load this many first */
	uint64_t create;              /* --create: RunInstances this many */
	uint64_t sample;              /* --sample: ids of existing instances */
	const char *ids_in, *ids_out;
	int need_total;               /* look up TotalCount (page scenario) */
	int quiet;
};
int prep_run_all(const struct bench_cfg *cfg, const struct bench_prep *p,
                 struct bench_ids *ids, int64_t *max_seq);
/* Prints the errors of a run by Code (nothing when there were none). */
void report_errors(const struct bench *b, const char *indent);

/* ---- request building (sign.c) ---- */
struct kv {
	const char *k, *v;
};
/* Appends a complete signed ECS request (V1 GET or V3 POST, per cfg) for
 * action with the given parameters (decoded) to out. Returns 0 or -1. */
int sign_request(struct bench_thread *t, const char *action,
                 const struct kv *p, size_t n, struct buf *out);
/* Appends a control-API request with a JSON body. */
int sign_control(struct bench_thread *t, const char *method, const char *path,
                 const char *json, struct buf *out);
/* Finds "key":"value" in a JSON body: returns the value's start and
 * length, or NULL. Minimal: no escapes inside value. */
const char *json_find_str(const char *body, size_t len, const char *key,
                          size_t *vlen);
/* Finds "key":number in a JSON body; -1 when absent. */
long long json_find_int(const char *body, size_t len, const char *key);

#endif
