/* modify_vpc_attribute.c - ModifyVpcAttribute: name, description, and the
 * CIDR block (a valid VPC block that still holds every vSwitch); omitted
 * fields stay. Only an Available VPC's block may change. */
#include "vpc.h"
#include <stdio.h>
#include <string.h>

struct mv_job {
	struct req *r;
	const char *name, *desc, *cidr;
	struct vpc v;
};

struct mv_fit {
	struct cidr c;
	int bad;
};

static int mv_vsw(void *arg, const struct res *row)
{
	struct mv_fit *f = arg;
	struct vswitch w;
	struct cidr c;

	memset(&w, 0, sizeof(w));
	vnet_vsw_from_json(row->doc, &w);
	if (cidr_parse(w.cidr, &c) || !cidr_contains(&f->c, &c))
		f->bad = 1;
	return 0;
}

static int mv_tx(struct store_tx *tx, void *arg)
{
	struct mv_job *j = arg;
	int rc = net_vpc_get(tx, j->r->account, param_str(j->r, PARAM_VpcId, ""), &j->v);

	if (rc == STORE_NOTFOUND)
		return ERR_INVALID_VPC_ID_NOT_FOUND;
	if (rc)
		return rc;
	if (j->cidr) {
		struct mv_fit f = { .bad = 0 };
		struct res_query q;
		enum err_id e = vnet_vpc_cidr(j->cidr, &f.c);

		if (e != ERR_OK)
			return e;
		if (!vnet_available(j->v.ready_ms, j->r->now_ms))
			return ERR_INCORRECT_VPC_STATUS;
		memset(&q, 0, sizeof(q));
		q.account = j->r->account;
		q.kind = VSW_KIND;
		q.parent = j->v.id;
		if ((rc = store_res_list(tx, &q, mv_vsw, &f)))
			return rc;
		if (f.bad)
			return ERR_INVALID_VPC_CIDR;
		cidr_fmt(&f.c, j->v.cidr);
	}
	if (j->name)
		snprintf(j->v.name, sizeof(j->v.name), "%s", j->name);
	if (j->desc)
		snprintf(j->v.description, sizeof(j->v.description), "%s", j->desc);
	return net_vpc_put(tx, &j->v, 0);
}

enum err_id vpc_modify_vpc_attribute(struct req *r)
{
	struct mv_job j = { .r = r };

	j.name = param_str(r, PARAM_VpcName, NULL);
	j.desc = param_str(r, PARAM_Description, NULL);
	j.cidr = param_str(r, PARAM_CidrBlock, NULL);
	if (j.cidr && !*j.cidr)
		j.cidr = NULL;
	if (j.name && *j.name && (strncmp(j.name, "http://", 7) == 0 ||
	                          strncmp(j.name, "https://", 8) == 0))
		return api_raise(r, ERR_INVALID_VPC_NAME_MALFORMED, NULL);
	return vpc_write(r, mv_tx, &j);
}
