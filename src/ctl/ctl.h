/* ctl.h - the control API under /_ecsd/: states real ECS reaches outside
 * its public API (locks, expiry, dependencies, fault injection), bulk
 * load, health. JSON in and out, bearer token, loopback by default. */
#ifndef ECSD_CTL_H
#define ECSD_CTL_H
#include <stddef.h>

struct ecsd;
struct http_out;

/* path: the URL path after "/_ecsd" (e.g. "/instances/i-x/flags").
 * token: the bearer token the client sent, or NULL. loopback: 1 if the
 * peer is on a loopback address. Fills out (body malloc'd). */
void ctl_handle(struct ecsd *e, const char *method, const char *path,
                const char *body, size_t body_len, const char *token,
                int loopback, struct http_out *out);

#endif
