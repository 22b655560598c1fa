/* api.h - one request as it crosses the API layer: the Action table, the
 * checked parameters, the reply, the error. Handlers (actions/) see only
 * this. No HTTP and no output format here. */
#ifndef ECSD_API_H
#define ECSD_API_H
#include <stdint.h>
#include <stddef.h>
#include "../common/arena.h"
#include "../common/form.h"
#include "../render/reply.h"
#include "../common/error.h"

struct store;
struct ecsd;

enum ptype { PT_STR, PT_BOOL, PT_INT, PT_LIST, PT_JSON, PT_RAW };
enum { PF_REQ = 1 };
enum { AF_READ = 1, AF_REGION = 2 };

/* Every distinct parameter name of every product, as a compiled name:
 * PARAM_InstanceId, PARAM_SystemDisk_Category ("." -> "_"). Generated
 * from the params.def files (scripts/param-names.sh, run by make). */
enum param_id {
#define PARAM_NAME(id, name) PARAM_##id,
#include "param_names.def"
#undef PARAM_NAME
	PARAM__COUNT
};
/* "InstanceId" for PARAM_InstanceId. */
const char *param_name(enum param_id id);

struct pspec {
	const char *name;
	enum ptype type;
	int flags;
	long long min, max;
	enum param_id id;     /* filled by api_bind */
};

struct req;
typedef enum err_id (*act_fn)(struct req *r);

/* Slot of a parameter the Action does not declare. */
#define PARAM_UNDECLARED UINT16_MAX

struct action {
	const char *name;
	act_fn fn;
	int flags;
	const char *summary;
	/* filled by api_bind from the product's params.def rows */
	const struct pspec *params;
	size_t nparams;
	const uint16_t *slot;  /* [PARAM__COUNT]: index into params, or PARAM_UNDECLARED */
};

/* One row of a params.def, before api_bind groups the rows per Action. */
struct param_row {
	const char *action;
	struct pspec spec;
};

/* The rows of a product's tables, as C initialisers:
 *   #define ACTION API_ACTION_ROW    then #include "actions.def"
 *   #define P API_PARAM_ROW          then #include "params.def"
 * API_DECLARE_HANDLER declares a handler from an actions.def row. */
#define API_ACTION_ROW(name, fn, flags, summary) \
	{ #name, fn, flags, summary, NULL, 0, NULL },
#define API_PARAM_ROW(act, pname, ptype, pflags, pmin, pmax) \
	{ #act, { pname, ptype, pflags, pmin, pmax, PARAM__COUNT } },
#define API_DECLARE_HANDLER(name, fn, flags, summary) enum err_id fn(struct req *r);

/* A product: one API Version, one Action table, one parameter table
 * (ECS 2014-05-26; VPC and SLB join the same way). */
struct product {
	const char *code;      /* "Ecs": the troubleshoot link's product */
	const char *version;   /* the Version (x-acs-version) that selects it */
	struct action *actions;
	size_t nactions;
	const struct param_row *rows;
	size_t nrows;
};

/* Groups the product's parameter rows per Action and builds every
 * Action's slot map. Once per product at start-up; 0, or -1 (out of
 * memory, or a row naming an Action or parameter the tables lack: logged). */
int api_bind(struct product *p);
/* The Action called name in p, or NULL. */
const struct action *api_action_find(const struct product *p, const char *name);

/* One checked parameter value. */
struct pval {
	int present;
	const char *s;       /* PT_STR (and raw text of every type) */
	int b;               /* PT_BOOL */
	long long i;         /* PT_INT */
	const char **list;   /* PT_LIST, PT_JSON: items */
	size_t nlist;
	int read;            /* the handler asked for it (--error-trace lists it) */
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
	const struct product *product;
	const struct action *action;
	struct pval *args;   /* parallel to action->params */
	/* outcome */
	enum err_id err;
	const char *err_detail; /* fills the message's %s */
	struct reply reply;
	/* the audit trail (audit.c) */
	int auth_stage;         /* 1 while the credential is checked, 2 after */
	struct api_audit *audit;
	/* the server */
	struct ecsd *ecsd;
};

/* Checks every declared parameter of r->action against its spec and fills
 * r->args. Returns ERR_OK or the error (r->err_detail = parameter name). */
enum err_id api_check_params(struct req *r);

/* Raises the request's one client-facing API error (a row of errors.def;
 * detail fills the message's %s) and returns id, so a handler writes
 * `return api_raise(r, ERR_X, "detail");`. detail is copied into the
 * request's arena (it may point at the caller's stack). */
enum err_id api_raise(struct req *r, enum err_id id, const char *detail);

/* Typed access for handlers, by compiled name: param_str(r,
 * PARAM_InstanceId, ""). An array access. Reading a parameter the Action
 * does not declare in params.def is a programming error (abort). */
__attribute__((noreturn)) void api_undeclared(const struct req *r, enum param_id id);
static inline const struct pval *param_val(const struct req *r, enum param_id id)
{
	uint16_t k = r->action->slot[id];

	if (k == PARAM_UNDECLARED)
		api_undeclared(r, id);
	r->args[k].read = 1;   /* args points into the arena: writable */
	return &r->args[k];
}
static inline const char *param_str(const struct req *r, enum param_id id, const char *dflt)
{
	const struct pval *v = param_val(r, id);

	return v->present ? v->s : dflt;
}
static inline int param_bool(const struct req *r, enum param_id id, int dflt)
{
	const struct pval *v = param_val(r, id);

	return v->present ? v->b : dflt;
}
static inline long long param_int(const struct req *r, enum param_id id, long long dflt)
{
	const struct pval *v = param_val(r, id);

	return v->present ? v->i : dflt;
}
static inline int param_given(const struct req *r, enum param_id id)
{
	return param_val(r, id)->present;
}
/* Undeclared sub-fields of a PT_RAW prefix, by their wire name
 * ("DataDisk.1.Size"). NULL when absent. */
const char *param_subfield(const struct req *r, const char *wire_name);
/* The one parser of repeat-list indexes (Name.N, Name.N.Field): canonical
 * decimal, no sign, space or leading zero, 1..max. The index, or -1. */
long long api_list_index(const char *s, size_t len, long long max);
/* The one parser of integer values: canonical decimal ("0", or an optional
 * '-' then no leading zero), lo..hi. 0 with *out set, or -1. */
int api_parse_int(const char *s, long long lo, long long hi, long long *out);
/* Parses "true"/"false" (any case); "" -> dflt. -1 when invalid. */
int api_parse_bool(const char *s, int dflt);

#endif
