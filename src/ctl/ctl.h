/* ctl.h - the control API under /_ecsd/: states real ECS reaches outside
 * its public API (locks, expiry, dependencies, fault injection), bulk
 * load, health. JSON in and out, bearer token, loopback by default. */
#ifndef ECSD_CTL_H
#define ECSD_CTL_H
#include <stddef.h>
#include <stdint.h>

struct ecsd;
struct http_out;

/* path: the URL path after "/_ecsd" (e.g. "/instances/i-x/flags").
 * query: the raw query string after '?', or NULL.
 * token: the bearer token the client sent, or NULL. loopback: 1 if the
 * peer is on a loopback address. Fills out (body malloc'd). */
void ctl_handle(struct ecsd *e, const char *method, const char *path,
                const char *query, const char *body, size_t body_len,
                const char *token, int loopback, struct http_out *out);

/* The virtual clock (api/rig.h); the real one if the store cannot say
 * (the write that follows then fails anyway). */
int64_t ctl_now_ms(struct ecsd *e);

/* The tester's endpoints (/clock, /faults, /state, /reset: tools.c), for
 * an authenticated request. 1 if path is one of them (out filled), else 0. */
int ctl_tools_route(struct ecsd *e, const char *method, const char *path,
                    const char *query, const char *body, size_t len,
                    struct http_out *out);

#endif
