/* test_sig.c - V1/V3 signature canonicalisation and signing against the
 * vectors of API.md §2.6, percent-encoding edge cases, Authorization
 * header parsing. Tables only; no server, no clock. */
#include <stdlib.h>
#include "../../src/auth/sig.h"
#include "../../src/common/limits.h"
#include "t.h"

#define MAXP 16

/* ---- percent-encoding ---- */

struct pct_row {
	const char *in;
	size_t len; /* 0: strlen(in) */
	const char *want;
};

static const struct pct_row pct_rows[] = {
	{ "", 0, "" },
	{ "AZaz09", 0, "AZaz09" },
	{ "-_.~", 0, "-_.~" },
	{ " ", 0, "%20" },
	{ "*", 0, "%2A" },
	{ "~", 0, "~" },
	{ "/", 0, "%2F" },
	{ "+", 0, "%2B" },
	{ "%", 0, "%25" },
	{ "=&:", 0, "%3D%26%3A" },
	{ "!'()", 0, "%21%27%28%29" },
	{ "\xe4\xb8\xad", 0, "%E4%B8%AD" },
	{ "\xff", 0, "%FF" },
	{ "a\0b", 3, "a%00b" },
	{ "a b*c~d/e+f \xe4\xb8\xad", 0, "a%20b%2Ac~d%2Fe%2Bf%20%E4%B8%AD" },
	{ "2024-03-01T08:00:00Z", 0, "2024-03-01T08%3A00%3A00Z" },
};

static void test_pct(void)
{
	size_t i;

	for (i = 0; i < sizeof(pct_rows) / sizeof(pct_rows[0]); i++) {
		const struct pct_row *r = &pct_rows[i];
		struct buf b;
		char what[64];

		buf_init(&b, 1024);
		snprintf(what, sizeof(what), "pct row %zu", i);
		T_INTEQ(sig_pct_encode(&b, r->in, r->len ? r->len : strlen(r->in)),
		        0, what);
		T_STREQ(buf_cstr(&b), r->want, what);
		buf_free(&b);
	}
	/* the buffer ceiling is honoured */
	{
		struct buf b;

		buf_init(&b, 5);
		T_INTEQ(sig_pct_encode(&b, "ab cd", 5), -1, "pct over limit");
		buf_free(&b);
	}
}

/* ---- V1 ---- */

struct v1_row {
	const char *name;
	const char *method;
	const char *secret;
	const char *p[MAXP][2]; /* name, value; terminated by a NULL name */
	const char *want_sts;   /* NULL: not checked */
	const char *want_in_sts[2]; /* fragments that must occur */
	const char *want_sig;
};

#define C_PARAMS \
	{ "AccessKeyId", "testid" }, { "Action", "DeleteInstance" }, \
	{ "Force", "true" }, { "Format", "JSON" }, \
	{ "InstanceId", "i-bp1g6zv0ce8oghu7ab12" }, \
	{ "RegionId", "cn-hangzhou" }, { "SignatureMethod", "HMAC-SHA1" }, \
	{ "SignatureNonce", "45e25e9b-0a6f-4070-8c85-2956eda1b466" }, \
	{ "SignatureVersion", "1.0" }, { "Timestamp", "2024-03-01T08:00:00Z" }, \
	{ "Version", "2014-05-26" }

#define C_STS_TAIL \
	"&%2F&AccessKeyId%3Dtestid%26Action%3DDeleteInstance%26Force%3Dtrue" \
	"%26Format%3DJSON%26InstanceId%3Di-bp1g6zv0ce8oghu7ab12%26RegionId%3D" \
	"cn-hangzhou%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D" \
	"45e25e9b-0a6f-4070-8c85-2956eda1b466%26SignatureVersion%3D1.0%26" \
	"Timestamp%3D2024-03-01T08%253A00%253A00Z%26Version%3D2014-05-26"

