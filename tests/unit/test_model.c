/* test_model.c - the pure rules of model/ as tables (curl's unit tests):
 * every refusal of the release check with its expected error and order,
 * the fate of disks and automatic snapshots, every allowed and refused
 * status transition, the status over time, names of statuses (an unknown
 * one prints as ???(N)), charge types and subscription terms. */
#include "t.h"
#include "../../src/model/model.h"
#include "../../src/common/log.h"
#include <stdint.h>

#define NOW 1700000000000LL
#define HOUR 3600000LL

/* ---- release_check: one row per refusal, in the documented order ---- */
struct rel_row {
	const char *what;
	int status;          /* settled status (no transient phase) */
	int charge;
	int64_t expired_ms;  /* relative to NOW; 0 = none */
	int protect;
	uint32_t flags;
	int force, terminate;
	enum err_id want;
};

static const struct rel_row rel_rows[] = {
	{ "Stopped PostPaid, no options", INST_STOPPED, CHARGE_POSTPAID, 0, 0, 0, 0, 0, ERR_OK },
	{ "Running without Force", INST_RUNNING, CHARGE_POSTPAID, 0, 0, 0, 0, 0, ERR_INCORRECT_INSTANCE_STATUS },
	{ "Running with Force", INST_RUNNING, CHARGE_POSTPAID, 0, 0, 0, 1, 0, ERR_OK },
	{ "Pending", INST_PENDING, CHARGE_POSTPAID, 0, 0, 0, 1, 0, ERR_INCORRECT_INSTANCE_STATUS_INITIALIZING },
	{ "Starting", INST_STARTING, CHARGE_POSTPAID, 0, 0, 0, 1, 0, ERR_INCORRECT_INSTANCE_STATUS_INITIALIZING },
	{ "Stopping, even with Force", INST_STOPPING, CHARGE_POSTPAID, 0, 0, 0, 1, 0, ERR_INCORRECT_INSTANCE_STATUS },
	{ "not in the whitelist comes first", INST_RUNNING, CHARGE_PREPAID, HOUR, 1, IF_NOT_IN_WHITELIST | IF_SLB_CONFIGURING, 0, 0, ERR_INVALID_OPERATION_NOT_IN_WHITELIST },
	{ "deletion protection (PostPaid)", INST_STOPPED, CHARGE_POSTPAID, 0, 1, 0, 1, 0, ERR_INVALID_OPERATION_DELETION_PROTECTION },
	{ "deletion protection before status", INST_RUNNING, CHARGE_POSTPAID, 0, 1, 0, 0, 0, ERR_INVALID_OPERATION_DELETION_PROTECTION },
	{ "deletion protection ignored on PrePaid", INST_STOPPED, CHARGE_PREPAID, -HOUR, 1, 0, 0, 1, ERR_OK },
	{ "PrePaid not expired", INST_STOPPED, CHARGE_PREPAID, HOUR, 0, 0, 1, 1, ERR_CHARGE_TYPE_VIOLATION },
	{ "PrePaid expired without TerminateSubscription", INST_STOPPED, CHARGE_PREPAID, -HOUR, 0, 0, 1, 0, ERR_CHARGE_TYPE_VIOLATION },
	{ "PrePaid expired with TerminateSubscription", INST_STOPPED, CHARGE_PREPAID, -HOUR, 0, 0, 0, 1, ERR_OK },
	{ "PrePaid expiring exactly now is expired", INST_STOPPED, CHARGE_PREPAID, 0, 0, 0, 0, 1, ERR_OK },
	{ "subscription before status", INST_RUNNING, CHARGE_PREPAID, HOUR, 0, 0, 0, 0, ERR_CHARGE_TYPE_VIOLATION },
	{ "SLB configuring", INST_STOPPED, CHARGE_POSTPAID, 0, 0, IF_SLB_CONFIGURING, 0, 0, ERR_DEPENDENCY_VIOLATION_SLB_CONFIGURING },
	{ "status before SLB", INST_RUNNING, CHARGE_POSTPAID, 0, 0, IF_SLB_CONFIGURING, 0, 0, ERR_INCORRECT_INSTANCE_STATUS },
	{ "route entry", INST_STOPPED, CHARGE_POSTPAID, 0, 0, IF_ROUTE_ENTRY, 0, 0, ERR_DEPENDENCY_VIOLATION_ROUTE_ENTRY },
	{ "SLB before route entry", INST_STOPPED, CHARGE_POSTPAID, 0, 0, IF_SLB_CONFIGURING | IF_ROUTE_ENTRY, 0, 0, ERR_DEPENDENCY_VIOLATION_SLB_CONFIGURING },
	{ "volumes attached", INST_STOPPED, CHARGE_POSTPAID, 0, 0, IF_VOLUMES_BLOCK, 0, 0, ERR_INCORRECT_INSTANCE_STATUS_VOLUMES },
	{ "route entry before volumes", INST_STOPPED, CHARGE_POSTPAID, 0, 0, IF_ROUTE_ENTRY | IF_VOLUMES_BLOCK, 0, 0, ERR_DEPENDENCY_VIOLATION_ROUTE_ENTRY },
	{ "security lock does not refuse", INST_STOPPED, CHARGE_POSTPAID, 0, 0, IF_LOCK_SECURITY, 0, 0, ERR_OK },
	{ "financial lock does not refuse", INST_STOPPED, CHARGE_POSTPAID, 0, 0, IF_LOCK_FINANCIAL, 0, 0, ERR_OK },
};

