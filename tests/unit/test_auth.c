/* test_auth.c - timestamps, the nonce callback's place in the order, and
 * auth_verify for V1 and V3 requests in the documented check order. Tables
 * only; requests are built from the vectors C, F and G of API.md §2.6. */
#include <pthread.h>
#include <stdlib.h>
#include "../../src/auth/auth.h"
#include "../../src/common/limits.h"
#include "../../src/store/replay.h"
#include "t.h"

#define MAXP 20
#define W_MS ((int64_t)LIM_AUTH_WINDOW_S * 1000)  /* timestamp window */
#define T0 INT64_C(1709280000000) /* 2024-03-01T08:00:00Z */

/* ---- timestamps ---- */

struct ts_row {
	const char *in;
	int64_t want;
};

static const struct ts_row ts_rows[] = {
	{ "2024-03-01T08:00:00Z", T0 },
	{ "1970-01-01T00:00:00Z", 0 },
	{ "1969-12-31T23:59:59Z", -1000 },
	{ "2016-02-29T23:59:59Z", INT64_C(1456790399000) },
	{ "2000-02-29T00:00:00Z", INT64_C(951782400000) },
	{ "9999-12-31T23:59:59Z", INT64_C(253402300799000) },
	{ "2015-02-29T00:00:00Z", -1 },
	{ "1900-02-29T00:00:00Z", -1 },
	{ "2024-04-31T00:00:00Z", -1 },
	{ "2024-01-00T00:00:00Z", -1 },
	{ "2024-00-01T00:00:00Z", -1 },
	{ "2024-13-01T00:00:00Z", -1 },
	{ "2024-01-01T24:00:00Z", -1 },
	{ "2024-01-01T23:60:00Z", -1 },
	{ "2024-01-01T23:59:60Z", -1 },
	{ "2024-03-01T08:00:00.000Z", -1 },
	{ "2024-03-01T08:00:00", -1 },
	{ "2024-03-01T08:00:00+08:00", -1 },
	{ "2024-03-01t08:00:00z", -1 },
	{ "2024-03-01 08:00:00Z", -1 },
	{ "2024-3-01T08:00:00ZZ", -1 },
	{ "+024-03-01T08:00:00Z", -1 },
	{ "2024-03-01T08:00:0aZ", -1 },
	{ "", -1 },
	{ NULL, -1 },
};

static void test_timestamps(void)
{
	size_t i;

	for (i = 0; i < sizeof(ts_rows) / sizeof(ts_rows[0]); i++) {
		char what[64];

		snprintf(what, sizeof(what), "timestamp \"%s\"",
		         ts_rows[i].in ? ts_rows[i].in : "(null)");
		T_INTEQ(auth_parse_timestamp(ts_rows[i].in), ts_rows[i].want,
		        what);
	}
}

/* ---- auth_is_v3 ---- */

struct v3_row {
	const char *in;
	int want;
};

static const struct v3_row isv3_rows[] = {
	{ NULL, 0 }, { "", 0 }, { "ACS3-", 1 },
	{ "ACS3-HMAC-SHA256 Credential=a,SignedHeaders=b,Signature=c", 1 },
	{ "ACS3-HMAC-SM3 x", 1 }, { "acs3-HMAC-SHA256 x", 0 },
	{ "Bearer token", 0 }, { " ACS3-HMAC-SHA256", 0 },
};

static void test_is_v3(void)
{
	size_t i;

	for (i = 0; i < sizeof(isv3_rows) / sizeof(isv3_rows[0]); i++)
		T_INTEQ(auth_is_v3(isv3_rows[i].in), isv3_rows[i].want,
		        isv3_rows[i].in ? isv3_rows[i].in : "(null)");
}

/* ---- auth_verify: shared pieces ---- */

struct nonce_ctx {
	struct replay *nc;
	int forced; /* 0: use the cache; else the value to return */
};

static int test_nonce_fn(void *ctx, const char *akid, const char *nonce,
                         int64_t stamp_ms, int64_t now_ms)
{
	struct nonce_ctx *c = ctx;

	if (c->forced)
		return c->forced;
	return replay_use(c->nc, replay_fp(akid, nonce), stamp_ms, now_ms);
}

