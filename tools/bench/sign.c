/* sign.c - builds the bytes of one ECS request, signed V1 (GET, query
 * string, HMAC-SHA1) or V3 (POST, ACS3-HMAC-SHA256 headers), through the
 * server's own sig_* functions; and finds fields in JSON answers. No
 * sockets here, no ECS rules. */
#include "bench.h"
#include "../../src/auth/sig.h"
#include "../../src/common/form.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

/* hex(sha256("")): the payload hash of an empty body. */
#define SIGN_EMPTY_SHA256 \
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define SIGN_V3_HEADERS \
	"host;x-acs-action;x-acs-content-sha256;x-acs-date;" \
	"x-acs-signature-nonce;x-acs-version"
#define SIGN_SCRATCH_BYTES (4 * BENCH_REQ_BYTES)

/* "YYYY-MM-DDThh:mm:ssZ", cached for the current second per thread. */
static const char *sign_timestamp(void)
{
	static __thread time_t last = -1;
	static __thread char ts[32];
	time_t now = time(NULL);
	struct tm tm;

	if (now != last) {
		if (!gmtime_r(&now, &tm) ||
		    strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
			ts[0] = '\0';
		last = now;
	}
	return ts;
}

/* Unique per process run (random salt), thread and request. */
static void sign_nonce(struct bench_thread *t, char out[64])
{
	snprintf(out, 64, "%s-%d-%llu", t->b->salt, t->idx,
	         (unsigned long long)++t->nonce_ctr);
}

static int sign_add(struct arena *a, struct params *p, const char *k,
                    const char *v)
{
	return params_add(a, p, k, strlen(k), v, strlen(v));
}

static int sign_has(const struct kv *p, size_t n, const char *k)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(p[i].k, k) == 0)
			return 1;
	return 0;
}

/* "k=v&k=v" of p, RFC 3986 encoded, appended to out. */
static int sign_query(struct buf *out, const struct params *p)
{
	int rc = 0;

	for (size_t i = 0; i < p->n; i++) {
		if (i)
			rc |= buf_addc(out, '&');
		rc |= sig_pct_encode(out, p->v[i].name, p->v[i].nlen);
		rc |= buf_addc(out, '=');
		rc |= sig_pct_encode(out, p->v[i].value, p->v[i].vlen);
	}
	return rc;
}

static int sign_v1(struct bench_thread *t, const char *action,
                   const struct kv *kv, size_t n, struct buf *out)
{
	const struct bench_cfg *cfg = &t->b->cfg;
	struct params p = { 0 };
	struct buf sts;
	char nonce[64], sig[SIG_V1_B64_LEN + 1];
	int rc = 0;

	sign_nonce(t, nonce);
	rc |= sign_add(&t->arena, &p, "Action", action);
	rc |= sign_add(&t->arena, &p, "Format", cfg->xml ? "XML" : "JSON");
	rc |= sign_add(&t->arena, &p, "Version", BENCH_API_VERSION);
	rc |= sign_add(&t->arena, &p, "AccessKeyId", cfg->akid);
	rc |= sign_add(&t->arena, &p, "SignatureMethod", "HMAC-SHA1");
	rc |= sign_add(&t->arena, &p, "SignatureVersion", "1.0");
	rc |= sign_add(&t->arena, &p, "SignatureNonce", nonce);
	rc |= sign_add(&t->arena, &p, "Timestamp", sign_timestamp());
	if (!sign_has(kv, n, "RegionId"))
		rc |= sign_add(&t->arena, &p, "RegionId", cfg->region);
	for (size_t i = 0; i < n; i++)
		rc |= sign_add(&t->arena, &p, kv[i].k, kv[i].v);
	if (rc)
		return -1;
	buf_init(&sts, SIGN_SCRATCH_BYTES);
	rc = sig_v1_string_to_sign(&sts, "GET", p.v, p.n);
	if (rc == 0)
		sig_v1_sign(cfg->secret, sts.p, sts.len, sig);
	buf_free(&sts);
	if (rc || !sig[0])
		return -1;
	rc |= buf_adds(out, "GET ");
	rc |= buf_adds(out, cfg->path);
	rc |= buf_addc(out, '?');
	rc |= sign_query(out, &p);
	rc |= buf_adds(out, "&Signature=");
	rc |= sig_pct_encode(out, sig, strlen(sig));
	rc |= buf_printf(out, " HTTP/1.1\r\nHost: %s\r\n\r\n", cfg->host_hdr);
	return rc || out->over ? -1 : 0;
}