static void release_table(void)
{
	for (size_t i = 0; i < sizeof(rel_rows) / sizeof(rel_rows[0]); i++) {
		const struct rel_row *w = &rel_rows[i];
		struct instance in = { .status = w->status, .p1_status = w->status,
		                       .p2_status = w->status, .charge = w->charge,
		                       .deletion_protection = w->protect, .flags = w->flags };
		struct release_opts o = { .force = w->force, .force_stop = 1,
		                          .terminate_subscription = w->terminate };

		in.expired_ms = w->expired_ms || w->charge == CHARGE_PREPAID ? NOW + w->expired_ms : 0;
		T_STREQ(err_row(release_check(&in, &o, NOW))->ident, err_row(w->want)->ident, w->what);
	}
}

/* ---- release_disk_fate and snapshots ---- */
struct fate_row {
	const char *what;
	uint32_t flags;
	int delete_with_instance;
	enum disk_fate want;
};

static const struct fate_row fate_rows[] = {
	{ "DeleteWithInstance=true", 0, 1, FATE_RELEASE },
	{ "DeleteWithInstance=false", 0, 0, FATE_KEEP },
	{ "security lock releases every disk", IF_LOCK_SECURITY, 0, FATE_RELEASE },
	{ "security lock, DeleteWithInstance=true", IF_LOCK_SECURITY, 1, FATE_RELEASE },
	{ "financial lock keeps DeleteWithInstance=false", IF_LOCK_FINANCIAL, 0, FATE_KEEP },
};

static void fate_table(void)
{
	for (size_t i = 0; i < sizeof(fate_rows) / sizeof(fate_rows[0]); i++) {
		struct instance in = { .flags = fate_rows[i].flags };
		struct disk d = { .delete_with_instance = fate_rows[i].delete_with_instance };

		T_INTEQ(release_disk_fate(&in, &d), fate_rows[i].want, fate_rows[i].what);
	}
	for (int v = 0; v <= 1; v++) {
		struct disk d = { .delete_auto_snapshot = v };
		T_INTEQ(release_drops_auto_snapshots(&d), v, "automatic snapshots follow DeleteAutoSnapshot");
	}
	{
		struct disk d = { .instance_id = "i-x", .charge = CHARGE_PREPAID,
		                  .delete_with_instance = 1, .device = "/dev/xvdb" };

		release_keep_disk(&d, NOW);
		T_CHECK(d.instance_id[0] == '\0' && d.device[0] == '\0', "a kept disk is detached");
		T_INTEQ(d.charge, CHARGE_POSTPAID, "a kept disk turns pay-as-you-go");
		T_INTEQ(d.detached_ms, NOW, "a kept disk's detach time");
		T_INTEQ(d.delete_with_instance, 0, "a kept disk's DeleteWithInstance");
		T_INTEQ(d.portable, 1, "a kept disk is portable");
	}
}

