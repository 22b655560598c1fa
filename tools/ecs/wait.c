/* wait.c - --wait-for (poll DescribeInstances until a Status, or until
 * released) and aliyun's --waiter, with a live progress line on a terminal.
 * Polling policy only: every request goes through call.c. */
#include "ecs.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define WAIT_LINE_BYTES 256

/* What --wait-for asks for. */
struct wait_goal {
	int gone;
	const char *status;      /* when !gone */
	double timeout_s, interval_s;
};

/* The progress line: carriage-return updates on a terminal, one plain
 * line per change otherwise, nothing with --quiet. */
struct wait_progress {
	int tty, quiet, open;
	double t0;
	char last[WAIT_LINE_BYTES];
};

static void wait_progress_init(struct wait_progress *p, int quiet)
{
	memset(p, 0, sizeof(*p));
	p->quiet = quiet;
	p->tty = isatty(fileno(stderr));
	p->t0 = ecs_mono_s();
}

static void wait_show(struct wait_progress *p, const char *what,
                      const char *state)
{
	double t = ecs_mono_s() - p->t0;
	int changed = strcmp(p->last, state) != 0;

	snprintf(p->last, sizeof(p->last), "%s", state);
	if (p->quiet)
		return;
	if (p->tty) {
		fprintf(stderr, "\r%s: %s (%.1fs)\033[K", what, state, t);
		p->open = 1;
	} else if (changed) {
		fprintf(stderr, "%s: %s (%.1fs)\n", what, state, t);
	}
	fflush(stderr);
}

/* Ends the progress: the final message (or NULL) replaces the live line
 * on a terminal, and follows the plain lines otherwise. */
static void wait_end(struct wait_progress *p, const char *what,
                     const char *final)
{
	if (p->quiet)
		return;
	if (p->open)
		fputs(final ? "\r" : "\n", stderr);
	if (final)
		fprintf(stderr, "%s: %s after %.1fs%s\n", what, final,
		        ecs_mono_s() - p->t0, p->tty ? "\033[K" : "");
	p->open = 0;
}

static int wait_seconds(const char *s, double dflt, double min, double max,
                        double *out)
{
	char *end;
	double d;

	*out = dflt;
	if (!s)
		return 0;
	d = strtod(s, &end);
	if (end == s || *end || !isfinite(d) || d < min || d > max)
		return -1;
	*out = d;
	return 0;
}

static int wait_goal(const struct ecs_opts *o, struct wait_goal *g,
                     char *err, size_t errlen)
{
	memset(g, 0, sizeof(*g));
	if (strcasecmp(o->wait_for, "gone") == 0) {
		g->gone = 1;
	} else if (strncasecmp(o->wait_for, "Status=", 7) == 0 &&
	           o->wait_for[7]) {
		g->status = o->wait_for + 7;
	} else {
		snprintf(err, errlen, "--wait-for wants Status=VALUE or gone");
		return -1;
	}
	if (wait_seconds(o->timeout, 600, 0.001, 86400, &g->timeout_s) ||
	    wait_seconds(o->interval, 2, 0.01, 3600, &g->interval_s)) {
		snprintf(err, errlen, "--timeout and --interval are seconds "
		         "(> 0; decimals allowed)");
		return -1;
	}
	return 0;
}

static int wait_creates(const char *action)
{
	return strcmp(action, "RunInstances") == 0 ||
	       strcmp(action, "CreateInstance") == 0;
}

/* Adds one id (a JSON string) to ids, refusing duplicates. */
static void wait_add_id(json_t *ids, const char *id)
{
	size_t i;
	json_t *v;

	if (!id || !*id || json_array_size(ids) >= ECS_WAIT_IDS)
		return;
	json_array_foreach(ids, i, v)
		if (strcmp(json_string_value(v), id) == 0)
			return;
	json_array_append_new(ids, json_string(id));
}

/* InstanceIds given as '["a","b"]', or the aliyun shell form [a,b]. */
static void wait_add_list(json_t *ids, const char *s)
{
	json_t *j = json_loads(s, 0, NULL), *v;
	char tmp[128];
	size_t i, n;
	const char *p, *e;

	if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			wait_add_id(ids, json_string_value(v));
		json_decref(j);
		return;
	}
	json_decref(j);
	for (p = s; *p; p = *e ? e + 1 : e) {
		while (*p == '[' || *p == ' ' || *p == '"' || *p == '\'')
			p++;
		e = p + strcspn(p, ",");
		n = (size_t)(e - p);
		while (n && strchr("]\"' ", p[n - 1]))
			n--;
		if (n && n < sizeof(tmp)) {
			memcpy(tmp, p, n);
			tmp[n] = '\0';
			wait_add_id(ids, tmp);
		}
	}
}

