/* delete_key_pairs.c - DeleteKeyPairs: up to 100 names, all or none;
 * a pair bound to an instance refuses the whole call
 * (DependencyViolation.KeyPair, 403); unknown names are ignored. */
#include "keypair_res.h"
#include "../store/tags.h"
#include <string.h>


static int bound(void *arg, const struct instance *in)
{
	return strcmp(in->key_pair_name, (const char *)arg) == 0;
}

static int dl_tx(struct store_tx *tx, void *arg)
{
	struct req *r = arg;
	const struct pval *names = param_val(r, PARAM_KeyPairNames);
	const char *region = param_str(r, PARAM_RegionId, "");
	int rc;

	for (size_t i = 0; i < names->nlist; i++) {
		struct kp *k = arena_alloc(&r->arena, sizeof(*k));
		struct inst_query q;

		if (!k)
			return STORE_EIO;
		rc = act_kp_find(tx, r->account, region, names->list[i], k);
		if (rc == STORE_NOTFOUND)
			continue;
		if (rc)
			return rc;
		memset(&q, 0, sizeof(q));
		q.account = r->account;
		q.region = region;
		q.status = -1;
		q.charge = -1;
		q.now_ms = r->now_ms;
		rc = store_inst_list(tx, &q, bound, (void *)names->list[i]);
		if (rc > 0)
			return ERR_DEPENDENCY_VIOLATION_KEY_PAIR;
		if (rc)
			return rc;
		if ((rc = store_tags_drop(tx, r->account, k->id)) ||
		    (rc = store_res_delete(tx, r->account, k->id)))
			return rc;
	}
	return 0;
}

enum err_id act_delete_key_pairs(struct req *r)
{
	const struct pval *names = param_val(r, PARAM_KeyPairNames);

	if (names->nlist == 0)
		return api_raise(r, ERR_INVALID_KEY_PAIR_NAMES_VALUE_NOT_SUPPORTED, NULL);
	return act_write(r, dl_tx, r);
}
