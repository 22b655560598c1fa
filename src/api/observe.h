/* observe.h - per-request metrics (and, later, the audit hook) recorded
 * by dispatch once a call is answered. No ECS resource rules here. */
#ifndef ECSD_OBSERVE_H
#define ECSD_OBSERVE_H
#include "api.h"

/* Records one answered call: rc its outcome, status the HTTP status,
 * seconds its latency. */
void api_observe(const struct req *r, enum err_id rc, int status, double seconds);

#endif
