/* act_tx.c - opaque NextTokens for lists paged by position
 * (act_pos_token); act_write/act_read live in act.c. */
#include "act.h"
#include "../auth/auth.h"
#include "../auth/page_token.h"

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
