/* auto_release.c - the release schedule (auto_release.h): rows written
 * with the instance, and the due-release pass every node runs. A due
 * instance is released through act_release, exactly as DeleteInstance
 * with Force=true releases it, deletion protection notwithstanding. */
#include "auto_release.h"
#include "../common/arena.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void ar_id(char out[64], const char *iid)
{
	snprintf(out, 64, "ar-%s", iid);
}

int act_ar_schedule(struct store_tx *tx, struct instance *in, int64_t at_ms)
{
	struct res row, old;
	int rc;

	memset(&row, 0, sizeof(row));
	ar_id(row.id, in->id);
	in->auto_release_ms = at_ms;
	rc = store_res_get(tx, in->account, AR_KIND, row.id, &old);
	if (rc == 0)
		json_decref(old.doc);
	else if (rc != STORE_NOTFOUND)
		return rc;
	if (!at_ms)
		return rc == 0 ? store_res_delete(tx, in->account, row.id) : 0;
	snprintf(row.account, sizeof(row.account), "%s", in->account);
	snprintf(row.kind, sizeof(row.kind), "%s", AR_KIND);
	snprintf(row.region, sizeof(row.region), "%s", in->region);
	snprintf(row.parent, sizeof(row.parent), "%s", in->id);
	row.created_ms = in->created_ms;
	row.doc = json_pack("{s:I}", "at", (json_int_t)at_ms);
	if (!row.doc)
		return STORE_EIO;
	rc = rc == 0 ? store_res_update(tx, &row) : store_res_insert(tx, &row);
	json_decref(row.doc);
	return rc;
}

#define AR_BATCH 64

struct due {
	int n;
	int64_t now_ms;
	char account[AR_BATCH][32];
	char iid[AR_BATCH][64];
};

static int due_row(void *arg, const struct res *row)
{
	struct due *d = arg;
	json_int_t at = json_integer_value(json_object_get(row->doc, "at"));

	if (at <= 0 || at > d->now_ms)
		return 0;
	snprintf(d->account[d->n], sizeof(d->account[0]), "%s", row->account);
	snprintf(d->iid[d->n], sizeof(d->iid[0]), "%s", row->parent);
	return ++d->n == AR_BATCH;
}

static int due_tx(struct store_tx *tx, void *arg)
{
	struct res_query q;

	memset(&q, 0, sizeof(q));
	q.kind = AR_KIND;   /* every account */

	int rc = store_res_list(tx, &q, due_row, arg);

	return rc > 0 ? 0 : rc;   /* > 0: the batch is full */
}

struct rel_job {
	struct req *r;
	const char *iid;
	int released;
};

/* Re-checks inside the transaction: the instance may have been released,
 * rescheduled or cancelled since the scan, here or on another node. */
static int rel_tx(struct store_tx *tx, void *arg)
{
	struct rel_job *j = arg;
	struct instance in;
	char id[64];
	int rc = store_inst_get(tx, j->r->account, j->iid, &in);

	j->released = 0;
	ar_id(id, j->iid);
	if (rc == STORE_NOTFOUND) {   /* a stale schedule row */
		rc = store_res_delete(tx, j->r->account, id);
		return rc == STORE_NOTFOUND ? 0 : rc;
	}
	if (rc)
		return rc;
	if (!in.auto_release_ms || in.auto_release_ms > j->r->now_ms)
		return 0;
	if ((rc = act_release(tx, j->r, &in)))
		return rc;
	j->released = 1;
	return 0;
}

int act_ar_run_due(struct ecsd *e, int64_t now_ms, int max, int *done)
{
	struct due *d = calloc(1, sizeof(*d));
	int rc;

	*done = 0;
	if (!d)
		return -1;
	d->now_ms = now_ms;
	rc = store_read(e->store, due_tx, d);
	for (int i = 0; rc == 0 && i < d->n && *done < max; i++) {
		struct req *r = calloc(1, sizeof(*r));
		struct rel_job j = { r, d->iid[i], 0 };

		if (!r) {
			rc = -1;
			break;
		}
		arena_init(&r->arena, 1 << 16);
		r->account = d->account[i];
		r->now_ms = now_ms;
		r->ecsd = e;
		rc = store_write(e->store, rel_tx, &j);
		if (rc > 0) {   /* an API refusal (FailRelease fault injection) */
			log_msg(0, "auto-release of %s refused: %s", j.iid,
			         err_row(r->err)->code);
			rc = 0;
		} else if (rc == 0 && j.released) {
			log_msg(1, "auto-release: %s released", j.iid);
			(*done)++;
		}
		arena_free(&r->arena);
		free(r);
	}
	free(d);
	return rc;
}
