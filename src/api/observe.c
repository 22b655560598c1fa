/* observe.c - what the operator sees of each answered API call: the
 * request counters and latency histogram of GET /metrics, and the
 * releases by outcome. Called once per request by dispatch, after the
 * answer is rendered. No ECS resource rules here. */
#include "observe.h"
#include "../common/metrics.h"
#include <string.h>

/* Instances a release call named: 1 for DeleteInstance, the InstanceId.N
 * count for DeleteInstances (0 when it named none). */
static long long release_count(const struct req *r)
{
	long long n = 0;

	if (strcmp(r->action->name, "DeleteInstance") == 0)
		return 1;
	for (size_t i = 0; i < r->all.n; i++)
		if (strncmp(r->all.v[i].name, "InstanceId.", 11) == 0)
			n++;
	return n;
}

void api_observe(const struct req *r, enum err_id rc, int status, double seconds)
{
	const char *code = rc == ERR_OK ? "OK" : err_row(rc)->code;
	const char *action = r->action ? r->action->name : "";

	metrics_request(r->product ? r->product->code : "", action, code, status, seconds);
	if (r->action && (strcmp(action, "DeleteInstance") == 0 ||
	                  strcmp(action, "DeleteInstances") == 0)) {
		const char *outcome = rc == ERR_OK ? "released" :
			rc == ERR_DRY_RUN_OPERATION ? "dry_run" :
			status >= 500 ? "failed" : "refused";
		metrics_release(outcome, release_count(r));
	}
}
