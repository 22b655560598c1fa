/* describe_zones.c - DescribeZones: the zones of one region. */
#include "act.h"
#include "../model/regions.h"

enum err_id act_describe_zones(struct req *r);

enum err_id act_describe_zones(struct req *r)
{
	const struct region *rg = region_find(arg_str(r, "RegionId", ""));

	reply_list_begin(&r->reply, "Zones", "Zone");
	for (int i = 0; rg && rg->zones[i]; i++) {
		reply_obj_begin(&r->reply, NULL);
		reply_str(&r->reply, "ZoneId", rg->zones[i]);
		reply_str(&r->reply, "LocalName", rg->zones[i]);
		reply_list_begin(&r->reply, "AvailableResourceCreation", "ResourceTypes");
		reply_str(&r->reply, NULL, "Instance");
		reply_str(&r->reply, NULL, "Disk");
		reply_list_end(&r->reply);
		reply_list_begin(&r->reply, "AvailableDiskCategories", "DiskCategories");
		reply_str(&r->reply, NULL, "cloud_efficiency");
		reply_str(&r->reply, NULL, "cloud_ssd");
		reply_str(&r->reply, NULL, "cloud_essd");
		reply_list_end(&r->reply);
		reply_obj_end(&r->reply);
	}
	reply_list_end(&r->reply);
	return ERR_OK;
}
