/* dispatch.c - the API pipeline for one request, in the service's order:
 * method -> decode -> Format -> Action+Version -> signature -> rate ->
 * parameters -> region -> handler -> render. Check, then proceed: a
 * handler only ever sees a signed request with valid typed parameters.
 * No ECS resource rules here. */
#include "dispatch.h"
#include "../api/api.h"
#include "../auth/auth.h"
#include "../common/limits.h"
#include "../ecsd.h"
#include "../model/regions.h"
#include "../store/store.h"
#include "../api/observe.h"
#include "audit.h"
#include "ratelimit.h"
#include "../common/metrics.h"
#include "rig.h"
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define CT_JSON "application/json;charset=utf-8"
#define CT_XML "text/xml;charset=utf-8"

/* 64 random bits from a per-thread xoshiro256** stream, seeded once per
 * thread from RAND_bytes. Request ids must be unique, not secret: this
 * costs nanoseconds where RAND_bytes per request cost ~9,000 instructions
 * (callgrind, BENCHMARKS.md). */
static uint64_t rid_rand(void)
{
	static _Thread_local uint64_t s[4];
	static _Thread_local int seeded;
	uint64_t r, t;

	if (!seeded) {
		if (RAND_bytes((unsigned char *)s, sizeof(s)) != 1 ||
		    (s[0] | s[1] | s[2] | s[3]) == 0) {
			s[0] = (uint64_t)ecsd_now_ms();
			s[1] = (uint64_t)(uintptr_t)&seeded;
			s[2] = (uint64_t)getpid();
			s[3] = 0x9E3779B97F4A7C15ULL;
		}
		seeded = 1;
	}
	r = s[1] * 5;
	r = ((r << 7) | (r >> 57)) * 9;
	t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = (s[3] << 45) | (s[3] >> 19);
	return r;
}

static void new_request_id(char out[37])
{
	static const char hex[] = "0123456789ABCDEF";
	unsigned char rnd[16];
	uint64_t a = rid_rand(), b = rid_rand();
	int k = 0;

	memcpy(rnd, &a, 8);
	memcpy(rnd + 8, &b, 8);
	rnd[6] = (unsigned char)((rnd[6] & 0x0F) | 0x40);
	rnd[8] = (unsigned char)((rnd[8] & 0x3F) | 0x80);
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[k++] = '-';
		out[k++] = hex[rnd[i] >> 4];
		out[k++] = hex[rnd[i] & 15];
	}
	out[k] = '\0';
}

/* Message with its one %s replaced by detail (no printf on table text). */
static const char *format_message(struct arena *a, const char *msg, const char *detail)
{
	const char *pct = strstr(msg, "%s");
	size_t pre, dl;
	char *s;

	if (!pct)
		return msg;
	if (!detail)
		detail = "";
	pre = (size_t)(pct - msg);
	dl = strlen(detail);
	s = arena_alloc(a, strlen(msg) - 2 + dl + 1);
	if (!s)
		return msg;
	memcpy(s, msg, pre);
	memcpy(s + pre, detail, dl);
	memcpy(s + pre + dl, pct + 2, strlen(pct + 2) + 1);
	return s;
}

/* 1 if the Host header can be echoed as HostId: a host[:port] of
 * A-Za-z0-9.-_:[] (other bytes would make the reply malformed). */
static int host_echoable(const char *h)
{
	size_t n = h ? strspn(h, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	                         "0123456789.-_:[]") : 0;

	return n > 0 && n <= 255 && h[n] == '\0';
}

static void render_error(struct req *r, struct http_out *out)
{
	const struct err_row *row = err_row(r->err);
	const char *host = host_echoable(r->host) ? r->host : "ecs.aliyuncs.com";
	const char *msg = format_message(&r->arena, row->message, r->err_detail);
	size_t nproducts;
	const struct product *product = r->product ? r->product : api_products(&nproducts);
	const char *rec = arena_printf(&r->arena,
		"https://api.aliyun.com/troubleshoot?q=%s&product=%s&requestId=%s",
		row->code, product->code, r->request_id);

	buf_free(&r->reply.out);
	/* sized from the request limits (LIM_ERROR_REPLY_BYTES): the largest
	 * echo of a request within them fits, so no error body is ever cut */
	if (reply_error(&r->reply, r->fmt == FMT_JSON, LIM_ERROR_REPLY_BYTES,
	                r->request_id, host, row->code, msg, rec ? rec : "") != 0) {
		/* out of memory: the same error without its detail, which fits */
		buf_free(&r->reply.out);
		if (reply_error(&r->reply, r->fmt == FMT_JSON, LIM_ERROR_REPLY_BYTES,
		                r->request_id, host, row->code,
		                format_message(&r->arena, row->message, NULL), "") != 0)
			buf_free(&r->reply.out);   /* nothing at all: an empty body */
	}
	out->status = row->status;
	if (r->err == ERR_THROTTLING_USER)
		out->retry_after_ms = 1000;
}

