/* create.c - what RunInstances and CreateInstance share: parameter rules
 * of spec section 7.1, the instance with its system and data disks
 * written in one transaction, and ClientToken idempotency. */
#include "act.h"
#include "../common/limits.h"
#include "../model/catalog.h"
#include "../model/regions.h"
#include "../net/net.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ddisk {
	const char *category;
	int size;
	const char *name, *desc, *snapshot_id;
	int dwi;
};

struct create_job {
	struct req *r;
	int amount, stopped;
	const char *region, *zone, *type, *image, *name, *desc, *hostname, *token;
	int charge, dp;
	int64_t expired_ms;
	const char *sys_cat, *sys_name, *sys_desc;
	int sys_size, sys_dwi;
	struct ddisk dd[LIM_DATA_DISKS];
	int ndd;
	char (*ids)[ID_LEN];
	int n;
	/* network (src/net/place.c) */
	struct net_place place;
	const char *private_ip;
	int bandwidth_out;
};

static int parse_int(const char *s, long long lo, long long hi, int *out)
{
	long long v;

	if (!s || api_parse_int(s, lo, hi, &v))
		return -1;
	*out = (int)v;
	return 0;
}

static enum err_id parse_data_disks(struct req *r, struct create_job *j)
{
	char key[64];

	/* DataDisk.<N>.* with N not canonical 1..LIM_DATA_DISKS was refused by
	 * the central check (api_list_index), so the items below are all */
	for (int n = 1; n <= LIM_DATA_DISKS; n++) {
		struct ddisk *d = &j->dd[j->ndd];
		const char *v;
		int any = 0;
		size_t pl;

		snprintf(key, sizeof(key), "DataDisk.%d.", n);
		pl = strlen(key);
		for (size_t i = 0; i < r->all.n; i++)
			if (strncmp(r->all.v[i].name, key, pl) == 0)
				any = 1;
		if (!any)
			continue;
		memset(d, 0, sizeof(*d));
#define FIELD(f) (snprintf(key, sizeof(key), "DataDisk.%d.%s", n, f), param_subfield(r, key))
		d->category = FIELD("Category");
		if (!d->category || !*d->category)
			d->category = "cloud_efficiency";
		if (!catalog_disk_category_ok(d->category))
			return api_raise(r, ERR_INVALID_DATA_DISK_CATEGORY, NULL);
		d->snapshot_id = FIELD("SnapshotId");
		if (d->snapshot_id && !*d->snapshot_id)
			d->snapshot_id = NULL;
		v = FIELD("Size");
		if (v && *v) {
			if (parse_int(v, 20, 32768, &d->size))
				return api_raise(r, ERR_INVALID_DATA_DISK_SIZE, NULL);
		} else if (!d->snapshot_id) {
			return api_raise(r, ERR_MISSING_PARAMETER, arena_printf(&r->arena, "DataDisk.%d.Size", n));
		}
		d->name = FIELD("DiskName");
		d->desc = FIELD("Description");
		if ((d->name && strlen(d->name) > 128) || (d->desc && strlen(d->desc) > 256))
			return api_raise(r, ERR_INVALID_PARAMETER, arena_printf(&r->arena, "DataDisk.%d", n));
		v = FIELD("DeleteWithInstance");
		d->dwi = api_parse_bool(v, 1);   /* "" (Terraform, ephemeral) = default */
		if (d->dwi < 0)
			return api_raise(r, ERR_INVALID_PARAMETER, arena_printf(&r->arena, "DataDisk.%d.DeleteWithInstance", n));
#undef FIELD
		j->ndd++;
	}
	return ERR_OK;
}

/* VSwitchId, SecurityGroupId / SecurityGroupIds.N, PrivateIpAddress,
 * InternetMaxBandwidthOut; the store checks them in create_tx. */
static enum err_id validate_net(struct req *r, struct create_job *j)
{
	struct net_place *p = &j->place;
	const char *one = param_str(r, PARAM_SecurityGroupId, NULL);
	const char **sgs = arena_alloc(&r->arena, sizeof(*sgs) * INST_SG_MAX);
	int many = r->action->fn == act_run_instances &&
	           param_given(r, PARAM_SecurityGroupIds);

