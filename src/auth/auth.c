/* auth.c - verifies a V1 or V3 signed request in the service's check order
 * (see auth.h). Returns API error ids only; knows no ECS resource rules and
 * never writes a secret into detail, logs or error text. */
#include "auth.h"
#include <string.h>
#include "../common/limits.h"
#include "../common/utf8.h"

/* Ceiling for a canonical request or string to sign. Derived from the
 * request limits, not a policy of its own: decoded parameters are at most
 * the query plus the body; pct-encoding triples each byte, and V1 encodes
 * the canonical query a second time (x9); V3 adds the signed headers. */
#define AUTH_SIGN_BYTES LIM_SIGN_BYTES
#define AUTH_WINDOW_MS ((int64_t)LIM_AUTH_WINDOW_S * 1000)
#define AUTH_V3_ALGORITHM "ACS3-HMAC-SHA256"

int auth_is_v3(const char *authorization)
{
	return authorization && strncmp(authorization, "ACS3-", 5) == 0;
}

static int auth_digits(const char *s, int n, int *out)
{
	int i, v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t auth_days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int64_t auth_parse_timestamp(const char *s)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30,
	                               31, 31, 30, 31, 30, 31 };
	int y, mo, d, h, mi, se, dim;

	if (!s || strlen(s) != 20 || s[4] != '-' || s[7] != '-' ||
	    s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z')
		return -1;
	if (auth_digits(s, 4, &y) || auth_digits(s + 5, 2, &mo) ||
	    auth_digits(s + 8, 2, &d) || auth_digits(s + 11, 2, &h) ||
	    auth_digits(s + 14, 2, &mi) || auth_digits(s + 17, 2, &se))
		return -1;
	if (mo < 1 || mo > 12 || h > 23 || mi > 59 || se > 59)
		return -1;
	dim = mdays[mo - 1];
	if (mo == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		dim = 29;
	if (d < 1 || d > dim)
		return -1;
	return ((auth_days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60000 +
	       (int64_t)se * 1000;
}

/* Format, then window, of a client timestamp. */
static enum err_id auth_check_time(const char *ts, int64_t now_ms)
{
	int64_t t = auth_parse_timestamp(ts), skew;

	if (t == -1)
		return ERR_INVALID_TIMESTAMP_FORMAT;
	skew = now_ms - t;
	if (skew > AUTH_WINDOW_MS || skew < -AUTH_WINDOW_MS)
		return ERR_INVALID_TIMESTAMP_EXPIRED;
	return ERR_OK;
}

/* The nonce is stored (SQLite memory, a PostgreSQL TEXT column): both
 * backends must see the same text, so bytes that are not printable UTF-8
 * are refused here, before either is asked. ts: the request's timestamp,
 * already checked by auth_check_time. */
static enum err_id auth_check_nonce(auth_nonce_fn nonce, void *ctx,
                                    const char *akid, const char *value,
                                    const char *ts, int64_t now_ms,
                                    const char *name, struct auth_result *out)
{
	int rc;

	if (!utf8_xml_text(value, strlen(value)) || strcspn(value, "\t\r\n") != strlen(value)) {
		out->detail = name;
		return ERR_INVALID_PARAMETER;
	}
	if (!nonce)
		return ERR_OK;
	rc = nonce(ctx, akid, value, auth_parse_timestamp(ts), now_ms);
	if (rc == 1)
		return ERR_SIGNATURE_NONCE_USED;
	if (rc != 0)
		return ERR_SERVICE_UNAVAILABLE;
	return ERR_OK;
}

static void auth_success(struct auth_result *out, const struct cred_key *k)
{
	out->account_id = k->account_id;
	out->akid = k->akid;
	out->detail = NULL;
}

/* A parameter's value, or NULL when absent, empty or holding a NUL byte. */
static const char *auth_param(const struct params *p, const char *name)
{
	const struct param *v = p ? params_get(p, name) : NULL;

	if (!v || v->vlen == 0 || strlen(v->value) != v->vlen)
		return NULL;
	return v->value;
}

static enum err_id auth_verify_v1(struct arena *a, const struct auth_input *in,
                                  const struct creds *c, auth_nonce_fn nonce,
                                  void *nonce_ctx, struct auth_result *out)
{
	static const char *const required[] = {
		"AccessKeyId", "Signature", "SignatureMethod",
		"SignatureVersion", "SignatureNonce", "Timestamp",
	};
	const char *v[6];
	char mine[SIG_V1_B64_LEN + 1];
	const struct cred_key *k;
	struct buf sts;
	enum err_id e;
	size_t i;

	for (i = 0; i < 6; i++) {
		v[i] = auth_param(in->all, required[i]);
		if (!v[i]) {
			out->detail = required[i];
			return ERR_MISSING_PARAMETER;
		}
	}
	if (strcmp(v[2], "HMAC-SHA1") != 0)
		return ERR_INVALID_SIGNATURE_METHOD;
	if (strcmp(v[3], "1.0") != 0)
		return ERR_INVALID_SIGNATURE_VERSION;
	e = auth_check_time(v[5], in->now_ms);
	if (e)
		return e;
	k = creds_find(c, v[0]);
	if (!k)
		return ERR_INVALID_ACCESS_KEY_ID_NOT_FOUND;

	buf_init(&sts, AUTH_SIGN_BYTES);
	if (sig_v1_string_to_sign(&sts, in->method ? in->method : "",
	                          in->all->v, in->all->n)) {
		buf_free(&sts);
		out->detail = "string to sign";
		return ERR_REQUEST_TOO_LARGE;
	}
	sig_v1_sign(k->secret, sts.p, sts.len, mine);
	if (!mine[0] || !sig_equal(mine, v[1])) {
		out->detail = arena_strndup(a, sts.p, sts.len);
		buf_free(&sts);
		return out->detail ? ERR_SIGNATURE_DOES_NOT_MATCH
		                   : ERR_INTERNAL_ERROR;
	}
	buf_free(&sts);
	e = auth_check_nonce(nonce, nonce_ctx, k->akid, v[4], v[5], in->now_ms,
	                     "SignatureNonce", out);
	if (e)
		return e;
	auth_success(out, k);
	return ERR_OK;
}

/* First value of a (lower-case) header, or NULL. */
static const char *auth_header(const struct auth_input *in, const char *name)
{
	size_t i;

	for (i = 0; i < in->nheaders; i++)
		if (in->headers[i].name &&
		    strcmp(in->headers[i].name, name) == 0)
			return in->headers[i].value ? in->headers[i].value
			                            : "";
	return NULL;
}

/* Header value with spaces/tabs trimmed, as an arena string; NULL when the
 * header is absent or blank. */
static const char *auth_header_trim(struct arena *a,
                                    const struct auth_input *in,
                                    const char *name)
{
	const char *v = auth_header(in, name);
	size_t n;

	if (!v)
		return NULL;
	while (*v == ' ' || *v == '\t')
		v++;
	n = strlen(v);
	while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
		n--;
	return n ? arena_strndup(a, v, n) : NULL;
}

/* 1 when the ';'-list holds name exactly. */
static int auth_list_has(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p = list, *semi;

	for (;;) {
		semi = strchr(p, ';');
		if (!semi)
			semi = p + strlen(p);
		if ((size_t)(semi - p) == n && strncmp(p, name, n) == 0)
			return 1;
		if (!*semi)
			return 0;
		p = semi + 1;
	}
}

/* Name of the first listed header missing from the request, or NULL. */
static const char *auth_first_absent(struct arena *a,
                                     const struct auth_input *in,
                                     const char *list)
{
	const char *p = list, *semi;
	char *name;

	for (;;) {
		semi = strchr(p, ';');
		if (!semi)
			semi = p + strlen(p);
		name = arena_strndup(a, p, (size_t)(semi - p));
		if (!name || !auth_header(in, name))
			return name ? name : "";
		if (!*semi)
			return NULL;
		p = semi + 1;
	}
}

/* Builds the server's V3 string to sign. Returns 0, -1 overflow, -2 when a
 * signed header is absent. */
static int auth_v3_sts(const struct auth_input *in, const char *signed_headers,
                       const char *payload_hex, struct buf *sts)
{
	static const struct params none;
	const struct params *q = in->query ? in->query : &none;
	struct buf creq;
	int rc;

	buf_init(&creq, AUTH_SIGN_BYTES);
	rc = sig_v3_canonical_request(&creq, in->method ? in->method : "",
	                              in->path ? in->path : "/", q->v, q->n,
	                              in->headers, in->nheaders,
	                              signed_headers, payload_hex);
	if (rc == 0 && sig_v3_string_to_sign(sts, creq.p, creq.len))
		rc = -1;
	buf_free(&creq);
	return rc;
}

static enum err_id auth_verify_v3(struct arena *a, const struct auth_input *in,
                                  const struct creds *c, auth_nonce_fn nonce,
                                  void *nonce_ctx, struct auth_result *out)
{
	static const char *const must_sign[] = {
		"host", "x-acs-action", "x-acs-version", "x-acs-date",
		"x-acs-signature-nonce", "x-acs-content-sha256",
	};
	struct sig_v3_auth h;
	const char *date, *nonce_v, *claimed, *absent;
	char payload[SIG_HEX256_LEN + 1], mine[SIG_HEX256_LEN + 1];
	const struct cred_key *k;
	struct buf sts;
	enum err_id e;
	size_t i;
	int rc;

	if (sig_v3_parse_authorization(a, in->authorization, &h)) {
		out->detail = "Malformed Authorization header.";
		return ERR_INCOMPLETE_SIGNATURE;
	}
	if (strcmp(h.algorithm, AUTH_V3_ALGORITHM) != 0) {
		out->detail = "Unsupported signature algorithm.";
		return ERR_INCOMPLETE_SIGNATURE;
	}
	date = auth_header_trim(a, in, "x-acs-date");
	if (!date) {
		out->detail = "x-acs-date";
		return ERR_MISSING_PARAMETER;
	}
	nonce_v = auth_header_trim(a, in, "x-acs-signature-nonce");
	if (!nonce_v) {
		out->detail = "x-acs-signature-nonce";
		return ERR_MISSING_PARAMETER;
	}
	claimed = auth_header_trim(a, in, "x-acs-content-sha256");
	for (i = 0; i < 6; i++) {
		if (i == 5 && !auth_header(in, must_sign[i]))
			break;
		if (!auth_list_has(h.signed_headers, must_sign[i])) {
			out->detail = arena_printf(a, "SignedHeaders must "
			                           "include %s.",
			                           must_sign[i]);
			return ERR_INCOMPLETE_SIGNATURE;
		}
	}
	/* The Content-Type decides whether a body is read as parameters (and so
	 * what it means): whenever there is a body, the label must be signed,
	 * or a relay could turn a signed DryRun=true body into ignored text. */
	if (in->body_len > 0 && !auth_list_has(h.signed_headers, "content-type")) {
		out->detail = "SignedHeaders must include content-type when the request has a body.";
		return ERR_INCOMPLETE_SIGNATURE;
	}
	sig_sha256_hex(in->body ? in->body : "", in->body ? in->body_len : 0,
	               payload);
	buf_init(&sts, AUTH_SIGN_BYTES);
	if (claimed && strcmp(claimed, payload) != 0) {
		/* The string to sign needs no secret: report it when it can be
		 * built, an empty one otherwise. */
		rc = auth_v3_sts(in, h.signed_headers, payload, &sts);
		out->detail = arena_strdup(a, rc == 0 ? buf_cstr(&sts) : "");
		buf_free(&sts);
		return ERR_SIGNATURE_DOES_NOT_MATCH;
	}
	e = auth_check_time(date, in->now_ms);
	if (e)
		return e;
	k = creds_find(c, h.credential);
	if (!k)
		return ERR_INVALID_ACCESS_KEY_ID_NOT_FOUND;
	absent = auth_first_absent(a, in, h.signed_headers);
	if (absent) {
		out->detail = arena_printf(a, "Signed header \"%s\" is absent.",
		                           absent);
		return ERR_INCOMPLETE_SIGNATURE;
	}
	rc = auth_v3_sts(in, h.signed_headers, payload, &sts);
	if (rc) {
		buf_free(&sts);
		out->detail = "string to sign";
		return ERR_REQUEST_TOO_LARGE;
	}
	sig_v3_sign(k->secret, sts.p, sts.len, mine);
	if (!mine[0] || !sig_equal(mine, h.signature)) {
		out->detail = arena_strndup(a, sts.p, sts.len);
		buf_free(&sts);
		return out->detail ? ERR_SIGNATURE_DOES_NOT_MATCH
		                   : ERR_INTERNAL_ERROR;
	}
	buf_free(&sts);
	e = auth_check_nonce(nonce, nonce_ctx, k->akid, nonce_v, date, in->now_ms,
	                     "x-acs-signature-nonce", out);
	if (e)
		return e;
	auth_success(out, k);
	return ERR_OK;
}

enum err_id auth_verify(struct arena *a, const struct auth_input *in,
                        const struct creds *c, auth_nonce_fn nonce,
                        void *nonce_ctx, struct auth_result *out)
{
	memset(out, 0, sizeof(*out));
	if (auth_is_v3(in->authorization)) {
		out->version = 3;
		return auth_verify_v3(a, in, c, nonce, nonce_ctx, out);
	}
	out->version = 1;
	return auth_verify_v1(a, in, c, nonce, nonce_ctx, out);
}