/* Ids the command names: --InstanceId, --InstanceId.N, --InstanceIds. */
static json_t *wait_ids_from_params(const struct params *p)
{
	json_t *ids = json_array();
	size_t i;

	for (i = 0; i < p->n; i++) {
		const char *n = p->v[i].name;

		if (strcmp(n, "InstanceId") == 0 ||
		    (strncmp(n, "InstanceId.", 11) == 0 && n[11] >= '0' &&
		     n[11] <= '9'))
			wait_add_id(ids, p->v[i].value);
		else if (strcmp(n, "InstanceIds") == 0)
			wait_add_list(ids, p->v[i].value);
	}
	return ids;
}

int ecs_wait_check(const struct ecs_opts *o, char *err, size_t errlen)
{
	struct wait_goal g;
	double d;
	json_t *ids;
	size_t n;

	if (o->wait_for && o->waiter_set) {
		snprintf(err, errlen, "--wait-for and --waiter exclude each "
		         "other");
		return -1;
	}
	if ((o->timeout || o->interval) && !o->wait_for) {
		snprintf(err, errlen, "--timeout and --interval go with "
		         "--wait-for (--waiter takes timeout=/interval=)");
		return -1;
	}
	if (o->waiter_set &&
	    (wait_seconds(o->waiter_timeout, 180, 1, 600, &d) ||
	     wait_seconds(o->waiter_interval, 5, 2, 10, &d))) {
		snprintf(err, errlen, "--waiter timeout= is 1..600 seconds, "
		         "interval= 2..10");
		return -1;
	}
	if (!o->wait_for)
		return 0;
	if (wait_goal(o, &g, err, errlen))
		return -1;
	if (wait_creates(o->action))
		return 0;
	ids = wait_ids_from_params(&o->params);
	n = json_array_size(ids);
	json_decref(ids);
	if (n == 0) {
		snprintf(err, errlen, "--wait-for needs --InstanceId (or "
		         "--InstanceIds) to know which instance to follow");
		return -1;
	}
	return 0;
}

/* One poll's verdict: 1 done, 0 not yet; a short summary into state. */
static int wait_judge(const struct wait_goal *g, json_t *ids, json_t *resp,
                      char *state, size_t statelen)
{
	int bad;
	json_t *list = ecs_jpath(resp, "Instances.Instance", &bad), *it;
	size_t i, n = json_array_size(list), nids = json_array_size(ids);
	size_t match = 0;
	const char *one = NULL;

	json_array_foreach(list, i, it) {
		const char *st = json_string_value(json_object_get(it, "Status"));

		one = st;
		if (g->status && st && strcmp(st, g->status) == 0)
			match++;
	}
	json_decref(list);
	if (g->gone) {
		if (nids == 1)
			snprintf(state, statelen, "%s", n == 0 ? "released"
			         : one ? one : "?");
		else
			snprintf(state, statelen, "%zu of %zu left", n, nids);
		return n == 0;
	}
	if (nids == 1)
		snprintf(state, statelen, "%s", n == 0 ? "not found"
		         : one ? one : "?");
	else
		snprintf(state, statelen, "%zu/%zu %s", match, nids, g->status);
	return match == nids && n == nids;
}

/* The poll request: DescribeInstances RegionId=.. InstanceIds=[..]. */
static int wait_poll_params(struct arena *a, const struct params *cmd,
                            const struct ecs_cfg *cfg, json_t *ids,
                            struct params *out)
{
	const struct param *region = params_get(cmd, "RegionId");
	const char *r = region ? region->value : cfg->region;
	char *list = json_dumps(ids, JSON_COMPACT);
	int rc;

	if (!list)
		return -1;
	rc = params_add(a, out, "RegionId", 8, r, strlen(r));
	rc = rc || params_add(a, out, "InstanceIds", 11, list, strlen(list));
	rc = rc || params_add(a, out, "PageSize", 8, "100", 3);
	free(list);
	return rc ? -1 : 0;
}

