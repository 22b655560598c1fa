/* authorize_security_group.c - AuthorizeSecurityGroup: inbound rules, applied by sg_rules_apply.c (the same
 * checks and identity for both directions). */
#include "sg.h"

enum err_id act_authorize_security_group(struct req *r)
{
	return act_sg_authorize(r, 0);
}
