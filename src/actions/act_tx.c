/* act_tx.c - running a handler's store job (act.h): act_write, act_read. */
#include "act.h"

enum err_id act_write(struct req *r, store_fn fn, void *job)
{
	return act_result(r, store_write(r->ecsd->store, fn, job));
}

enum err_id act_read(struct req *r, store_fn fn, void *job)
{
	return act_result(r, store_read(r->ecsd->store, fn, job));
}
