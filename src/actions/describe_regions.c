/* describe_regions.c - DescribeRegions: the fixed region table. */
#include "act.h"
#include "../model/regions.h"


enum err_id act_describe_regions(struct req *r)
{
	int n;
	const struct region *rg = regions_all(&n);
	const char *lang = param_str(r, PARAM_AcceptLanguage, "zh-CN");
	int en = lang[0] == 'e';

	reply_list_begin(&r->reply, "Regions", "Region");
	for (int i = 0; i < n; i++) {
		reply_obj_begin(&r->reply, NULL);
		reply_str(&r->reply, "RegionId", rg[i].id);
		reply_str(&r->reply, "LocalName", en ? rg[i].id : rg[i].local_name);
		reply_str(&r->reply, "RegionEndpoint", rg[i].endpoint);
		reply_str(&r->reply, "Status", "available");
		reply_obj_end(&r->reply);
	}
	reply_list_end(&r->reply);
	return ERR_OK;
}
