/* metrics_ep.c - GET /metrics: the registry of common/metrics.c in the
 * Prometheus text exposition format 0.0.4. */
#include "web.h"
#include "../common/metrics.h"
#include <string.h>

#define METRICS_BYTES (4 * 1024 * 1024)

void web_metrics(struct web_req *w, struct http_out *out)
{
	struct buf b;

	if (strcmp(w->method, "GET") != 0) {
		web_error(out, 405, "MethodNotAllowed", "This endpoint answers GET only.");
		return;
	}
	buf_init(&b, METRICS_BYTES);
	if (metrics_render(&b) || !b.p) {
		buf_free(&b);
		web_error(out, 500, "InternalError", "The metrics do not fit.");
		return;
	}
	out->status = 200;
	out->content_type = "text/plain; version=0.0.4; charset=utf-8";
	out->body = b.p;            /* ownership moves to the caller */
	out->body_len = b.len;
}