static const struct v1_row v1_rows[] = {
	{ "A official", "GET", "testsecret",
	  { { "Version", "2014-05-26" }, { "Action", "DescribeRegions" },
	    { "Format", "XML" }, { "SignatureMethod", "HMAC-SHA1" },
	    { "SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf" },
	    { "SignatureVersion", "1.0" },
	    { "Timestamp", "2016-02-23T12:46:24Z" },
	    { "AccessKeyId", "testid" } },
	  "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML"
	  "%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-"
	  "a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12"
	  "%253A46%253A24Z%26Version%3D2014-05-26",
	  { NULL, NULL }, "OLeaidS1JvxuMvnyHOwuJ+uX5qY=" },
	{ "B official", "GET", "testsecret",
	  { { "AccessKeyId", "testid" }, { "Action", "DescribeDedicatedHosts" },
	    { "Format", "JSON" }, { "RegionId", "cn-beijing" },
	    { "SignatureMethod", "HMAC-SHA1" },
	    { "SignatureNonce", "edb2b34af0af9a6d14deaf7c1a5315eb" },
	    { "SignatureVersion", "1.0" },
	    { "Timestamp", "2023-03-13T08:34:30Z" },
	    { "Version", "2014-05-26" } },
	  NULL, { NULL, NULL }, "9NaGiOspFP5UPcwX8Iwt2YJXXuk=" },
	{ "C POST", "POST", "testsecret", { C_PARAMS },
	  "POST" C_STS_TAIL, { NULL, NULL }, "8p+fzDLMG/RxrEOeZH8iRWTAmw8=" },
	{ "C GET", "GET", "testsecret", { C_PARAMS },
	  "GET" C_STS_TAIL, { NULL, NULL }, "Bx8lll+hrj+awVUT96L739wIUTw=" },
	{ "C POST with Signature (skipped)", "POST", "testsecret",
	  { { "Signature", "8p+fzDLMG/RxrEOeZH8iRWTAmw8=" }, C_PARAMS },
	  "POST" C_STS_TAIL, { NULL, NULL }, "8p+fzDLMG/RxrEOeZH8iRWTAmw8=" },
	{ "D encoding edge cases", "POST", "testsecret",
	  { C_PARAMS, { "Description", "a b*c~d/e+f \xe4\xb8\xad" },
	    { "SignatureType", "" } },
	  NULL,
	  { "Description%3Da%2520b%252Ac~d%252Fe%252Bf%2520%25E4%25B8%25AD%26",
	    "%26SignatureNonce%3D45e25e9b-0a6f-4070-8c85-2956eda1b466"
	    "%26SignatureType%3D%26SignatureVersion%3D1.0%26" },
	  "URJXZwN8X1OG/DDZ63o56y7Vh58=" },
	{ "stable sort of equal names", "GET", "s",
	  { { "b", "2" }, { "a", "z" }, { "a", "y" }, { "ab", "" } },
	  "GET&%2F&a%3Dz%26a%3Dy%26ab%3D%26b%3D2", { NULL, NULL }, NULL },
	{ "byte order: upper before lower", "GET", "s",
	  { { "a", "1" }, { "B", "2" }, { "_", "3" } },
	  "GET&%2F&B%3D2%26_%3D3%26a%3D1", { NULL, NULL }, NULL },
	{ "empty parameter list", "POST", "s", { { NULL, NULL } },
	  "POST&%2F&", { NULL, NULL }, NULL },
};

static size_t fill_params(struct param *v, const char *const (*p)[2])
{
	size_t n;

	for (n = 0; n < MAXP && p[n][0]; n++) {
		v[n].name = p[n][0];
		v[n].nlen = strlen(p[n][0]);
		v[n].value = p[n][1];
		v[n].vlen = strlen(p[n][1]);
	}
	return n;
}

static void test_v1(void)
{
	size_t i, j, n;

	for (i = 0; i < sizeof(v1_rows) / sizeof(v1_rows[0]); i++) {
		const struct v1_row *r = &v1_rows[i];
		struct param v[MAXP];
		char sig[SIG_V1_B64_LEN + 1];
		struct buf b;

		n = fill_params(v, r->p);
		buf_init(&b, 64 * 1024);
		T_INTEQ(sig_v1_string_to_sign(&b, r->method, v, n), 0, r->name);
		if (r->want_sts)
			T_STREQ(buf_cstr(&b), r->want_sts, r->name);
		for (j = 0; j < 2; j++)
			if (r->want_in_sts[j])
				T_CHECK(strstr(buf_cstr(&b), r->want_in_sts[j]),
				        "%s: fragment %zu missing in %s", r->name, j,
				        buf_cstr(&b));
		if (r->want_sig) {
			sig_v1_sign(r->secret, b.p, b.len, sig);
			T_STREQ(sig, r->want_sig, r->name);
		}
		buf_free(&b);
	}
	/* the ceiling of out bounds the work */
	{
		struct param v[MAXP];
		struct buf b;

		n = fill_params(v, v1_rows[2].p);
		buf_init(&b, 100);
		T_INTEQ(sig_v1_string_to_sign(&b, "POST", v, n), -1,
		        "v1 sts over limit");
		buf_free(&b);
	}
}

