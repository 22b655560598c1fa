/* keypair_res.h - key pairs as rows of the generic resources table (kind
 * "keypair", id "ssh-…", ref = the name, unique per account and region),
 * shared by the four key pair Actions and the create path. */
#ifndef ECSD_KEYPAIR_RES_H
#define ECSD_KEYPAIR_RES_H
#include "act.h"
#include "../model/keypair.h"
#include "../model/tag.h"

#define KP_KIND "keypair"

struct kp {
	char id[ID_LEN];
	char region[32];
	char name[KP_NAME_MAX + 1];
	char fp[KP_FP_LEN];
	char pub[17000];
	int64_t created_ms;
	int64_t seq;
};

/* Loads the caller's key pair `name` of region: 0, STORE_NOTFOUND or a
 * store error. */
int act_kp_find(struct store_tx *tx, const char *account, const char *region,
                const char *name, struct kp *out);
/* Inserts k (k->id is set here) with tags; KeyPair.AlreadyExist when the
 * name is taken. 0, an API error or a store error. */
int act_kp_insert(struct store_tx *tx, struct req *r, struct kp *k,
                  const struct tag_set *tags);
/* The write job of CreateKeyPair and ImportKeyPair: inserts k with tags. */
struct kp_job {
	struct req *r;
	struct kp k;
	struct tag_set tags;
};
int act_kp_job_tx(struct store_tx *tx, void *arg);
/* A job for the request's KeyPairName, RegionId and Tag.N, checked; NULL
 * when an API error was raised (r->err). */
struct kp_job *act_kp_job_new(struct req *r);

/* Fills k from a stored row. */
void act_kp_from_res(const struct res *row, struct kp *k);

#endif
