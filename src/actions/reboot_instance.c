/* reboot_instance.c - RebootInstance: Running -> Starting -> Running. */
#include "act.h"

enum err_id act_reboot_instance(struct req *r)
{
	return act_transition(r, TR_REBOOT, NULL);
}
