/* run_instances.c - RunInstances: 1-100 instances, started
 * (Pending -> Starting -> Running). */
#include "act.h"

enum err_id act_run_instances(struct req *r)
{
	return act_create(r, (int)param_int(r, PARAM_Amount, 1), 0);
}