int ecs_wait_for(struct arena *a, const struct ecs_opts *o,
                 const struct ecs_cfg *cfg, const struct params *params,
                 json_t *first)
{
	struct wait_goal g;
	struct wait_progress pr;
	struct params poll = { 0 };
	struct ecs_resp r = { 0 };
	char err[ECS_ERRMSG_BYTES], what[WAIT_LINE_BYTES];
	char state[WAIT_LINE_BYTES] = "";
	double deadline, left;
	json_t *ids, *v, *it;
	enum ecs_rc rc;
	size_t i;
	int done, status = ECS_EXIT_API;

	if (wait_goal(o, &g, err, sizeof(err)))
		return ecs_out_usage(err);
	if (wait_creates(o->action)) {
		ids = json_array();
		v = ecs_jpath(first, "InstanceIdSets.InstanceIdSet", &done);
		json_array_foreach(v, i, it)
			wait_add_id(ids, json_string_value(it));
		json_decref(v);
		wait_add_id(ids, json_string_value(json_object_get(first,
		                                                   "InstanceId")));
	} else {
		ids = wait_ids_from_params(params);
	}
	if (json_array_size(ids) == 0) {
		fprintf(stderr, "ERROR: --wait-for: no instance id in the "
		        "command or its answer\n");
		json_decref(ids);
		return ECS_EXIT_API;
	}
	if (json_array_size(ids) == 1)
		snprintf(what, sizeof(what), "%s",
		         json_string_value(json_array_get(ids, 0)));
	else
		snprintf(what, sizeof(what), "%zu instances",
		         json_array_size(ids));
	if (wait_poll_params(a, params, cfg, ids, &poll)) {
		json_decref(ids);
		return ecs_out_usage("--wait-for: cannot build the poll request");
	}
	wait_progress_init(&pr, o->quiet);
	deadline = pr.t0 + g.timeout_s;
	for (;;) {
		rc = ecs_call(cfg, "DescribeInstances", &poll, &r);
		if (rc != ECS_RC_OK) {
			wait_end(&pr, what, NULL);
			status = ecs_out_error(&r, rc);
			break;
		}
		done = wait_judge(&g, ids, r.json, state, sizeof(state));
		if (done) {
			wait_end(&pr, what, g.gone ? "released" : state);
			status = ECS_EXIT_OK;
			if (strcmp(o->action, "DescribeInstances") == 0 &&
			    ecs_out_success(o, r.json))
				status = ECS_EXIT_USAGE;
			break;
		}
		wait_show(&pr, what, state);
		left = deadline - ecs_mono_s();
		if (left <= 0) {
			wait_end(&pr, what, NULL);
			fprintf(stderr, "ERROR: timed out after %gs waiting for "
			        "%s to be %s (last: %s)\n", g.timeout_s, what,
			        g.gone ? "released" : g.status, state);
			status = ECS_EXIT_TIMEOUT;
			break;
		}
		ecs_sleep_ms((long)(1000.0 * (left < g.interval_s ? left
		                                                  : g.interval_s)));
	}
	ecs_resp_free(&r);
	json_decref(ids);
	return status;
}

int ecs_waiter(struct arena *a, const struct ecs_opts *o,
               const struct ecs_cfg *cfg, const struct params *params)
{
	struct wait_progress pr;
	struct ecs_resp r = { 0 };
	double timeout_s, interval_s, left;
	const char *s;
	json_t *v;
	enum ecs_rc rc;
	int bad, status;

	(void)a;
	wait_seconds(o->waiter_timeout, 180, 1, 600, &timeout_s);
	wait_seconds(o->waiter_interval, 5, 2, 10, &interval_s);
	wait_progress_init(&pr, o->quiet);
	for (;;) {
		rc = ecs_call(cfg, o->action, params, &r);
		if (rc != ECS_RC_OK) {
			wait_end(&pr, o->waiter_expr, NULL);
			status = ecs_out_error(&r, rc);
			break;
		}
		v = ecs_jpath(r.json, o->waiter_expr, &bad);
		s = json_string_value(v);
		if (!s) {
			wait_end(&pr, o->waiter_expr, NULL);
			fprintf(stderr, "ERROR: --waiter expr=%s: %s\n",
			        o->waiter_expr, bad ? "bad expression"
			        : "the result is not a string");
			json_decref(v);
			status = ECS_EXIT_API;
			break;
		}
		if (strcmp(s, o->waiter_to) == 0) {
			json_decref(v);
			wait_end(&pr, o->waiter_expr, o->waiter_to);
			status = ecs_out_success(o, r.json) ? ECS_EXIT_USAGE
			                                    : ECS_EXIT_OK;
			break;
		}
		wait_show(&pr, o->waiter_expr, s);
		json_decref(v);
		left = pr.t0 + timeout_s - ecs_mono_s();
		if (left <= 0) {
			wait_end(&pr, o->waiter_expr, NULL);
			fprintf(stderr, "ERROR: --waiter timed out after %gs "
			        "(last: %s)\n", timeout_s, pr.last);
			status = ECS_EXIT_TIMEOUT;
			break;
		}
		ecs_sleep_ms((long)(1000.0 * (left < interval_s ? left
		                                                : interval_s)));
	}
	ecs_resp_free(&r);
	return status;
}
