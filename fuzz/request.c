/* request.c - libFuzzer harness: one whole API request as the transport
 * hands it to api_dispatch (struct http_in), against a real SQLite store
 * seeded with known resources and the development credentials.
 *
 * Input, HTTP-like so that seeds and crashes read as requests:
 *   METHOD TARGET\n  (TARGET = "/" or "/?raw-query")
 *   name: value\n     (headers until an empty line)
 *   \n
 *   body
 * A header "x-fuzz-sign: v1" (or "v3") makes the harness add a valid V1
 * (or V3) signature, so that fuzzed requests reach the parameter checks
 * and the handlers; without it the signature is whatever the input says.
 * Oracles: no sanitizer report, a status the error table can produce,
 * no InternalError, every reply is UTF-8 (XML: no C0 controls), and
 * every JSON reply parses. FUZZ_VERBOSE=1 in the environment prints each
 * reply (to check that the seeds get past authentication). */
#include "fuzz.h"
#include "../src/dispatch/dispatch.h"
#include <jansson.h>
#include <stdint.h>
#include <strings.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct fz_server srv;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fz_server_init(&srv);
	return 0;
}

/* Next line of [*p, end) without its '\n'; advances *p. */
static const char *next_line(const char **p, const char *end, size_t *len)
{
	const char *s = *p, *nl = memchr(s, '\n', (size_t)(end - s));

	if (!nl)
		nl = end;
	*len = (size_t)(nl - s);
	*p = nl < end ? nl + 1 : end;
	return s;
}

/* 1 if s is well-formed UTF-8; xml: also free of the C0 controls XML 1.0
 * cannot carry. The oracle's own copy on purpose: the server's input check
 * (src/api/params.c) is what it judges, so it must not share its code. */
static int text_ok(const unsigned char *s, size_t len, int xml)
{
	size_t i = 0, k, n;
	unsigned c, min;

	while (i < len) {
		c = s[i];
		if (c < 0x80) {
			if (xml && c < 0x20 && c != '\t' && c != '\n' && c != '\r')
				return 0;
			i++;
			continue;
		}
		if ((c & 0xE0) == 0xC0) { n = 1; min = 0x80; c &= 0x1F; }
		else if ((c & 0xF0) == 0xE0) { n = 2; min = 0x800; c &= 0x0F; }
		else if ((c & 0xF8) == 0xF0) { n = 3; min = 0x10000; c &= 0x07; }
		else return 0;
		for (k = 1; k <= n; k++) {
			if (i + k >= len || (s[i + k] & 0xC0) != 0x80)
				return 0;
			c = (c << 6) | (s[i + k] & 0x3F);
		}
		if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
			return 0;
		i += n + 1;
	}
	return 1;
}