	if (!sgs)
		return api_raise(r, ERR_INTERNAL_ERROR, NULL);
	memset(p, 0, sizeof(*p));
	p->account = r->account;
	p->region = j->region;
	p->vswitch_id = param_str(r, PARAM_VSwitchId, NULL);
	if (p->vswitch_id && !*p->vswitch_id)
		p->vswitch_id = NULL;
	p->zone = param_given(r, PARAM_ZoneId) && *param_str(r, PARAM_ZoneId, "") ?
	          j->zone : NULL;
	if (one && *one && many)   /* one or the other, not both */
		return api_raise(r, ERR_INVALID_PARAMETER, "SecurityGroupIds");
	if (one && *one)
		sgs[p->nsg++] = one;
	if (many) {
		const struct pval *v = param_val(r, PARAM_SecurityGroupIds);

		for (size_t i = 0; i < v->nlist && p->nsg < INST_SG_MAX; i++)
			if (*v->list[i])
				sgs[p->nsg++] = v->list[i];
	}
	p->sg_ids = sgs;
	j->private_ip = param_str(r, PARAM_PrivateIpAddress, NULL);
	if (j->private_ip && !*j->private_ip)
		j->private_ip = NULL;
	if (j->private_ip && j->amount > 1)
		return api_raise(r, ERR_INVALID_PARAMETER, "PrivateIpAddress");
	if (j->private_ip && !p->vswitch_id)
		return api_raise(r, ERR_MISSING_PARAMETER, "VSwitchId");
	j->bandwidth_out = (int)param_int(r, PARAM_InternetMaxBandwidthOut, 0);
	return ERR_OK;
}

static enum err_id validate(struct req *r, struct create_job *j)
{
	const struct region *rg = region_find(param_str(r, PARAM_RegionId, ""));
	const char *ct = param_str(r, PARAM_InstanceChargeType, "PostPaid");
	int cpu, mem;
	char fam[32];
	enum err_id rc;

	j->region = rg->id;
	j->zone = param_str(r, PARAM_ZoneId, NULL);
	if (j->zone && !*j->zone)
		j->zone = NULL;
	if (j->zone && !region_has_zone(rg, j->zone))
		return api_raise(r, ERR_INVALID_ZONE_ID_NOT_FOUND, NULL);
	if (!j->zone)
		j->zone = rg->zones[0];
	j->image = param_str(r, PARAM_ImageId, NULL);
	if (!j->image || !*j->image)
		return api_raise(r, ERR_MISSING_PARAMETER, "ImageId");
	j->type = param_str(r, PARAM_InstanceType, NULL);
	if (!j->type || !*j->type)
		return api_raise(r, ERR_MISSING_PARAMETER, "InstanceType");
	if (!catalog_instance_type(j->type, &cpu, &mem, fam))
		return api_raise(r, ERR_INVALID_INSTANCE_TYPE_VALUE_NOT_SUPPORTED, NULL);
	if (!catalog_image_ok(j->image))
		return api_raise(r, ERR_INVALID_IMAGE_ID_NOT_FOUND, NULL);
	j->charge = charge_parse(ct);
	if (j->charge < 0)
		return api_raise(r, ERR_INVALID_INSTANCE_CHARGE_TYPE_NOT_FOUND, NULL);
	if (j->charge == CHARGE_PREPAID) {
		if (!param_given(r, PARAM_Period))
			return api_raise(r, ERR_MISSING_PARAMETER, "Period");
		if ((rc = act_subscription_expiry(r, param_int(r, PARAM_Period, 0), &j->expired_ms)) != ERR_OK)
			return rc;
	}
	j->dp = param_bool(r, PARAM_DeletionProtection, 0);
	if (j->dp && j->charge == CHARGE_PREPAID)   /* pay-as-you-go only */
		return api_raise(r, ERR_INVALID_CHARGE_TYPE_VALUE_NOT_SUPPORTED, NULL);
	j->name = param_str(r, PARAM_InstanceName, NULL);
	j->desc = param_str(r, PARAM_Description, "");
	j->hostname = param_str(r, PARAM_HostName, NULL);
	if (j->name && (strlen(j->name) < 2 || strlen(j->name) > 128 ||
	                strncmp(j->name, "http://", 7) == 0 || strncmp(j->name, "https://", 8) == 0))
		return api_raise(r, ERR_INVALID_INSTANCE_NAME_MALFORMED, NULL);
	if (strlen(j->desc) > 256 || strncmp(j->desc, "http://", 7) == 0 ||
	    strncmp(j->desc, "https://", 8) == 0)
		return api_raise(r, ERR_INVALID_DESCRIPTION_MALFORMED, NULL);
	if (j->hostname && (strlen(j->hostname) < 2 || strlen(j->hostname) > 64))
		return api_raise(r, ERR_INVALID_HOST_NAME_MALFORMED, NULL);
	j->sys_cat = param_str(r, PARAM_SystemDisk_Category, "cloud_efficiency");
	if (!catalog_disk_category_ok(j->sys_cat))
		return api_raise(r, ERR_INVALID_SYSTEM_DISK_CATEGORY, NULL);
	j->sys_size = (int)param_int(r, PARAM_SystemDisk_Size, 40);
	j->sys_name = param_str(r, PARAM_SystemDisk_DiskName, "");
	j->sys_desc = param_str(r, PARAM_SystemDisk_Description, "");
	if (strlen(j->sys_name) > 128 || strlen(j->sys_desc) > 256)
		return api_raise(r, ERR_INVALID_PARAMETER, "SystemDisk");
	j->sys_dwi = 1; /* system disks go with the instance unless changed by
	                 * ModifyDiskAttribute (RunInstances has no such field) */
	if ((rc = parse_data_disks(r, j)) != ERR_OK)
		return rc;
	j->token = param_str(r, PARAM_ClientToken, NULL);
	if ((rc = validate_net(r, j)) != ERR_OK)
		return rc;
	return act_create_check(r, j->charge);
}