/* Replaces name's value (or appends); value NULL removes it. */
static void set_pair(const char *(*kv)[2], size_t *n, const char *name,
                     const char *value)
{
	size_t i;

	for (i = 0; i < *n; i++) {
		if (strcmp(kv[i][0], name) != 0)
			continue;
		if (value) {
			kv[i][1] = value;
		} else {
			memmove(&kv[i], &kv[i + 1], (*n - i - 1) * sizeof(kv[0]));
			(*n)--;
		}
		return;
	}
	if (value && *n < MAXP) {
		kv[*n][0] = name;
		kv[*n][1] = value;
		(*n)++;
	}
}

static void to_params(struct params *p, struct param *v, const char *(*kv)[2],
                      size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		v[i].name = kv[i][0];
		v[i].nlen = strlen(kv[i][0]);
		v[i].value = kv[i][1];
		v[i].vlen = strlen(kv[i][1]);
	}
	p->v = v;
	p->n = p->cap = n;
}

static size_t copy_pairs(const char *(*dst)[2], const char *const (*src)[2])
{
	size_t n;

	for (n = 0; n < MAXP && src[n][0]; n++) {
		dst[n][0] = src[n][0];
		dst[n][1] = src[n][1];
	}
	return n;
}

/* ---- auth_verify V1 ---- */

#define C_SIG_POST "8p+fzDLMG/RxrEOeZH8iRWTAmw8="
#define C_SIG_GET "Bx8lll+hrj+awVUT96L739wIUTw="
#define C_STS_TAIL \
	"&%2F&AccessKeyId%3Dtestid%26Action%3DDeleteInstance%26Force%3Dtrue" \
	"%26Format%3DJSON%26InstanceId%3Di-bp1g6zv0ce8oghu7ab12%26RegionId%3D" \
	"cn-hangzhou%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D" \
	"45e25e9b-0a6f-4070-8c85-2956eda1b466%26SignatureVersion%3D1.0%26" \
	"Timestamp%3D2024-03-01T08%253A00%253A00Z%26Version%3D2014-05-26"

static const char *const c_params[MAXP][2] = {
	{ "AccessKeyId", "testid" }, { "Action", "DeleteInstance" },
	{ "Force", "true" }, { "Format", "JSON" },
	{ "InstanceId", "i-bp1g6zv0ce8oghu7ab12" },
	{ "RegionId", "cn-hangzhou" }, { "SignatureMethod", "HMAC-SHA1" },
	{ "SignatureNonce", "45e25e9b-0a6f-4070-8c85-2956eda1b466" },
	{ "SignatureVersion", "1.0" }, { "Timestamp", "2024-03-01T08:00:00Z" },
	{ "Version", "2014-05-26" }, { "Signature", C_SIG_POST },
};

struct v1_case {
	const char *name;
	const char *method;         /* NULL: POST */
	const char *set[3][2];      /* changes to vector C; value NULL drops */
	const char *resign;         /* secret to re-sign with, or NULL */
	int64_t now_delta;
	int nonce_forced;
	int repeat;                 /* verify twice; the second result counts */
	const char *authorization;
	enum err_id want;
	const char *want_detail;    /* exact; NULL: not checked */
	const char *want_account;   /* on success */
};