static void check_reply(const struct http_out *out)
{
	json_error_t je;
	json_t *j;

	if (getenv("FUZZ_VERBOSE"))
		fprintf(stderr, "fuzz: %d %.*s\n", out->status, (int)out->body_len,
		        out->body ? out->body : "");
	if (out->status < 200 || out->status > 599 ||
	    (out->status != 200 && out->status < 400)) {
		fprintf(stderr, "fuzz: odd status %d\n", out->status);
		abort();
	}
	if (out->status == 500) {
		fprintf(stderr, "fuzz: InternalError: %.*s\n", (int)out->body_len,
		        out->body ? out->body : "");
		abort();
	}
	if (!out->body || !out->content_type)
		return;
	if (!text_ok((const unsigned char *)out->body, out->body_len,
	             strncmp(out->content_type, "text/xml", 8) == 0)) {
		fprintf(stderr, "fuzz: reply is not clean UTF-8 text: %.*s\n",
		        (int)out->body_len, out->body);
		abort();
	}
	if (strncmp(out->content_type, "application/json", 16) != 0)
		return;
	j = json_loadb(out->body, out->body_len, 0, &je);
	if (!j) {
		fprintf(stderr, "fuzz: reply is not JSON (%s): %.*s\n", je.text,
		        (int)out->body_len, out->body);
		abort();
	}
	json_decref(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size, *line, *sp, *q;
	struct http_header *h;
	struct arena a;
	struct buf query;
	struct http_in in;
	struct http_out out;
	size_t len, nh = 0, hbytes = 0;
	char *method, *target, *body;
	const char *ctype = NULL;
	int sign = 0, over = 0;

	fz_server_tick(&srv);
	arena_init(&a, 8 * 1024 * 1024);
	h = arena_alloc(&a, (LIM_HEADER_COUNT + 8) * sizeof(*h));
	if (!h)
		abort();

	line = next_line(&p, end, &len);
	sp = memchr(line, ' ', len);
	method = arena_strndup(&a, line, sp ? (size_t)(sp - line) : len);
	target = sp ? arena_strndup(&a, sp + 1, len - (size_t)(sp + 1 - line))
	            : arena_strdup(&a, "/");
	while (p < end) {
		const char *colon;
		char *name;

		line = next_line(&p, end, &len);
		if (len == 0)
			break;
		colon = memchr(line, ':', len);
		if (!colon || colon == line)
			continue;
		name = arena_strndup(&a, line, (size_t)(colon - line));
		for (char *c = name; *c; c++)
			if (*c >= 'A' && *c <= 'Z')
				*c = (char)(*c - 'A' + 'a');
		colon++;
		while (colon < line + len && (*colon == ' ' || *colon == '\t'))
			colon++;
		if (strcmp(name, "x-fuzz-sign") == 0) {
			size_t vl = (size_t)(line + len - colon);

			sign = vl >= 2 && memcmp(colon, "v3", 2) == 0 ? 3 :
			       vl >= 2 && memcmp(colon, "v1", 2) == 0 ? 1 : 0;
			continue;
		}
		/* the transport's limits (server.c hdr_cb) */
		hbytes += strlen(name) + (size_t)(line + len - colon);
		if (nh >= LIM_HEADER_COUNT || hbytes > LIM_HEADER_BYTES) {
			over = 1;
			continue;
		}
		h[nh].name = name;
		h[nh].value = arena_strndup(&a, colon, (size_t)(line + len - colon));
		if (strcmp(name, "content-type") == 0 && !ctype)
			ctype = h[nh].value;
		nh++;
	}
	body = arena_strndup(&a, p, (size_t)(end - p));

	memset(&in, 0, sizeof(in));
	in.method = method;
	q = strchr(target, '?');
	in.bad_path = q ? !(q == target + 1 && target[0] == '/')
	                : strcmp(target, "/") != 0;
	buf_init(&query, LIM_URL_BYTES);
	if (q && q[1])
		buf_adds(&query, q + 1);
	if (sign == 1)
		fz_sign_v1(&a, &query, method, body, (size_t)(end - p),
		           ctype && strncasecmp(ctype, "application/x-www-form-urlencoded", 33) == 0);
	else if (sign == 3)
		fz_sign_v3(&a, h, &nh, method, query.p, query.len, body,
		           (size_t)(end - p));
	for (size_t i = 0; i < nh; i++) {
		if (strcmp(h[i].name, "host") == 0 && !in.host)
			in.host = h[i].value;
		if (strcmp(h[i].name, "authorization") == 0 && !in.authorization)
			in.authorization = h[i].value;
	}
	in.raw_query = query.len ? query.p : NULL;
	in.raw_query_len = query.len;
	in.content_type = ctype;
	in.body = body;
	in.body_len = (size_t)(end - p);
	in.body_too_large = over || query.over || strlen(target) > LIM_URL_BYTES ||
	                    in.body_len > LIM_BODY_BYTES;
	in.headers = h;
	in.nheaders = nh;

	api_dispatch(&srv.e, &in, &out);
	check_reply(&out);
	free(out.body);
	buf_free(&query);
	arena_free(&a);
	return 0;
}
