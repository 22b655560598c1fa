/* ecs.h - the ecs command-line client (aliyun CLI shape) shared between its
 * files: parsed command line, resolved configuration, one signed call.
 * Client only: no server code, no ECS business rules here. */
#ifndef ECS_ECS_H
#define ECS_ECS_H
#include <stddef.h>
#include <stdio.h>
#include <jansson.h>
#include "../../src/common/arena.h"
#include "../../src/common/buf.h"
#include "../../src/common/form.h"

#define ECS_VERSION       "0.1.0"
#define ECS_API_VERSION   "2014-05-26"
#define ECS_DEFAULT_ENDPOINT "127.0.0.1:8080"
#define ECS_DEFAULT_REGION "cn-hangzhou"

/* Ceilings of the client (limits.h holds the server's). */
#define ECS_ARENA_BYTES     (64u * 1024 * 1024) /* everything one run keeps */
#define ECS_URL_BYTES       (256u * 1024)       /* one signed request URL */
#define ECS_CONFIG_BYTES    (1024 * 1024)       /* ~/.aliyun/config.json */
#define ECS_WAIT_IDS        100                 /* ids one --wait-for follows */
#define ECS_ERRMSG_BYTES    512                 /* one usage/config message */

/* Exit statuses (docs/cli.md). */
enum ecs_exit {
	ECS_EXIT_OK = 0,
	ECS_EXIT_API = 1,     /* the server answered with an error */
	ECS_EXIT_USAGE = 2,   /* bad command line or configuration */
	ECS_EXIT_NET = 3,     /* no (complete) HTTP answer */
	ECS_EXIT_TIMEOUT = 4, /* --wait-for / --waiter ran out of time */
};

/* The command line, as typed. Strings point into argv or the arena. */
struct ecs_opts {
	const char *action;
	struct params params;      /* --Name value pairs, in order */
	int help_cmd;              /* "ecs help [Action]" */
	/* flags (NULL / 0 when absent) */
	const char *profile, *region, *endpoint, *akid, *secret, *method;
	const char *sts_token, *config_path;
	const char *connect_timeout, *read_timeout, *retry_count;
	const char *output_cols, *output_rows;
	const char *wait_for, *timeout, *interval;
	const char *waiter_expr, *waiter_to, *waiter_timeout, *waiter_interval;
	int output_set, waiter_set;
	int insecure, secure, quiet, help, version, force, dryrun, verbose;
};

/* Settings of every request of this run, after flags > env > profile >
 * default. Strings are arena-owned. */
struct ecs_cfg {
	const char *akid, *secret, *sts_token, *region;
	const char *url;           /* "http(s)://host[:port]/path" */
	const char *method;        /* "POST" or "GET" */
	const char *profile;       /* profile used, or NULL */
	long connect_timeout_ms, total_timeout_ms;
	int retry_count;
	int verbose;
};

/* One request's outcome. */
enum ecs_rc {
	ECS_RC_OK = 0,   /* 2xx with a JSON object body: json set */
	ECS_RC_API,      /* non-2xx answer (json set when the body was JSON) */
	ECS_RC_BADBODY,  /* 2xx whose body is not a JSON object */
	ECS_RC_NET,      /* transport failure: errmsg set */
	ECS_RC_LOCAL,    /* could not build the request: errmsg set */
};

struct ecs_resp {
	long status;
	struct buf body;
	json_t *json;              /* owned; NULL unless parsed */
	char errmsg[ECS_ERRMSG_BYTES];
};

/* args.c: parses argv into o (arena copies where needed). Returns 0, or -1
 * with a message in err (a usage error). */
int ecs_args_parse(struct arena *a, int argc, char **argv,
                   struct ecs_opts *o, char *err, size_t errlen);
/* Expands JSON-array values of RepeatList/prefix parameters of a known
 * Action into Name.1..Name.N, as the aliyun CLI does. 0 or -1 + err. */
int ecs_args_expand(struct arena *a, struct ecs_opts *o, char *err,
                    size_t errlen);
void ecs_args_print_flags(FILE *f);

/* config.c: resolves the settings. 0, or -1 with err (a usage error). */
int ecs_config_resolve(struct arena *a, const struct ecs_opts *o,
                       struct ecs_cfg *cfg, char *err, size_t errlen);

