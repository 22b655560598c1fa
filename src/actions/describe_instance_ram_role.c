/* describe_instance_ram_role.c - RAM roles attached to instances: ecsd
 * models no RAM, so no instance has one and the list is empty (wrapped). */
#include "act.h"

enum err_id act_describe_instance_ram_role(struct req *r)
{
	reply_str(&r->reply, "RegionId", param_str(r, PARAM_RegionId, ""));
	reply_list_begin(&r->reply, "InstanceRamRoleSets", "InstanceRamRoleSet");
	reply_list_end(&r->reply);
	reply_int(&r->reply, "TotalCount", 0);
	return ERR_OK;
}
