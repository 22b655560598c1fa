/* ctl_int.h - what the tester's control endpoints (clock.c, faults.c,
 * state.c, reset.c; routed by tools.c) share: JSON replies, body and query
 * parsing, store errors. Include it only from src/ctl/. */
#ifndef ECSD_CTL_INT_H
#define ECSD_CTL_INT_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct ecsd;
struct http_out;

/* Fills out with j (stolen) as application/json. */
void ctlx_reply(struct http_out *out, int status, json_t *j);
void ctlx_error(struct http_out *out, int status, const char *code,
                const char *msg);
/* The answer for a store code (404 is the caller's business). */
void ctlx_store_error(struct http_out *out, int rc);
/* The body as a JSON object (new reference), or NULL after answering 400. */
json_t *ctlx_body(const char *body, size_t len, struct http_out *out);
/* The value of name in a raw query string, copied to val; 0, or -1 when
 * absent, too long or percent-encoded. */
int ctlx_query(const char *query, const char *name, char *val, size_t n);
/* 1 if s is a plausible account id (1..31 of [0-9A-Za-z_-]). */
int ctlx_account_ok(const char *s);

/* The endpoints; each fills out. */
void ctl_clock(struct ecsd *e, const char *method, const char *body,
               size_t len, struct http_out *out);
void ctl_faults(struct ecsd *e, const char *method, const char *id,
                const char *body, size_t len, struct http_out *out);
void ctl_state_export(struct ecsd *e, const char *query, struct http_out *out);
void ctl_state_import(struct ecsd *e, const char *body, size_t len,
                      struct http_out *out);
void ctl_reset(struct ecsd *e, const char *body, size_t len,
               struct http_out *out);

#endif