static int str_ieq(const char *a, const char *b)
{
	return a && strcasecmp(a, b) == 0;
}

static const char *header(const struct http_in *in, const char *name)
{
	for (size_t i = 0; i < in->nheaders; i++)
		if (strcmp(in->headers[i].name, name) == 0)
			return in->headers[i].value;
	return NULL;
}

static enum err_id decode(struct req *r, const struct http_in *in)
{
	int rc = 0;

	if (in->raw_query && in->raw_query_len)
		rc = form_parse(&r->arena, in->raw_query, in->raw_query_len, 0, &r->query);
	if (rc == 0 && in->body_len && in->content_type &&
	    strncasecmp(in->content_type, "application/x-www-form-urlencoded", 33) == 0)
		rc = form_parse(&r->arena, in->body, in->body_len, 1, &r->form);
	if (rc == FORM_BAD_ESCAPE)
		return api_raise(r, ERR_MALFORMED_REQUEST, "bad percent-encoding");
	if (rc == FORM_TOO_MANY)
		return api_raise(r, ERR_REQUEST_TOO_LARGE, "too many parameters");
	if (rc == FORM_TOO_LONG)
		return api_raise(r, ERR_REQUEST_TOO_LARGE, "parameter too long");
	if (rc)
		return api_raise(r, ERR_REQUEST_TOO_LARGE, "memory");
	/* one list for validation and V1 signing; the strings are shared */
	if (params_merge(&r->arena, &r->all, &r->query) ||
	    params_merge(&r->arena, &r->all, &r->form))
		return api_raise(r, ERR_REQUEST_TOO_LARGE, "too many parameters");
	return ERR_OK;
}

/* The store owns the one replay cache of this process. */
static int nonce_cb(void *ctx, const char *akid, const char *nonce,
                    int64_t stamp_ms, int64_t now_ms)
{
	return store_nonce_use(ctx, akid, nonce, stamp_ms, now_ms);
}

static enum err_id pipeline(struct req *r, const struct http_in *in)
{
	const char *action, *version, *root;
	const struct param *p;
	struct auth_input ai;
	struct auth_result ar;
	enum err_id rc;
	int v3 = auth_is_v3(in->authorization);

	/* (1) method */
	if (strcmp(in->method, "GET") != 0 && strcmp(in->method, "POST") != 0)
		return api_raise(r, ERR_UNSUPPORTED_HTTP_METHOD, NULL);
	if (in->bad_path)
		return api_raise(r, ERR_INVALID_ACTION_NOT_FOUND, NULL);
	if (in->bad_length)
		return api_raise(r, ERR_MALFORMED_REQUEST, "conflicting Content-Length headers");
	if (in->body_too_large)
		return api_raise(r, ERR_REQUEST_TOO_LARGE, "body");
	/* (2) decode query and form body */
	if ((rc = decode(r, in)) != ERR_OK)
		return rc;
	/* (3) Format: explicit wins; else JSON for V3, XML for V1 */
	p = params_get(&r->all, "Format");
	if (p) {
		if (str_ieq(p->value, "JSON"))
			r->fmt = FMT_JSON;
		else if (str_ieq(p->value, "XML"))
			r->fmt = FMT_XML;
		else
			return api_raise(r, ERR_INVALID_PARAMETER_FORMAT, NULL);
	}
	/* (4) Action and Version, before the key is looked at */
	if (v3) {
		action = header(in, "x-acs-action");
		version = header(in, "x-acs-version");
		if (!action)
			return api_raise(r, ERR_MISSING_PARAMETER, "x-acs-action");
		if (!version)
			return api_raise(r, ERR_MISSING_PARAMETER, "x-acs-version");
	} else {
		p = params_get(&r->all, "Action");
		action = p ? p->value : NULL;
		p = params_get(&r->all, "Version");
		version = p ? p->value : NULL;
		if (!action || !*action)
			return api_raise(r, ERR_MISSING_PARAMETER, "Action");
		if (!version || !*version)
			return api_raise(r, ERR_MISSING_PARAMETER, "Version");
	}
	r->product = api_product_for_version(version);
	r->action = r->product ? api_action_find(r->product, action) : NULL;
	if (!r->action)
		return api_raise(r, ERR_INVALID_ACTION_NOT_FOUND, NULL);
	/* (5) signature, timestamp, key, nonce */
	memset(&ai, 0, sizeof(ai));
	ai.method = in->method;
	ai.path = "/";
	ai.all = &r->all;
	ai.query = &r->query;
	ai.headers = in->headers;
	ai.nheaders = in->nheaders;
	ai.authorization = in->authorization;
	ai.body = in->body;
	ai.body_len = in->body_len;
	ai.now_ms = r->now_ms;
	memset(&ar, 0, sizeof(ar));
	r->auth_stage = 1;
	rc = auth_verify(&r->arena, &ai, r->ecsd->creds, nonce_cb, r->ecsd->store, &ar);
	if (rc != ERR_OK)
		return api_raise(r, rc, ar.detail);
	r->auth_stage = 2;
	r->account = ar.account_id;
	r->akid = ar.akid;
	r->sig_version = ar.version;
	/* (6) per-key rate limit */
	if (r->ecsd->rl && !ratelimit_take(r->ecsd->rl, r->akid, r->now_ms))
		return api_raise(r, ERR_THROTTLING_USER, NULL);
	/* (7) declared parameters, typed */
	if ((rc = api_check_params(r)) != ERR_OK)
		return rc;
	/* (8) region */
	if ((r->action->flags & AF_REGION) &&
	    !region_find(param_str(r, PARAM_RegionId, "")))
		return api_raise(r, ERR_INVALID_REGION_ID_NOT_FOUND, NULL);
	/* (9) the tester's virtual clock and fault rules (api/rig.h) */
	if ((rc = rig_enter(r, in)) != ERR_OK)
		return rc;
	/* (10) the Action, writing into a reply rooted at <ActionResponse> */
	root = arena_printf(&r->arena, "%sResponse", r->action->name);
	if (!root)
		return api_raise(r, ERR_INTERNAL_ERROR, NULL);
	buf_free(&r->reply.out);
	reply_begin(&r->reply, r->fmt == FMT_JSON, root, LIM_REPLY_BYTES);
	reply_str(&r->reply, "RequestId", r->request_id);
	api_audit_arm(r, in);   /* the event joins the Action's transaction */
	return r->action->fn(r);
}