static int sign_v3(struct bench_thread *t, const char *action,
                   const struct kv *kv, size_t n, struct buf *out)
{
	const struct bench_cfg *cfg = &t->b->cfg;
	struct params q = { 0 };
	struct http_header h[6];
	struct buf creq, sts;
	char nonce[64], sig[SIG_HEX256_LEN + 1];
	const char *ts = sign_timestamp();
	int rc = 0;

	sign_nonce(t, nonce);
	if (!sign_has(kv, n, "RegionId"))
		rc |= sign_add(&t->arena, &q, "RegionId", cfg->region);
	if (cfg->xml)
		rc |= sign_add(&t->arena, &q, "Format", "XML");
	for (size_t i = 0; i < n; i++)
		rc |= sign_add(&t->arena, &q, kv[i].k, kv[i].v);
	if (rc)
		return -1;
	h[0] = (struct http_header){ "host", cfg->host_hdr };
	h[1] = (struct http_header){ "x-acs-action", action };
	h[2] = (struct http_header){ "x-acs-content-sha256", SIGN_EMPTY_SHA256 };
	h[3] = (struct http_header){ "x-acs-date", ts };
	h[4] = (struct http_header){ "x-acs-signature-nonce", nonce };
	h[5] = (struct http_header){ "x-acs-version", BENCH_API_VERSION };
	buf_init(&creq, SIGN_SCRATCH_BYTES);
	buf_init(&sts, SIGN_SCRATCH_BYTES);
	rc = sig_v3_canonical_request(&creq, "POST", "/", q.v, q.n, h, 6,
	                              SIGN_V3_HEADERS, SIGN_EMPTY_SHA256);
	if (rc == 0)
		rc = sig_v3_string_to_sign(&sts, creq.p, creq.len);
	if (rc == 0)
		sig_v3_sign(cfg->secret, sts.p, sts.len, sig);
	buf_free(&creq);
	buf_free(&sts);
	if (rc || !sig[0])
		return -1;
	rc |= buf_adds(out, "POST ");
	rc |= buf_adds(out, cfg->path);
	rc |= buf_addc(out, '?');
	rc |= sign_query(out, &q);
	rc |= buf_printf(out, " HTTP/1.1\r\nHost: %s\r\n", cfg->host_hdr);
	for (int i = 1; i < 6; i++)
		rc |= buf_printf(out, "%s: %s\r\n", h[i].name, h[i].value);
	rc |= buf_printf(out, "Authorization: ACS3-HMAC-SHA256 Credential=%s,"
	                 "SignedHeaders=%s,Signature=%s\r\n"
	                 "Content-Length: 0\r\n\r\n",
	                 cfg->akid, SIGN_V3_HEADERS, sig);
	return rc || out->over ? -1 : 0;
}

int sign_request(struct bench_thread *t, const char *action,
                 const struct kv *p, size_t n, struct buf *out)
{
	if (t->b->cfg.sign == SIGN_V3)
		return sign_v3(t, action, p, n, out);
	return sign_v1(t, action, p, n, out);
}

int sign_control(struct bench_thread *t, const char *method, const char *path,
                 const char *json, struct buf *out)
{
	const struct bench_cfg *cfg = &t->b->cfg;
	size_t n = json ? strlen(json) : 0;
	int rc;

	rc = buf_printf(out, "%s %s HTTP/1.1\r\nHost: %s\r\n"
	                "Authorization: Bearer %s\r\n"
	                "Content-Type: application/json\r\n"
	                "Content-Length: %zu\r\n\r\n", method, path,
	                cfg->host_hdr, cfg->ctl_token ? cfg->ctl_token : "", n);
	if (n)
		rc |= buf_add(out, json, n);
	return rc || out->over ? -1 : 0;
}

const char *json_find_str(const char *body, size_t len, const char *key,
                          size_t *vlen)
{
	char pat[96];
	const char *p, *q, *end;
	int pl = snprintf(pat, sizeof(pat), "\"%s\":\"", key);

	if (!body || pl <= 0 || (size_t)pl >= sizeof(pat))
		return NULL;
	end = body + len;
	p = memmem(body, len, pat, (size_t)pl);
	if (!p)
		return NULL;
	p += pl;
	q = memchr(p, '"', (size_t)(end - p));
	if (!q)
		return NULL;
	*vlen = (size_t)(q - p);
	return p;
}

long long json_find_int(const char *body, size_t len, const char *key)
{
	char pat[96];
	const char *p, *end;
	int pl = snprintf(pat, sizeof(pat), "\"%s\":", key);
	long long v = 0;

	if (!body || pl <= 0 || (size_t)pl >= sizeof(pat))
		return -1;
	end = body + len;
	p = memmem(body, len, pat, (size_t)pl);
	if (!p)
		return -1;
	p += pl;
	if (p >= end || *p < '0' || *p > '9')
		return -1;
	for (; p < end && *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (*p - '0');
	return v;
}
