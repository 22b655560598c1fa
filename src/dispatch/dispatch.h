/* dispatch.h - one ECS API request from decoded transport fields to a
 * rendered response, in the service's order of checks. No sockets here. */
#ifndef ECSD_DISPATCH_H
#define ECSD_DISPATCH_H
#include <stddef.h>
#include "../common/header.h"

struct ecsd;
struct product;

struct http_in {
	const char *method;
	const char *host;               /* Host header or NULL */
	const char *raw_query;          /* text after '?', not decoded; may be NULL */
	size_t raw_query_len;
	const char *content_type;       /* or NULL */
	const char *body;
	size_t body_len;
	int body_too_large;             /* the transport refused the body */
	int bad_length;                 /* Content-Length repeated or not one number */
	const struct http_header *headers; /* lower-case names */
	size_t nheaders;
	const char *authorization;      /* or NULL */
	int bad_path;                   /* path other than "/" */
	const char *peer;               /* client address (audit trail) or NULL */
	/* Waits ms; nonzero if the client went away meanwhile (may be NULL). */
	int (*peer_wait)(void *peer_ctx, long long ms);
	void *peer_ctx;
};

struct http_out {
	int status;
	const char *content_type;
	char request_id[37];
	char *body;     /* malloc'd; caller frees */
	size_t body_len;
	int retry_after_ms; /* >0: send x-acs-retry-after */
	struct { const char *name, *value; } extra[6]; /* static strings */
	int nextra;     /* further response headers (console, redirects) */
	int drop;           /* close the connection, send nothing */
};

/* Every product ecsd serves (products.c), its tables bound on first use;
 * the first is ECS. */
const struct product *api_products(size_t *n);
/* The product whose API Version is version, or NULL. */
const struct product *api_product_for_version(const char *version);

/* Handles one request; always fills out (never fails). */
void api_dispatch(struct ecsd *e, const struct http_in *in, struct http_out *out);

#endif
