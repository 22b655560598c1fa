/* describe_zones.c - DescribeZones: the zones of one region with what each
 * sells (the fixed catalog of model/catalog.c). */
#include "act.h"
#include "../model/catalog.h"
#include "../model/regions.h"
#include <string.h>


static void zone_types(struct req *r, const char *zone, const char *container,
                       const char *item)
{
	int n;
	const struct cat_type *t = catalog_types(&n);

	reply_list_begin(&r->reply, container, item);
	for (int i = 0; i < n; i++)
		if (catalog_zone_sells_type(zone, t[i].id))
			reply_str(&r->reply, NULL, t[i].id);
	reply_list_end(&r->reply);
}

static void zone_disks(struct req *r, const char *zone, const char *container,
                       const char *item, int system_only)
{
	int n;
	const struct cat_disk *d = catalog_disks(&n);

	reply_list_begin(&r->reply, container, item);
	for (int i = 0; i < n; i++)
		if (catalog_zone_sells_disk(zone, d[i].category) && (!system_only || d[i].system))
			reply_str(&r->reply, NULL, d[i].category);
	reply_list_end(&r->reply);
}

static void zone_resources(struct req *r, const char *zone)
{
	int n;
	const struct cat_family *f = catalog_families(&n);
	struct reply *rp = &r->reply;

	reply_list_begin(rp, "AvailableResources", "ResourcesInfo");
	reply_obj_begin(rp, NULL);
	reply_bool(rp, "IoOptimized", 1);
	zone_types(r, zone, "InstanceTypes", "supportedInstanceType");
	reply_list_begin(rp, "InstanceTypeFamilies", "supportedInstanceTypeFamily");
	for (int i = 0; i < n; i++)
		reply_str(rp, NULL, f[i].id);
	reply_list_end(rp);
	reply_list_begin(rp, "InstanceGenerations", "supportedInstanceGeneration");
	for (int i = 0; i < n; i++) {
		int seen = 0;
		for (int k = 0; k < i; k++)
			seen |= strcmp(f[k].generation, f[i].generation) == 0;
		if (!seen)
			reply_str(rp, NULL, f[i].generation);
	}
	reply_list_end(rp);
	zone_disks(r, zone, "SystemDiskCategories", "supportedSystemDiskCategory", 1);
	zone_disks(r, zone, "DataDiskCategories", "supportedDataDiskCategory", 0);
	reply_list_begin(rp, "NetworkTypes", "supportedNetworkCategory");
	reply_str(rp, NULL, "vpc");
	reply_list_end(rp);
	reply_obj_end(rp);
	reply_list_end(rp);
}

enum err_id act_describe_zones(struct req *r)
{
	const struct region *rg = region_find(param_str(r, PARAM_RegionId, ""));
	const char *lang = param_str(r, PARAM_AcceptLanguage, "zh-CN");
	int verbose = param_bool(r, PARAM_Verbose, 1);
	struct reply *rp = &r->reply;

	if (charge_parse(param_str(r, PARAM_InstanceChargeType, "PostPaid")) < 0)
		return api_raise(r, ERR_INVALID_INSTANCE_CHARGE_TYPE_NOT_FOUND, NULL);
	if (strcmp(lang, "zh-CN") && strcmp(lang, "en-US") && strcmp(lang, "ja"))
		return api_raise(r, ERR_INVALID_ACCEPT_LANGUAGE_NOT_FOUND, NULL);
	reply_list_begin(rp, "Zones", "Zone");
	for (int i = 0; rg && rg->zones[i]; i++) {
		const char *z = rg->zones[i];
		char local[96];

		region_zone_local_name(rg, z, lang[0] == 'z', local, sizeof(local));
		reply_obj_begin(rp, NULL);
		reply_str(rp, "ZoneId", z);
		reply_str(rp, "LocalName", local);
		reply_str(rp, "ZoneType", "AvailabilityZone");
		reply_list_begin(rp, "AvailableResourceCreation", "ResourceTypes");
		reply_str(rp, NULL, "VSwitch");
		reply_str(rp, NULL, "IoOptimized");
		reply_str(rp, NULL, "Instance");
		reply_str(rp, NULL, "Disk");
		reply_list_end(rp);
		zone_types(r, z, "AvailableInstanceTypes", "InstanceTypes");
		zone_disks(r, z, "AvailableDiskCategories", "DiskCategories", 0);
		reply_list_begin(rp, "AvailableVolumeCategories", "VolumeCategories");
		reply_list_end(rp);
		reply_list_begin(rp, "AvailableDedicatedHostTypes", "DedicatedHostType");
		reply_list_end(rp);
		reply_list_begin(rp, "DedicatedHostGenerations", "DedicatedHostGeneration");
		reply_list_end(rp);
		if (verbose)
			zone_resources(r, z);
		reply_obj_end(rp);
	}
	reply_list_end(rp);
	return ERR_OK;
}
