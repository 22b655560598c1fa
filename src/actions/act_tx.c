/* act_tx.c - running a handler's store job (act.h): act_write, act_read;
 * opaque NextTokens for lists paged by position (act_pos_token). */
#include "act.h"
#include "../auth/auth.h"
#include "../auth/page_token.h"

enum err_id act_write(struct req *r, store_fn fn, void *job)
{
	return act_result(r, store_write(r->ecsd->store, fn, job));
}

enum err_id act_read(struct req *r, store_fn fn, void *job)
{
	return act_result(r, store_read(r->ecsd->store, fn, job));
}

/* The caller's AccessKey secret, the key of its page tokens. */
static const char *act_tx_secret(const struct req *r)
{
	const struct cred_key *k = r->akid ? creds_find(r->ecsd->creds, r->akid) : NULL;

	return k ? k->secret : NULL;
}

int act_pos_token(struct req *r, int64_t pos, char *out)
{
	const char *secret = act_tx_secret(r);

	out[0] = '\0';
	return secret ? page_token_encode(secret, r->account, r->action->name,
	                                  pos + 1, out) : -1;
}

int act_pos_untoken(struct req *r, const char *tok, int64_t *pos)
{
	const char *secret = act_tx_secret(r);
	int64_t v;

	if (!secret || page_token_decode(secret, r->account, r->action->name, tok, &v) || v < 1)
		return -1;
	*pos = v - 1;
	return 0;
}
