/* describe_available_resource.c - DescribeAvailableResource: per zone, what
 * the fixed catalog sells for one DestinationResource (Zone, IoOptimized,
 * InstanceType, Network, ddh, SystemDisk, DataDisk), narrowed by filters. */
#include "act.h"
#include "../model/catalog.h"
#include "../model/regions.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>


enum dest { D_ZONE, D_IO, D_TYPE, D_NET, D_DDH, D_SYS, D_DATA };
static const char *const dest_names[] = {
	"Zone", "IoOptimized", "InstanceType", "Network", "ddh", "SystemDisk", "DataDisk",
};

struct ar_filter {
	enum dest dest;
	const char *type, *sys_cat, *data_cat;
	long long cores;
	double memory;           /* GiB; <0 when not set */
	int none;                /* a filter nothing satisfies (IoOptimized=none, classic) */
};

static int one_of(const char *v, const char *const *set, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v, set[i]) == 0)
			return (int)i;
	return -1;
}

static int type_ok(const struct ar_filter *f, const char *zone, const struct cat_type *t)
{
	if (!catalog_zone_sells_type(zone, t->id))
		return 0;
	if (f->type && strcmp(f->type, t->id) != 0)
		return 0;
	if (f->cores > 0 && f->cores != t->cores)
		return 0;
	if (f->memory >= 0 && fabs(f->memory - t->memory_gib) > 1e-9)
		return 0;
	return 1;
}

/* 1 if zone has at least one instance type passing the filters (and the
 * disk categories asked for). */
static int zone_ok(const struct ar_filter *f, const char *zone)
{
	int n, any = 0;
	const struct cat_type *t = catalog_types(&n);

	if (f->none)
		return 0;
	if (f->sys_cat && !catalog_zone_sells_disk(zone, f->sys_cat))
		return 0;
	if (f->data_cat && !catalog_zone_sells_disk(zone, f->data_cat))
		return 0;
	if (f->sys_cat && catalog_disk_find(f->sys_cat) && !catalog_disk_find(f->sys_cat)->system)
		return 0;
	for (int i = 0; i < n && !any; i++)
		any = type_ok(f, zone, &t[i]);
	return any;
}

static void supported(struct reply *rp, const char *value, int min, int max)
{
	reply_obj_begin(rp, NULL);
	reply_str(rp, "Value", value);
	reply_str(rp, "Status", "Available");
	reply_str(rp, "StatusCategory", "WithStock");
	if (max > 0) {
		reply_int(rp, "Min", min);
		reply_int(rp, "Max", max);
		reply_str(rp, "Unit", "GiB");
	}
	reply_obj_end(rp);
}

static void zone_values(struct req *r, const struct ar_filter *f, const char *zone)
{
	struct reply *rp = &r->reply;
	int n;

	switch (f->dest) {
	case D_ZONE: supported(rp, zone, 0, 0); break;
	case D_IO: supported(rp, "optimized", 0, 0); break;
	case D_NET: supported(rp, "vpc", 0, 0); break;
	case D_DDH: break;
	case D_TYPE: {
		const struct cat_type *t = catalog_types(&n);
		for (int i = 0; i < n; i++)
			if (type_ok(f, zone, &t[i]))
				supported(rp, t[i].id, 0, 0);
		break;
	}
	case D_SYS: case D_DATA: {
		const struct cat_disk *d = catalog_disks(&n);
		const char *want = f->dest == D_SYS ? f->sys_cat : f->data_cat;
		for (int i = 0; i < n; i++) {
			if (!catalog_zone_sells_disk(zone, d[i].category) ||
			    (want && strcmp(want, d[i].category) != 0) ||
			    (f->dest == D_SYS && !d[i].system))
				continue;
			if (f->dest == D_SYS)
				supported(rp, d[i].category, CAT_SYS_MIN_GB, CAT_SYS_MAX_GB);
			else
				supported(rp, d[i].category, d[i].min_gb, d[i].max_gb);
		}
		break;
	}
	}
}

static enum err_id parse_filter(struct req *r, struct ar_filter *f)
{
	static const char *const rtypes[] = { "instance", "disk", "reservedinstance", "ddh" };
	static const char *const ios[] = { "optimized", "none" };
	static const char *const nets[] = { "vpc", "classic" };
	const char *d = param_str(r, PARAM_DestinationResource, "");
	const char *rt = param_str(r, PARAM_ResourceType, "instance");
	const char *mem = param_str(r, PARAM_Memory, NULL);
	int k;

