/* state.c - GET /_ecsd/state?AccountId= exports every resource of an
 * account as one JSON document; POST /_ecsd/state replaces the account's
 * resources with a document's, in one transaction, after checking every
 * field against the model and every reference inside the document (the
 * first bad field is answered by its path, and nothing changes). */
#include "ctl_int.h"
#include "state.h"
#include "../dispatch/dispatch.h"
#include "../model/regions.h"
#include "../ecsd.h"
#include "../store/store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STATE_FORMAT "ecsd-state/1"

/* ---- export ---- */

struct exp_job {
	const char *account;
	json_t *inst, *disk, *snap, *res;
};

static int add_row(json_t *arr, const void *row, const struct sfield *f)
{
	json_t *o = state_to_json(row, f);

	return o && json_array_append_new(arr, o) == 0 ? 0 : STORE_EIO;
}

static int exp_inst(void *arg, const struct instance *in)
{
	return add_row(((struct exp_job *)arg)->inst, in, state_inst_fields);
}

static int exp_disk(void *arg, const struct disk *d)
{
	return add_row(((struct exp_job *)arg)->disk, d, state_disk_fields);
}

static int exp_snap(void *arg, const struct snapshot *sn)
{
	return add_row(((struct exp_job *)arg)->snap, sn, state_snap_fields);
}

static int exp_res(void *arg, const struct res *r)
{
	json_t *o = state_res_json(r);

	return o && json_array_append_new(((struct exp_job *)arg)->res, o) == 0 ?
	       0 : STORE_EIO;
}

static int exp_tx(struct store_tx *tx, void *arg)
{
	struct exp_job *j = arg;
	struct inst_query iq = { .account = j->account, .status = -1, .charge = -1 };
	struct disk_query dq = { .account = j->account, .attached = -1, .charge = -1,
	                         .delete_with_instance = -1 };
	struct snap_query sq = { .account = j->account, .is_auto = -1, .status = -1 };
	struct res_query rq = { .account = j->account };
	int rc;

	json_array_clear(j->inst);   /* fn may run again (PostgreSQL retries) */
	json_array_clear(j->disk);
	json_array_clear(j->snap);
	json_array_clear(j->res);
	if ((rc = store_inst_list(tx, &iq, exp_inst, j)) ||
	    (rc = store_disk_list(tx, &dq, exp_disk, j)) ||
	    (rc = store_snap_list(tx, &sq, exp_snap, j)) ||
	    (rc = store_res_list(tx, &rq, exp_res, j)))
		return rc;
	return 0;
}

void ctl_state_export(struct ecsd *e, const char *query, struct http_out *out)
{
	char account[64];
	struct exp_job j;
	int rc;

	if (ctlx_query(query, "AccountId", account, sizeof(account)) ||
	    !ctlx_account_ok(account)) {
		ctlx_error(out, 400, "InvalidParameter", "AccountId=<account id> is required.");
		return;
	}
	j.account = account;
	j.inst = json_array();
	j.disk = json_array();
	j.snap = json_array();
	j.res = json_array();
	rc = store_read(e->store, exp_tx, &j);
	if (rc)
		ctlx_store_error(out, rc);
	else
		ctlx_reply(out, 200, json_pack("{s:s,s:s,s:O,s:O,s:O,s:O}", "Format",
		           STATE_FORMAT, "AccountId", account, "Instances", j.inst,
		           "Disks", j.disk, "Snapshots", j.snap, "Resources", j.res));
	json_decref(j.res);
	json_decref(j.inst);
	json_decref(j.disk);
	json_decref(j.snap);
}

/* ---- import ---- */

struct doc {
	const char *account;
	struct instance *inst;
	struct disk *disk;
	struct snapshot *snap;
	struct res *res;        /* docs borrowed from the JSON document */
	size_t ninst, ndisk, nsnap, nres;
	char path[128];
	const char *why;
};

static void doc_free(struct doc *d)
{
	free(d->inst);
	free(d->disk);
	free(d->snap);
	free(d->res);
}

