/* web.h - what ecsd serves beside the ECS API and the token-only control
 * API: the browser console (/console/), Prometheus metrics (/metrics),
 * and the /_ecsd/ reads a signed-in account may make for itself (release
 * plans, audit trail). Routing and who-may-call live here; each endpoint
 * has its own file. */
#ifndef ECSD_WEB_H
#define ECSD_WEB_H
#include <stdint.h>
#include "../dispatch/dispatch.h"
#include "../common/arena.h"
#include "../common/form.h"

struct ecsd;

/* One request to a web endpoint, decoded. */
struct web_req {
	struct ecsd *e;
	struct arena arena;
	const char *method;
	const char *path;           /* URL path, no query */
	const struct http_in *in;   /* raw transport fields */
	struct params query;        /* decoded query string */
	const char *account;        /* caller's account; NULL = the platform (token) */
	const char *akid;           /* caller's AccessKeyId; NULL with the token */
	int64_t now_ms;
};

/* Routes path when it is one of the endpoints above: fills out (body
 * malloc'd) and returns 1. Returns 0 for any other path (the caller goes
 * on to the ECS API or ctl_handle). token: the bearer token sent, or NULL;
 * loopback: the peer is on a loopback address. */
int web_route(struct ecsd *e, const char *method, const char *path,
              const struct http_in *in, const char *token, int loopback,
              struct http_out *out);

/* JSON answers for the endpoints (body malloc'd into out). */
void web_json(struct http_out *out, int status, void *json_t_value);
void web_error(struct http_out *out, int status, const char *code, const char *msg);
/* First decoded query value for name, or NULL. */
const char *web_query(const struct web_req *w, const char *name);
/* Query boolean: "true"/"false" any case, absent or "" -> dflt, else -1. */
int web_query_bool(const struct web_req *w, const char *name, int dflt);

/* Endpoints (plan.c, audit_ep.c, console.c, metrics_ep.c). */
void web_release_plan(struct web_req *w, const char *instance_id, struct http_out *out);
void web_release_plans(struct web_req *w, struct http_out *out);
void web_console(struct web_req *w, struct http_out *out);
void web_metrics(struct web_req *w, struct http_out *out);
void web_audit(struct web_req *w, struct http_out *out);

#endif
