/* start_instance.c - StartInstance: Stopped -> Starting -> Running. */
#include "act.h"

enum err_id act_start_instance(struct req *r)
{
	return act_transition(r, TR_START, NULL);
}
