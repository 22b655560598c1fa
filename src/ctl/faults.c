/* faults.c - POST/GET/DELETE /_ecsd/faults: the fault rules every node
 * applies (stored as one document; matching and firing in api/rig.c).
 * No ECS rules here. */
#include "ctl_int.h"
#include "../dispatch/dispatch.h"
#include "../dispatch/rig.h"
#include "../ecsd.h"
#include "../store/store.h"
#include <stdio.h>
#include <string.h>

struct faults_job {
	json_t *add;            /* rule to append, or NULL */
	const char *del;        /* FaultId to remove; "" = every rule */
	json_t *rules;          /* the list after (new reference) */
	int found;
};

static int faults_tx(struct store_tx *tx, void *arg)
{
	struct faults_job *j = arg;
	json_t *rules, *rule;
	size_t i;
	int rc;

	json_decref(j->rules);  /* fn may run again (PostgreSQL retries) */
	j->rules = NULL;
	j->found = 0;
	if ((rc = rig_faults_get(tx, &rules)))
		return rc;
	if (j->add) {
		json_array_append(rules, j->add);
	} else if (j->del && !*j->del) {
		j->found = 1;
		json_array_clear(rules);
	} else if (j->del) {
		json_array_foreach(rules, i, rule) {
			const char *id = json_string_value(json_object_get(rule, "FaultId"));

			if (id && strcmp(id, j->del) == 0) {
				json_array_remove(rules, i);
				j->found = 1;
				break;
			}
		}
		if (!j->found) {
			json_decref(rules);
			return STORE_NOTFOUND;
		}
	}
	j->rules = rules;
	return (j->add || j->del) ? rig_faults_put(tx, rules) : 0;
}

void ctl_faults(struct ecsd *e, const char *method, const char *id,
                const char *body, size_t len, struct http_out *out)
{
	struct faults_job j;
	int rc;

	memset(&j, 0, sizeof(j));
	if (strcmp(method, "POST") == 0) {
		const char *path = NULL, *why = NULL;
		json_t *b = ctlx_body(body, len, out);
		char msg[256];

		if (!b)
			return;
		j.add = rig_fault_new(b, &path, &why);
		if (!j.add) {   /* path may point into b */
			snprintf(msg, sizeof(msg), "%s: %s.", *path ? path : "body", why);
			ctlx_reply(out, 400, json_pack("{s:s,s:s,s:s}", "Code",
			           "InvalidParameter", "Message", msg, "Path", path));
			json_decref(b);
			return;
		}
		json_decref(b);
	} else if (strcmp(method, "DELETE") == 0) {
		j.del = id ? id : "";
	}
	rc = j.add || j.del ? store_write(e->store, faults_tx, &j)
	                    : store_read(e->store, faults_tx, &j);
	if (rc == STORE_NOTFOUND)
		ctlx_error(out, 404, "InvalidFaultId.NotFound", "No fault rule has this FaultId.");
	else if (rc)
		ctlx_store_error(out, rc);
	else if (j.add)
		ctlx_reply(out, 200, json_pack("{s:O}", "FaultId",
		                               json_object_get(j.add, "FaultId")));
	else if (j.del)
		ctlx_reply(out, 200, json_pack("{s:s}", "Deleted", *j.del ? j.del : "all"));
	else
		ctlx_reply(out, 200, json_pack("{s:O}", "Faults", j.rules));
	json_decref(j.rules);
	json_decref(j.add);
}