	memset(f, 0, sizeof(*f));
	f->memory = -1;
	if (!*d)
		return api_raise(r, ERR_INVALID_PARAM, "DestinationResource");
	if ((k = one_of(d, dest_names, sizeof(dest_names) / sizeof(dest_names[0]))) < 0)
		return api_raise(r, ERR_INVALID_DESTINATION_RESOURCE, NULL);
	f->dest = (enum dest)k;
	if (charge_parse(param_str(r, PARAM_InstanceChargeType, "PostPaid")) < 0)
		return api_raise(r, ERR_INVALID_INSTANCE_CHARGE_TYPE_400, NULL);
	if (one_of(rt, rtypes, 4) < 0)
		return api_raise(r, ERR_INVALID_RESOURCE_TYPE_404, NULL);
	if ((k = one_of(param_str(r, PARAM_IoOptimized, "optimized"), ios, 2)) < 0)
		return api_raise(r, ERR_INVALID_IO_OPTIMIZED, NULL);
	f->none |= k == 1;
	if (param_given(r, PARAM_NetworkCategory)) {
		if ((k = one_of(param_str(r, PARAM_NetworkCategory, ""), nets, 2)) < 0)
			return api_raise(r, ERR_INVALID_NETWORK_CATEGORY, NULL);
		f->none |= k == 1;
	}
	f->type = param_str(r, PARAM_InstanceType, NULL);
	f->sys_cat = param_str(r, PARAM_SystemDiskCategory, NULL);
	f->data_cat = param_str(r, PARAM_DataDiskCategory, NULL);
	if (f->type && !*f->type) f->type = NULL;
	if (f->sys_cat && !*f->sys_cat) f->sys_cat = NULL;
	if (f->data_cat && !*f->data_cat) f->data_cat = NULL;
	if (strcmp(rt, "instance") == 0) {
		if ((f->dest == D_SYS || f->dest == D_DATA) && !f->type)
			return api_raise(r, ERR_INVALID_PARAM, "InstanceType");
		if (f->dest == D_DATA && !f->data_cat)
			return api_raise(r, ERR_INVALID_PARAM, "DataDiskCategory");
	} else if (strcmp(rt, "disk") != 0) {
		f->none = 1;   /* reserved instances and dedicated hosts: not sold */
	}
	if (f->dest == D_DDH)
		f->none = 1;
	if (f->dest == D_TYPE) {
		f->cores = param_int(r, PARAM_Cores, 0);
		if (mem && *mem) {
			char *end;
			f->memory = strtod(mem, &end);
			if (*end || f->memory < 0)
				return api_raise(r, ERR_INVALID_PARAMETER, "Memory");
		}
	}
	return ERR_OK;
}

enum err_id act_describe_available_resource(struct req *r)
{
	const struct region *rg = region_find(param_str(r, PARAM_RegionId, ""));
	const char *zone = param_str(r, PARAM_ZoneId, NULL);
	struct ar_filter f;
	struct reply *rp = &r->reply;
	enum err_id rc;

	if (!rg)
		return api_raise(r, ERR_INVALID_REGION_ID_404, NULL);
	if ((rc = parse_filter(r, &f)) != ERR_OK)
		return rc;
	reply_list_begin(rp, "AvailableZones", "AvailableZone");
	for (int i = 0; rg->zones[i]; i++) {
		const char *z = rg->zones[i];

		if ((zone && *zone && strcmp(zone, z) != 0) || !zone_ok(&f, z))
			continue;
		reply_obj_begin(rp, NULL);
		reply_str(rp, "RegionId", rg->id);
		reply_str(rp, "ZoneId", z);
		reply_str(rp, "Status", "Available");
		reply_str(rp, "StatusCategory", "WithStock");
		reply_list_begin(rp, "AvailableResources", "AvailableResource");
		reply_obj_begin(rp, NULL);
		reply_str(rp, "Type", dest_names[f.dest]);
		reply_list_begin(rp, "SupportedResources", "SupportedResource");
		zone_values(r, &f, z);
		reply_list_end(rp);
		reply_obj_end(rp);
		reply_list_end(rp);
		reply_obj_end(rp);
	}
	reply_list_end(rp);
	return ERR_OK;
}
