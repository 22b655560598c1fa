/* create_instance.c - CreateInstance: one instance, left Stopped
 * (Pending -> Stopped), as the SDK and the aliyun CLI's own test expect. */
#include "act.h"

enum err_id act_create_instance(struct req *r)
{
	return act_create(r, 1, 1);
}
