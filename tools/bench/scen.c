/* scen.c - the scenarios of ecs-bench, one row each: what request a
 * connection sends next and what it learns from the answer. The measured
 * ones (get, describe, page, delete, cycle, mix) and the preparation steps
 * (bulk, create, total, sample). No sockets, no timing here. */
#include "bench.h"
#include "../../src/auth/page_token.h"
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

const char *const bench_op_names[OP__COUNT] = {
	[OP_GET] = "GET (static)",
	[OP_DESCRIBE] = "DescribeInstances(id)",
	[OP_PAGE] = "DescribeInstances(page)",
	[OP_RUN] = "RunInstances",
	[OP_STOP] = "StopInstance",
	[OP_DELETE] = "DeleteInstance",
	[OP_CONTROL] = "control API",
};

#define SCEN_CREATE_CHUNK 100      /* RunInstances Amount */
#define SCEN_BULK_CHUNK   250000   /* instances per bulk control call */
#define SCEN_SAMPLE_PAGE  100      /* ids per sampled page */

/* ---- helpers ---- */

static const char *pick_id(struct bench_thread *t)
{
	struct bench_ids *ids = t->b->ids;

	return ids->v[bench_rand(&t->rng) % ids->n];
}

/* Claims up to chunk units of the preparation's work; 0 when none left. */
static uint64_t claim(struct bench *b, uint64_t chunk)
{
	uint64_t at = __atomic_fetch_add(&b->work_claimed, chunk, __ATOMIC_RELAXED);

	if (at >= b->work_total)
		return 0;
	return b->work_total - at < chunk ? b->work_total - at : chunk;
}

static void unclaim(struct bench *b, uint64_t n)
{
	__atomic_fetch_sub(&b->work_claimed, n, __ATOMIC_RELAXED);
}

/* Appends every "key":"value" of body to the pool; returns how many. */
static size_t collect_ids(struct bench *b, const char *body, size_t len,
                          const char *key)
{
	const char *p = body, *end = body + len, *v;
	size_t vl, n = 0;

	while (p < end && (v = json_find_str(p, (size_t)(end - p), key, &vl))) {
		if (ids_add(b->ids, v, vl) == 0)
			n++;
		p = v + vl;
	}
	return n;
}

/* The ids of "InstanceIdSet":["a","b"] (RunInstances, JSON). */
static size_t collect_id_set(struct bench *b, const char *body, size_t len,
                             char *first, size_t first_size)
{
	static const char pat[] = "\"InstanceIdSet\":[";
	const char *p = body ? memmem(body, len, pat, sizeof(pat) - 1) : NULL;
	const char *end = body + len;
	size_t n = 0;

	if (!p)
		return 0;
	p += sizeof(pat) - 1;
	while (p < end && *p == '"') {
		const char *q = memchr(p + 1, '"', (size_t)(end - p - 1));

		if (!q)
			break;
		if (n == 0 && first && (size_t)(q - p - 1) < first_size) {
			memcpy(first, p + 1, (size_t)(q - p - 1));
			first[q - p - 1] = '\0';
		}
		if (b && ids_add(b->ids, p + 1, (size_t)(q - p - 1)) == 0)
			n++;
		else if (!b)
			n++;
		p = q + 1;
		if (p < end && *p == ',')
			p++;
	}
	return n;
}

/* ---- get: the static baseline ---- */

static int get_next(struct bench_thread *t, struct bench_conn *c)
{
	c->op = OP_GET;
	return buf_printf(&c->out, "GET %s HTTP/1.1\r\nHost: %s\r\n\r\n",
	                  t->b->cfg.path, t->b->cfg.host_hdr) ? -1 : 0;
}

static void no_done(struct bench_thread *t, struct bench_conn *c, int status,
                    const char *body, size_t len)
{
	(void)t; (void)c; (void)status; (void)body; (void)len;
}

/* ---- describe: DescribeInstances by id ---- */

static int describe_one(struct bench_thread *t, struct bench_conn *c,
                        const char *id)
{
	char ids[BENCH_ID_BYTES + 8];
	struct kv p[1] = { { "InstanceIds", ids } };

	snprintf(ids, sizeof(ids), "[\"%s\"]", id);
	c->op = OP_DESCRIBE;
	return sign_request(t, "DescribeInstances", p, 1, &c->out);
}

static int describe_next(struct bench_thread *t, struct bench_conn *c)
{
	return describe_one(t, c, pick_id(t));
}