/* call.c: global libcurl set-up / tear-down (once per process). */
int ecs_call_init(void);
void ecs_call_cleanup(void);
/* Signs (V1) and sends Action with params (the caller's; common parameters
 * are added here). r must be zeroed or released; the caller releases it
 * with ecs_resp_free. Returns the outcome class. */
enum ecs_rc ecs_call(const struct ecs_cfg *cfg, const char *action,
                     const struct params *params, struct ecs_resp *r);
/* The signed URL ecs_call would send (for --dryrun). 0 or -1. */
int ecs_call_url(const struct ecs_cfg *cfg, const char *action,
                 const struct params *params, struct buf *url);
void ecs_resp_free(struct ecs_resp *r);
/* Refuses --Name for the parameters ecs sets itself. 0 or -1 + err. */
int ecs_call_check(const struct params *p, char *err, size_t errlen);
void ecs_sleep_ms(long ms);
double ecs_mono_s(void); /* monotonic seconds */

/* output.c */
/* Prints a success body: pretty JSON, or the --output table. Returns 0,
 * or -1 with a message on stderr (bad --output expression). */
int ecs_out_success(const struct ecs_opts *o, json_t *body);
/* Prints the error of a failed call to stderr; returns the exit status. */
int ecs_out_error(const struct ecs_resp *r, enum ecs_rc rc);
/* "ecs: msg" + hint on stderr; returns ECS_EXIT_USAGE. */
int ecs_out_usage(const char *msg);

/* jpath.c: a JMESPath subset (a.b, [N], [], [*]). Returns a new
 * reference, or NULL for null/missing; *bad set when expr is malformed. */
json_t *ecs_jpath(json_t *root, const char *expr, int *bad);
/* Text of a scalar as the aliyun CLI's table shows it; arena string. */
const char *ecs_jpath_text(struct arena *a, json_t *v);

/* wait.c: --wait-for and --waiter after the first call. Return the exit
 * status. first is the response of the Action (borrowed). */
int ecs_wait_for(struct arena *a, const struct ecs_opts *o,
                 const struct ecs_cfg *cfg, const struct params *params,
                 json_t *first);
int ecs_waiter(struct arena *a, const struct ecs_opts *o,
               const struct ecs_cfg *cfg, const struct params *params);
/* Checks --wait-for/--waiter values before anything is sent. */
int ecs_wait_check(const struct ecs_opts *o, char *err, size_t errlen);

/* spec.c: the server's own Action table (actions.def, params.def). */
struct ecs_action {
	const char *name;
	int flags;             /* AF_* */
	const char *summary;
};
struct ecs_param {
	const char *action;
	const char *name;
	int type;              /* PT_* */
	int flags;             /* PF_* */
	long long min, max;
};
/* The product whose table the lookups below use: "ecs" (default), "vpc".
 * 0, or -1 for a word that names no product. */
int ecs_spec_use(const char *word);
const char *ecs_spec_product(void);   /* "ecs", "vpc" */
const char *ecs_spec_version(void);   /* its API Version */
const char *ecs_spec_products(size_t i); /* i-th product word, NULL after */
const struct ecs_action *ecs_spec_actions(size_t *n);
const struct ecs_action *ecs_spec_action(const char *name);
/* Every row of params.def, in table order; *n set. */
const struct ecs_param *ecs_spec_params(size_t *n);
const struct ecs_param *ecs_spec_param(const char *action, const char *name);
/* Local check of a known Action's required parameters (aliyun checks its
 * metadata the same way). 0, or -1 with err. */
int ecs_spec_check(const char *action, const struct params *p, char *err,
                   size_t errlen);

/* help.c */
void ecs_help_main(FILE *f);
/* ecsd.c: `ecs ecsd <command>` (clock, faults, state, reset) against
 * ecsd's control API; argv[1] is "ecsd". Returns the exit status. */
int ecs_ecsd_main(int argc, char **argv);
/* 0, or ECS_EXIT_USAGE when action is not in the table. */
int ecs_help_action(FILE *f, const char *action);
void ecs_help_version(FILE *f);

#endif
