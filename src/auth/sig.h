/* sig.h - Alibaba Cloud request signatures: V1 RPC (HMAC-SHA1) and V3
 * ACS3-HMAC-SHA256 canonicalisation and signing. Pure functions over
 * already-decoded parameters: no key lookup, no clocks, no I/O.
 * Shared by the server (verification) and the ecs client (signing). */
#ifndef ECSD_SIG_H
#define ECSD_SIG_H
#include <stddef.h>
#include "../common/buf.h"
#include "../common/form.h"
#include "../common/header.h"

#define SIG_V1_B64_LEN 28 /* base64 of a 20-byte SHA-1 HMAC */
#define SIG_HEX256_LEN 64

/* RFC 3986 encoding used by both versions: keep A-Za-z0-9-_.~, every other
 * byte -> %XY upper-case hex. Returns buf status (0 / -1 over limit). */
int sig_pct_encode(struct buf *out, const char *s, size_t len);

/* V1: "METHOD&%2F&" + pct(sorted canonical query), every parameter except
 * "Signature" (empty values kept), sorted by name in byte order (stable for
 * equal names). Returns 0, or -1 when out overflowed / out of memory. */
int sig_v1_string_to_sign(struct buf *out, const char *method,
                          const struct param *p, size_t n);
/* base64(HMAC-SHA1(secret + "&", sts)) into out (NUL-terminated). */
void sig_v1_sign(const char *secret, const char *sts, size_t sts_len,
                 char out[SIG_V1_B64_LEN + 1]);

/* V3 canonical request:
 * METHOD\nPATH\nCanonicalQuery\nCanonicalHeaders\nSignedHeaders\nPayloadHash
 * query: decoded query-string parameters only (not the body).
 * signed_headers: the ';'-joined lower-case list from Authorization; each
 * named header is looked up in h (several values joined with ','); a named
 * header that is absent yields -2. Returns 0, -1 overflow, -2 missing header. */
int sig_v3_canonical_request(struct buf *out, const char *method,
                             const char *path, const struct param *query,
                             size_t nq, const struct http_header *h, size_t nh,
                             const char *signed_headers,
                             const char *payload_hash_hex);
/* "ACS3-HMAC-SHA256\n" + hex(sha256(canonical_request)) into out. */
int sig_v3_string_to_sign(struct buf *out, const char *creq, size_t creq_len);
/* hex(HMAC-SHA256(secret, sts)), lower case, NUL-terminated. */
void sig_v3_sign(const char *secret, const char *sts, size_t sts_len,
                 char out[SIG_HEX256_LEN + 1]);
/* lower-case hex SHA-256 of data. */
void sig_sha256_hex(const void *data, size_t len, char out[SIG_HEX256_LEN + 1]);

/* Parses "ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=a;b,Signature=hex".
 * Pointers are arena copies. Returns 0, or -1 if malformed. */
struct sig_v3_auth {
	const char *algorithm;
	const char *credential;
	const char *signed_headers;
	const char *signature;
};
int sig_v3_parse_authorization(struct arena *a, const char *hdr,
                               struct sig_v3_auth *out);

/* Constant-time string equality (lengths compared in the open). 1 if equal. */
int sig_equal(const char *a, const char *b);

#endif