/* Reads one array of the document into rows (calloc'd). -1 when bad. */
static int read_rows(struct doc *d, json_t *doc, const char *name,
                     const struct sfield *f, size_t size, void **rows, size_t *n)
{
	json_t *arr = json_object_get(doc, name), *o;
	size_t i;

	*n = 0;
	*rows = NULL;
	if (!arr)
		return 0;
	if (!json_is_array(arr)) {
		snprintf(d->path, sizeof(d->path), "%s", name);
		d->why = "must be an array";
		return -1;
	}
	*n = json_array_size(arr);
	if (*n && !(*rows = calloc(*n, size))) {
		snprintf(d->path, sizeof(d->path), "%s", name);
		d->why = "too large";
		return -1;
	}
	json_array_foreach(arr, i, o) {
		char *row = (char *)*rows + i * size;

		snprintf(d->path, sizeof(d->path), "%s[%zu]", name, i);
		if (f ? state_from_json(o, f, row, d->path, sizeof(d->path), &d->why)
		      : state_res_from(o, (struct res *)(void *)row, d->path,
		                       sizeof(d->path), &d->why))
			return -1;
	}
	return 0;
}

static int bad(struct doc *d, const char *arr, size_t i, const char *field,
               const char *why)
{
	snprintf(d->path, sizeof(d->path), "%s[%zu].%s", arr, i, field);
	d->why = why;
	return -1;
}

/* The references inside the document, and ids used twice. */
static int check_refs(struct doc *d)
{
	json_t *seen = json_object();
	int rc = 0;

	for (size_t i = 0; i < d->ninst && rc == 0; i++) {
		const struct instance *in = &d->inst[i];
		const struct region *rg = region_find(in->region);

		if (json_object_get(seen, in->id))
			rc = bad(d, "Instances", i, "id", "used twice in the document");
		else if (in->zone[0] && !region_has_zone(rg, in->zone))
			rc = bad(d, "Instances", i, "zone", "not a zone of its region");
		json_object_set_new(seen, in->id, json_integer((json_int_t)i));
	}
	for (size_t i = 0; i < d->ndisk && rc == 0; i++) {
		const struct disk *k = &d->disk[i];
		json_t *at = k->instance_id[0] ? json_object_get(seen, k->instance_id) : NULL;

		if (json_object_get(seen, k->id))
			rc = bad(d, "Disks", i, "id", "used twice in the document");
		else if (k->instance_id[0] && !at)
			rc = bad(d, "Disks", i, "instance_id", "no instance of the document has this id");
		else if (at && strcmp(d->inst[json_integer_value(at)].region, k->region))
			rc = bad(d, "Disks", i, "region", "not the region of its instance");
		json_object_set_new(seen, k->id, json_true());
	}
	for (size_t i = 0; i < d->nsnap && rc == 0; i++) {
		if (json_object_get(seen, d->snap[i].id))
			rc = bad(d, "Snapshots", i, "id", "used twice in the document");
		json_object_set_new(seen, d->snap[i].id, json_true());
	}
	for (size_t i = 0; i < d->nres && rc == 0; i++) {
		if (json_object_get(seen, d->res[i].id))
			rc = bad(d, "Resources", i, "id", "used twice in the document");
		json_object_set_new(seen, d->res[i].id, json_true());
	}
	/* a child's owner (a vSwitch's VPC, ...) comes with it */
	for (size_t i = 0; i < d->nres && rc == 0; i++)
		if (d->res[i].parent[0] && !json_object_get(seen, d->res[i].parent))
			rc = bad(d, "Resources", i, "parent", "no resource of the document has this id");
	json_decref(seen);
	return rc;
}

