/* revoke_security_group_egress.c - RevokeSecurityGroupEgress: outbound rules, applied by sg_rules_apply.c (the same
 * checks and identity for both directions). */
#include "sg.h"

enum err_id act_revoke_security_group_egress(struct req *r)
{
	return act_sg_revoke(r, 1);
}
