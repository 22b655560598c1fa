/* rig.c - the tester's rig as each API request meets it: one read of the
 * shared documents (clock offset, fault rules), the request moved to the
 * virtual clock, and the first matching fault rule fired (exactly counted
 * across nodes: a "next N" rule is spent in a store write). Signature
 * timestamps and nonces were checked before, on the real clock. */
#include "rig.h"
#include "dispatch.h"
#include "../api/api.h"
#include "../ecsd.h"
#include "../store/store.h"
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- the clock ---- */

static int parse_offset(const char *v, int64_t *out)
{
	char *end;
	long long x = strtoll(v, &end, 10);

	if (end == v || *end)
		return -1;
	*out = x;
	return 0;
}

int rig_offset_get(struct store_tx *tx, int64_t *offset_ms)
{
	struct buf b;
	int rc;

	buf_init(&b, 64);
	rc = store_kv_get(tx, RIG_KV_CLOCK, &b);
	*offset_ms = 0;
	if (rc == 0 && parse_offset(buf_cstr(&b), offset_ms))
		rc = STORE_EIO;
	buf_free(&b);
	return rc == STORE_NOTFOUND ? 0 : rc;
}

int rig_offset_put(struct store_tx *tx, int64_t offset_ms)
{
	char v[32];

	snprintf(v, sizeof(v), "%lld", (long long)offset_ms);
	return store_kv_put(tx, RIG_KV_CLOCK, v);
}

/* What one scan of the documents found. */
struct rig_view {
	int64_t offset;
	int bad;
	json_t *faults;     /* NULL: none */
};

static int view_cb(void *arg, const char *key, const char *val)
{
	struct rig_view *v = arg;

	if (strcmp(key, RIG_KV_CLOCK) == 0) {
		if (parse_offset(val, &v->offset))
			v->bad = 1;
	} else if (strcmp(key, RIG_KV_FAULTS) == 0 && strcmp(val, "[]") != 0) {
		json_error_t je;

		v->faults = json_loads(val, 0, &je);
		if (!json_is_array(v->faults))
			v->bad = 1;
	}
	return 0;
}

static int rig_view(struct store *s, struct rig_view *v)
{
	int rc;

	memset(v, 0, sizeof(*v));
	rc = store_kv_scan(s, view_cb, v);
	if (rc == 0 && v->bad)
		rc = STORE_EIO;
	if (rc) {
		json_decref(v->faults);
		v->faults = NULL;
	}
	return rc;
}

int rig_now_ms(struct store *s, int64_t *now_ms, int64_t *offset_ms)
{
	struct rig_view v;
	int rc = rig_view(s, &v);

	json_decref(v.faults);
	if (rc)
		return rc;
	*now_ms = ecsd_now_ms() + v.offset;
	if (offset_ms)
		*offset_ms = v.offset;
	return 0;
}

/* ---- matching ---- */

static const char *rule_str(json_t *rule, const char *obj, const char *key)
{
	return json_string_value(json_object_get(json_object_get(rule, obj), key));
}

/* 1 if some parameter of r names id (its value, or an item of a JSON list). */
static int names_resource(const struct req *r, const char *id)
{
	size_t n = strlen(id);

	for (size_t i = 0; i < r->all.n; i++) {
		const char *v = r->all.v[i].value, *p = v;

		if (strcmp(v, id) == 0)
			return 1;
		while ((p = strstr(p, id)) != NULL) {
			if (p > v && p[-1] == '"' && p[n] == '"')
				return 1;
			p += n;
		}
	}
	return 0;
}

static int rule_matches(json_t *rule, const struct req *r, const char *product)
{
	const char *s;
	json_t *left = json_object_get(rule, "Remaining");

	if (left && json_integer_value(left) <= 0)
		return 0;
	if ((s = rule_str(rule, "Match", "Product")) && strcasecmp(s, product) != 0)
		return 0;
	if ((s = rule_str(rule, "Match", "Action")) && strcmp(s, r->action->name) != 0)
		return 0;
	if ((s = rule_str(rule, "Match", "AccountId")) &&
	    (!r->account || strcmp(s, r->account) != 0))
		return 0;
	if ((s = rule_str(rule, "Match", "ResourceId")) && !names_resource(r, s))
		return 0;
	return 1;
}