static void base_disk(struct disk *d, const struct create_job *j,
                      const struct instance *in, int64_t now)
{
	memset(d, 0, sizeof(*d));
	model_new_id(d->id, "d-");
	snprintf(d->account, sizeof(d->account), "%s", in->account);
	snprintf(d->region, sizeof(d->region), "%s", in->region);
	snprintf(d->zone, sizeof(d->zone), "%s", in->zone);
	snprintf(d->instance_id, sizeof(d->instance_id), "%s", in->id);
	d->portable = 1;
	d->charge = j->charge;
	d->delete_auto_snapshot = 1;  /* CreateDisk's documented default */
	d->ever_attached = 1;
	d->created_ms = d->attached_ms = now;
}

static int create_one(struct store_tx *tx, struct create_job *j, char id[ID_LEN])
{
	struct req *r = j->r;
	struct instance in;
	struct disk d;
	int rc;

	memset(&in, 0, sizeof(in));
	model_new_id(in.id, "i-");
	snprintf(in.account, sizeof(in.account), "%s", r->account);
	snprintf(in.region, sizeof(in.region), "%s", j->region);
	snprintf(in.zone, sizeof(in.zone), "%s", j->zone);
	snprintf(in.name, sizeof(in.name), "%s", j->name ? j->name : in.id);
	snprintf(in.description, sizeof(in.description), "%s", j->desc);
	snprintf(in.hostname, sizeof(in.hostname), "%s", j->hostname ? j->hostname : in.id);
	snprintf(in.instance_type, sizeof(in.instance_type), "%s", j->type);
	snprintf(in.image_id, sizeof(in.image_id), "%s", j->image);
	in.charge = j->charge;
	in.expired_ms = j->expired_ms;
	in.deletion_protection = j->dp;
	in.created_ms = r->now_ms;
	in.bandwidth_out = j->bandwidth_out;
	if ((rc = net_place_instance(tx, &j->place, j->private_ip, &in)))
		return rc;
	inst_enter(&in, j->stopped ? TR_CREATE_STOP : TR_CREATE_RUN, r->now_ms,
	           r->ecsd->transition_ms);
	if ((rc = act_create_pre(tx, r, &in)) || (rc = store_inst_insert(tx, &in)) ||
	    (rc = act_create_tag(tx, r, "instance", in.id, in.region)))
		return rc;
	/* system disk */
	base_disk(&d, j, &in, r->now_ms);
	snprintf(d.type, sizeof(d.type), "system");
	snprintf(d.category, sizeof(d.category), "%s", j->sys_cat);
	snprintf(d.name, sizeof(d.name), "%s", j->sys_name);
	snprintf(d.description, sizeof(d.description), "%s", j->sys_desc);
	snprintf(d.device, sizeof(d.device), "/dev/xvda");
	snprintf(d.image_id, sizeof(d.image_id), "%s", j->image);
	d.size_gb = j->sys_size;
	d.delete_with_instance = j->sys_dwi;
	if ((rc = store_disk_insert(tx, &d)) || (rc = act_create_tag(tx, r, "disk", d.id, d.region)))
		return rc;
	for (int k = 0; k < j->ndd; k++) {
		const struct ddisk *dd = &j->dd[k];

		base_disk(&d, j, &in, r->now_ms);
		snprintf(d.type, sizeof(d.type), "data");
		snprintf(d.category, sizeof(d.category), "%s", dd->category);
		snprintf(d.name, sizeof(d.name), "%s", dd->name ? dd->name : "");
		snprintf(d.description, sizeof(d.description), "%s", dd->desc ? dd->desc : "");
		snprintf(d.device, sizeof(d.device), "/dev/xvd%c", 'b' + k);
		d.size_gb = dd->size;
		d.delete_with_instance = dd->dwi;
		if (dd->snapshot_id) {
			struct snapshot sn;

			rc = store_snap_get(tx, r->account, dd->snapshot_id, &sn);
			if (rc == STORE_NOTFOUND)
				return ERR_INVALID_SNAPSHOT_ID_NOT_FOUND;
			if (rc)
				return rc;
			snprintf(d.source_snapshot_id, sizeof(d.source_snapshot_id), "%s", sn.id);
			if (!d.size_gb)
				d.size_gb = sn.source_disk_size;
			else if (d.size_gb < sn.source_disk_size)
				return ERR_INVALID_DATA_DISK_SIZE;
		}
		if ((rc = store_disk_insert(tx, &d)) ||
		    (rc = act_create_tag(tx, r, "disk", d.id, d.region)))
			return rc;
	}
	memcpy(id, in.id, ID_LEN);
	return 0;
}

