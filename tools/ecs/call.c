/* call.c - one ECS API call: common parameters, V1 signature (only through
 * sig_v1_string_to_sign / sig_v1_sign), libcurl transfer, retries. Knows
 * nothing about output or waiting; never writes a secret anywhere. */
#include "ecs.h"
#include <curl/curl.h>
#include <errno.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "../../src/auth/sig.h"
#include "../../src/common/limits.h"

#define CALL_THROTTLE_RETRIES 3       /* aliyun: x-acs-retry-after retries */
#define CALL_THROTTLE_MAX_MS  60000   /* aliyun caps the delay here */
#define CALL_ARENA_BYTES      (4u * 1024 * 1024)

static CURL *call_handle; /* one per process: keeps the connection alive */

/* Parameters the client owns; a --Name with one of these is refused. */
static const char *const call_reserved[] = {
	"AccessKeyId", "Action", "Format", "SecurityToken", "Signature",
	"SignatureMethod", "SignatureNonce", "SignatureType",
	"SignatureVersion", "Timestamp",
};

int ecs_call_init(void)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return -1;
	call_handle = curl_easy_init();
	return call_handle ? 0 : -1;
}

void ecs_call_cleanup(void)
{
	if (call_handle)
		curl_easy_cleanup(call_handle);
	call_handle = NULL;
	curl_global_cleanup();
}

int ecs_call_check(const struct params *p, char *err, size_t errlen)
{
	size_t i, k;

	for (i = 0; i < p->n; i++)
		for (k = 0; k < sizeof(call_reserved) / sizeof(*call_reserved);
		     k++)
			if (strcmp(p->v[i].name, call_reserved[k]) == 0) {
				snprintf(err, errlen, "--%s is set by ecs itself "
				         "(see 'ecs help')", call_reserved[k]);
				return -1;
			}
	return 0;
}

void ecs_sleep_ms(long ms)
{
	struct timespec ts;

	if (ms <= 0)
		return;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

double ecs_mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A fresh random UUID (v4 layout) per request and per retry. */
static int call_nonce(char out[37])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char r[16];
	size_t i, o = 0;

	if (RAND_bytes(r, sizeof(r)) != 1)
		return -1;
	r[6] = (unsigned char)((r[6] & 0x0f) | 0x40);
	r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);
	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[r[i] >> 4];
		out[o++] = hex[r[i] & 15];
	}
	out[o] = '\0';
	return 0;
}

