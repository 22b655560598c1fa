/* create_key_pair.c - CreateKeyPair: a new RSA 2048 key pair generated
 * with OpenSSL; the private key (PKCS#8 PEM) is returned once and never
 * stored. */
#include "keypair_res.h"
#include <stdlib.h>


enum err_id act_create_key_pair(struct req *r)
{
	struct kp_job *j = act_kp_job_new(r);
	char *pem = NULL, *pub = NULL;
	enum err_id rc;

	if (!j)
		return r->err;
	if (keypair_generate(&pem, &pub) ||
	    keypair_parse_public(pub, j->k.fp, j->k.pub, sizeof(j->k.pub))) {
		free(pem);
		free(pub);
		return api_raise(r, ERR_INTERNAL_ERROR, NULL);
	}
	free(pub);
	if ((rc = act_write(r, act_kp_job_tx, j)) == ERR_OK) {
		reply_str(&r->reply, "KeyPairId", j->k.id);
		reply_str(&r->reply, "KeyPairName", j->k.name);
		reply_str(&r->reply, "KeyPairFingerPrint", j->k.fp);
		reply_str(&r->reply, "PrivateKeyBody", pem);
	}
	free(pem);
	return rc;
}
