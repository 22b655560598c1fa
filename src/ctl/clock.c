/* clock.c - GET/POST /_ecsd/clock: the virtual clock every node shares
 * (an offset from the real clock, kept in the store). Advance, Set (never
 * backwards) or Reset; the answer is the clock after the change. No ECS
 * rules here: everything derived from time reads the clock in api/rig.c. */
#include "ctl_int.h"
#include "../dispatch/dispatch.h"
#include "../dispatch/rig.h"
#include "../auth/auth.h"
#include "../ecsd.h"
#include "../model/model.h"
#include "../store/store.h"
#include <string.h>

#define CLOCK_MAX_ADVANCE_S (100LL * 366 * 86400)   /* a century */

struct clock_job {
	int op;                 /* 0 advance, 1 set, 2 reset */
	int64_t arg_ms;         /* advance: ms; set: the target epoch ms */
	int64_t offset, now;    /* after */
	int backwards;
};

static int clock_tx(struct store_tx *tx, void *arg)
{
	struct clock_job *j = arg;
	int64_t real = ecsd_now_ms(), off;
	int rc = rig_offset_get(tx, &off);

	if (rc)
		return rc;
	j->backwards = 0;
	if (j->op == 0) {
		off += j->arg_ms;
	} else if (j->op == 1) {
		if (j->arg_ms < real + off) {
			j->backwards = 1;
			return 1;
		}
		off = j->arg_ms - real;
	} else {
		off = 0;
	}
	j->offset = off;
	j->now = real + off;
	return rig_offset_put(tx, off);
}

static void clock_reply(struct http_out *out, int64_t now, int64_t offset)
{
	char t[32];

	model_fmt_second(t, now);
	ctlx_reply(out, 200, json_pack("{s:s,s:I}", "Now", t, "OffsetSeconds",
	                               (json_int_t)(offset / 1000)));
}

void ctl_clock(struct ecsd *e, const char *method, const char *body,
               size_t len, struct http_out *out)
{
	struct clock_job j;
	json_t *b, *v;
	const char *key;
	int rc;

	if (strcmp(method, "GET") == 0) {
		rc = rig_now_ms(e->store, &j.now, &j.offset);
		if (rc)
			ctlx_store_error(out, rc);
		else
			clock_reply(out, j.now, j.offset);
		return;
	}
	if (!(b = ctlx_body(body, len, out)))
		return;
	memset(&j, 0, sizeof(j));
	if (json_object_size(b) != 1) {
		json_decref(b);
		ctlx_error(out, 400, "InvalidParameter",
		           "Give exactly one of AdvanceSeconds, Set, Reset.");
		return;
	}
	json_object_foreach(b, key, v) {
		if (strcmp(key, "AdvanceSeconds") == 0 && json_is_integer(v) &&
		    json_integer_value(v) >= 0 &&
		    json_integer_value(v) <= CLOCK_MAX_ADVANCE_S) {
			j.op = 0;
			j.arg_ms = json_integer_value(v) * 1000;
		} else if (strcmp(key, "Set") == 0 && json_is_string(v) &&
		           (j.arg_ms = auth_parse_timestamp(json_string_value(v))) >= 0) {
			j.op = 1;
		} else if (strcmp(key, "Reset") == 0 && json_is_true(v)) {
			j.op = 2;
		} else {
			json_decref(b);
			ctlx_error(out, 400, "InvalidParameter",
			           "AdvanceSeconds takes an integer from 0 to a century of"
			           " seconds, Set a time yyyy-MM-ddTHH:mm:ssZ, Reset true.");
			return;
		}
	}
	json_decref(b);
	rc = store_write(e->store, clock_tx, &j);
	if (rc == 1)
		ctlx_error(out, 400, "InvalidParameter.Backwards",
		           "Set is before the clock's Now: the clock never goes"
		           " backwards (Reset returns it to the real clock).");
	else if (rc)
		ctlx_store_error(out, rc);
	else
		clock_reply(out, j.now, j.offset);
}
