/* sg_join.c - JoinSecurityGroup and LeaveSecurityGroup for an instance
 * (through its primary ENI) or a network interface (NETWORK.md A.9): the
 * group list of the instance row, the ENI's document and the membership
 * rows change together. */
#include "sg.h"
#include <stdio.h>
#include <string.h>

struct sj_job {
	struct req *r;
	int join;
	const char *inst, *eni;
};

/* The list without id (in place). */
static void sj_remove(char *list, const char *id)
{
	char out[INST_SG_IDS] = "";
	const char *p = list;

	while (p && *p) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		if (!(n == strlen(id) && strncmp(p, id, n) == 0)) {
			size_t o = strlen(out);

			snprintf(out + o, sizeof(out) - o, "%s%.*s", o ? "," : "", (int)n, p);
		}
		p = e ? e + 1 : NULL;
	}
	memcpy(list, out, sizeof(out));
}

static int sj_count(const char *list)
{
	int n = *list ? 1 : 0;

	for (; *list; list++)
		n += *list == ',';
	return n;
}

/* The change to one group list; 0 or the API error. */
static int sj_change(const struct sj_job *j, char *list, const char *id)
{
	if (j->join) {
		size_t o = strlen(list);

		if (vnet_id_in(list, id))
			return ERR_INVALID_INSTANCE_ID_ALREADY_EXISTS;
		if (sj_count(list) >= INST_SG_MAX)
			return ERR_INSTANCE_SECURITY_GROUP_LIMIT_EXCEEDED;
		snprintf(list + o, INST_SG_IDS - o, "%s%s", o ? "," : "", id);
		return 0;
	}
	if (!vnet_id_in(list, id))
		return ERR_INVALID_SECURITY_GROUP_ASSOCIATION_NOT_FOUND;
	if (sj_count(list) <= 1)
		return ERR_INSTANCE_LAST_SECURITY_GROUP;
	sj_remove(list, id);
	return 0;
}

static int sj_tx(struct store_tx *tx, void *arg)
{
	struct sj_job *j = arg;
	struct req *r = j->r;
	struct instance in;
	struct eni e;
	struct sg g;
	int rc = act_sg_load(tx, r, param_str(r, PARAM_SecurityGroupId, ""), &g, NULL);

	if (rc)
		return rc;
	if (j->inst) {
		if ((rc = act_load_instance(tx, r, j->inst, &in)))
			return rc;
		if (in.flags & IF_LOCK_SECURITY)
			return ERR_INSTANCE_LOCKED_FOR_SECURITY;
		if (!act_running_or_stopped(r, &in))
			return ERR_INCORRECT_INSTANCE_STATUS;
		if (strcmp(in.vpc_id, g.vpc_id) != 0)
			return ERR_INVALID_INSTANCE_ID_MISMATCH;
		if ((rc = sj_change(j, in.sg_ids, g.id)))
			return rc;
		if ((rc = store_inst_update(tx, &in)))
			return rc;
		rc = net_eni_get(tx, r->account, in.eni_id, &e);
	} else {
		rc = net_eni_get(tx, r->account, j->eni, &e);
		if (rc == STORE_NOTFOUND)
			return ERR_INVALID_ENI_ID_NOT_FOUND;
		if (rc == 0 && strcmp(e.vpc_id, g.vpc_id) != 0)
			return ERR_INVALID_INSTANCE_ID_MISMATCH;
	}
	if (rc)
		return rc == STORE_NOTFOUND ? STORE_EIO : rc;
	if (!j->inst && (rc = sj_change(j, e.sg_ids, g.id)))
		return rc;
	if (j->inst)
		snprintf(e.sg_ids, sizeof(e.sg_ids), "%s", in.sg_ids);
	if ((rc = net_eni_put(tx, &e, 0)))
		return rc;
	rc = j->join ? net_sg_join(tx, r->account, g.region, g.id, e.id)
	             : net_sg_leave(tx, r->account, g.id, e.id);
	return rc == STORE_NOTFOUND || rc == STORE_ECONFLICT ? 0 : rc;
}

static enum err_id sj_run(struct req *r, int join)
{
	struct sj_job j = { .r = r, .join = join };

	j.inst = param_str(r, PARAM_InstanceId, NULL);
	j.eni = param_str(r, PARAM_NetworkInterfaceId, NULL);
	if (j.inst && !*j.inst)
		j.inst = NULL;
	if (j.eni && !*j.eni)
		j.eni = NULL;
	if (!j.inst == !j.eni)   /* exactly one of them */
		return api_raise(r, j.inst ? ERR_INVALID_PARAMETER : ERR_MISSING_PARAMETER,
		                 "InstanceId");
	return act_write(r, sj_tx, &j);
}

enum err_id act_sg_join(struct req *r, int join)
{
	return sj_run(r, join);
}