static int imp_tx(struct store_tx *tx, void *arg)
{
	struct doc *d = arg;
	size_t i;
	int rc;

	if ((rc = store_purge(tx, d->account)))
		return rc;
	for (i = 0; i < d->ninst; i++) {
		snprintf(d->inst[i].account, sizeof(d->inst[i].account), "%s", d->account);
		if ((rc = store_inst_insert(tx, &d->inst[i])))
			return rc == STORE_ECONFLICT ? bad(d, "Instances", i, "id",
			       "taken by another account"), 1 : rc;
	}
	for (i = 0; i < d->ndisk; i++) {
		snprintf(d->disk[i].account, sizeof(d->disk[i].account), "%s", d->account);
		if ((rc = store_disk_insert(tx, &d->disk[i])))
			return rc == STORE_ECONFLICT ? bad(d, "Disks", i, "id",
			       "taken by another account"), 1 : rc;
	}
	for (i = 0; i < d->nsnap; i++) {
		snprintf(d->snap[i].account, sizeof(d->snap[i].account), "%s", d->account);
		if ((rc = store_snap_insert(tx, &d->snap[i])))
			return rc == STORE_ECONFLICT ? bad(d, "Snapshots", i, "id",
			       "taken by another account"), 1 : rc;
	}
	for (i = 0; i < d->nres; i++) {
		snprintf(d->res[i].account, sizeof(d->res[i].account), "%s", d->account);
		if ((rc = store_res_insert(tx, &d->res[i])))
			return rc == STORE_ECONFLICT ? bad(d, "Resources", i, "id",
			       "taken by another account"), 1 : rc;
	}
	return 0;
}

/* The document's shape and every field; -1 with d->path, d->why. */
static int read_doc(struct doc *d, json_t *doc)
{
	const char *key, *fmt;
	json_t *v;

	json_object_foreach(doc, key, v)
		if (strcmp(key, "Format") && strcmp(key, "AccountId") &&
		    strcmp(key, "Instances") && strcmp(key, "Disks") &&
		    strcmp(key, "Snapshots") && strcmp(key, "Resources")) {
			snprintf(d->path, sizeof(d->path), "%s", key);
			d->why = "unknown field";
			return -1;
		}
	fmt = json_string_value(json_object_get(doc, "Format"));
	d->account = json_string_value(json_object_get(doc, "AccountId"));
	if (json_object_get(doc, "Format") && (!fmt || strcmp(fmt, STATE_FORMAT))) {
		snprintf(d->path, sizeof(d->path), "Format");
		d->why = "must be " STATE_FORMAT;
		return -1;
	}
	if (!ctlx_account_ok(d->account)) {
		snprintf(d->path, sizeof(d->path), "AccountId");
		d->why = "required: an account id";
		return -1;
	}
	if (read_rows(d, doc, "Instances", state_inst_fields, sizeof(struct instance),
	              (void **)&d->inst, &d->ninst) ||
	    read_rows(d, doc, "Disks", state_disk_fields, sizeof(struct disk),
	              (void **)&d->disk, &d->ndisk) ||
	    read_rows(d, doc, "Snapshots", state_snap_fields, sizeof(struct snapshot),
	              (void **)&d->snap, &d->nsnap) ||
	    read_rows(d, doc, "Resources", NULL, sizeof(struct res),
	              (void **)&d->res, &d->nres))
		return -1;
	return check_refs(d);
}

static void bad_reply(struct http_out *out, const struct doc *d)
{
	char msg[320];

	snprintf(msg, sizeof(msg), "%s: %s.", d->path, d->why);
	ctlx_reply(out, 400, json_pack("{s:s,s:s,s:s}", "Code", "InvalidFixture",
	                               "Message", msg, "Path", d->path));
}

void ctl_state_import(struct ecsd *e, const char *body, size_t len,
                      struct http_out *out)
{
	struct doc d;
	json_t *doc = ctlx_body(body, len, out);
	int rc;

	if (!doc)
		return;
	memset(&d, 0, sizeof(d));
	if (read_doc(&d, doc)) {
		bad_reply(out, &d);
	} else if ((rc = store_write(e->store, imp_tx, &d)) == 1) {
		bad_reply(out, &d);
	} else if (rc) {
		ctlx_store_error(out, rc);
	} else {
		ctlx_reply(out, 200, json_pack("{s:s,s:I,s:I,s:I,s:I}", "AccountId",
		           d.account, "Instances", (json_int_t)d.ninst, "Disks",
		           (json_int_t)d.ndisk, "Snapshots", (json_int_t)d.nsnap,
		           "Resources", (json_int_t)d.nres));
	}
	doc_free(&d);
	json_decref(doc);
}