static int call_timestamp(char out[32])
{
	time_t now = time(NULL);
	struct tm tm;

	if (!gmtime_r(&now, &tm) ||
	    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return -1;
	return 0;
}

static int call_add(struct arena *a, struct params *p, const char *name,
                    const char *value)
{
	return params_add(a, p, name, strlen(name), value, strlen(value));
}

static int call_has(const struct params *p, const char *name)
{
	return params_get(p, name) != NULL;
}

/* The complete signed URL of one attempt, into url. */
static int call_sign(struct arena *a, const struct ecs_cfg *cfg,
                     const char *action, const struct params *user,
                     struct buf *url)
{
	struct params p = { 0 };
	struct buf sts;
	char nonce[37], ts[32], sig[SIG_V1_B64_LEN + 1];
	size_t i;
	int rc = 0;

	if (call_nonce(nonce) || call_timestamp(ts))
		return -1;
	for (i = 0; i < user->n && rc == 0; i++)
		rc = params_add(a, &p, user->v[i].name, user->v[i].nlen,
		                user->v[i].value, user->v[i].vlen);
	rc = rc || call_add(a, &p, "Action", action);
	rc = rc || call_add(a, &p, "Format", "JSON");
	if (!call_has(user, "Version"))
		rc = rc || call_add(a, &p, "Version", ecs_spec_version());
	rc = rc || call_add(a, &p, "AccessKeyId", cfg->akid);
	rc = rc || call_add(a, &p, "SignatureMethod", "HMAC-SHA1");
	rc = rc || call_add(a, &p, "SignatureVersion", "1.0");
	rc = rc || call_add(a, &p, "SignatureNonce", nonce);
	rc = rc || call_add(a, &p, "Timestamp", ts);
	if (!call_has(user, "RegionId"))
		rc = rc || call_add(a, &p, "RegionId", cfg->region);
	if (cfg->sts_token)
		rc = rc || call_add(a, &p, "SecurityToken", cfg->sts_token);
	if (rc)
		return -1;

	buf_init(&sts, ECS_URL_BYTES);
	rc = sig_v1_string_to_sign(&sts, cfg->method, p.v, p.n);
	if (rc == 0)
		sig_v1_sign(cfg->secret, sts.p, sts.len, sig);
	buf_free(&sts);
	if (rc || sig[0] == '\0')
		return -1;

	rc = buf_adds(url, cfg->url);
	rc |= buf_addc(url, '?');
	for (i = 0; i < p.n; i++) {
		rc |= sig_pct_encode(url, p.v[i].name, p.v[i].nlen);
		rc |= buf_addc(url, '=');
		rc |= sig_pct_encode(url, p.v[i].value, p.v[i].vlen);
		rc |= buf_addc(url, '&');
	}
	rc |= buf_adds(url, "Signature=");
	rc |= sig_pct_encode(url, sig, strlen(sig));
	return rc || url->over ? -1 : 0;
}

int ecs_call_url(const struct ecs_cfg *cfg, const char *action,
                 const struct params *params, struct buf *url)
{
	struct arena a;
	int rc;

	arena_init(&a, CALL_ARENA_BYTES);
	rc = call_sign(&a, cfg, action, params, url);
	arena_free(&a);
	return rc;
}

static size_t call_write(char *p, size_t size, size_t n, void *ud)
{
	struct buf *b = ud;

	return buf_add(b, p, size * n) ? 0 : size * n;
}

/* Captures x-acs-retry-after (milliseconds) from the answer's headers. */
static size_t call_header(char *p, size_t size, size_t n, void *ud)
{
	static const char name[] = "x-acs-retry-after:";
	long *retry_after = ud;
	size_t len = size * n;
	char num[24];

	if (len > sizeof(name) - 1 && len - (sizeof(name) - 1) < sizeof(num) &&
	    strncasecmp(p, name, sizeof(name) - 1) == 0) {
		char *end;
		long v;

		memcpy(num, p + sizeof(name) - 1, len - (sizeof(name) - 1));
		num[len - (sizeof(name) - 1)] = '\0';
		v = strtol(num, &end, 10);
		if (end != num && v >= 0)
			*retry_after = v;
	}
	return len;
}

/* One attempt. Returns 0 when an HTTP answer arrived, -1 otherwise. */
static int call_once(const struct ecs_cfg *cfg, const char *url,
                     int attempt, struct ecs_resp *r, long *retry_after)
{
	struct curl_slist *hdr = NULL, *tmp;
	char errbuf[CURL_ERROR_SIZE] = "", line[64];
	CURL *h = call_handle;
	CURLcode cc;

	buf_reset(&r->body);
	r->body.over = 0;
	r->status = 0;
	*retry_after = -1;
	curl_easy_reset(h);
	tmp = curl_slist_append(hdr, "Accept: application/json");
	hdr = tmp ? tmp : hdr;
	if (strcmp(cfg->method, "POST") == 0) {
		tmp = curl_slist_append(hdr, "Content-Type: "
		                        "application/x-www-form-urlencoded");
		hdr = tmp ? tmp : hdr;
	}
	if (attempt > 0) {
		snprintf(line, sizeof(line), "x-acs-retry-attempts: %d", attempt);
		tmp = curl_slist_append(hdr, line);
		hdr = tmp ? tmp : hdr;
	}
	curl_easy_setopt(h, CURLOPT_URL, url);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
#endif
	/* trust an extra CA the way OpenSSL tools do (ecsd's local CA) */
	if (getenv("SSL_CERT_FILE") && getenv("SSL_CERT_FILE")[0])
		curl_easy_setopt(h, CURLOPT_CAINFO, getenv("SSL_CERT_FILE"));
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, cfg->connect_timeout_ms);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, cfg->total_timeout_ms);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "ecs/" ECS_VERSION
	                 " (ecsd client; aliyun-cli compatible)");
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, call_write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &r->body);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, call_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, retry_after);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	if (strcmp(cfg->method, "POST") == 0) {
		curl_easy_setopt(h, CURLOPT_POST, 1L);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, "");
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, 0L);
	} else {
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	}
	cc = curl_easy_perform(h);
	curl_slist_free_all(hdr);
	if (cc == CURLE_OK) {
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
		return 0;
	}
	if (cc == CURLE_WRITE_ERROR && r->body.over)
		snprintf(r->errmsg, sizeof(r->errmsg), "answer larger than %d "
		         "bytes", LIM_REPLY_BYTES);
	else
		snprintf(r->errmsg, sizeof(r->errmsg), "%s",
		         errbuf[0] ? errbuf : curl_easy_strerror(cc));
	return -1;
}