/* ---- V3 ---- */

#define EMPTY_SHA "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define G_BODY "InstanceId=i-bp1g6zv0ce8oghu7ab12&Force=true&Description=a%20b*c"
#define G_SHA "1337ba9a08ba78f9602c7f6a700ebac6c8d1bd9bd956563e50cd73928797822b"
#define F_HEADERS(host, sha) \
	{ "host", host }, { "x-acs-action", "DeleteInstance" }, \
	{ "x-acs-version", "2014-05-26" }, \
	{ "x-acs-date", "2024-03-01T08:00:00Z" }, \
	{ "x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d" }, \
	{ "x-acs-content-sha256", sha }, \
	{ "accept", "application/json" }, { "user-agent", "test" }
#define F_SIGNED "host;x-acs-action;x-acs-content-sha256;x-acs-date;" \
	"x-acs-signature-nonce;x-acs-version"

struct v3_row {
	const char *name;
	const char *method;
	const char *secret;
	const char *q[MAXP][2];
	const char *h[MAXP][2];
	const char *signed_headers;
	const char *body;
	int want_rc;
	const char *want_payload; /* NULL: not checked */
	const char *want_creq;
	const char *want_creq_sha;
	const char *want_sts;
	const char *want_sig;
};

static const struct v3_row v3_rows[] = {
	{ "E official", "POST", "YourAccessKeySecret",
	  { { "ImageId", "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd" },
	    { "RegionId", "cn-shanghai" } },
	  { { "host", "ecs.cn-shanghai.aliyuncs.com" },
	    { "x-acs-action", "RunInstances" },
	    { "x-acs-version", "2014-05-26" },
	    { "x-acs-date", "2023-10-26T10:22:32Z" },
	    { "x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d" },
	    { "x-acs-content-sha256", EMPTY_SHA } },
	  F_SIGNED, "", 0, EMPTY_SHA, NULL,
	  "7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259",
	  NULL,
	  "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0" },
	{ "F DeleteInstance", "POST", "testsecret",
	  { { "InstanceId", "i-bp1g6zv0ce8oghu7ab12" }, { "Force", "true" } },
	  { F_HEADERS("ecs.cn-hangzhou.aliyuncs.com", EMPTY_SHA) },
	  F_SIGNED, "", 0, EMPTY_SHA,
	  "POST\n/\nForce=true&InstanceId=i-bp1g6zv0ce8oghu7ab12\n"
	  "host:ecs.cn-hangzhou.aliyuncs.com\n"
	  "x-acs-action:DeleteInstance\n"
	  "x-acs-content-sha256:" EMPTY_SHA "\n"
	  "x-acs-date:2024-03-01T08:00:00Z\n"
	  "x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\n"
	  "x-acs-version:2014-05-26\n\n" F_SIGNED "\n" EMPTY_SHA,
	  "27e81da5c842a28075c80df69e3bfdfc155c8a1768ab06d1cc046c5b433eaac2",
	  "ACS3-HMAC-SHA256\n"
	  "27e81da5c842a28075c80df69e3bfdfc155c8a1768ab06d1cc046c5b433eaac2",
	  "859192c9abd8a50ed57e78a3fb03a7de287261e0010592608dd822cca81e75c9" },
	{ "F with padded header values (trimmed)", "POST", "testsecret",
	  { { "InstanceId", "i-bp1g6zv0ce8oghu7ab12" }, { "Force", "true" } },
	  { { "host", " ecs.cn-hangzhou.aliyuncs.com\t" },
	    { "x-acs-action", "DeleteInstance " },
	    { "x-acs-version", "2014-05-26" },
	    { "x-acs-date", "2024-03-01T08:00:00Z" },
	    { "x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d" },
	    { "x-acs-content-sha256", EMPTY_SHA } },
	  F_SIGNED, "", 0, NULL, NULL, NULL, NULL,
	  "859192c9abd8a50ed57e78a3fb03a7de287261e0010592608dd822cca81e75c9" },
	{ "G form body, port in host", "POST", "testsecret", { { NULL, NULL } },
	  { F_HEADERS("127.0.0.1:8080", G_SHA),
	    { "content-type", "application/x-www-form-urlencoded" } },
	  "content-type;" F_SIGNED, G_BODY, 0, G_SHA, NULL, NULL, NULL,
	  "5d8684bcc8777568b1360e6712dba9b156e7a373dd590ac41bf6000b4e7ce554" },
	{ "repeated header joined with ','", "GET", "s", { { NULL, NULL } },
	  { { "x-acs-a", "1" }, { "x-acs-b", "x" }, { "x-acs-a", " 2 " } },
	  "x-acs-a;x-acs-b", "", 0, NULL,
	  "GET\n/\n\nx-acs-a:1,2\nx-acs-b:x\n\nx-acs-a;x-acs-b\n" EMPTY_SHA,
	  NULL, NULL, NULL },
	{ "query encoding: empty value, space, *", "GET", "s",
	  { { "b", "" }, { "a", "x y*" } }, { { "host", "h" } },
	  "host", "", 0, NULL,
	  "GET\n/\na=x%20y%2A&b=\nhost:h\n\nhost\n" EMPTY_SHA, NULL, NULL,
	  NULL },
	{ "signed header absent", "GET", "s", { { NULL, NULL } },
	  { { "host", "h" } }, "host;x-acs-date", "", -2, NULL, NULL, NULL,
	  NULL, NULL },
	{ "empty signed header name", "GET", "s", { { NULL, NULL } },
	  { { "host", "h" } }, "host;", "", -2, NULL, NULL, NULL, NULL, NULL },
};

