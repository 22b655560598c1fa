/* sig.c - libFuzzer harness: V1 and V3 canonicalisation and verification
 * (auth_verify and the sig_* functions under it) with the development
 * credentials. Input: one mode byte, then text.
 *   mode 0 (V1 round trip): the text is a query string. The harness drops
 *     the parameters that carry the signature, adds them, signs like a
 *     client and asks auth_verify: it must answer ERR_OK.
 *   mode 1 (V3 round trip): "query\nname: value\n...\n\nbody". The
 *     harness drops the headers it signs, adds them and an Authorization,
 *     and auth_verify must answer ERR_OK.
 *   mode 2 (raw): "authorization\nquery\nname: value\n...\n\nbody" goes
 *     to auth_verify as it is (a refusal of some kind, never a crash);
 *     sig_v3_parse_authorization and auth_parse_timestamp see the first
 *     line too.
 * A nonce callback accepts every nonce: replay is the cache's business. */
#include "fuzz.h"
#include <stdint.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct creds *creds;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	log_set_level(-1);
	creds = creds_dev();
	if (!creds)
		abort();
	return 0;
}

static int accept_nonce(void *ctx, const char *akid, const char *nonce,
                        int64_t stamp_ms, int64_t now_ms)
{
	(void)ctx;
	(void)akid;
	(void)nonce;
	(void)stamp_ms;
	(void)now_ms;
	return 0;
}

/* Next line of [*p, end) without its '\n', as an arena string. */
static char *take_line(struct arena *a, const char **p, const char *end,
                       size_t *len)
{
	const char *s = *p, *nl = memchr(s, '\n', (size_t)(end - s));

	if (!nl)
		nl = end;
	*len = (size_t)(nl - s);
	*p = nl < end ? nl + 1 : end;
	return arena_strndup(a, s, *len);
}

/* Headers "name: value" until an empty line; names lower-cased, as the
 * transport hands them over. Names listed in drop are skipped. */
static size_t take_headers(struct arena *a, const char **p, const char *end,
                           struct http_header *h, const char *const *drop)
{
	size_t n = 0, len;
	char *line, *colon, *v;

	/* room for the 7 headers the V3 round trip adds */
	while (*p < end && n < LIM_HEADER_COUNT - 8) {
		int skip = 0;

		line = take_line(a, p, end, &len);
		if (!line || len == 0)
			break;
		colon = strchr(line, ':');
		if (!colon || colon == line)
			continue;
		*colon = '\0';
		for (char *c = line; *c; c++)
			if (*c >= 'A' && *c <= 'Z')
				*c = (char)(*c - 'A' + 'a');
		for (size_t i = 0; drop && drop[i]; i++)
			if (strcmp(line, drop[i]) == 0)
				skip = 1;
		if (skip)
			continue;
		v = colon + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		h[n].name = line;
		h[n].value = v;
		n++;
	}
	return n;
}

static void fail_round_trip(const char *what, enum err_id rc,
                            const struct auth_result *ar)
{
	fprintf(stderr, "fuzz: %s round trip refused (err %d): %s\n", what,
	        (int)rc, ar->detail ? ar->detail : "");
	abort();
}

static void v1_round_trip(struct arena *a, const char *text, size_t len)
{
	static const char *const auth_names[] = {
		"AccessKeyId", "Signature", "SignatureMethod", "SignatureVersion",
		"SignatureNonce", "Timestamp",
	};
	struct params in, kept;
	struct auth_input ai;
	struct auth_result ar;
	struct buf q;
	enum err_id rc;

	memset(&in, 0, sizeof(in));
	if (form_parse(a, text, len, 0, &in))
		return;
	/* re-encode the pairs that do not carry the signature */
	buf_init(&q, 8 * 1024 * 1024);
	for (size_t i = 0; i < in.n; i++) {
		int skip = 0;

		for (size_t k = 0; k < 6; k++)
			if (in.v[i].nlen == strlen(auth_names[k]) &&
			    memcmp(in.v[i].name, auth_names[k], in.v[i].nlen) == 0)
				skip = 1;
		if (skip)
			continue;
		if (q.len)
			buf_addc(&q, '&');
		sig_pct_encode(&q, in.v[i].name, in.v[i].nlen);
		buf_addc(&q, '=');
		sig_pct_encode(&q, in.v[i].value, in.v[i].vlen);
	}
	if (fz_sign_v1(a, &q, "GET", "", 0, 0)) {
		buf_free(&q);
		return;
	}
	memset(&kept, 0, sizeof(kept));
	if (form_parse(a, q.p, q.len, 0, &kept)) {
		buf_free(&q);
		return; /* more than LIM_PARAM_COUNT once signed */
	}
	memset(&ai, 0, sizeof(ai));
	ai.method = "GET";
	ai.path = "/";
	ai.all = &kept;
	ai.query = &kept;
	ai.body = "";
	ai.now_ms = ecsd_now_ms();
	rc = auth_verify(a, &ai, creds, accept_nonce, NULL, &ar);
	if (rc != ERR_OK)
		fail_round_trip("V1", rc, &ar);
	buf_free(&q);
}

