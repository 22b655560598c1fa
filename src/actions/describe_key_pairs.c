/* describe_key_pairs.c - DescribeKeyPairs: the caller's key pairs of
 * RegionId, by name (with '*' wildcards), fingerprint and tags, paged. */
#include "keypair_res.h"
#include "../store/tags.h"
#include <string.h>


/* '*' matches any run of characters; everything else itself. */
static int glob_match(const char *pat, const char *s)
{
	if (!*pat)
		return !*s;
	if (*pat == '*')
		return glob_match(pat + 1, s) || (*s && glob_match(pat, s + 1));
	return *s == *pat && glob_match(pat + 1, s + 1);
}

struct dk_job {
	struct req *r;
	struct store_tx *tx;
	const char *name, *fp, *rg;
	struct tag_filter tf;
	long long skip, size, total;
	int incl_pub, rc;
};

static int dk_row(void *arg, const struct res *row)
{
	struct dk_job *j = arg;
	struct req *r = j->r;
	struct kp *k = arena_alloc(&r->arena, sizeof(*k));
	struct tag_set tags;
	char t[32];

	if (!k)
		return STORE_EIO;
	act_kp_from_res(row, k);
	if (j->rg && *j->rg)
		return 0;   /* key pairs are in no resource group */
	if ((j->name && *j->name && !glob_match(j->name, k->name)) ||
	    (j->fp && *j->fp && strcmp(j->fp, k->fp) != 0))
		return 0;
	if ((j->rc = store_tags_get(j->tx, r->account, k->id, &tags)))
		return j->rc;
	if (!tag_match(&tags, &j->tf))
		return 0;
	if (j->total++ < j->skip || j->total > j->skip + j->size)
		return 0;
	reply_obj_begin(&r->reply, NULL);
	reply_str(&r->reply, "KeyPairId", k->id);
	reply_str(&r->reply, "KeyPairName", k->name);
	reply_str(&r->reply, "KeyPairFingerPrint", k->fp);
	model_fmt_minute(t, k->created_ms);
	reply_str(&r->reply, "CreationTime", t);
	if (j->incl_pub)
		reply_str(&r->reply, "PublicKey", k->pub);
	reply_str(&r->reply, "ResourceGroupId", "");
	act_emit_tags(r, &tags);
	reply_obj_end(&r->reply);
	return 0;
}

static int dk_tx(struct store_tx *tx, void *arg)
{
	struct dk_job *j = arg;
	struct res_query q;
	int rc;

	j->tx = tx;
	j->total = 0;   /* from scratch on every run (store.h) */
	memset(&q, 0, sizeof(q));
	q.account = j->r->account;
	q.kind = KP_KIND;
	q.region = param_str(j->r, PARAM_RegionId, "");
	reply_list_begin(&j->r->reply, "KeyPairs", "KeyPair");
	rc = store_res_list(tx, &q, dk_row, j);
	reply_list_end(&j->r->reply);
	return rc;
}

enum err_id act_describe_key_pairs(struct req *r)
{
	struct dk_job j;
	enum err_id rc;

	memset(&j, 0, sizeof(j));
	j.r = r;
	j.name = param_str(r, PARAM_KeyPairName, NULL);
	j.fp = param_str(r, PARAM_KeyPairFingerPrint, NULL);
	j.rg = param_str(r, PARAM_ResourceGroupId, NULL);
	j.incl_pub = param_bool(r, PARAM_IncludePublicKey, 0);
	j.size = param_int(r, PARAM_PageSize, 10);
	j.skip = (param_int(r, PARAM_PageNumber, 1) - 1) * j.size;
	if ((rc = act_tags_filter(r, &j.tf)) != ERR_OK)
		return rc;
	if ((rc = act_read(r, dk_tx, &j)) != ERR_OK)
		return rc;
	reply_int(&r->reply, "TotalCount", j.total);
	reply_int(&r->reply, "PageNumber", param_int(r, PARAM_PageNumber, 1));
	reply_int(&r->reply, "PageSize", j.size);
	return ERR_OK;
}
