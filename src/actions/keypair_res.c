/* keypair_res.c - key pair rows (keypair_res.h): {"fp", "pub"} in the
 * document, the name in ref. No API rules here beyond name uniqueness. */
#include "keypair_res.h"
#include "../store/tags.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>

void act_kp_from_res(const struct res *row, struct kp *k)
{
	const char *fp = json_string_value(json_object_get(row->doc, "fp"));
	const char *pub = json_string_value(json_object_get(row->doc, "pub"));

	memset(k, 0, sizeof(*k));
	snprintf(k->id, sizeof(k->id), "%.*s", (int)sizeof(k->id) - 1, row->id);
	snprintf(k->region, sizeof(k->region), "%s", row->region);
	snprintf(k->name, sizeof(k->name), "%.*s", (int)sizeof(k->name) - 1, row->ref);
	snprintf(k->fp, sizeof(k->fp), "%s", fp ? fp : "");
	snprintf(k->pub, sizeof(k->pub), "%s", pub ? pub : "");
	k->created_ms = row->created_ms;
	k->seq = row->seq;
}

struct kp_hit {
	struct kp *out;
	int found;
};

static int kp_take(void *arg, const struct res *row)
{
	struct kp_hit *h = arg;

	act_kp_from_res(row, h->out);
	h->found = 1;
	return 1;
}

int act_kp_find(struct store_tx *tx, const char *account, const char *region,
                const char *name, struct kp *out)
{
	struct res_query q;
	struct kp_hit h = { out, 0 };
	int rc;

	memset(&q, 0, sizeof(q));
	q.account = account;
	q.kind = KP_KIND;
	q.region = region;
	q.ref = name;
	q.limit = 1;
	rc = store_res_list(tx, &q, kp_take, &h);
	if (rc < 0)
		return rc;
	return h.found ? 0 : STORE_NOTFOUND;
}

int act_kp_insert(struct store_tx *tx, struct req *r, struct kp *k,
                  const struct tag_set *tags)
{
	struct kp old;
	struct res row;
	int rc = act_kp_find(tx, r->account, k->region, k->name, &old);

	if (rc == 0)
		return ERR_KEY_PAIR_ALREADY_EXIST;
	if (rc != STORE_NOTFOUND)
		return rc;
	memset(&row, 0, sizeof(row));
	model_new_id(k->id, "ssh-");
	snprintf(row.id, sizeof(row.id), "%s", k->id);
	snprintf(row.account, sizeof(row.account), "%s", r->account);
	snprintf(row.kind, sizeof(row.kind), "%s", KP_KIND);
	snprintf(row.region, sizeof(row.region), "%s", k->region);
	snprintf(row.ref, sizeof(row.ref), "%s", k->name);
	row.created_ms = k->created_ms = r->now_ms;
	row.doc = json_pack("{s:s,s:s}", "fp", k->fp, "pub", k->pub);
	if (!row.doc)
		return STORE_EIO;
	rc = store_res_insert(tx, &row);
	json_decref(row.doc);
	if (rc)
		return rc;
	return store_tags_put(tx, r->account, k->region, "keypair", k->id, k->name, tags);
}

int act_kp_job_tx(struct store_tx *tx, void *arg)
{
	struct kp_job *j = arg;

	return act_kp_insert(tx, j->r, &j->k, &j->tags);
}

struct kp_job *act_kp_job_new(struct req *r)
{
	struct kp_job *j = arena_alloc(&r->arena, sizeof(*j));
	const char *name = param_str(r, PARAM_KeyPairName, "");

	if (!j) {
		api_raise(r, ERR_INTERNAL_ERROR, NULL);
		return NULL;
	}
	memset(j, 0, sizeof(*j));
	j->r = r;
	if (!keypair_name_ok(name)) {
		api_raise(r, ERR_INVALID_KEY_PAIR_NAME_MALFORMED, NULL);
		return NULL;
	}
	if (act_tags_parse(r, &j->tags) != ERR_OK)
		return NULL;
	snprintf(j->k.name, sizeof(j->k.name), "%s", name);
	snprintf(j->k.region, sizeof(j->k.region), "%s", param_str(r, PARAM_RegionId, ""));
	return j;
}
