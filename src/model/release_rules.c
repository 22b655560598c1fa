/* release.c - the rules of the DeleteInstance seed page: which instances
 * may be released, in the documented check order, and what becomes of
 * each disk and automatic snapshot. Pure: the action applies the plan. */
#include "model.h"

enum err_id release_check(const struct instance *in,
                          const struct release_opts *o, int64_t now_ms)
{
	int st = inst_status_at(in, now_ms);

	/* the account-level gate comes first: nothing else is looked at */
	if (in->flags & IF_NOT_IN_WHITELIST)
		return ERR_INVALID_OPERATION_NOT_IN_WHITELIST;
	/* deletion protection: pay-as-you-go only, blocks manual release */
	if (in->charge == CHARGE_POSTPAID && in->deletion_protection)
		return ERR_INVALID_OPERATION_DELETION_PROTECTION;
	/* subscriptions: only expired ones, and only with TerminateSubscription */
	if (in->charge == CHARGE_PREPAID) {
		if (!inst_expired(in, now_ms) || !o->terminate_subscription)
			return ERR_CHARGE_TYPE_VIOLATION;
	}
	/* status and Force */
	if (st == INST_PENDING || st == INST_STARTING)
		return ERR_INCORRECT_INSTANCE_STATUS_INITIALIZING;
	if (st == INST_STOPPING)
		return ERR_INCORRECT_INSTANCE_STATUS;
	if (st == INST_RUNNING && !o->force)
		return ERR_INCORRECT_INSTANCE_STATUS;
	/* dependencies held by other products */
	if (in->flags & IF_SLB_CONFIGURING)
		return ERR_DEPENDENCY_VIOLATION_SLB_CONFIGURING;
	if (in->flags & IF_ROUTE_ENTRY)
		return ERR_DEPENDENCY_VIOLATION_ROUTE_ENTRY;
	if (in->flags & IF_VOLUMES_BLOCK)
		return ERR_INCORRECT_INSTANCE_STATUS_VOLUMES;
	/* a security lock does not refuse the release: see release_disk_fate */
	return ERR_OK;
}

enum disk_fate release_disk_fate(const struct instance *in, const struct disk *d)
{
	/* seed page: under a security lock every attached disk is released,
	 * whatever its DeleteWithInstance says */
	if (in->flags & IF_LOCK_SECURITY)
		return FATE_RELEASE;
	return d->delete_with_instance ? FATE_RELEASE : FATE_KEEP;
}

int release_drops_auto_snapshots(const struct disk *d)
{
	return d->delete_auto_snapshot;
}

void release_keep_disk(struct disk *d, int64_t now_ms)
{
	d->instance_id[0] = '\0';
	d->charge = CHARGE_POSTPAID;   /* kept disks turn pay-as-you-go */
	d->detached_ms = now_ms;
	d->delete_with_instance = 0;   /* as after DetachDisk */
	d->portable = 1;
	d->device[0] = '\0';
}