/* Classifies an HTTP answer and parses its body. */
static enum ecs_rc call_classify(struct ecs_resp *r)
{
	json_t *j = NULL;

	if (r->body.len)
		j = json_loadb(r->body.p, r->body.len, 0, NULL);
	if (j && !json_is_object(j)) {
		json_decref(j);
		j = NULL;
	}
	r->json = j;
	if (r->status >= 200 && r->status < 300)
		return j ? ECS_RC_OK : ECS_RC_BADBODY;
	return ECS_RC_API;
}

enum ecs_rc ecs_call(const struct ecs_cfg *cfg, const char *action,
                     const struct params *params, struct ecs_resp *r)
{
	struct buf url;
	int attempt, throttled = 0, answered;
	long retry_after;

	ecs_resp_free(r);
	buf_init(&r->body, LIM_REPLY_BYTES);
	buf_init(&url, ECS_URL_BYTES);
	for (attempt = 0;; attempt++) {
		buf_reset(&url);
		if (ecs_call_url(cfg, action, params, &url)) {
			snprintf(r->errmsg, sizeof(r->errmsg), "cannot build the "
			         "signed request (too long, or no randomness)");
			buf_free(&url);
			return ECS_RC_LOCAL;
		}
		if (cfg->verbose)
			fprintf(stderr, "> %s %s Action=%s (attempt %d)\n",
			        cfg->method, cfg->url, action, attempt + 1);
		answered = call_once(cfg, buf_cstr(&url), attempt, r,
		                     &retry_after) == 0;
		if (cfg->verbose)
			fprintf(stderr, "< %s %ld (%zu bytes)\n",
			        answered ? "HTTP" : "no answer:", r->status,
			        r->body.len);
		if (!answered || r->status >= 500) {
			if (attempt < cfg->retry_count) {
				ecs_sleep_ms(attempt < 4 ? 500L << attempt : 8000);
				continue;
			}
		} else if (r->status >= 400 && retry_after >= 0 &&
		           throttled < CALL_THROTTLE_RETRIES) {
			throttled++;
			ecs_sleep_ms(retry_after < CALL_THROTTLE_MAX_MS
			             ? retry_after : CALL_THROTTLE_MAX_MS);
			continue;
		}
		break;
	}
	buf_free(&url);
	return answered ? call_classify(r) : ECS_RC_NET;
}

void ecs_resp_free(struct ecs_resp *r)
{
	buf_free(&r->body);
	json_decref(r->json);
	r->json = NULL;
	r->status = 0;
	r->errmsg[0] = '\0';
}