static const struct v1_case v1_cases[] = {
	{ "C POST", NULL, { { NULL, NULL } }, NULL, 0, 0, 0, NULL, ERR_OK,
	  NULL, "1234" },
	{ "C GET", "GET", { { "Signature", C_SIG_GET } }, NULL, 0, 0, 0, NULL,
	  ERR_OK, NULL, "1234" },
	{ "POST signature replayed as GET", "GET", { { NULL, NULL } }, NULL, 0,
	  0, 0, NULL, ERR_SIGNATURE_DOES_NOT_MATCH, "GET" C_STS_TAIL, NULL },
	{ "non-ACS3 Authorization is ignored", NULL, { { NULL, NULL } }, NULL,
	  0, 0, 0, "Bearer x", ERR_OK, NULL, "1234" },
	{ "missing AccessKeyId", NULL, { { "AccessKeyId", NULL } }, NULL, 0, 0,
	  0, NULL, ERR_MISSING_PARAMETER, "AccessKeyId", NULL },
	{ "missing Signature", NULL, { { "Signature", NULL } }, NULL, 0, 0, 0,
	  NULL, ERR_MISSING_PARAMETER, "Signature", NULL },
	{ "empty Signature", NULL, { { "Signature", "" } }, NULL, 0, 0, 0, NULL,
	  ERR_MISSING_PARAMETER, "Signature", NULL },
	{ "missing SignatureMethod", NULL, { { "SignatureMethod", NULL } },
	  NULL, 0, 0, 0, NULL, ERR_MISSING_PARAMETER, "SignatureMethod", NULL },
	{ "missing SignatureVersion", NULL, { { "SignatureVersion", NULL } },
	  NULL, 0, 0, 0, NULL, ERR_MISSING_PARAMETER, "SignatureVersion",
	  NULL },
	{ "missing SignatureNonce", NULL, { { "SignatureNonce", NULL } }, NULL,
	  0, 0, 0, NULL, ERR_MISSING_PARAMETER, "SignatureNonce", NULL },
	{ "missing Timestamp", NULL, { { "Timestamp", NULL } }, NULL, 0, 0, 0,
	  NULL, ERR_MISSING_PARAMETER, "Timestamp", NULL },
	{ "missing before bad method", NULL,
	  { { "Timestamp", NULL }, { "SignatureMethod", "HMAC-SHA256" } },
	  NULL, 0, 0, 0, NULL, ERR_MISSING_PARAMETER, "Timestamp", NULL },
	{ "bad SignatureMethod", NULL, { { "SignatureMethod", "HMAC-SHA256" } },
	  NULL, 0, 0, 0, NULL, ERR_INVALID_SIGNATURE_METHOD, NULL, NULL },
	{ "SignatureMethod is case-sensitive", NULL,
	  { { "SignatureMethod", "hmac-sha1" } }, NULL, 0, 0, 0, NULL,
	  ERR_INVALID_SIGNATURE_METHOD, NULL, NULL },
	{ "bad SignatureVersion", NULL, { { "SignatureVersion", "2.0" } }, NULL,
	  0, 0, 0, NULL, ERR_INVALID_SIGNATURE_VERSION, NULL, NULL },
	{ "fractional seconds", NULL,
	  { { "Timestamp", "2024-03-01T08:00:00.000Z" } }, NULL, 0, 0, 0, NULL,
	  ERR_INVALID_TIMESTAMP_FORMAT, NULL, NULL },
	{ "impossible date", NULL, { { "Timestamp", "2024-02-30T08:00:00Z" } },
	  NULL, 0, 0, 0, NULL, ERR_INVALID_TIMESTAMP_FORMAT, NULL, NULL },
	{ "format before unknown key", NULL,
	  { { "Timestamp", "yesterday" }, { "AccessKeyId", "nobody" } }, NULL,
	  0, 0, 0, NULL, ERR_INVALID_TIMESTAMP_FORMAT, NULL, NULL },
	{ "15 min late is fine", NULL, { { NULL, NULL } }, NULL, W_MS, 0, 0,
	  NULL, ERR_OK, NULL, "1234" },
	{ "15 min early is fine", NULL, { { NULL, NULL } }, NULL, -W_MS, 0, 0,
	  NULL, ERR_OK, NULL, "1234" },
	{ "expired (server ahead)", NULL, { { NULL, NULL } }, NULL, W_MS + 1, 0,
	  0, NULL, ERR_INVALID_TIMESTAMP_EXPIRED, NULL, NULL },
	{ "expired (server behind)", NULL, { { NULL, NULL } }, NULL,
	  -16 * 60 * 1000, 0, 0, NULL, ERR_INVALID_TIMESTAMP_EXPIRED, NULL,
	  NULL },
	{ "window before unknown key", NULL, { { "AccessKeyId", "nobody" } },
	  NULL, 3600 * 1000, 0, 0, NULL, ERR_INVALID_TIMESTAMP_EXPIRED, NULL,
	  NULL },
	{ "unknown key", NULL, { { "AccessKeyId", "nobody" } }, NULL, 0, 0, 0,
	  NULL, ERR_INVALID_ACCESS_KEY_ID_NOT_FOUND, NULL, NULL },
	{ "unsigned extra parameter", NULL, { { "Foo", "bar" } }, NULL, 0, 0, 0,
	  NULL, ERR_SIGNATURE_DOES_NOT_MATCH, NULL, NULL },
	{ "extra parameter, re-signed", NULL, { { "Foo", "bar" } },
	  "testsecret", 0, 0, 0, NULL, ERR_OK, NULL, "1234" },
	{ "empty SignatureType is signed", NULL, { { "SignatureType", "" } },
	  "testsecret", 0, 0, 0, NULL, ERR_OK, NULL, "1234" },
	{ "tampered value", NULL, { { "Force", "false" } }, NULL, 0, 0, 0, NULL,
	  ERR_SIGNATURE_DOES_NOT_MATCH, NULL, NULL },
	{ "wrong secret", NULL, { { NULL, NULL } }, "not-the-secret", 0, 0, 0,
	  NULL, ERR_SIGNATURE_DOES_NOT_MATCH, "POST" C_STS_TAIL, NULL },
	{ "second key of another account", NULL,
	  { { "AccessKeyId", "otherid" } }, "othersecret", 0, 0, 0, NULL,
	  ERR_OK, NULL, "5678" },
	{ "development key", NULL, { { "AccessKeyId", AUTH_DEV_AKID } },
	  AUTH_DEV_SECRET, 0, 0, 0, NULL, ERR_OK, NULL, AUTH_DEV_ACCOUNT },
	{ "replayed request", NULL, { { NULL, NULL } }, NULL, 0, 0, 1, NULL,
	  ERR_SIGNATURE_NONCE_USED, NULL, NULL },
	{ "nonce store says used", NULL, { { NULL, NULL } }, NULL, 0, 1, 0,
	  NULL, ERR_SIGNATURE_NONCE_USED, NULL, NULL },
	{ "nonce store full", NULL, { { NULL, NULL } }, NULL, 0, -1, 0, NULL,
	  ERR_SERVICE_UNAVAILABLE, NULL, NULL },
	{ "signature checked before nonce", NULL, { { "Force", "false" } },
	  NULL, 0, 1, 0, NULL, ERR_SIGNATURE_DOES_NOT_MATCH, NULL, NULL },
};