static size_t fill_headers(struct http_header *h, const char *const (*p)[2])
{
	size_t n;

	for (n = 0; n < MAXP && p[n][0]; n++) {
		h[n].name = p[n][0];
		h[n].value = p[n][1];
	}
	return n;
}

static void test_v3(void)
{
	size_t i, nq, nh;

	for (i = 0; i < sizeof(v3_rows) / sizeof(v3_rows[0]); i++) {
		const struct v3_row *r = &v3_rows[i];
		struct param q[MAXP];
		struct http_header h[MAXP];
		char payload[SIG_HEX256_LEN + 1], hex[SIG_HEX256_LEN + 1];
		char sig[SIG_HEX256_LEN + 1];
		struct buf creq, sts;
		int rc;

		nq = fill_params(q, r->q);
		nh = fill_headers(h, r->h);
		sig_sha256_hex(r->body, strlen(r->body), payload);
		if (r->want_payload)
			T_STREQ(payload, r->want_payload, r->name);
		buf_init(&creq, 64 * 1024);
		buf_init(&sts, 1024);
		rc = sig_v3_canonical_request(&creq, r->method, "/", q, nq, h,
		                              nh, r->signed_headers, payload);
		T_INTEQ(rc, r->want_rc, r->name);
		if (rc == 0) {
			if (r->want_creq)
				T_STREQ(buf_cstr(&creq), r->want_creq, r->name);
			sig_sha256_hex(creq.p, creq.len, hex);
			if (r->want_creq_sha)
				T_STREQ(hex, r->want_creq_sha, r->name);
			T_INTEQ(sig_v3_string_to_sign(&sts, creq.p, creq.len), 0,
			        r->name);
			if (r->want_sts)
				T_STREQ(buf_cstr(&sts), r->want_sts, r->name);
			sig_v3_sign(r->secret, sts.p, sts.len, sig);
			if (r->want_sig)
				T_STREQ(sig, r->want_sig, r->name);
		}
		buf_free(&creq);
		buf_free(&sts);
	}
}

/* ---- Authorization header ---- */

struct authz_row {
	const char *hdr;
	int want_rc;
	const char *alg, *cred, *signed_headers, *sig;
};

