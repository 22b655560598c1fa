/* auth.h - who is calling: credentials file and the
 * verification of a V1 or V3 signed request in the service's check order.
 * No ECS resource rules here; returns API error ids only. */
#ifndef ECSD_AUTH_H
#define ECSD_AUTH_H
#include <stdint.h>
#include <stddef.h>
#include "../common/error.h"
#include "../common/arena.h"
#include "sig.h"

#define AUTH_DEV_ACCOUNT "1000000000000001"
#define AUTH_DEV_AKID    "LTAIecsdDevelopment1"
#define AUTH_DEV_SECRET  "ecsdDevelopmentSecret000000001"

struct cred_key {
	char account_id[32];
	char akid[64];
	char secret[128];
};

struct creds; /* immutable once loaded; shared by all threads */

/* Loads "ACCOUNT_ID ACCESS_KEY_ID ACCESS_KEY_SECRET" lines, '#' comments and
 * blank lines allowed, several keys per account allowed, duplicate key ids
 * refused. On error returns -1 and writes "path:line: reason" to err (never
 * the secret). */
int creds_load(const char *path, struct creds **out, char *err, size_t errlen);
/* Same, from memory (for tests and fuzzing). */
int creds_parse(const char *text, size_t len, struct creds **out, char *err,
                size_t errlen);
/* The built-in development account (AUTH_DEV_*). Caller frees. */
struct creds *creds_dev(void);
/* Key by access key id, or NULL. */
const struct cred_key *creds_find(const struct creds *c, const char *akid);
size_t creds_count(const struct creds *c);
void creds_free(struct creds *c);

/* The nonce check, supplied by the caller (the store's replay cache):
 * 0 first use, 1 used, <0 unavailable (the caller answers 503). stamp_ms is
 * the request's timestamp, already inside the window around now_ms. */
typedef int (*auth_nonce_fn)(void *ctx, const char *akid, const char *nonce,
                             int64_t stamp_ms, int64_t now_ms);

struct auth_input {
	const char *method;             /* "GET" or "POST" */
	const char *path;               /* "/" */
	const struct params *all;       /* query + form body, decoded */
	const struct params *query;     /* query string only (V3) */
	const struct http_header *headers; /* lower-case names */
	size_t nheaders;
	const char *authorization;      /* Authorization header or NULL */
	const char *body;               /* raw body as received */
	size_t body_len;
	int64_t now_ms;                 /* server clock */
};

struct auth_result {
	const char *account_id;    /* on success; points into creds */
	const char *akid;          /* on success */
	int version;               /* 1 or 3 */
	const char *detail;        /* arena string for the error's %s: missing
	                              parameter name, or the server string-to-sign */
};

/* 1 when the request carries an ACS3 Authorization header. */
int auth_is_v3(const char *authorization);

/* Verifies signature, timestamp window and nonce, in this order:
 * required parameters present -> timestamp format -> timestamp window ->
 * access key exists -> signature -> nonce. Action/Version are resolved
 * by the caller before this. Returns ERR_OK or the error id. */
enum err_id auth_verify(struct arena *a, const struct auth_input *in,
                        const struct creds *c, auth_nonce_fn nonce,
                        void *nonce_ctx, struct auth_result *out);

/* Parses "YYYY-MM-DDThh:mm:ssZ" (UTC) to epoch ms; -1 if malformed. */
int64_t auth_parse_timestamp(const char *s);

#endif
