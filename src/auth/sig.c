/* sig.c - V1 (HMAC-SHA1) and V3 (ACS3-HMAC-SHA256) canonicalisation and
 * signing (see sig.h). Pure: no key lookup, no clock, no I/O, no logging;
 * secrets are only ever passed to HMAC and wiped from local copies. */
#include "sig.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include "../common/limits.h"

#define SIG_V3_ALGORITHM "ACS3-HMAC-SHA256"
#define SIG_KEY_BYTES 1024 /* longest secret (+ '&') sig_v1_sign accepts */

static const char sig_hex_upper[] = "0123456789ABCDEF";
static const char sig_hex_lower[] = "0123456789abcdef";

static int sig_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
	       c == '~';
}

int sig_pct_encode(struct buf *out, const char *s, size_t len)
{
	size_t i, run;
	char esc[3];

	for (i = 0; i < len;) {
		run = i;
		while (run < len && sig_unreserved((unsigned char)s[run]))
			run++;
		if (run > i && buf_add(out, s + i, run - i))
			return -1;
		if (run == len)
			break;
		esc[0] = '%';
		esc[1] = sig_hex_upper[(unsigned char)s[run] >> 4];
		esc[2] = sig_hex_upper[(unsigned char)s[run] & 15];
		if (buf_add(out, esc, 3))
			return -1;
		i = run + 1;
	}
	return out->over ? -1 : 0;
}

static void sig_hex(const unsigned char *d, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = sig_hex_lower[d[i] >> 4];
		out[2 * i + 1] = sig_hex_lower[d[i] & 15];
	}
	out[2 * n] = '\0';
}

/* One parameter in a sort: the index keeps the sort stable. */
struct sig_sorted {
	const struct param *p;
	size_t idx;
};

static int sig_cmp_param(const void *x, const void *y)
{
	const struct sig_sorted *a = x, *b = y;
	size_t n = a->p->nlen < b->p->nlen ? a->p->nlen : b->p->nlen;
	int c = memcmp(a->p->name, b->p->name, n);

	if (c)
		return c;
	if (a->p->nlen != b->p->nlen)
		return a->p->nlen < b->p->nlen ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* Sorted "enc(n)=enc(v)&..." of p, skipping a parameter named skip (or
 * none when NULL). out's ceiling bounds the work. */
static int sig_canonical_query(struct buf *out, const struct param *p,
                               size_t n, const char *skip)
{
	struct sig_sorted *s;
	size_t i, k = 0, skiplen = skip ? strlen(skip) : 0;
	int rc = 0, first = 1;

	if (n > LIM_PARAM_COUNT)
		return -1;
	if (n == 0)
		return 0;
	s = malloc(n * sizeof(*s));
	if (!s)
		return -1;
	for (i = 0; i < n; i++) {
		if (skip && p[i].nlen == skiplen &&
		    memcmp(p[i].name, skip, skiplen) == 0)
			continue;
		s[k].p = &p[i];
		s[k].idx = i;
		k++;
	}
	qsort(s, k, sizeof(*s), sig_cmp_param);
	for (i = 0; i < k && rc == 0; i++) {
		if (!first)
			rc |= buf_addc(out, '&');
		first = 0;
		rc |= sig_pct_encode(out, s[i].p->name, s[i].p->nlen);
		rc |= buf_addc(out, '=');
		rc |= sig_pct_encode(out, s[i].p->value, s[i].p->vlen);
	}
	free(s);
	return rc ? -1 : 0;
}

int sig_v1_string_to_sign(struct buf *out, const char *method,
                          const struct param *p, size_t n)
{
	struct buf cq;
	int rc;

	/* The string to sign is never shorter than the canonical query, so
	 * out's ceiling is a valid ceiling for the intermediate as well. */
	buf_init(&cq, out->limit);
	rc = sig_canonical_query(&cq, p, n, "Signature");
	if (rc == 0) {
		rc |= buf_adds(out, method);
		rc |= buf_adds(out, "&%2F&");
		rc |= sig_pct_encode(out, cq.p ? cq.p : "", cq.len);
	}
	buf_free(&cq);
	return rc || out->over ? -1 : 0;
}

void sig_v1_sign(const char *secret, const char *sts, size_t sts_len,
                 char out[SIG_V1_B64_LEN + 1])
{
	unsigned char key[SIG_KEY_BYTES], md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	size_t kl = strlen(secret);

	out[0] = '\0';
	if (kl + 1 > sizeof(key))
		return;
	memcpy(key, secret, kl);
	key[kl] = '&';
	if (HMAC(EVP_sha1(), key, (int)(kl + 1), (const unsigned char *)sts,
	         sts_len, md, &mdlen) && mdlen == 20)
		EVP_EncodeBlock((unsigned char *)out, md, 20);
	OPENSSL_cleanse(key, kl + 1);
}

/* Trims spaces and tabs from both ends of s; returns start and *len. */
static const char *sig_trim(const char *s, size_t *len)
{
	size_t n = strlen(s);

	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	*len = n;
	return s;
}

/* Appends "name:v1,v2\n" for every header called name; -2 if none. */
static int sig_canonical_header(struct buf *out, const char *name, size_t nlen,
                                const struct http_header *h, size_t nh)
{
	const char *v;
	size_t i, vlen;
	int found = 0, rc = 0;

	for (i = 0; i < nh; i++) {
		if (strlen(h[i].name) != nlen ||
		    strncasecmp(h[i].name, name, nlen) != 0)
			continue;
		if (!found) {
			rc |= buf_add(out, name, nlen);
			rc |= buf_addc(out, ':');
		} else {
			rc |= buf_addc(out, ',');
		}
		v = sig_trim(h[i].value ? h[i].value : "", &vlen);
		rc |= buf_add(out, v, vlen);
		found = 1;
	}
	if (!found)
		return -2;
	return buf_addc(out, '\n') || rc ? -1 : 0;
}

int sig_v3_canonical_request(struct buf *out, const char *method,
                             const char *path, const struct param *query,
                             size_t nq, const struct http_header *h, size_t nh,
                             const char *signed_headers,
                             const char *payload_hash_hex)
{
	const char *s = signed_headers, *semi;
	int rc = 0;

	rc |= buf_adds(out, method);
	rc |= buf_addc(out, '\n');
	rc |= buf_adds(out, path);
	rc |= buf_addc(out, '\n');
	if (rc || sig_canonical_query(out, query, nq, NULL))
		return -1;
	rc |= buf_addc(out, '\n');
	for (;;) {
		semi = strchr(s, ';');
		if (!semi)
			semi = s + strlen(s);
		rc = sig_canonical_header(out, s, (size_t)(semi - s), h, nh);
		if (rc)
			return rc;
		if (!*semi)
			break;
		s = semi + 1;
	}
	rc |= buf_addc(out, '\n');
	rc |= buf_adds(out, signed_headers);
	rc |= buf_addc(out, '\n');
	rc |= buf_adds(out, payload_hash_hex);
	return rc || out->over ? -1 : 0;
}

void sig_sha256_hex(const void *data, size_t len, char out[SIG_HEX256_LEN + 1])
{
	unsigned char md[SHA256_DIGEST_LENGTH];

	SHA256(data, len, md);
	sig_hex(md, sizeof(md), out);
}

int sig_v3_string_to_sign(struct buf *out, const char *creq, size_t creq_len)
{
	char hex[SIG_HEX256_LEN + 1];
	int rc = 0;

	sig_sha256_hex(creq, creq_len, hex);
	rc |= buf_adds(out, SIG_V3_ALGORITHM "\n");
	rc |= buf_adds(out, hex);
	return rc ? -1 : 0;
}

void sig_v3_sign(const char *secret, const char *sts, size_t sts_len,
                 char out[SIG_HEX256_LEN + 1])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	size_t kl = strlen(secret);

	out[0] = '\0';
	if (kl > SIG_KEY_BYTES)
		return;
	if (HMAC(EVP_sha256(), secret, (int)kl, (const unsigned char *)sts,
	         sts_len, md, &mdlen) && mdlen == 32)
		sig_hex(md, 32, out);
}