static struct creds *test_creds(void)
{
	static const char text[] =
		"1234 testid testsecret\n"
		"5678 otherid othersecret\n" AUTH_DEV_ACCOUNT " " AUTH_DEV_AKID
		" " AUTH_DEV_SECRET "\n";
	struct creds *c = NULL;
	char err[128];

	if (creds_parse(text, sizeof(text) - 1, &c, err, sizeof(err)))
		printf("creds: %s\n", err);
	return c;
}

/* Checks the common expectations of one auth_verify answer. */
static void check_result(const char *name, enum err_id got, enum err_id want,
                         const struct auth_result *r, const char *want_detail,
                         const char *want_account, int version)
{
	char what[160];

	snprintf(what, sizeof(what), "%s (got %s)", name, err_row(got)->ident);
	T_INTEQ(got, want, what);
	T_INTEQ(r->version, version, name);
	if (want_detail)
		T_STREQ(r->detail, want_detail, name);
	if (r->detail) {
		T_CHECK(strstr(r->detail, "testsecret") == NULL &&
		        strstr(r->detail, "othersecret") == NULL &&
		        strstr(r->detail, AUTH_DEV_SECRET) == NULL,
		        "%s: secret in detail", name);
	}
	if (got == ERR_OK) {
		T_STREQ(r->account_id, want_account, name);
	} else {
		T_CHECK(r->account_id == NULL && r->akid == NULL,
		        "%s: no identity on failure", name);
	}
}