static const struct authz_row authz_rows[] = {
	{ "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=" F_SIGNED
	  ",Signature=859192c9", 0, "ACS3-HMAC-SHA256", "testid", F_SIGNED,
	  "859192c9" },
	{ "ACS3-HMAC-SHA256 Credential=AK, SignedHeaders=host, Signature=ab",
	  0, "ACS3-HMAC-SHA256", "AK", "host", "ab" },
	{ "ACS3-HMAC-SM3 Signature=ab,Credential=AK,SignedHeaders=host", 0,
	  "ACS3-HMAC-SM3", "AK", "host", "ab" },
	{ "ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=host", -1, NULL, NULL,
	  NULL, NULL },
	{ "ACS3-HMAC-SHA256", -1, NULL, NULL, NULL, NULL },
	{ "ACS3-HMAC-SHA256 ", -1, NULL, NULL, NULL, NULL },
	{ "", -1, NULL, NULL, NULL, NULL },
	{ " Credential=AK,SignedHeaders=host,Signature=ab", -1, NULL, NULL,
	  NULL, NULL },
	{ "ACS3-HMAC-SHA256 Credential=AK,Credential=BK,SignedHeaders=h,"
	  "Signature=ab", -1, NULL, NULL, NULL, NULL },
	{ "ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=h,Signature=ab,Foo=1",
	  -1, NULL, NULL, NULL, NULL },
	{ "ACS3-HMAC-SHA256 Credential=,SignedHeaders=h,Signature=ab", -1,
	  NULL, NULL, NULL, NULL },
	{ "ACS3-HMAC-SHA256 Credential=AK,,SignedHeaders=h,Signature=ab", -1,
	  NULL, NULL, NULL, NULL },
	{ "ACS3-HMAC-SHA256 Credential AK,SignedHeaders=h,Signature=ab", -1,
	  NULL, NULL, NULL, NULL },
	/* fuzz/ finding: a signed header name is an HTTP token, nothing else
	 * (it is echoed in IncompleteSignature messages) */
	{ "ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=host;x\xff\x01,"
	  "Signature=ab", -1, NULL, NULL, NULL, NULL },
	{ "ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=host;a b,Signature=ab",
	  -1, NULL, NULL, NULL, NULL },
	{ "ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=host;x-a_b.c~1,"
	  "Signature=ab", 0, "ACS3-HMAC-SHA256", "AK", "host;x-a_b.c~1", "ab" },
};

static void test_authz(void)
{
	size_t i;
	struct arena a;

	arena_init(&a, 1 << 20);
	for (i = 0; i < sizeof(authz_rows) / sizeof(authz_rows[0]); i++) {
		const struct authz_row *r = &authz_rows[i];
		struct sig_v3_auth h;
		char what[64];

		snprintf(what, sizeof(what), "authz row %zu", i);
		T_INTEQ(sig_v3_parse_authorization(&a, r->hdr, &h), r->want_rc,
		        what);
		if (r->want_rc)
			continue;
		T_STREQ(h.algorithm, r->alg, what);
		T_STREQ(h.credential, r->cred, what);
		T_STREQ(h.signed_headers, r->signed_headers, what);
		T_STREQ(h.signature, r->sig, what);
	}
	arena_free(&a);
}

/* ---- constant-time equality ---- */

struct eq_row {
	const char *a, *b;
	int want;
};

static const struct eq_row eq_rows[] = {
	{ "", "", 1 }, { "abc", "abc", 1 }, { "abc", "abd", 0 },
	{ "abc", "ab", 0 }, { "ab", "abc", 0 }, { "", "a", 0 },
	{ "8p+fzDLMG/RxrEOeZH8iRWTAmw8=", "8p+fzDLMG/RxrEOeZH8iRWTAmw8=", 1 },
	{ "8p+fzDLMG/RxrEOeZH8iRWTAmw8=", "8p+fzDLMG/RxrEOeZH8iRWTAmw9=", 0 },
};

static void test_equal(void)
{
	size_t i;

	for (i = 0; i < sizeof(eq_rows) / sizeof(eq_rows[0]); i++) {
		char what[64];

		snprintf(what, sizeof(what), "sig_equal row %zu", i);
		T_INTEQ(sig_equal(eq_rows[i].a, eq_rows[i].b), eq_rows[i].want,
		        what);
	}
}

int main(void)
{
	test_pct();
	test_v1();
	test_v3();
	test_authz();
	test_equal();
	return t_done("sig");
}