/* A uniform draw in [0, 1). */
static double draw(void)
{
	uint64_t x = 0;

	if (RAND_bytes((unsigned char *)&x, sizeof(x)) != 1)
		x = (uint64_t)ecsd_now_ms() * 0x9E3779B97F4A7C15ULL;
	return (double)(x >> 11) / 9007199254740992.0;
}

/* ---- firing: counted in the store so that every node agrees ---- */

struct fire_job {
	const char *id;
	int fired;
};

static int fire_tx(struct store_tx *tx, void *arg)
{
	struct fire_job *j = arg;
	json_t *rules, *rule;
	size_t i;
	int rc;

	j->fired = 0;
	if ((rc = rig_faults_get(tx, &rules)))
		return rc;
	json_array_foreach(rules, i, rule) {
		const char *id = json_string_value(json_object_get(rule, "FaultId"));
		json_t *left = json_object_get(rule, "Remaining");

		if (!id || strcmp(id, j->id) != 0)
			continue;
		if (left && json_integer_value(left) <= 0)
			break;          /* another call (or node) spent it first */
		if (left)
			json_object_set_new(rule, "Remaining",
			                    json_integer(json_integer_value(left) - 1));
		json_object_set_new(rule, "Fired", json_integer(
			json_integer_value(json_object_get(rule, "Fired")) + 1));
		j->fired = 1;
		break;
	}
	rc = j->fired ? rig_faults_put(tx, rules) : 0;
	json_decref(rules);
	return rc;
}

static enum err_id store_err(struct req *r, int rc)
{
	return api_raise(r, rc == STORE_EUNAVAIL ? ERR_SERVICE_UNAVAILABLE :
	               ERR_INTERNAL_ERROR, NULL);
}

/* The rule's effect. ERR_OK: the Action runs (after a delay). */
static enum err_id apply(struct req *r, const struct http_in *in, json_t *rule)
{
	json_t *eff = json_object_get(rule, "Effect");
	const char *code = json_string_value(json_object_get(eff, "Error"));
	json_t *delay = json_object_get(eff, "DelayMs");

	log_msg(1, "%s %s: fault %s fired", r->request_id,
	         r->action->name,
	         json_string_value(json_object_get(rule, "FaultId")));
	if (code)
		return api_raise(r, err_by_code(code), NULL);
	if (delay) {
		/* a client that gave up meanwhile never learns the outcome:
		 * nothing is done for it (the tester sees "nothing changed") */
		if (in->peer_wait && in->peer_wait(in->peer_ctx,
		                                   json_integer_value(delay)) != 0) {
			r->drop = 1;
			return api_raise(r, ERR_INTERNAL_ERROR, NULL);
		}
		return ERR_OK;
	}
	r->drop = 1;
	return api_raise(r, ERR_INTERNAL_ERROR, NULL);
}

enum err_id rig_enter(struct req *r, const struct http_in *in)
{
	struct rig_view v;
	json_t *rule;
	size_t i;
	enum err_id out = ERR_OK;
	int rc = rig_view(r->ecsd->store, &v);

	if (rc)
		return store_err(r, rc);
	r->now_ms += v.offset;
	if (!v.faults)
		return ERR_OK;
	json_array_foreach(v.faults, i, rule) {
		json_t *p = json_object_get(rule, "Probability");
		struct fire_job j;

		if (!rule_matches(rule, r, "Ecs"))
			continue;
		if (p && draw() >= json_number_value(p))
			continue;
		j.id = json_string_value(json_object_get(rule, "FaultId"));
		if (!j.id)
			continue;
		if ((rc = store_write(r->ecsd->store, fire_tx, &j))) {
			out = store_err(r, rc);
			break;
		}
		if (!j.fired)
			continue;
		out = apply(r, in, rule);
		break;
	}
	json_decref(v.faults);
	return out;
}
