/* tools.c - routing and shared plumbing of the tester's control endpoints:
 * /clock, /faults, /state, /reset (docs/control-api.md). control.c hands
 * every authenticated request here first. No ECS rules here. */
#include "ctl.h"
#include "ctl_int.h"
#include "../dispatch/dispatch.h"
#include "../dispatch/rig.h"
#include "../ecsd.h"
#include "../store/store.h"
#include <stdlib.h>
#include <string.h>

#define CT "application/json;charset=utf-8"

void ctlx_reply(struct http_out *out, int status, json_t *j)
{
	out->status = status;
	out->content_type = CT;
	out->body = j ? json_dumps(j, JSON_COMPACT) : NULL;
	out->body_len = out->body ? strlen(out->body) : 0;
	if (!out->body)
		out->status = 500;
	json_decref(j);
}

void ctlx_error(struct http_out *out, int status, const char *code,
                const char *msg)
{
	ctlx_reply(out, status, json_pack("{s:s,s:s}", "Code", code, "Message", msg));
}

void ctlx_store_error(struct http_out *out, int rc)
{
	if (rc == STORE_EUNAVAIL)
		ctlx_error(out, 503, "ServiceUnavailable", "The store is unavailable.");
	else
		ctlx_error(out, 500, "InternalError", "The store failed.");
}

json_t *ctlx_body(const char *body, size_t len, struct http_out *out)
{
	json_error_t je;
	json_t *j = json_loadb(body ? body : "", len, JSON_REJECT_DUPLICATES, &je);

	if (!json_is_object(j)) {
		json_decref(j);
		ctlx_error(out, 400, "InvalidJson", "The body must be a JSON object.");
		return NULL;
	}
	return j;
}

int ctlx_query(const char *query, const char *name, char *val, size_t n)
{
	size_t nl = strlen(name);
	const char *p = query;

	while (p && *p) {
		const char *end = strchr(p, '&');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len > nl && strncmp(p, name, nl) == 0 && p[nl] == '=') {
			size_t vl = len - nl - 1;

			if (vl >= n || memchr(p + nl + 1, '%', vl))
				return -1;
			memcpy(val, p + nl + 1, vl);
			val[vl] = '\0';
			return 0;
		}
		p = end ? end + 1 : NULL;
	}
	return -1;
}

int ctlx_account_ok(const char *s)
{
	size_t n = s ? strspn(s, "0123456789abcdefghijklmnopqrstuvwxyz"
	                         "ABCDEFGHIJKLMNOPQRSTUVWXYZ_-") : 0;

	return n > 0 && n < 32 && s[n] == '\0';
}

int64_t ctl_now_ms(struct ecsd *e)
{
	int64_t now;

	return rig_now_ms(e->store, &now, NULL) == 0 ? now : ecsd_now_ms();
}

int ctl_tools_route(struct ecsd *e, const char *method, const char *path,
                    const char *query, const char *body, size_t len,
                    struct http_out *out)
{
	int get = strcmp(method, "GET") == 0, post = strcmp(method, "POST") == 0;

	if (strcmp(path, "/clock") == 0 && (get || post))
		ctl_clock(e, method, body, len, out);
	else if (strcmp(path, "/faults") == 0 && (get || post || strcmp(method, "DELETE") == 0))
		ctl_faults(e, method, NULL, body, len, out);
	else if (strncmp(path, "/faults/", 8) == 0 && strcmp(method, "DELETE") == 0)
		ctl_faults(e, method, path + 8, body, len, out);
	else if (strcmp(path, "/state") == 0 && get)
		ctl_state_export(e, query, out);
	else if (strcmp(path, "/state") == 0 && post)
		ctl_state_import(e, body, len, out);
	else if (strcmp(path, "/reset") == 0 && post)
		ctl_reset(e, body, len, out);
	else
		return 0;
	return 1;
}
