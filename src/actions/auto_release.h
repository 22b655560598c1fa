/* auto_release.h - the schedule of ModifyInstanceAutoReleaseTime: one
 * generic resource row per scheduled instance (kind "autorel", id
 * "ar-" + instance id, doc {"at": ms}) beside the instance's own
 * auto_release_ms column, written in the same transaction, so that every
 * node can find what is due across accounts (docs/auto-release.md). */
#ifndef ECSD_AUTO_RELEASE_H
#define ECSD_AUTO_RELEASE_H
#include "act.h"

#define AR_KIND "autorel"

/* Sets (at_ms > 0) or clears (0) the schedule of in inside tx, updating
 * in->auto_release_ms (the caller stores the instance). 0 or a store error. */
int act_ar_schedule(struct store_tx *tx, struct instance *in, int64_t at_ms);
/* Releases, in one transaction each, every instance whose time has come
 * at now_ms (at most `max`); *done = how many were released here. Safe to
 * run on several nodes at once: the release re-checks inside its
 * transaction, so each instance is released exactly once. 0 or <0. */
int act_ar_run_due(struct ecsd *e, int64_t now_ms, int max, int *done);

#endif