static void test_verify_v1(const struct creds *c)
{
	size_t i, j, n;

	for (i = 0; i < sizeof(v1_cases) / sizeof(v1_cases[0]); i++) {
		const struct v1_case *r = &v1_cases[i];
		const char *kv[MAXP][2];
		char sig[SIG_V1_B64_LEN + 1];
		struct param v[MAXP];
		struct params all;
		struct nonce_ctx nctx = { replay_new(0), r->nonce_forced };
		struct auth_input in = { 0 };
		struct auth_result res;
		struct arena *a = malloc(sizeof(*a));
		enum err_id e;

		arena_init(a, LIM_ARENA_BYTES);
		n = copy_pairs(kv, c_params);
		for (j = 0; j < 3 && r->set[j][0]; j++)
			set_pair(kv, &n, r->set[j][0], r->set[j][1]);
		in.method = r->method ? r->method : "POST";
		if (r->resign) {
			struct buf sts;

			to_params(&all, v, kv, n);
			buf_init(&sts, 1 << 20);
			sig_v1_string_to_sign(&sts, in.method, all.v, all.n);
			sig_v1_sign(r->resign, sts.p, sts.len, sig);
			set_pair(kv, &n, "Signature", sig);
			buf_free(&sts);
		}
		to_params(&all, v, kv, n);
		in.path = "/";
		in.all = &all;
		in.query = &all;
		in.authorization = r->authorization;
		in.now_ms = T0 + r->now_delta;
		e = auth_verify(a, &in, c, test_nonce_fn, &nctx, &res);
		if (r->repeat)
			e = auth_verify(a, &in, c, test_nonce_fn, &nctx, &res);
		check_result(r->name, e, r->want, &res, r->want_detail,
		             r->want_account, 1);
		replay_free(nctx.nc);
		arena_free(a);
		free(a);
	}
}

/* ---- auth_verify V3 ---- */

#define EMPTY_SHA "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define G_BODY "InstanceId=i-bp1g6zv0ce8oghu7ab12&Force=true&Description=a%20b*c"
#define G_SHA "1337ba9a08ba78f9602c7f6a700ebac6c8d1bd9bd956563e50cd73928797822b"
#define F_SIGNED "host;x-acs-action;x-acs-content-sha256;x-acs-date;" \
	"x-acs-signature-nonce;x-acs-version"
#define F_AUTH "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=" F_SIGNED \
	",Signature=859192c9abd8a50ed57e78a3fb03a7de287261e0010592608dd822cca81e75c9"
#define G_AUTH "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=content-type;" \
	F_SIGNED ",Signature=5d8684bcc8777568b1360e6712dba9b156e7a373dd590ac41bf6000b4e7ce554"
#define F_STS "ACS3-HMAC-SHA256\n" \
	"27e81da5c842a28075c80df69e3bfdfc155c8a1768ab06d1cc046c5b433eaac2"

static const char *const f_query[MAXP][2] = {
	{ "InstanceId", "i-bp1g6zv0ce8oghu7ab12" }, { "Force", "true" },
};

static const char *const f_headers[MAXP][2] = {
	{ "host", "ecs.cn-hangzhou.aliyuncs.com" },
	{ "x-acs-action", "DeleteInstance" },
	{ "x-acs-version", "2014-05-26" },
	{ "x-acs-date", "2024-03-01T08:00:00Z" },
	{ "x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d" },
	{ "x-acs-content-sha256", EMPTY_SHA },
	{ "accept", "application/json" },
	{ "user-agent", "AlibabaCloud (linux; x64) Node.js" },
};

enum v3_base { BASE_F, BASE_G };

struct v3_case {
	const char *name;
	enum v3_base base;
	const char *hset[3][2];   /* header changes; value NULL removes */
	const char *qset[2][2];   /* query changes */
	const char *body;         /* NULL: the base body */
	const char *authorization; /* NULL: the base header */
	const char *resign;       /* SignedHeaders to re-sign with, or NULL */
	const char *method;       /* NULL: POST */
	int64_t now_delta;
	int nonce_forced;
	int repeat;
	enum err_id want;
	const char *want_detail;
};