/* ---- transitions: every transition from every status ---- */
static const char *const trans_names[] = { "create+run", "create", "start", "stop", "reboot" };

/* allowed[t][s]: 1 when transition t is allowed from status s */
static const int allowed[5][INST__COUNT] = {
	/*                 Pending Starting Running Stopping Stopped */
	[TR_CREATE_RUN]  = { 1, 1, 1, 1, 1 },   /* creation: no source status */
	[TR_CREATE_STOP] = { 1, 1, 1, 1, 1 },
	[TR_START]       = { 0, 0, 0, 0, 1 },
	[TR_STOP]        = { 0, 0, 1, 0, 0 },
	[TR_REBOOT]      = { 0, 0, 1, 0, 0 },
};

/* what the status is: right after, after one delay, after two, settled */
static const int path[5][4] = {
	[TR_CREATE_RUN]  = { INST_PENDING, INST_STARTING, INST_RUNNING, INST_RUNNING },
	[TR_CREATE_STOP] = { INST_PENDING, INST_STOPPED, INST_STOPPED, INST_STOPPED },
	[TR_START]       = { INST_STARTING, INST_RUNNING, INST_RUNNING, INST_RUNNING },
	[TR_STOP]        = { INST_STOPPING, INST_STOPPED, INST_STOPPED, INST_STOPPED },
	[TR_REBOOT]      = { INST_STARTING, INST_RUNNING, INST_RUNNING, INST_RUNNING },
};

static void transition_table(void)
{
	const int64_t delay = 5000;
	char what[96];

	for (int t = TR_CREATE_RUN; t <= TR_REBOOT; t++) {
		for (int s = 0; s < INST__COUNT; s++) {
			struct instance in = { .id = "i-test", .status = s, .p1_status = s, .p2_status = s };
			enum err_id e = inst_enter(&in, (enum inst_trans)t, NOW, delay);

			snprintf(what, sizeof(what), "%s from %s", trans_names[t], inst_status_name(s));
			T_STREQ(err_row(e)->ident, err_row(allowed[t][s] ? ERR_OK : ERR_INCORRECT_INSTANCE_STATUS)->ident, what);
			if (e != ERR_OK) {
				T_INTEQ(inst_status_at(&in, NOW), s, "a refused transition leaves the status");
				continue;
			}
			T_STREQ(inst_status_name(inst_status_at(&in, NOW)), inst_status_name(path[t][0]), what);
			T_STREQ(inst_status_name(inst_status_at(&in, NOW + delay)), inst_status_name(path[t][1]), what);
			T_STREQ(inst_status_name(inst_status_at(&in, NOW + 2 * delay)), inst_status_name(path[t][2]), what);
			T_STREQ(inst_status_name(in.status), inst_status_name(path[t][3]), what);
		}
	}
	/* no delay: the settled status at once */
	{
		struct instance in = { .id = "i-test", .status = INST_STOPPED, .p1_status = INST_STOPPED, .p2_status = INST_STOPPED };

		T_INTEQ(inst_enter(&in, TR_START, NOW, 0), ERR_OK, "start without delay");
		T_STREQ(inst_status_name(inst_status_at(&in, NOW)), "Running", "start without delay: Running at once");
	}
	/* the source is the status seen now, not the settled one */
	{
		struct instance in = { .id = "i-test", .status = INST_RUNNING, .p1_status = INST_STARTING,
		                       .p1_end_ms = NOW + 1000, .p2_status = INST_RUNNING };

		T_INTEQ(inst_enter(&in, TR_STOP, NOW, 0), ERR_INCORRECT_INSTANCE_STATUS, "stop while still Starting");
		T_INTEQ(inst_enter(&in, TR_STOP, NOW + 1000, 0), ERR_OK, "stop once Running");
	}
}

/* ---- names ---- */
struct name_row {
	int status;
	const char *want;
};

static const struct name_row name_rows[] = {
	{ INST_PENDING, "Pending" }, { INST_STARTING, "Starting" }, { INST_RUNNING, "Running" },
	{ INST_STOPPING, "Stopping" }, { INST_STOPPED, "Stopped" },
	{ INST__COUNT, "?\?\?(5)" }, { -1, "?\?\?(-1)" }, { 99, "?\?\?(99)" },
};