static void v3_round_trip(struct arena *a, const char *p, const char *end)
{
	static const char *const signed_names[] = {
		"host", "x-acs-action", "x-acs-version", "x-acs-date",
		"x-acs-signature-nonce", "x-acs-content-sha256", "authorization",
		NULL,
	};
	struct http_header h[LIM_HEADER_COUNT + 8];
	struct params q;
	struct auth_input ai;
	struct auth_result ar;
	size_t len, nh;
	char *query, *body;
	enum err_id rc;

	query = take_line(a, &p, end, &len);
	nh = take_headers(a, &p, end, h, signed_names);
	body = arena_strndup(a, p, (size_t)(end - p));
	if (!query || !body)
		return;
	/* x-acs-action and x-acs-version are signed; give them values */
	h[nh].name = "x-acs-action";
	h[nh++].value = "DescribeRegions";
	h[nh].name = "x-acs-version";
	h[nh++].value = "2014-05-26";
	if (fz_sign_v3(a, h, &nh, "POST", query, len, body, (size_t)(end - p)))
		return;
	memset(&q, 0, sizeof(q));
	if (len && form_parse(a, query, len, 0, &q))
		return;
	memset(&ai, 0, sizeof(ai));
	ai.method = "POST";
	ai.path = "/";
	ai.all = &q;
	ai.query = &q;
	ai.headers = h;
	ai.nheaders = nh;
	for (size_t i = 0; i < nh; i++)
		if (strcmp(h[i].name, "authorization") == 0)
			ai.authorization = h[i].value;
	ai.body = body;
	ai.body_len = (size_t)(end - p);
	ai.now_ms = ecsd_now_ms();
	rc = auth_verify(a, &ai, creds, accept_nonce, NULL, &ar);
	if (rc != ERR_OK)
		fail_round_trip("V3", rc, &ar);
}

static void raw(struct arena *a, const char *p, const char *end)
{
	struct http_header h[LIM_HEADER_COUNT + 8];
	struct sig_v3_auth va;
	struct params q;
	struct auth_input ai;
	struct auth_result ar;
	size_t len, qlen, nh;
	char *authz, *query, *body;

	authz = take_line(a, &p, end, &len);
	query = take_line(a, &p, end, &qlen);
	nh = take_headers(a, &p, end, h, NULL);
	body = arena_strndup(a, p, (size_t)(end - p));
	if (!authz || !query || !body)
		return;
	sig_v3_parse_authorization(a, authz, &va);
	auth_parse_timestamp(authz);
	memset(&q, 0, sizeof(q));
	if (qlen && form_parse(a, query, qlen, 0, &q))
		return;
	memset(&ai, 0, sizeof(ai));
	ai.method = "POST";
	ai.path = "/";
	ai.all = &q;
	ai.query = &q;
	ai.headers = h;
	ai.nheaders = nh;
	ai.authorization = len ? authz : NULL;
	ai.body = body;
	ai.body_len = (size_t)(end - p);
	ai.now_ms = ecsd_now_ms();
	auth_verify(a, &ai, creds, accept_nonce, NULL, &ar);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data + 1, *end = (const char *)data + size;
	struct arena a;

	if (size < 1)
		return 0;
	arena_init(&a, LIM_ARENA_BYTES);
	switch (data[0] % 3) {
	case 0: v1_round_trip(&a, p, (size_t)(end - p)); break;
	case 1: v3_round_trip(&a, p, end); break;
	default: raw(&a, p, end); break;
	}
	arena_free(&a);
	return 0;
}
