/* sg_rules_apply.c - Authorize and Revoke, ingress and egress: every rule
 * of one call is checked before any is added (all or nothing); an identical
 * rule (model/sgrule.c identity) is kept once; revoking a rule that does not
 * exist succeeds (NETWORK.md A.3, A.4). */
#include "sg.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>

struct sga_job {
	struct req *r;
	int egress, revoke;
	struct sg_rules rules;
	const struct pval *rule_ids;
};

/* Index of a stored rule identical to x, or -1. */
static long sga_find(json_t *arr, const struct sgrule *x)
{
	size_t i;
	json_t *it;

	json_array_foreach(arr, i, it) {
		struct sgrule y;

		sgrule_from_json(it, &y);
		if (sgrule_same(&y, x))
			return (long)i;
	}
	return -1;
}

static int sga_tx(struct store_tx *tx, void *arg)
{
	struct sga_job *j = arg;
	struct json_t *doc = NULL;
	json_t *arr;
	struct sg g;
	int rc = act_sg_load(tx, j->r, param_str(j->r, PARAM_SecurityGroupId, ""), &g, &doc);

	if (rc)
		return rc;
	arr = (json_t *)act_sg_rule_array(doc);
	if (!j->revoke && (rc = act_sg_peers(tx, j->r, &g, &j->rules)))
		goto out;
	for (size_t i = 0; i < j->rules.n; i++) {
		struct sgrule *x = &j->rules.v[i];
		long at = sga_find(arr, x);

		if (j->revoke) {
			if (at >= 0)
				json_array_remove(arr, (size_t)at);
			continue;
		}
		if (at >= 0)
			continue;   /* the same rule again: kept once */
		if (json_array_size(arr) >= SG_RULES_MAX) {
			rc = ERR_AUTHORIZATION_LIMIT_EXCEED;
			goto out;
		}
		model_new_id(x->id, "sgr-");
		x->created_ms = j->r->now_ms;
		json_array_append_new(arr, (json_t *)sgrule_to_json(x));
	}
	for (size_t k = 0; j->revoke && j->rule_ids && k < j->rule_ids->nlist; k++) {
		size_t i;
		json_t *it;

		json_array_foreach(arr, i, it) {
			struct sgrule y;

			sgrule_from_json(it, &y);
			if (y.egress == j->egress && strcmp(y.id, j->rule_ids->list[k]) == 0) {
				json_array_remove(arr, i);
				break;
			}
		}
	}
	rc = net_sg_put(tx, &g, doc, 0);
out:
	json_decref((json_t *)doc);
	return rc;
}

static enum err_id sga_run(struct req *r, int egress, int revoke)
{
	struct sga_job j = { .r = r, .egress = egress, .revoke = revoke };
	enum err_id e;

	if ((e = act_sg_rules(r, egress, &j.rules)) != ERR_OK)
		return e;
	if (revoke && param_given(r, PARAM_SecurityGroupRuleId))
		j.rule_ids = param_val(r, PARAM_SecurityGroupRuleId);
	if (j.rules.n == 0 && !j.rule_ids)
		return api_raise(r, ERR_MISSING_PARAMETER, "Permissions.1.IpProtocol");
	return act_write(r, sga_tx, &j);
}

enum err_id act_sg_authorize(struct req *r, int egress)
{
	return sga_run(r, egress, 0);
}

enum err_id act_sg_revoke(struct req *r, int egress)
{
	return sga_run(r, egress, 1);
}
