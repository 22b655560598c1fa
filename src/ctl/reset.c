/* reset.c - POST /_ecsd/reset: removes every resource of one account, or of
 * every account, in one transaction. Credentials, the clock and the fault
 * rules stay as they are. No ECS rules here. */
#include "ctl_int.h"
#include "../dispatch/dispatch.h"
#include "../ecsd.h"
#include "../store/store.h"
#include <string.h>

struct reset_job {
	const char *account;    /* "" = all */
};

static int reset_tx(struct store_tx *tx, void *arg)
{
	struct reset_job *j = arg;

	return store_purge(tx, j->account);
}

void ctl_reset(struct ecsd *e, const char *body, size_t len,
               struct http_out *out)
{
	struct reset_job j = { "" };
	json_t *b = ctlx_body(body, len, out), *acct;
	int rc;

	if (!b)
		return;
	acct = json_object_get(b, "AccountId");
	if (json_object_size(b) > (acct ? 1u : 0u) ||
	    (acct && !ctlx_account_ok(json_string_value(acct)))) {
		json_decref(b);
		ctlx_error(out, 400, "InvalidParameter",
		           "The body is {} (every account) or {\"AccountId\":\"...\"}.");
		return;
	}
	if (acct)
		j.account = json_string_value(acct);
	rc = store_write(e->store, reset_tx, &j);
	if (rc)
		ctlx_store_error(out, rc);
	else
		ctlx_reply(out, 200, json_pack("{s:s,s:[sss]}", "Reset",
		           *j.account ? j.account : "all", "Kept",
		           "credentials", "clock", "faults"));
	json_decref(b);
}