/* "param Action Name" for every declared parameter the handler read, for
 * the tests' declared-but-unread check (tests/sweeps/params-read.sh). */
static void trace_params(struct ecsd *e, const struct req *r)
{
	struct buf b;

	buf_init(&b, 1 << 16);
	for (size_t i = 0; i < r->action->nparams; i++)
		if (r->args[i].read && buf_printf(&b, "param %s %s\n", r->action->name,
		                                   r->action->params[i].name))
			break;
	if (b.len && write(e->error_trace_fd, b.p, b.len) < 0)
		log_msg(0, "error trace write failed");
	buf_free(&b);
}

void api_dispatch(struct ecsd *e, const struct http_in *in, struct http_out *out)
{
	struct req *r = calloc(1, sizeof(*r));
	double t0 = metrics_now();
	enum err_id rc;

	memset(out, 0, sizeof(*out));
	if (!r) {
		out->status = 503;
		out->content_type = CT_JSON;
		return;
	}
	arena_init(&r->arena, LIM_ARENA_BYTES);
	r->ecsd = e;
	r->method = in->method;
	r->host = in->host;
	r->now_ms = ecsd_now_ms();
	r->fmt = auth_is_v3(in->authorization) ? FMT_JSON : FMT_XML;
	new_request_id(r->request_id);
	buf_init(&r->reply.out, LIM_REPLY_BYTES);

	rc = pipeline(r, in);
	if (rc == ERR_OK && reply_end(&r->reply) != 0)
		rc = api_raise(r, ERR_INTERNAL_ERROR, NULL);
	if (e->error_trace_fd >= 0 && r->action && r->args)
		trace_params(e, r);
	if (rc != ERR_OK) {
		render_error(r, out);
		if (e->error_trace_fd >= 0 && !r->drop) {
			/* one line per raised row, for the tests' coverage check */
			char line[96];
			int n = snprintf(line, sizeof(line), "%s\n", err_row(rc)->ident);
			if (n > 0 && write(e->error_trace_fd, line, (size_t)n) < 0)
				log_msg(0, "error trace write failed");
		}
		log_msg(2, "%s %s -> %d %s", r->request_id,
		         r->action ? r->action->name : "-", out->status,
		         err_row(rc)->code);
	} else {
		out->status = 200;
		log_msg(2, "%s %s -> 200", r->request_id, r->action->name);
	}
	out->content_type = r->fmt == FMT_JSON ? CT_JSON : CT_XML;
	api_observe(r, rc, out->status, metrics_now() - t0);
	api_audit_finish(r, in, rc, out->status);
	memcpy(out->request_id, r->request_id, sizeof(out->request_id));
	out->drop = r->drop;
	out->body = r->reply.out.p;     /* ownership moves to the caller */
	out->body_len = r->reply.out.len;
	arena_free(&r->arena);
	free(r);
}
