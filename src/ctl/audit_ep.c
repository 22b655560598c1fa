/* audit_ep.c - GET /_ecsd/audit: the audit trail, newest first, filtered
 * by AccountId, Action, ResourceId and Since, paged by MaxResults and
 * NextToken. A signed caller reads its own account's events only; the
 * control token reads every account's. */
#include "web.h"
#include "../auth/auth.h"
#include "../ecsd.h"
#include "../model/model.h"
#include "../store/store.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AUDIT_PAGE_DEFAULT 50
#define AUDIT_PAGE_MAX     100

struct audit_page {
	json_t *events;
	int64_t cut_seq;   /* seq of the page's last event */
	int n, want;
};

/* ",a,b," -> ["a","b"] */
static json_t *audit_ids(const char *s)
{
	json_t *a = json_array();

	while (*s) {
		size_t n;

		s += strspn(s, ",");
		n = strcspn(s, ",");
		if (n)
			json_array_append_new(a, json_stringn(s, n));
		s += n;
	}
	return a;
}

static int audit_row(void *arg, const struct audit_event *ev)
{
	struct audit_page *p = arg;
	char when[32];
	json_t *params = json_loads(ev->params, 0, NULL);

	model_fmt_second(when, ev->time_ms);
	json_array_append_new(p->events, json_pack(
		"{s:s,s:I,s:s,s:s,s:s,s:s,s:s,s:o,s:s,s:i,s:s,s:o}",
		"Time", when, "TimeMs", (json_int_t)ev->time_ms, "AccountId", ev->account,
		"AccessKeyId", ev->akid, "SourceIp", ev->source, "Product", ev->product,
		"Action", ev->action, "ResourceIds", audit_ids(ev->resources),
		"Code", ev->code, "HttpStatus", ev->status, "RequestId", ev->request_id,
		"Parameters", params ? params : json_object()));
	if (++p->n == p->want)
		p->cut_seq = ev->seq;
	return 0;
}

struct audit_job {
	struct audit_query q;
	struct audit_page page;
};

static int audit_read(struct store_tx *tx, void *arg)
{
	struct audit_job *j = arg;

	return store_audit_list(tx, &j->q, audit_row, &j->page);
}

void web_audit(struct web_req *w, struct http_out *out)
{
	struct audit_job j;
	const char *acct = web_query(w, "AccountId"), *since = web_query(w, "Since");
	const char *max = web_query(w, "MaxResults"), *tok = web_query(w, "NextToken");
	char *end = NULL;
	long long m = AUDIT_PAGE_DEFAULT;
	json_t *res;
	int rc;

	memset(&j, 0, sizeof(j));
	if (max && *max) {
		m = strtoll(max, &end, 10);
		if (*end || m < 1 || m > AUDIT_PAGE_MAX) {
			web_error(out, 400, "InvalidParameter", "MaxResults takes 1 to 100.");
			return;
		}
	}
	if (tok && *tok) {
		j.q.before_seq = tok[0] == 'a' ? strtoll(tok + 1, &end, 10) : 0;
		if (j.q.before_seq <= 0 || *end) {
			web_error(out, 400, "InvalidParameter", "The specified NextToken is not valid.");
			return;
		}
	}
	if (since && *since && (j.q.since_ms = auth_parse_timestamp(since)) < 0) {
		web_error(out, 400, "InvalidParameter", "Since takes YYYY-MM-DDThh:mm:ssZ.");
		return;
	}
	j.q.account = w->account ? w->account : (acct && *acct ? acct : NULL);
	if (w->account && acct && *acct && strcmp(acct, w->account) != 0) {
		/* another account's trail: nothing to see */
		web_json(out, 200, json_pack("{s:[],s:s}", "Events", "NextToken", ""));
		return;
	}
	j.q.action = web_query(w, "Action");
	j.q.resource = web_query(w, "ResourceId");
	if (j.q.action && !*j.q.action)
		j.q.action = NULL;
	if (j.q.resource && !*j.q.resource)
		j.q.resource = NULL;
	j.q.limit = (int)m + 1;   /* one more shows there is a next page */
	j.page.events = json_array();
	j.page.want = (int)m;
	rc = store_read(w->e->store, audit_read, &j);
	if (rc) {
		json_decref(j.page.events);
		web_error(out, rc == STORE_EUNAVAIL ? 503 : 500, "InternalError", "The store failed.");
		return;
	}
	res = json_object();
	if (j.page.n > m) {
		char next[32];

		json_array_remove(j.page.events, (size_t)m);
		snprintf(next, sizeof(next), "a%lld", (long long)j.page.cut_seq);
		json_object_set_new(res, "NextToken", json_string(next));
	} else {
		json_object_set_new(res, "NextToken", json_string(""));
	}
	json_object_set_new(res, "Events", j.page.events);
	web_json(out, 200, res);
}