/* Stores value into the field of out named by key; -1 unknown/duplicate. */
static int sig_v3_field(struct arena *a, const char *key, size_t klen,
                        const char *val, size_t vlen, struct sig_v3_auth *out)
{
	static const char *const names[] = { "Credential", "SignedHeaders",
	                                     "Signature" };
	const char **slot[3];
	size_t i;

	slot[0] = &out->credential;
	slot[1] = &out->signed_headers;
	slot[2] = &out->signature;
	for (i = 0; i < 3; i++) {
		if (strlen(names[i]) != klen ||
		    memcmp(names[i], key, klen) != 0)
			continue;
		if (*slot[i] || vlen == 0)
			return -1;
		*slot[i] = arena_strndup(a, val, vlen);
		return *slot[i] ? 0 : -1;
	}
	return -1;
}

int sig_v3_parse_authorization(struct arena *a, const char *hdr,
                               struct sig_v3_auth *out)
{
	const char *p, *sp, *end, *eq, *comma;
	size_t n;

	memset(out, 0, sizeof(*out));
	if (!hdr)
		return -1;
	sp = strchr(hdr, ' ');
	if (!sp || sp == hdr)
		return -1;
	out->algorithm = arena_strndup(a, hdr, (size_t)(sp - hdr));
	if (!out->algorithm)
		return -1;
	p = sp;
	end = hdr + strlen(hdr);
	while (p < end) {
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p == end)
			break;
		comma = memchr(p, ',', (size_t)(end - p));
		if (!comma)
			comma = end;
		n = (size_t)(comma - p);
		while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		eq = memchr(p, '=', n);
		if (!eq || eq == p ||
		    sig_v3_field(a, p, (size_t)(eq - p), eq + 1,
		                 n - (size_t)(eq - p) - 1, out))
			return -1;
		p = comma + (comma < end);
	}
	if (!out->credential || !out->signed_headers || !out->signature)
		return -1;
	/* header names are HTTP tokens (RFC 9110 tchar), ';'-separated: other
	 * bytes cannot name a header, and would be echoed in error replies */
	n = strlen(out->signed_headers);
	if (strspn(out->signed_headers, "!#$%&'*+-.^_`|~;0123456789"
	           "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") != n)
		return -1;
	return 0;
}

int sig_equal(const char *a, const char *b)
{
	size_t i, n = strlen(a);
	volatile unsigned char d = 0;

	if (n != strlen(b))
		return 0;
	for (i = 0; i < n; i++)
		d |= (unsigned char)(a[i] ^ b[i]);
	return d == 0;
}