static const struct v3_case v3_cases[] = {
	{ "F", BASE_F, { { NULL, NULL } }, { { NULL, NULL } }, NULL, NULL, NULL,
	  NULL, 0, 0, 0, ERR_OK, NULL },
	{ "G (form body, host with port)", BASE_G, { { NULL, NULL } },
	  { { NULL, NULL } }, NULL, NULL, NULL, NULL, 0, 0, 0, ERR_OK, NULL },
	{ "unsigned header changed", BASE_F,
	  { { "user-agent", "curl" }, { "accept", NULL } }, { { NULL, NULL } },
	  NULL, NULL, NULL, NULL, 0, 0, 0, ERR_OK, NULL },
	{ "padded header values", BASE_F,
	  { { "x-acs-date", " 2024-03-01T08:00:00Z " },
	    { "host", "ecs.cn-hangzhou.aliyuncs.com\t" } },
	  { { NULL, NULL } }, NULL, NULL, NULL, NULL, 0, 0, 0, ERR_OK, NULL },
	{ "other algorithm", BASE_F, { { NULL, NULL } }, { { NULL, NULL } },
	  NULL, "ACS3-HMAC-SM3 Credential=testid,SignedHeaders=" F_SIGNED
	  ",Signature=00", NULL, NULL, 0, 0, 0, ERR_INCOMPLETE_SIGNATURE,
	  "Unsupported signature algorithm." },
	{ "malformed Authorization", BASE_F, { { NULL, NULL } },
	  { { NULL, NULL } }, NULL, "ACS3-HMAC-SHA256 Credential=testid", NULL,
	  NULL, 0, 0, 0, ERR_INCOMPLETE_SIGNATURE,
	  "Malformed Authorization header." },
	{ "missing x-acs-date", BASE_F, { { "x-acs-date", NULL } },
	  { { NULL, NULL } }, NULL, NULL, NULL, NULL, 0, 0, 0,
	  ERR_MISSING_PARAMETER, "x-acs-date" },
	{ "missing x-acs-signature-nonce", BASE_F,
	  { { "x-acs-signature-nonce", NULL } }, { { NULL, NULL } }, NULL, NULL,
	  NULL, NULL, 0, 0, 0, ERR_MISSING_PARAMETER, "x-acs-signature-nonce" },
	{ "x-acs-date not signed", BASE_F, { { NULL, NULL } },
	  { { NULL, NULL } }, NULL,
	  "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host;x-acs-action;"
	  "x-acs-content-sha256;x-acs-signature-nonce;x-acs-version,"
	  "Signature=00", NULL, NULL, 0, 0, 0, ERR_INCOMPLETE_SIGNATURE,
	  "SignedHeaders must include x-acs-date." },
	{ "host not signed", BASE_F, { { NULL, NULL } }, { { NULL, NULL } },
	  NULL, NULL,
	  "x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;"
	  "x-acs-version", NULL, 0, 0, 0, ERR_INCOMPLETE_SIGNATURE,
	  "SignedHeaders must include host." },
	{ "content hash present but not signed", BASE_F, { { NULL, NULL } },
	  { { NULL, NULL } }, NULL, NULL,
	  "host;x-acs-action;x-acs-date;x-acs-signature-nonce;x-acs-version",
	  NULL, 0, 0, 0, ERR_INCOMPLETE_SIGNATURE,
	  "SignedHeaders must include x-acs-content-sha256." },
	{ "no content hash header at all", BASE_F,
	  { { "x-acs-content-sha256", NULL } }, { { NULL, NULL } }, NULL, NULL,
	  "host;x-acs-action;x-acs-date;x-acs-signature-nonce;x-acs-version",
	  NULL, 0, 0, 0, ERR_OK, NULL },
	{ "content hash does not match body", BASE_F,
	  { { "x-acs-content-sha256", G_SHA } }, { { NULL, NULL } }, NULL, NULL,
	  NULL, NULL, 0, 0, 0, ERR_SIGNATURE_DOES_NOT_MATCH, NULL },
	{ "body tampered", BASE_G, { { NULL, NULL } }, { { NULL, NULL } },
	  "InstanceId=i-other&Force=true", NULL, NULL, NULL, 0, 0, 0,
	  ERR_SIGNATURE_DOES_NOT_MATCH, NULL },
	{ "hash checked before timestamp", BASE_F,
	  { { "x-acs-content-sha256", G_SHA } }, { { NULL, NULL } }, NULL, NULL,
	  NULL, NULL, 3600 * 1000, 0, 0, ERR_SIGNATURE_DOES_NOT_MATCH, NULL },
	{ "bad x-acs-date", BASE_F, { { "x-acs-date", "2024-03-01 08:00:00" } },
	  { { NULL, NULL } }, NULL, NULL, NULL, NULL, 0, 0, 0,
	  ERR_INVALID_TIMESTAMP_FORMAT, NULL },
	{ "expired", BASE_F, { { NULL, NULL } }, { { NULL, NULL } }, NULL, NULL,
	  NULL, NULL, W_MS + 1000, 0, 0, ERR_INVALID_TIMESTAMP_EXPIRED, NULL },
	{ "unknown credential", BASE_F, { { NULL, NULL } }, { { NULL, NULL } },
	  NULL, "ACS3-HMAC-SHA256 Credential=nobody,SignedHeaders=" F_SIGNED
	  ",Signature=00", NULL, NULL, 0, 0, 0,
	  ERR_INVALID_ACCESS_KEY_ID_NOT_FOUND, NULL },
	{ "signed header absent", BASE_F, { { NULL, NULL } },
	  { { NULL, NULL } }, NULL, NULL, "content-type;" F_SIGNED, NULL, 0, 0,
	  0, ERR_INCOMPLETE_SIGNATURE,
	  "Signed header \"content-type\" is absent." },
	{ "wrong signature", BASE_F, { { NULL, NULL } }, { { NULL, NULL } },
	  NULL, "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=" F_SIGNED
	  ",Signature=0000000000000000000000000000000000000000000000000000000000000000",
	  NULL, NULL, 0, 0, 0, ERR_SIGNATURE_DOES_NOT_MATCH, F_STS },
	{ "query tampered", BASE_F, { { NULL, NULL } },
	  { { "Force", "false" } }, NULL, NULL, NULL, NULL, 0, 0, 0,
	  ERR_SIGNATURE_DOES_NOT_MATCH, NULL },
	{ "signed header tampered", BASE_F,
	  { { "x-acs-action", "DeleteInstances" } }, { { NULL, NULL } }, NULL,
	  NULL, NULL, NULL, 0, 0, 0, ERR_SIGNATURE_DOES_NOT_MATCH, NULL },
	{ "method changed", BASE_F, { { NULL, NULL } }, { { NULL, NULL } }, NULL,
	  NULL, NULL, "GET", 0, 0, 0, ERR_SIGNATURE_DOES_NOT_MATCH, NULL },
	{ "extra query parameter, re-signed", BASE_F, { { NULL, NULL } },
	  { { "RegionId", "cn-hangzhou" } }, NULL, NULL, F_SIGNED, NULL, 0, 0, 0,
	  ERR_OK, NULL },
	{ "replayed", BASE_F, { { NULL, NULL } }, { { NULL, NULL } }, NULL, NULL,
	  NULL, NULL, 0, 0, 1, ERR_SIGNATURE_NONCE_USED, NULL },
	{ "nonce store full", BASE_F, { { NULL, NULL } }, { { NULL, NULL } },
	  NULL, NULL, NULL, NULL, 0, -1, 0, ERR_SERVICE_UNAVAILABLE, NULL },
};