/* A 200 that found nothing measures a cheaper request: flag it. */
static void describe_done(struct bench_thread *t, struct bench_conn *c,
                          int status, const char *body, size_t len)
{
	static const char empty[] = "200 no such instance (TotalCount 0)";

	if (status == 200 && c->measured &&
	    json_find_int(body, len, "TotalCount") == 0) {
		t->ok[c->op]--;
		t->err[c->op]++;
		bench_count_code(t, c->op, empty, sizeof(empty) - 1);
	}
}

/* ---- page: DescribeInstances, NextToken walk from random places ---- */

static int page_next(struct bench_thread *t, struct bench_conn *c)
{
	char mr[16];
	struct kv p[2] = { { "MaxResults", mr }, { "NextToken", c->id } };

	if (!c->id[0]) {
		uint64_t range = t->b->max_seq > 0 ? (uint64_t)t->b->max_seq : 1;
		/* ecsd's NextToken is the encrypted position; the bench holds
		 * the key's secret, so it makes the token of a random place */
		if (page_token_encode(t->b->cfg.secret, t->b->cfg.account, "DescribeInstances",
		                      (int64_t)(1 + bench_rand(&t->rng) % range), c->id))
			return -1;
	}
	snprintf(mr, sizeof(mr), "%d", t->b->cfg.page_size);
	c->op = OP_PAGE;
	return sign_request(t, "DescribeInstances", p, 2, &c->out);
}

static void page_done(struct bench_thread *t, struct bench_conn *c, int status,
                      const char *body, size_t len)
{
	const char *v = status == 200 ? json_find_str(body, len, "NextToken", &len) : NULL;

	(void)t;
	if (v && len && len < sizeof(c->id)) {
		memcpy(c->id, v, len);
		c->id[len] = '\0';
	} else {
		c->id[0] = '\0';   /* end of the list, or an error: jump elsewhere */
	}
}

/* ---- delete: DeleteInstance, each prepared id once ---- */

static int delete_one(struct bench_thread *t, struct bench_conn *c,
                      const char *id, int force)
{
	struct kv p[2] = { { "InstanceId", id }, { "Force", "true" } };

	c->op = OP_DELETE;
	return sign_request(t, "DeleteInstance", p, force ? 2 : 1, &c->out);
}

static int delete_next(struct bench_thread *t, struct bench_conn *c)
{
	struct bench_ids *ids = t->b->ids;
	size_t i = __atomic_fetch_add(&ids->next, 1, __ATOMIC_RELAXED);

	if (i >= ids->n)
		return 1;
	return delete_one(t, c, ids->v[i], t->b->cfg.force_delete);
}

/* ---- cycle: RunInstances -> StopInstance -> DeleteInstance ---- */

static int cycle_next(struct bench_thread *t, struct bench_conn *c)
{
	const struct bench_cfg *cfg = &t->b->cfg;

	if (c->step == 1) {
		struct kv p[1] = { { "InstanceId", c->id } };
		c->op = OP_STOP;
		return sign_request(t, "StopInstance", p, 1, &c->out);
	}
	if (c->step == 2)
		return delete_one(t, c, c->id, c->work);  /* Force if Stop failed */
	{
		struct kv p[3] = { { "Amount", "1" },
		                   { "InstanceType", cfg->instance_type },
		                   { "ImageId", cfg->image_id } };
		c->op = OP_RUN;
		return sign_request(t, "RunInstances", p, 3, &c->out);
	}
}

static void cycle_done(struct bench_thread *t, struct bench_conn *c, int status,
                       const char *body, size_t len)
{
	switch (c->op) {
	case OP_RUN:
		if (status == 200 &&
		    collect_id_set(NULL, body, len, c->id, sizeof(c->id)) == 1) {
			c->step = 1;
			c->work = 0;
		}
		break;
	case OP_STOP:
		c->work = status != 200;
		c->step = 2;
		break;
	case OP_DELETE:
		if (status == 200 && c->measured)
			t->cycles++;
		c->step = 0;
		break;
	default:
		describe_done(t, c, status, body, len);
		break;
	}
}

/* ---- mix: describe by id, with write_pct% of requests cycle steps ---- */

static int mix_next(struct bench_thread *t, struct bench_conn *c)
{
	if ((int)(bench_rand(&t->rng) % 100) < t->b->cfg.write_pct)
		return cycle_next(t, c);
	return describe_next(t, c);
}

/* ---- preparation ---- */

