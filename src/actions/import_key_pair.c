/* import_key_pair.c - ImportKeyPair: stores the public half of a key pair
 * made elsewhere, after checking its format; the fingerprint is the MD5
 * of the key blob (model/keypair.c). */
#include "keypair_res.h"


enum err_id act_import_key_pair(struct req *r)
{
	struct kp_job *j = act_kp_job_new(r);
	enum err_id rc;

	if (!j)
		return r->err;
	if (keypair_parse_public(param_str(r, PARAM_PublicKeyBody, ""), j->k.fp, j->k.pub,
	                         sizeof(j->k.pub)))
		return api_raise(r, ERR_INVALID_PUBLIC_KEY_BODY_MALFORMED, NULL);
	if ((rc = act_write(r, act_kp_job_tx, j)) != ERR_OK)
		return rc;
	reply_str(&r->reply, "KeyPairId", j->k.id);
	reply_str(&r->reply, "KeyPairName", j->k.name);
	reply_str(&r->reply, "KeyPairFingerPrint", j->k.fp);
	return ERR_OK;
}
