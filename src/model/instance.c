/* instance.c - the instance state machine as data (OpenSMTPD
 * smtp_enter_state): allowed transitions, the status seen at a given time,
 * names of enumerations, ids and time formats. Pure: no I/O but the log. */
#include "model.h"
#include "../common/log.h"
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *const status_names[INST__COUNT] = {
	"Pending", "Starting", "Running", "Stopping", "Stopped",
};

const char *inst_status_name(int s)
{
	static _Thread_local char unknown[24];

	if (s >= 0 && s < INST__COUNT)
		return status_names[s];
	snprintf(unknown, sizeof(unknown), "?\?\?(%d)", s);   /* never a real name */
	return unknown;
}

int inst_status_parse(const char *s)
{
	for (int i = 0; i < INST__COUNT; i++)
		if (strcmp(status_names[i], s) == 0)
			return i;
	return -1;
}

const char *charge_name(int c)
{
	return c == CHARGE_PREPAID ? "PrePaid" : "PostPaid";
}

int charge_parse(const char *s)
{
	if (strcmp(s, "PostPaid") == 0)
		return CHARGE_POSTPAID;
	if (strcmp(s, "PrePaid") == 0)
		return CHARGE_PREPAID;
	return -1;
}

enum err_id charge_term_ms(const char *unit, long long period, int64_t *ms)
{
	const int64_t day = 86400000;

	if (strcmp(unit, "Month") == 0) {
		if (!((period >= 1 && period <= 9) || period == 12 || period == 24 ||
		      period == 36 || period == 48 || period == 60))
			return ERR_INVALID_PERIOD;
		*ms = period * 30 * day;
	} else if (strcmp(unit, "Week") == 0) {
		if (period < 1 || period > 4)
			return ERR_INVALID_PERIOD;
		*ms = period * 7 * day;
	} else {
		return ERR_INVALID_PARAMETER;
	}
	return ERR_OK;
}

int inst_status_at(const struct instance *in, int64_t now_ms)
{
	if (in->p1_end_ms > now_ms)
		return in->p1_status;
	if (in->p2_end_ms > now_ms)
		return in->p2_status;
	return in->status;
}

#define FROM(s) (1u << (s))
#define NONE (-1)

/* The transitions: allowed source statuses, transient phases, result. */
static const struct trans_row {
	const char *name;
	unsigned from;     /* 0: creation (no source) */
	int p1, p2, final;
} trans[] = {
	[TR_CREATE_RUN]  = { "create+run", 0, INST_PENDING, INST_STARTING, INST_RUNNING },
	[TR_CREATE_STOP] = { "create", 0, INST_PENDING, NONE, INST_STOPPED },
	[TR_START]       = { "start", FROM(INST_STOPPED), INST_STARTING, NONE, INST_RUNNING },
	[TR_STOP]        = { "stop", FROM(INST_RUNNING), INST_STOPPING, NONE, INST_STOPPED },
	[TR_REBOOT]      = { "reboot", FROM(INST_RUNNING), INST_STARTING, NONE, INST_RUNNING },
};

enum err_id inst_enter(struct instance *in, enum inst_trans t, int64_t now_ms,
                       int64_t delay_ms)
{
	const struct trans_row *row = &trans[t];
	int cur = row->from ? inst_status_at(in, now_ms) : NONE;

	if (row->from && !(row->from & FROM(cur)))
		return ERR_INCORRECT_INSTANCE_STATUS;
	in->p1_status = row->p1;
	in->p1_end_ms = delay_ms > 0 ? now_ms + delay_ms : 0;
	if (row->p2 != NONE) {
		in->p2_status = row->p2;
		in->p2_end_ms = delay_ms > 0 ? now_ms + 2 * delay_ms : 0;
	} else {
		in->p2_status = row->final;
		in->p2_end_ms = 0;
	}
	in->status = row->final;
	if (row->final == INST_RUNNING)
		in->started_ms = now_ms;
	log_msg(2, "%s %s: %s -> %s", in->id, row->name,
	         cur == NONE ? "(new)" : inst_status_name(cur),
	         inst_status_name(row->final));
	return ERR_OK;
}

void model_new_id(char out[ID_LEN], const char *prefix)
{
	static const char alpha[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	unsigned char rnd[20];
	size_t pl = strlen(prefix);

	if (RAND_bytes(rnd, sizeof(rnd)) != 1)
		memset(rnd, 7, sizeof(rnd));
	memcpy(out, prefix, pl);
	for (size_t i = 0; i < sizeof(rnd); i++)
		out[pl + i] = alpha[rnd[i] % 36];
	out[pl + sizeof(rnd)] = '\0';
}

int model_id_valid(const char *s, const char *prefix)
{
	size_t pl = strlen(prefix), n = 0;

	if (strncmp(s, prefix, pl) != 0)
		return 0;
	for (s += pl; *s; s++, n++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z')))
			return 0;
	return n >= 1 && n <= 40;
}

static void fmt_time(char out[32], int64_t ms, int seconds)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	if (seconds)
		strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
	else
		strftime(out, 32, "%Y-%m-%dT%H:%MZ", &tm);
}

void model_fmt_minute(char out[32], int64_t ms)
{
	fmt_time(out, ms, 0);
}

void model_fmt_second(char out[32], int64_t ms)
{
	fmt_time(out, ms, 1);
}