static void name_table(void)
{
	for (size_t i = 0; i < sizeof(name_rows) / sizeof(name_rows[0]); i++) {
		T_STREQ(inst_status_name(name_rows[i].status), name_rows[i].want, "status name");
		if (name_rows[i].status >= 0 && name_rows[i].status < INST__COUNT)
			T_INTEQ(inst_status_parse(name_rows[i].want), name_rows[i].status, name_rows[i].want);
		else
			T_INTEQ(inst_status_parse(name_rows[i].want), -1, "an unknown name does not parse");
	}
	T_INTEQ(inst_status_parse("running"), -1, "status names are case-sensitive");
	T_STREQ(charge_name(CHARGE_POSTPAID), "PostPaid", "charge name");
	T_STREQ(charge_name(CHARGE_PREPAID), "PrePaid", "charge name");
	T_INTEQ(charge_parse("PostPaid"), CHARGE_POSTPAID, "charge parse");
	T_INTEQ(charge_parse("PrePaid"), CHARGE_PREPAID, "charge parse");
	T_INTEQ(charge_parse("prepaid"), -1, "charge parse is case-sensitive");
}

/* ---- subscription terms ---- */
struct term_row {
	const char *unit;
	long long period;
	enum err_id want;
	int64_t days;
};

static const struct term_row term_rows[] = {
	{ "Month", 1, ERR_OK, 30 }, { "Month", 9, ERR_OK, 270 }, { "Month", 10, ERR_INVALID_PERIOD, 0 },
	{ "Month", 11, ERR_INVALID_PERIOD, 0 }, { "Month", 12, ERR_OK, 360 }, { "Month", 24, ERR_OK, 720 },
	{ "Month", 36, ERR_OK, 1080 }, { "Month", 48, ERR_OK, 1440 }, { "Month", 60, ERR_OK, 1800 },
	{ "Month", 0, ERR_INVALID_PERIOD, 0 }, { "Month", 61, ERR_INVALID_PERIOD, 0 },
	{ "Week", 1, ERR_OK, 7 }, { "Week", 4, ERR_OK, 28 }, { "Week", 5, ERR_INVALID_PERIOD, 0 },
	{ "Week", 0, ERR_INVALID_PERIOD, 0 }, { "Year", 1, ERR_INVALID_PARAMETER, 0 },
	{ "month", 1, ERR_INVALID_PARAMETER, 0 },
};

static void term_table(void)
{
	char what[64];

	for (size_t i = 0; i < sizeof(term_rows) / sizeof(term_rows[0]); i++) {
		int64_t ms = -1;
		enum err_id e = charge_term_ms(term_rows[i].unit, term_rows[i].period, &ms);

		snprintf(what, sizeof(what), "%lld %s", term_rows[i].period, term_rows[i].unit);
		T_STREQ(err_row(e)->ident, err_row(term_rows[i].want)->ident, what);
		if (e == ERR_OK)
			T_INTEQ(ms, term_rows[i].days * 86400000LL, what);
	}
}

/* ---- ids ---- */
struct id_row {
	const char *s, *prefix;
	int want;
};

static const struct id_row id_rows[] = {
	{ "i-abc123", "i-", 1 }, { "i-", "i-", 0 }, { "d-abc", "i-", 0 }, { "i-ABC", "i-", 0 },
	{ "i-abc-1", "i-", 0 }, { "i-0123456789012345678901234567890123456789", "i-", 1 },
	{ "i-01234567890123456789012345678901234567890", "i-", 0 }, { "", "i-", 0 },
};

static void id_table(void)
{
	char id[ID_LEN];

	for (size_t i = 0; i < sizeof(id_rows) / sizeof(id_rows[0]); i++)
		T_INTEQ(model_id_valid(id_rows[i].s, id_rows[i].prefix), id_rows[i].want, id_rows[i].s);
	model_new_id(id, "i-");
	T_CHECK(model_id_valid(id, "i-") && strlen(id) == 22, "a new id is valid: %s", id);
}

int main(void)
{
	log_set_level(-1);
	release_table();
	fate_table();
	transition_table();
	name_table();
	term_table();
	id_table();
	return t_done("model");
}
