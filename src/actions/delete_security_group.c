/* delete_security_group.c - DeleteSecurityGroup: refused (403
 * DependencyViolation) while instances or network interfaces are members,
 * or while another group's rule names it; otherwise it goes with its rules
 * (NETWORK.md A.8). Unknown: InvalidSecurityGroupId.NotFound 404. */
#include "sg.h"
#include <jansson.h>
#include <string.h>

struct dsr_scan {
	const char *id;
	int used;
};

static int dsr_ref(void *arg, const struct res *row)
{
	struct dsr_scan *s = arg;
	size_t i;
	json_t *it;

	if (strcmp(row->id, s->id) == 0)
		return 0;
	json_array_foreach(json_object_get((json_t *)row->doc, "rules"), i, it) {
		const char *peer = json_string_value(json_object_get(it, "group"));

		if (peer && strcmp(peer, s->id) == 0)
			s->used = 1;
	}
	return 0;
}

static int dsr_tx(struct store_tx *tx, void *arg)
{
	struct req *r = arg;
	struct dsr_scan s = { NULL, 0 };
	struct res_query q;
	int64_t n = 0;
	struct sg g;
	int rc = act_sg_load(tx, r, param_str(r, PARAM_SecurityGroupId, ""), &g, NULL);

	if (rc || (rc = net_sg_members(tx, r->account, g.id, &n)))
		return rc;
	if (n > 0)
		return ERR_DEPENDENCY_VIOLATION_SG_INSTANCE;
	memset(&q, 0, sizeof(q));
	q.account = r->account;
	q.kind = SG_KIND;
	s.id = g.id;
	if ((rc = store_res_list(tx, &q, dsr_ref, &s)))
		return rc;
	if (s.used)
		return ERR_DEPENDENCY_VIOLATION_SG_REFERENCED;
	return store_res_delete(tx, r->account, g.id);
}

enum err_id act_delete_security_group(struct req *r)
{
	return act_write(r, dsr_tx, r);
}