static int bulk_next(struct bench_thread *t, struct bench_conn *c)
{
	const struct bench_cfg *cfg = &t->b->cfg;
	uint64_t n = claim(t->b, SCEN_BULK_CHUNK);
	char json[256];

	if (!n)
		return 1;
	c->work = (int)n;
	c->op = OP_CONTROL;
	snprintf(json, sizeof(json),
	         "{\"AccountId\":\"%s\",\"RegionId\":\"%s\",\"Count\":%" PRIu64 "}",
	         cfg->account, cfg->region, n);
	return sign_control(t, "POST", "/_ecsd/bulk/instances", json, &c->out);
}

static void bulk_done(struct bench_thread *t, struct bench_conn *c, int status,
                      const char *body, size_t len)
{
	(void)body; (void)len;
	if (status == 200)
		__atomic_fetch_add(&t->b->work_done, (uint64_t)c->work, __ATOMIC_RELAXED);
	else
		t->b->stop = 1;  /* a refused bulk load will not succeed on retry */
}

static int create_next(struct bench_thread *t, struct bench_conn *c)
{
	const struct bench_cfg *cfg = &t->b->cfg;
	uint64_t n = claim(t->b, SCEN_CREATE_CHUNK);
	char amount[16];
	struct kv p[3] = { { "Amount", amount },
	                   { "InstanceType", cfg->instance_type },
	                   { "ImageId", cfg->image_id } };

	if (!n)
		return 1;
	c->work = (int)n;
	snprintf(amount, sizeof(amount), "%d", c->work);
	c->op = OP_RUN;
	return sign_request(t, "RunInstances", p, 3, &c->out);
}

static void create_done(struct bench_thread *t, struct bench_conn *c, int status,
                        const char *body, size_t len)
{
	size_t got = status == 200 ? collect_id_set(t->b, body, len, NULL, 0) : 0;

	__atomic_fetch_add(&t->b->work_done, got, __ATOMIC_RELAXED);
	if (got < (size_t)c->work)
		unclaim(t->b, (uint64_t)c->work - got);  /* someone retries them */
}

static int total_next(struct bench_thread *t, struct bench_conn *c)
{
	struct kv p[1] = { { "MaxResults", "10" } };

	if (!claim(t->b, 1))
		return 1;
	c->op = OP_PAGE;
	return sign_request(t, "DescribeInstances", p, 1, &c->out);
}

static void total_done(struct bench_thread *t, struct bench_conn *c, int status,
                       const char *body, size_t len)
{
	(void)c;
	if (status == 200)
		t->b->max_seq = json_find_int(body, len, "TotalCount");
}

static int sample_next(struct bench_thread *t, struct bench_conn *c)
{
	if (!claim(t->b, 1))
		return 1;
	c->id[0] = '\0';
	if (page_next(t, c))
		return -1;
	return 0;
}

static void sample_done(struct bench_thread *t, struct bench_conn *c, int status,
                        const char *body, size_t len)
{
	(void)c;
	if (status == 200)
		__atomic_fetch_add(&t->b->work_done,
		                   collect_ids(t->b, body, len, "InstanceId"),
		                   __ATOMIC_RELAXED);
}

static const struct bench_scenario scenarios[] = {
	{ "get", "plain GET of the URL (the static-reply baseline)", 0, 1, get_next, no_done },
	{ "describe", "DescribeInstances InstanceIds=[one prepared id]", 1, 1, describe_next, describe_done },
	{ "page", "DescribeInstances MaxResults=--page-size, NextToken walk from random places", 0, 0, page_next, page_done },
	{ "delete", "DeleteInstance on each prepared id once (Force=true)", 2, 1, delete_next, no_done },
	{ "cycle", "RunInstances Amount=1 -> StopInstance -> DeleteInstance (--transition-delay 0)", 0, 0, cycle_next, cycle_done },
	{ "mix", "describe by id; --write-pct of requests are cycle steps", 1, 0, mix_next, cycle_done },
	/* preparation steps (run by the --fleet/--create/--sample options) */
	{ "bulk", "control API bulk load (--fleet)", 0, 0, bulk_next, bulk_done },
	{ "create", "RunInstances Amount=100 until --create ids are made", 0, 0, create_next, create_done },
	{ "total", "DescribeInstances TotalCount", 0, 0, total_next, total_done },
	{ "sample", "ids of random pages of existing instances (--sample)", 0, 0, sample_next, sample_done },
};

const struct bench_scenario *scen_all(size_t *n)
{
	*n = sizeof(scenarios) / sizeof(scenarios[0]);
	return scenarios;
}

const struct bench_scenario *scen_find(const char *name)
{
	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
		if (strcmp(scenarios[i].name, name) == 0)
			return &scenarios[i];
	return NULL;
}
