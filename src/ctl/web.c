/* web.c - routes /console/, /metrics and the account-readable /_ecsd/
 * endpoints, and decides who may call them: the control token (the
 * platform, every account; loopback peers only unless --control-remote)
 * or an ACS3-HMAC-SHA256 signature of a known AccessKey (that key's
 * account only, from any peer, like the ECS API). No ECS rules here. */
#include "web.h"
#include "../auth/auth.h"
#include "../common/limits.h"
#include "../ecsd.h"
#include "../store/store.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CT_JSON "application/json;charset=utf-8"

void web_json(struct http_out *out, int status, void *json_t_value)
{
	json_t *j = json_t_value;

	out->status = status;
	out->content_type = CT_JSON;
	out->body = j ? json_dumps(j, JSON_COMPACT) : NULL;
	out->body_len = out->body ? strlen(out->body) : 0;
	json_decref(j);
}

void web_error(struct http_out *out, int status, const char *code, const char *msg)
{
	web_json(out, status, json_pack("{s:s,s:s}", "Code", code, "Message", msg));
}

const char *web_query(const struct web_req *w, const char *name)
{
	const struct param *p = params_get(&w->query, name);

	return p ? p->value : NULL;
}

int web_query_bool(const struct web_req *w, const char *name, int dflt)
{
	const char *v = web_query(w, name);

	if (!v || !*v)
		return dflt;
	if (strcasecmp(v, "true") == 0)
		return 1;
	if (strcasecmp(v, "false") == 0)
		return 0;
	return -1;
}

/* The store's one replay cache, as for the API (src/api/dispatch.c). */
static int web_nonce(void *ctx, const char *akid, const char *nonce,
                     int64_t stamp_ms, int64_t now_ms)
{
	return store_nonce_use(ctx, akid, nonce, stamp_ms, now_ms);
}

/* 0 when the caller may go on (w->account set, NULL for the token);
 * otherwise out holds the refusal. */
static int web_auth(struct web_req *w, const char *token, int loopback,
                    struct http_out *out)
{
	const struct http_in *in = w->in;
	struct auth_input ai;
	struct auth_result ar;
	enum err_id rc;

	if (token) {
		if (!loopback && !w->e->ctl_remote) {
			web_error(out, 403, "Forbidden", "The control token is accepted from loopback peers only.");
			return -1;
		}
		if (!sig_equal(token, w->e->ctl_token)) {
			web_error(out, 401, "Unauthorized", "A valid control token is required.");
			return -1;
		}
		return 0;
	}
	if (!in->authorization || !auth_is_v3(in->authorization)) {
		web_error(out, 401, "Unauthorized",
		          "A control token or an ACS3-HMAC-SHA256 signature is required.");
		return -1;
	}
	memset(&ai, 0, sizeof(ai));
	ai.method = w->method;
	ai.path = w->path;
	ai.all = &w->query;
	ai.query = &w->query;
	ai.headers = in->headers;
	ai.nheaders = in->nheaders;
	ai.authorization = in->authorization;
	ai.body = in->body ? in->body : "";
	ai.body_len = in->body_len;
	ai.now_ms = w->now_ms;
	memset(&ar, 0, sizeof(ar));
	rc = auth_verify(&w->arena, &ai, w->e->creds, web_nonce, w->e->store, &ar);
	if (rc != ERR_OK) {
		const struct err_row *row = err_row(rc);
		web_error(out, row->status, row->code, row->message);
		return -1;
	}
	w->account = ar.account_id;
	w->akid = ar.akid;
	return 0;
}

/* "/_ecsd/instances/{id}/release-plan" -> id copied into buf; 0 or -1. */
static int plan_path(const char *path, char *buf, size_t cap)
{
	static const char pre[] = "/_ecsd/instances/", suf[] = "/release-plan";
	size_t lp = sizeof(pre) - 1, ls = sizeof(suf) - 1, n = strlen(path);

	if (n <= lp + ls || strncmp(path, pre, lp) != 0 ||
	    strcmp(path + n - ls, suf) != 0 || n - lp - ls >= cap)
		return -1;
	memcpy(buf, path + lp, n - lp - ls);
	buf[n - lp - ls] = '\0';
	return strchr(buf, '/') ? -1 : 0;
}

int web_route(struct ecsd *e, const char *method, const char *path,
              const struct http_in *in, const char *token, int loopback,
              struct http_out *out)
{
	struct web_req w;
	char id[64];
	int plan = 0, plans = 0, audit = 0;

	memset(out, 0, sizeof(*out));
	memset(&w, 0, sizeof(w));
	w.e = e;
	w.method = method;
	w.path = path;
	w.in = in;
	w.now_ms = ecsd_now_ms();
	if (strcmp(path, "/metrics") == 0) {
		if (!loopback && !e->metrics_remote)
			web_error(out, 403, "Forbidden", "Metrics answer loopback peers only (--metrics-remote to change).");
		else
			web_metrics(&w, out);
		return 1;
	}
	if (strcmp(path, "/console") == 0 || strncmp(path, "/console/", 9) == 0) {
		web_console(&w, out);
		return 1;
	}
	plan = plan_path(path, id, sizeof(id)) == 0;
	plans = strcmp(path, "/_ecsd/release-plan") == 0;
	audit = strcmp(path, "/_ecsd/audit") == 0;
	if (!plan && !plans && !audit)
		return 0;
	if (strcmp(method, "GET") != 0) {
		web_error(out, 405, "MethodNotAllowed", "This endpoint answers GET only.");
		return 1;
	}
	arena_init(&w.arena, 1024 * 1024);
	if (in->raw_query_len &&
	    form_parse(&w.arena, in->raw_query, in->raw_query_len, 0, &w.query)) {
		web_error(out, 400, "InvalidParameter.Malformed", "The query string cannot be decoded.");
	} else if (web_auth(&w, token, loopback, out) == 0) {
		if (plan)
			web_release_plan(&w, id, out);
		else if (plans)
			web_release_plans(&w, out);
		else
			web_audit(&w, out);
	}
	arena_free(&w.arena);
	return 1;
}
