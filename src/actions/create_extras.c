/* create_extras.c - what issue 13 adds to RunInstances/CreateInstance:
 * KeyPairName (bound unless the image is Windows), AutoReleaseTime
 * (pay-as-you-go only) and Tag.N on the instance and its disks. Called
 * from create.c at three points. */
#include "act.h"
#include "auto_release.h"
#include "keypair_res.h"
#include "../model/autorelease.h"
#include "../model/catalog.h"
#include "../store/tags.h"
#include <stdio.h>
#include <string.h>

enum err_id act_create_check(struct req *r, int charge)
{
	const char *at = param_str(r, PARAM_AutoReleaseTime, "");
	struct tag_set tags;
	int64_t ms;

	if (*at) {
		if (autorelease_parse(at, r->now_ms, &ms))
			return api_raise(r, ERR_INVALID_AUTO_RELEASE_TIME_MALFORMED, NULL);
		if (charge == CHARGE_PREPAID)
			return api_raise(r, ERR_CHARGE_TYPE_VIOLATION, NULL);
	}
	return act_tags_parse(r, &tags);
}

int act_create_pre(struct store_tx *tx, struct req *r, struct instance *in)
{
	const char *kp = param_str(r, PARAM_KeyPairName, "");
	const char *at = param_str(r, PARAM_AutoReleaseTime, "");
	const char *os_name, *os_type;
	int64_t ms = 0;
	int rc;

	catalog_image_os(in->image_id, &os_name, &os_type);
	if (*kp && strcmp(os_type, "windows") != 0) {
		struct kp *k = arena_alloc(&r->arena, sizeof(*k));

		if (!k)
			return STORE_EIO;
		rc = act_kp_find(tx, r->account, in->region, kp, k);
		if (rc == STORE_NOTFOUND)
			return ERR_INVALID_KEY_PAIR_NAME_NOT_FOUND;
		if (rc)
			return rc;
		snprintf(in->key_pair_name, sizeof(in->key_pair_name), "%s", k->name);
	}
	if (*at && autorelease_parse(at, r->now_ms, &ms) == 0)
		return act_ar_schedule(tx, in, ms);
	return 0;
}

int act_create_tag(struct store_tx *tx, struct req *r, const char *rtype,
                   const char *id, const char *region)
{
	struct tag_set tags;

	if (act_tags_parse(r, &tags) != ERR_OK || tags.n == 0)
		return 0;   /* checked before the transaction */
	return store_tags_put(tx, r->account, region, rtype, id, id, &tags);
}
