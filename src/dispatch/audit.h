/* audit.h - the audit trail of API calls (issue 14): which calls are
 * recorded, what an event holds (nothing secret), and how it reaches the
 * store in the transaction of the call's effect. Dispatch arms it before
 * the Action runs and finishes it once the call is answered. */
#ifndef ECSD_AUDIT_H
#define ECSD_AUDIT_H
#include "../api/api.h"
#include "dispatch.h"

struct store_tx;

/* Before the Action: builds the event of a state-changing call and asks
 * the store to append it inside the Action's write transaction (only if
 * that transaction commits). No-op for reads. */
void api_audit_arm(struct req *r, const struct http_in *in);
/* After the answer: records the event in a transaction of its own when
 * it was not recorded with the effect and the call is one the trail
 * keeps (a state-changing Action whatever its outcome; any call whose
 * credential was refused, or that was throttled). rc/status: outcome. */
void api_audit_finish(struct req *r, const struct http_in *in, enum err_id rc,
                      int status);

/* For the control API (platform states, fired faults): one event for
 * account (may be "") by the control token, Action `action` (e.g.
 * "FaultFired"), naming resource_id (or NULL), outcome code/status,
 * params a JSON object text (or NULL). Appended in tx when tx is not
 * NULL, else in a transaction of its own. Returns 0 or a store error. */
int api_audit_platform(struct ecsd *e, struct store_tx *tx, const char *account,
                       const char *action, const char *resource_id,
                       const char *code, int status, const char *params);

/* Deletes events older than the retention (--audit-retention-days);
 * called at start and every few thousand events. */
void api_audit_prune(struct ecsd *e);

#endif
