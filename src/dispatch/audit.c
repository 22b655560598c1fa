/* audit.c - turns one API call into an audit event: who (account,
 * AccessKeyId, source address), what (product, Action, the resource ids
 * its parameters name, the parameters with secrets removed), the outcome
 * (Code, HTTP status) and the RequestId; and decides in which transaction
 * it goes. No ECS resource rules here. */
#include "audit.h"
#include "../auth/auth.h"
#include "../common/log.h"
#include "../common/limits.h"
#include "../ecsd.h"
#include "../store/store.h"
#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define AUDIT_VALUE_BYTES  256    /* one parameter value kept */
#define AUDIT_PARAMS_BYTES 8192   /* the parameters object */
#define AUDIT_PRUNE_EVERY  4096   /* events between retention sweeps */

struct api_audit {
	struct audit_event ev;
	size_t named;                 /* length of ev.resources before creation */
	int ran;                      /* appended with the effect */
	int armed;
};

static atomic_uint audit_count;

/* Parameters that never go into the trail: the signature's own, and
 * anything that may carry a secret (matched case-insensitively). */
static int audit_skip(const char *name)
{
	static const char *const envelope[] = {
		"Signature", "SignatureNonce", "SignatureMethod", "SignatureVersion",
		"SignatureType", "Timestamp", "AccessKeyId", "Action", "Version", "Format",
		"SecurityToken", "BearerToken",
	};
	for (size_t i = 0; i < sizeof(envelope) / sizeof(envelope[0]); i++)
		if (strcmp(name, envelope[i]) == 0)
			return 1;
	return 0;
}

static int audit_secret(const char *name)
{
	static const char *const words[] = { "password", "secret", "token", "userdata", "privatekey" };
	char low[LIM_NAME_BYTES + 1];
	size_t n = 0;

	for (; name[n] && n < LIM_NAME_BYTES; n++)
		low[n] = (char)tolower((unsigned char)name[n]);
	low[n] = '\0';
	if (strcmp(low, "clienttoken") == 0)   /* an idempotency key, not a secret */
		return 0;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strstr(low, words[i]))
			return 1;
	return 0;
}

/* Whether parameter `name` names resources: ...Id, ...Id.N, ...Ids. */
static int audit_names_resource(const char *name)
{
	static const char *const not_res[] = {
		"RegionId", "ZoneId", "ImageId", "ResourceGroupId", "OwnerId",
		"ResourceOwnerId", "AccessKeyId", "SourceRegionId", "DestinationRegionId",
	};
	const char *dot = strrchr(name, '.');
	size_t n = dot && isdigit((unsigned char)dot[1]) ? (size_t)(dot - name) : strlen(name);

	for (size_t i = 0; i < sizeof(not_res) / sizeof(not_res[0]); i++)
		if (strncmp(name, not_res[i], n) == 0 && not_res[i][n] == '\0')
			return 0;
	return (n > 2 && strncmp(name + n - 2, "Id", 2) == 0) ||
	       (n > 3 && strncmp(name + n - 3, "Ids", 3) == 0);
}

static void audit_add_id(struct audit_event *ev, const char *id, size_t len)
{
	size_t have = strlen(ev->resources);

	if (len == 0 || len > 64 || have + len + 2 >= sizeof(ev->resources))
		return;
	for (size_t i = 0; i < len; i++)   /* ids are [A-Za-z0-9-_.] */
		if (!isalnum((unsigned char)id[i]) && !strchr("-_.", id[i]))
			return;
	if (have == 0)
		ev->resources[have++] = ',';
	memcpy(ev->resources + have, id, len);
	ev->resources[have + len] = ',';
	ev->resources[have + len + 1] = '\0';
}

static void audit_add_ids(struct audit_event *ev, const char *v)
{
	json_t *a;
	size_t i;
	json_t *x;

	if (v[0] != '[') {
		audit_add_id(ev, v, strlen(v));
		return;
	}
	a = json_loads(v, 0, NULL);
	json_array_foreach(a, i, x)
		if (json_is_string(x))
			audit_add_id(ev, json_string_value(x), json_string_length(x));
	json_decref(a);
}

/* The AccessKeyId the request claims: V1 parameter or V3 Credential. */
static void audit_claimed_key(const struct req *r, const struct http_in *in,
                              char *out, size_t size)
{
	const struct param *p = params_get(&r->all, "AccessKeyId");
	const char *c = in->authorization ? strstr(in->authorization, "Credential=") : NULL;

	out[0] = '\0';
	if (p) {
		snprintf(out, size, "%.*s", (int)strcspn(p->value, "\r\n"), p->value);
	} else if (c) {
		c += 11;
		snprintf(out, size, "%.*s", (int)strcspn(c, ", \r\n"), c);
	}
}

