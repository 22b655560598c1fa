/* leave_security_group.c - LeaveSecurityGroup, applied by sg_join.c (instances and
 * network interfaces alike). */
#include "sg.h"

enum err_id act_leave_security_group(struct req *r)
{
	return act_sg_join(r, 0);
}