static int create_tx(struct store_tx *tx, void *arg)
{
	struct create_job *j = arg;
	struct buf prev, res;
	int hit = 0, rc;

	j->n = 0;   /* from scratch: the store re-runs this after a serialization failure */
	buf_init(&prev, 1 << 16);
	rc = act_token_check(tx, j->r, j->token, &hit, &prev);
	if (rc == 0 && hit) {
		/* same request again: the same ids, nothing new */
		char *save = NULL, *tok;
		char *copy = arena_strdup(&j->r->arena, buf_cstr(&prev));

		for (tok = copy ? strtok_r(copy, ",", &save) : NULL; tok && j->n < j->amount;
		     tok = strtok_r(NULL, ",", &save))
			snprintf(j->ids[j->n++], ID_LEN, "%s", tok);
		buf_free(&prev);
		return 0;
	}
	buf_free(&prev);
	if (rc)
		return rc;
	j->place.now_ms = j->r->now_ms;
	rc = net_place_resolve(tx, &j->place);
	if (rc == ERR_MISSING_PARAMETER)
		return api_raise(j->r, ERR_MISSING_PARAMETER, j->place.missing);
	if (rc == ERR_INVALID_PARAMETER)
		return api_raise(j->r, ERR_INVALID_PARAMETER, "ZoneId");
	if (rc)
		return rc;
	buf_init(&res, 1 << 16);
	for (int i = 0; i < j->amount; i++) {
		if ((rc = create_one(tx, j, j->ids[i])))
			break;
		j->n++;
		buf_printf(&res, "%s%s", i ? "," : "", j->ids[i]);
	}
	if (!rc)
		rc = act_token_save(tx, j->r, j->token, buf_cstr(&res));
	buf_free(&res);
	return rc;
}

enum err_id act_create(struct req *r, int amount, int stopped)
{
	struct create_job *j = arena_alloc(&r->arena, sizeof(*j));
	enum err_id rc;

	if (!j)
		return api_raise(r, ERR_INTERNAL_ERROR, NULL);
	j->r = r;
	j->amount = amount;
	j->stopped = stopped;
	j->ids = arena_alloc(&r->arena, (size_t)amount * ID_LEN);
	if (!j->ids)
		return api_raise(r, ERR_INTERNAL_ERROR, NULL);
	if ((rc = validate(r, j)) != ERR_OK)
		return rc;
	if (param_bool(r, PARAM_DryRun, 0))
		return api_raise(r, ERR_DRY_RUN_OPERATION, NULL);
	if ((rc = act_write(r, create_tx, j)) != ERR_OK)
		return rc;
	if (stopped) {
		reply_str(&r->reply, "InstanceId", j->n ? j->ids[0] : "");
	} else {
		reply_list_begin(&r->reply, "InstanceIdSets", "InstanceIdSet");
		for (int i = 0; i < j->n; i++)
			reply_str(&r->reply, NULL, j->ids[i]);
		reply_list_end(&r->reply);
	}
	if (j->charge == CHARGE_PREPAID)
		reply_str(&r->reply, "OrderId", "20671870151");
	reply_int(&r->reply, "TradePrice", 0);
	return ERR_OK;
}