/* The event's fields known before the Action runs. */
static void audit_fill(struct req *r, const struct http_in *in, struct api_audit *a)
{
	struct audit_event *ev = &a->ev;
	json_t *params = json_object();
	char *text;

	memset(ev, 0, sizeof(*ev));
	ev->time_ms = r->now_ms;
	if (r->account) {
		snprintf(ev->account, sizeof(ev->account), "%s", r->account);
		snprintf(ev->akid, sizeof(ev->akid), "%s", r->akid);
	} else {
		const struct cred_key *k;

		audit_claimed_key(r, in, ev->akid, sizeof(ev->akid));
		k = ev->akid[0] ? creds_find(r->ecsd->creds, ev->akid) : NULL;
		if (k)   /* a known key whose request was refused: its account's trail */
			snprintf(ev->account, sizeof(ev->account), "%s", k->account_id);
	}
	snprintf(ev->source, sizeof(ev->source), "%s", in->peer ? in->peer : "");
	snprintf(ev->product, sizeof(ev->product), "%s", r->product ? r->product->code : "");
	snprintf(ev->action, sizeof(ev->action), "%s", r->action ? r->action->name : "");
	snprintf(ev->request_id, sizeof(ev->request_id), "%s", r->request_id);
	snprintf(ev->code, sizeof(ev->code), "OK");
	ev->status = 200;
	for (size_t i = 0; i < r->all.n; i++) {
		const struct param *p = &r->all.v[i];

		if (audit_skip(p->name))
			continue;
		if (audit_secret(p->name)) {
			json_object_set_new(params, p->name, json_string("(not recorded)"));
			continue;
		}
		if (audit_names_resource(p->name))
			audit_add_ids(ev, p->value);
		json_object_set_new(params, p->name,
			json_stringn_nocheck(p->value, strnlen(p->value, AUDIT_VALUE_BYTES)));
	}
	text = json_dumps(params, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
	json_decref(params);
	if (text && strlen(text) > AUDIT_PARAMS_BYTES) {
		free(text);
		text = NULL;
	}
	ev->params = text ? arena_strdup(&r->arena, text) : "{\"(parameters)\":\"too large\"}";
	free(text);
}

static int audit_hook(struct store_tx *tx, void *arg)
{
	struct api_audit *a = arg;

	return store_audit_append(tx, &a->ev);
}

/* The ids the Action's transaction creates join the ones it named. */
static void audit_created(void *arg, const char *id)
{
	struct api_audit *a = arg;

	if (!id)
		a->ev.resources[a->named] = '\0';
	else
		audit_add_id(&a->ev, id, strlen(id));
}

static int audit_own_tx(struct store_tx *tx, void *arg)
{
	return store_audit_append(tx, arg);
}

void api_audit_arm(struct req *r, const struct http_in *in)
{
	struct api_audit *a;

	if (!r->action || (r->action->flags & AF_READ))
		return;
	a = arena_alloc(&r->arena, sizeof(*a));
	if (!a)
		return;
	memset(a, 0, sizeof(*a));
	audit_fill(r, in, a);
	a->armed = 1;
	a->named = strlen(a->ev.resources);
	r->audit = a;
	store_write_hook(audit_hook, a, &a->ran, audit_created);
}

void api_audit_finish(struct req *r, const struct http_in *in, enum err_id rc,
                      int status)
{
	struct api_audit *a = r->audit;
	int keep;

	store_write_hook(NULL, NULL, NULL, NULL);   /* a hook the Action never used */
	if (a && a->ran)
		goto counted;
	keep = (r->action && !(r->action->flags & AF_READ)) ||
	       (rc != ERR_OK && r->auth_stage == 1) || rc == ERR_THROTTLING_USER;
	if (!keep)
		return;
	if (!a) {
		a = arena_alloc(&r->arena, sizeof(*a));
		if (!a)
			return;
		audit_fill(r, in, a);
	}
	if (rc != ERR_OK)
		snprintf(a->ev.code, sizeof(a->ev.code), "%s", err_row(rc)->code);
	a->ev.status = status;
	if (store_write(r->ecsd->store, audit_own_tx, &a->ev))
		log_msg(0, "%s: audit event not recorded", r->request_id);
counted:
	if (r->ecsd->audit_keep_ms > 0 &&
	    atomic_fetch_add(&audit_count, 1) % AUDIT_PRUNE_EVERY == AUDIT_PRUNE_EVERY - 1)
		api_audit_prune(r->ecsd);
}

int api_audit_platform(struct ecsd *e, struct store_tx *tx, const char *account,
                       const char *action, const char *resource_id,
                       const char *code, int status, const char *params)
{
	struct audit_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.time_ms = ecsd_now_ms();
	snprintf(ev.account, sizeof(ev.account), "%s", account ? account : "");
	snprintf(ev.akid, sizeof(ev.akid), "(control token)");
	snprintf(ev.product, sizeof(ev.product), "ecsd");
	snprintf(ev.action, sizeof(ev.action), "%s", action);
	if (resource_id)
		audit_add_id(&ev, resource_id, strlen(resource_id));
	snprintf(ev.code, sizeof(ev.code), "%s", code ? code : "OK");
	ev.status = status;
	ev.params = params ? params : "{}";
	if (tx)
		return store_audit_append(tx, &ev);
	return store_write(e->store, audit_own_tx, &ev);
}

static int audit_prune_tx(struct store_tx *tx, void *arg)
{
	int64_t *cut = arg, n = 0;

	return store_audit_prune(tx, *cut, &n);
}

void api_audit_prune(struct ecsd *e)
{
	int64_t cut;

	if (e->audit_keep_ms <= 0)
		return;
	cut = ecsd_now_ms() - e->audit_keep_ms;
	if (store_write(e->store, audit_prune_tx, &cut))
		log_msg(0, "audit retention sweep failed");
}
