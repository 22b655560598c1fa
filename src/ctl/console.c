/* console.c - GET /console/...: the browser console's files from the
 * arrays compiled into the binary (web_files.h), with a strict Content
 * Security Policy (scripts and styles from this origin only, no inline
 * code). The page itself signs ECS API calls in the browser. */
#include "web.h"
#include "web_files.h"
#include <stdlib.h>
#include <string.h>

static const char csp[] =
	"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
	"connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

void web_console(struct web_req *w, struct http_out *out)
{
	const char *path = w->path;

	if (strcmp(w->method, "GET") != 0 && strcmp(w->method, "HEAD") != 0) {
		web_error(out, 405, "MethodNotAllowed", "The console answers GET only.");
		return;
	}
	if (strcmp(path, "/console") == 0) {
		out->status = 301;
		out->content_type = "text/plain;charset=utf-8";
		out->extra[out->nextra].name = "Location";
		out->extra[out->nextra++].value = "/console/";
		return;
	}
	if (strcmp(path, "/console/") == 0)
		path = "/console/index.html";
	for (size_t i = 0; i < web_nfiles; i++) {
		if (strcmp(web_files[i].path, path) != 0)
			continue;
		out->body = malloc(web_files[i].len + 1);
		if (!out->body) {
			web_error(out, 503, "ServiceUnavailable", "Out of memory.");
			return;
		}
		memcpy(out->body, web_files[i].data, web_files[i].len);
		out->body_len = web_files[i].len;
		out->status = 200;
		out->content_type = web_files[i].type;
		out->extra[out->nextra].name = "Content-Security-Policy";
		out->extra[out->nextra++].value = csp;
		out->extra[out->nextra].name = "X-Content-Type-Options";
		out->extra[out->nextra++].value = "nosniff";
		out->extra[out->nextra].name = "Cache-Control";
		out->extra[out->nextra++].value = "no-cache";
		out->extra[out->nextra].name = "Referrer-Policy";
		out->extra[out->nextra++].value = "no-referrer";
		return;
	}
	web_error(out, 404, "NotFound", "No such console file.");
}
