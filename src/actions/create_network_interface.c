/* create_network_interface.c - CreateNetworkInterface: a Secondary ENI in
 * one of the caller's Available vSwitches with 1-5 groups of its VPC and a
 * private address (PrimaryIpAddress or a free one); Available at once;
 * DeleteOnRelease defaults to false (NETWORK.md B.2). */
#include "eni.h"
#include <stdio.h>
#include <string.h>

struct cni_job {
	struct req *r;
	struct eni e;
	const char *sgs[INST_SG_MAX];
	size_t nsg;
	const char *want_ip;
};

static int cni_tx(struct store_tx *tx, void *arg)
{
	struct cni_job *j = arg;
	struct req *r = j->r;
	struct vswitch w;
	struct sg g;
	int rc = net_vsw_get(tx, r->account, param_str(r, PARAM_VSwitchId, ""), &w);

	if (rc == STORE_NOTFOUND || (rc == 0 && strcmp(w.region, j->e.region) != 0))
		return ERR_INVALID_VSWITCH_ID_NOT_FOUND_ECS;
	if (rc)
		return rc;
	if (!vnet_available(w.ready_ms, r->now_ms))
		return ERR_INCORRECT_VSWITCH_STATUS;
	j->e.sg_ids[0] = '\0';
	for (size_t i = 0; i < j->nsg; i++) {
		size_t o = strlen(j->e.sg_ids);

		rc = net_sg_get(tx, r->account, j->sgs[i], &g, NULL);
		if (rc == STORE_NOTFOUND)
			return ERR_INVALID_SECURITY_GROUP_ID_NOT_FOUND;
		if (rc)
			return rc;
		if (strcmp(g.vpc_id, w.vpc_id) != 0)
			return ERR_INVALID_OPERATION_VPC_MISMATCH;
		if (!vnet_id_in(j->e.sg_ids, g.id))
			snprintf(j->e.sg_ids + o, sizeof(j->e.sg_ids) - o, "%s%s", o ? "," : "", g.id);
	}
	snprintf(j->e.vsw_id, sizeof(j->e.vsw_id), "%s", w.id);
	snprintf(j->e.vpc_id, sizeof(j->e.vpc_id), "%s", w.vpc_id);
	snprintf(j->e.zone, sizeof(j->e.zone), "%s", w.zone);
	if ((rc = net_ip_take(tx, &w, j->want_ip, j->e.id, j->e.ip)))
		return rc;
	j->e.seq = 0;
	if ((rc = net_eni_put(tx, &j->e, 1)))
		return rc;
	return net_sg_join_all(tx, r->account, j->e.region, j->e.sg_ids, j->e.id, 1);
}

enum err_id act_create_network_interface(struct req *r)
{
	struct cni_job *j = arena_alloc(&r->arena, sizeof(*j));
	const char *one = param_str(r, PARAM_SecurityGroupId, "");
	const struct pval *many = param_val(r, PARAM_SecurityGroupIds);
	enum err_id e;

	if (!j)
		return api_raise(r, ERR_INTERNAL_ERROR, NULL);
	memset(j, 0, sizeof(*j));
	j->r = r;
	if (*one)
		j->sgs[j->nsg++] = one;
	for (size_t i = 0; many->present && i < many->nlist && j->nsg < INST_SG_MAX; i++)
		if (*many->list[i])
			j->sgs[j->nsg++] = many->list[i];
	if (j->nsg == 0)
		return api_raise(r, ERR_MISSING_PARAMETER, "SecurityGroupId");
	j->want_ip = param_str(r, PARAM_PrimaryIpAddress, NULL);
	model_new_id(j->e.id, "eni-");
	snprintf(j->e.account, sizeof(j->e.account), "%s", r->account);
	snprintf(j->e.region, sizeof(j->e.region), "%s", param_str(r, PARAM_RegionId, ""));
	snprintf(j->e.type, sizeof(j->e.type), "Secondary");
	snprintf(j->e.status, sizeof(j->e.status), "Available");
	snprintf(j->e.name, sizeof(j->e.name), "%s", param_str(r, PARAM_NetworkInterfaceName, ""));
	snprintf(j->e.description, sizeof(j->e.description), "%s", param_str(r, PARAM_Description, ""));
	j->e.delete_on_release = param_bool(r, PARAM_DeleteOnRelease, 0);
	j->e.created_ms = r->now_ms;
	net_new_mac(j->e.mac);
	if ((e = act_write(r, cni_tx, j)) != ERR_OK)
		return e;
	act_emit_eni(r, &j->e);
	return ERR_OK;
}
