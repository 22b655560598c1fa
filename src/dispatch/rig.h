/* rig.h - the tester's rig, shared by every node through the store: the
 * virtual clock (an offset from the real clock) and the fault rules that
 * make matching API calls fail, wait or drop. The control API (ctl/) edits
 * them; the API pipeline applies them to each request. No HTTP here. */
#ifndef ECSD_RIG_H
#define ECSD_RIG_H
#include <stdint.h>
#include <jansson.h>
#include "../common/error.h"

struct store;
struct store_tx;
struct req;
struct http_in;

#define RIG_KV_CLOCK  "clock"   /* decimal offset in ms from the real clock */
#define RIG_KV_FAULTS "faults"  /* JSON array of rules (rig_fault_new) */

/* The virtual clock: real time + the stored offset. 0 or a store code. */
int rig_now_ms(struct store *s, int64_t *now_ms, int64_t *offset_ms);
/* Inside a write: the stored offset (0 when unset) and its update. */
int rig_offset_get(struct store_tx *tx, int64_t *offset_ms);
int rig_offset_put(struct store_tx *tx, int64_t offset_ms);

/* The stored rules as a JSON array (new reference), inside tx. */
int rig_faults_get(struct store_tx *tx, json_t **rules);
int rig_faults_put(struct store_tx *tx, json_t *rules);

/* Checks a POSTed rule and returns its stored form (new reference), with
 * FaultId, Fired 0, Remaining for "Next". On a bad field returns NULL and
 * points *bad_path at its path ("Effect.Error") and *why at the reason. */
json_t *rig_fault_new(json_t *body, const char **bad_path, const char **why);

/* For the API pipeline, once the Action and the caller are known: moves
 * r->now_ms to the virtual clock, then applies the first matching fault
 * rule. ERR_OK to proceed with the Action; an error id to
 * answer with instead (set with api_raise); r->drop set when the connection must be closed
 * without an answer. */
enum err_id rig_enter(struct req *r, const struct http_in *in);

#endif
