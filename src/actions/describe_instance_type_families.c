/* describe_instance_type_families.c - DescribeInstanceTypeFamilies: the
 * families of the fixed catalog with their generation. */
#include "act.h"
#include "../model/catalog.h"
#include <string.h>


enum err_id act_describe_instance_type_families(struct req *r)
{
	int n;
	const struct cat_family *f = catalog_families(&n);
	const char *gen = param_str(r, PARAM_Generation, "");
	struct reply *rp = &r->reply;

	reply_list_begin(rp, "InstanceTypeFamilies", "InstanceTypeFamily");
	for (int i = 0; i < n; i++) {
		if (*gen && strcmp(gen, f[i].generation) != 0)
			continue;
		reply_obj_begin(rp, NULL);
		reply_str(rp, "InstanceTypeFamilyId", f[i].id);
		reply_str(rp, "Generation", f[i].generation);
		reply_obj_end(rp);
	}
	reply_list_end(rp);
	return ERR_OK;
}
