/* rig_fault.c - the fault rules as stored documents: read and write the
 * list, and check a rule the control API receives (each bad field named by
 * its path). Matching and firing are in rig.c. No HTTP here. */
#include "rig.h"
#include "../api/api.h"
#include "../model/model.h"
#include "../store/store.h"
#include <stdlib.h>
#include <string.h>

#define RIG_DELAY_MAX_MS 600000   /* ten minutes */
#define RIG_NEXT_MAX     1000000

int rig_faults_get(struct store_tx *tx, json_t **rules)
{
	struct buf b;
	json_error_t je;
	int rc;

	buf_init(&b, 1 << 20);
	rc = store_kv_get(tx, RIG_KV_FAULTS, &b);
	*rules = NULL;
	if (rc == STORE_NOTFOUND) {
		*rules = json_array();
		rc = 0;
	} else if (rc == 0) {
		*rules = json_loadb(b.p ? b.p : "", b.len, 0, &je);
		if (!json_is_array(*rules)) {
			json_decref(*rules);
			*rules = NULL;
			rc = STORE_EIO;
		}
	}
	buf_free(&b);
	return rc;
}

int rig_faults_put(struct store_tx *tx, json_t *rules)
{
	char *text = json_dumps(rules, JSON_COMPACT);
	int rc = text ? store_kv_put(tx, RIG_KV_FAULTS, text) : STORE_EIO;

	free(text);
	return rc;
}

/* A match field: absent, or a string of 1..n bytes. */
static int match_str(json_t *match, const char *key, size_t n)
{
	json_t *v = json_object_get(match, key);
	size_t len;

	if (!v)
		return 0;
	len = json_string_length(v);
	return json_is_string(v) && len > 0 && len <= n ? 0 : -1;
}

#define BAD(path, reason) do { *bad_path = (path); *why = (reason); goto bad; } while (0)

json_t *rig_fault_new(json_t *body, const char **bad_path, const char **why)
{
	static const char *const match_keys[] = { "Product", "Action", "AccountId", "ResourceId" };
	static const char *const match_paths[] = { "Match.Product", "Match.Action",
		"Match.AccountId", "Match.ResourceId" };
	json_t *match = json_object_get(body, "Match");
	json_t *eff = json_object_get(body, "Effect");
	json_t *next = json_object_get(body, "Next");
	json_t *prob = json_object_get(body, "Probability");
	json_t *rule = NULL, *v;
	const char *key, *code;
	char id[ID_LEN];
	int effects = 0;

	if (!json_is_object(body))
		BAD("", "the body must be a JSON object");
	json_object_foreach(body, key, v)
		if (strcmp(key, "Match") && strcmp(key, "Effect") &&
		    strcmp(key, "Next") && strcmp(key, "Probability"))
			BAD(key, "unknown field");
	if (match && !json_is_object(match))
		BAD("Match", "must be an object");
	json_object_foreach(match, key, v) {
		size_t i;

		for (i = 0; i < 4 && strcmp(key, match_keys[i]) != 0; i++)
			;
		if (i == 4)
			BAD("Match", "unknown field (Product, Action, AccountId, ResourceId)");
		if (match_str(match, key, 128))
			BAD(match_paths[i], "must be a string of 1 to 128 characters");
	}
	if (!json_is_object(eff))
		BAD("Effect", "required: {\"Error\":Code}, {\"DelayMs\":N} or {\"Drop\":true}");
	json_object_foreach(eff, key, v) {
		if (strcmp(key, "Error") == 0) {
			code = json_string_value(v);
			if (!code || err_by_code(code) == ERR_OK)
				BAD("Effect.Error", "not a Code of the error table");
		} else if (strcmp(key, "DelayMs") == 0) {
			if (!json_is_integer(v) || json_integer_value(v) < 0 ||
			    json_integer_value(v) > RIG_DELAY_MAX_MS)
				BAD("Effect.DelayMs", "an integer from 0 to 600000");
		} else if (strcmp(key, "Drop") == 0) {
			if (!json_is_true(v))
				BAD("Effect.Drop", "must be true");
		} else {
			BAD("Effect", "unknown field (Error, DelayMs, Drop)");
		}
		effects++;
	}
	if (effects != 1)
		BAD("Effect", "exactly one of Error, DelayMs, Drop");
	if (next && prob)
		BAD("Next", "give Next or Probability, not both");
	if (next && (!json_is_integer(next) || json_integer_value(next) < 1 ||
	             json_integer_value(next) > RIG_NEXT_MAX))
		BAD("Next", "an integer from 1 to 1000000");
	if (prob && (!json_is_number(prob) || json_number_value(prob) <= 0 ||
	             json_number_value(prob) > 1))
		BAD("Probability", "a number in (0, 1]");
	model_new_id(id, "f-");
	rule = json_pack("{s:s,s:o,s:O,s:I}", "FaultId", id,
	                 "Match", match ? json_incref(match) : json_object(),
	                 "Effect", eff, "Fired", (json_int_t)0);
	if (!rule)
		BAD("", "out of memory");
	if (next) {
		json_object_set(rule, "Next", next);
		json_object_set(rule, "Remaining", next);
	} else {
		json_object_set_new(rule, "Probability",
		                    json_real(prob ? json_number_value(prob) : 1.0));
	}
	return rule;
bad:
	json_decref(rule);
	return NULL;
}
