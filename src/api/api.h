/* api.h - one request as it crosses the API layer: the Action table, the
 * checked parameters, the reply, the error. Handlers (actions/) see only
 * this. No HTTP and no output format here. */
#ifndef ECSD_API_H
#define ECSD_API_H
#include <stdint.h>
#include <stddef.h>
#include "../common/arena.h"
#include "../http/form.h"
#include "../render/reply.h"
#include "error.h"

struct store;
struct ecsd;

enum ptype { PT_STR, PT_BOOL, PT_INT, PT_LIST, PT_JSON, PT_RAW };
enum { PF_REQ = 1 };
enum { AF_READ = 1, AF_REGION = 2 };

struct pspec {
	const char *name;
	enum ptype type;
	int flags;
	long long min, max;
};

struct req;
typedef enum err_id (*act_fn)(struct req *r);

struct action {
	const char *name;
	act_fn fn;
	int flags;
	const char *summary;
	const struct pspec *params;
	size_t nparams;
};

/* One checked parameter value. */
struct pval {
	int present;
	const char *s;       /* PT_STR (and raw text of every type) */
	int b;               /* PT_BOOL */
	long long i;         /* PT_INT */
	const char **list;   /* PT_LIST, PT_JSON: items */
	size_t nlist;
};

enum fmt { FMT_XML = 0, FMT_JSON = 1 };

struct req {
	struct arena arena;
	/* transport */
	const char *method;
	const char *host;
	struct params query, form, all;
	int64_t now_ms;
	char request_id[37];
	enum fmt fmt;
	/* who */
	const char *account;
	const char *akid;
	int sig_version;
	/* what */
	const struct action *action;
	struct pval *args;   /* parallel to action->params */
	/* outcome */
	enum err_id err;
	const char *err_detail; /* fills the message's %s */
	struct reply reply;
	/* the server */
	struct ecsd *ecsd;
};

/* The Action table (actions.def) and lookups. */
const struct action *api_actions(size_t *n);
const struct action *api_action_find(const char *name);

/* Checks every declared parameter of r->action against its spec and fills
 * r->args. Returns ERR_OK or the error (r->err_detail = parameter name). */
enum err_id api_check_params(struct req *r);

/* Typed access for handlers, by declared name. Only names declared in
 * params.def for the action are valid (abort otherwise: a programming
 * error). */
const struct pval *arg_val(const struct req *r, const char *name);
const char *arg_str(const struct req *r, const char *name, const char *dflt);
int arg_bool(const struct req *r, const char *name, int dflt);
long long arg_int(const struct req *r, const char *name, long long dflt);
int arg_present(const struct req *r, const char *name);
/* Raw access to undeclared sub-fields of a PT_RAW prefix
 * ("DataDisk.1.Size"). NULL when absent. */
const char *arg_raw(const struct req *r, const char *name);
/* Parses "true"/"false" (any case); "" -> dflt. -1 when invalid. */
int api_parse_bool(const char *s, int dflt);

/* Raise an API error from a handler: returns id so handlers can write
 * `return fail(r, ERR_X, "detail");`. detail is copied into the request's
 * arena (it may point at the caller's stack). */
enum err_id fail(struct req *r, enum err_id id, const char *detail);

#endif