/* Signs the request as a client would, with testsecret. */
static const char *v3_resign(struct arena *a, const struct auth_input *in,
                             const char *signed_headers)
{
	char payload[SIG_HEX256_LEN + 1], sig[SIG_HEX256_LEN + 1];
	struct buf creq, sts;
	const char *out;

	sig_sha256_hex(in->body, in->body_len, payload);
	buf_init(&creq, 1 << 20);
	buf_init(&sts, 1024);
	sig_v3_canonical_request(&creq, in->method, "/", in->query->v,
	                         in->query->n, in->headers, in->nheaders,
	                         signed_headers, payload);
	sig_v3_string_to_sign(&sts, creq.p, creq.len);
	sig_v3_sign("testsecret", sts.p, sts.len, sig);
	out = arena_printf(a, "ACS3-HMAC-SHA256 Credential=testid,"
	                      "SignedHeaders=%s,Signature=%s",
	                   signed_headers, sig);
	buf_free(&creq);
	buf_free(&sts);
	return out;
}

static void test_verify_v3(const struct creds *c)
{
	size_t i, j, nq, nh;

	for (i = 0; i < sizeof(v3_cases) / sizeof(v3_cases[0]); i++) {
		const struct v3_case *r = &v3_cases[i];
		const char *q[MAXP][2], *h[MAXP][2];
		struct param qv[MAXP];
		struct params query, none = { NULL, 0, 0 };
		struct http_header hv[MAXP];
		struct nonce_ctx nctx = { replay_new(0), r->nonce_forced };
		struct auth_input in = { 0 };
		struct auth_result res;
		struct arena *a = malloc(sizeof(*a));
		enum err_id e;

		arena_init(a, LIM_ARENA_BYTES);
		nq = r->base == BASE_F ? copy_pairs(q, f_query) : 0;
		nh = copy_pairs(h, f_headers);
		if (r->base == BASE_G) {
			set_pair(h, &nh, "host", "127.0.0.1:8080");
			set_pair(h, &nh, "x-acs-content-sha256", G_SHA);
			set_pair(h, &nh, "content-type",
			         "application/x-www-form-urlencoded");
		}
		for (j = 0; j < 3 && r->hset[j][0]; j++)
			set_pair(h, &nh, r->hset[j][0], r->hset[j][1]);
		for (j = 0; j < 2 && r->qset[j][0]; j++)
			set_pair(q, &nq, r->qset[j][0], r->qset[j][1]);
		to_params(&query, qv, q, nq);
		for (j = 0; j < nh; j++) {
			hv[j].name = h[j][0];
			hv[j].value = h[j][1];
		}
		in.method = r->method ? r->method : "POST";
		in.path = "/";
		in.query = &query;
		in.all = &none;
		in.headers = hv;
		in.nheaders = nh;
		in.body = r->body ? r->body : r->base == BASE_G ? G_BODY : "";
		in.body_len = strlen(in.body);
		in.now_ms = T0 + r->now_delta;
		if (r->authorization)
			in.authorization = r->authorization;
		else if (r->resign)
			in.authorization = v3_resign(a, &in, r->resign);
		else
			in.authorization = r->base == BASE_F ? F_AUTH : G_AUTH;
		e = auth_verify(a, &in, c, test_nonce_fn, &nctx, &res);
		if (r->repeat)
			e = auth_verify(a, &in, c, test_nonce_fn, &nctx, &res);
		check_result(r->name, e, r->want, &res, r->want_detail, "1234", 3);
		if (e == ERR_SIGNATURE_DOES_NOT_MATCH && !r->want_detail)
			T_CHECK(res.detail && strncmp(res.detail,
			        "ACS3-HMAC-SHA256\n", 17) == 0,
			        "%s: detail is a string to sign", r->name);
		if (e == ERR_OK)
			T_STREQ(res.akid, "testid", r->name);
		replay_free(nctx.nc);
		arena_free(a);
		free(a);
	}
}

/* A NULL nonce callback disables the replay check. */
static void test_no_nonce_fn(const struct creds *c)
{
	const char *kv[MAXP][2];
	struct param v[MAXP];
	struct params all;
	struct auth_input in = { 0 };
	struct auth_result res;
	struct arena a;
	size_t n = copy_pairs(kv, c_params);

	arena_init(&a, 1 << 20);
	to_params(&all, v, kv, n);
	in.method = "POST";
	in.all = &all;
	in.now_ms = T0;
	T_INTEQ(auth_verify(&a, &in, c, NULL, NULL, &res), ERR_OK, "no nonce fn");
	T_INTEQ(auth_verify(&a, &in, c, NULL, NULL, &res), ERR_OK,
	        "no nonce fn, again");
	arena_free(&a);
}

int main(void)
{
	struct creds *c;

	test_timestamps();
	test_is_v3();
	c = test_creds();
	T_CHECK(c != NULL, "test credentials");
	if (c) {
		test_verify_v1(c);
		test_verify_v3(c);
		test_no_nonce_fn(c);
	}
	creds_free(c);
	return t_done("auth");
}
