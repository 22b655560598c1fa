/* ctl.c - libFuzzer harness: the control API (ctl_handle) with its JSON
 * bodies, against a real SQLite store seeded with known resources.
 * Input: one flag byte (bit 0: the right token, else the second line is
 * the token; bit 1: a loopback peer), then "METHOD PATH\n", then
 * [token line,] then the body.
 * Bulk loads are capped at 50 instances here (the real cap, 10 million,
 * is a token holder's choice and only costs time); the cap is applied by
 * not calling ctl_handle, so a parser bug before it is still reached
 * through other paths. Oracles: no sanitizer report, a JSON reply that
 * parses, and no 500 from a store that works. */
#include "fuzz.h"
#include "../src/dispatch/dispatch.h"
#include "../src/ctl/ctl.h"
#include <jansson.h>
#include <stdint.h>

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

static int bulk_too_big(const char *path, const char *body, size_t len)
{
	json_error_t je;
	json_t *b, *c;
	int big = 0;

	if (strncmp(path, "/bulk", 5) != 0)
		return 0;
	b = json_loadb(body, len, 0, &je);
	c = b ? json_object_get(b, "Count") : NULL;
	if (c && json_is_integer(c) && json_integer_value(c) > 50)
		big = 1;
	json_decref(b);
	return big;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p, *end = (const char *)data + size, *nl, *sp;
	char *line, *method, *path, *token, *body;
	struct http_out out;
	json_error_t je;
	json_t *j;
	int good_token, loopback;

	if (size < 1)
		return 0;
	fz_server_tick(&srv);
	good_token = data[0] & 1;
	loopback = (data[0] >> 1) & 1;
	p = (const char *)data + 1;
	nl = memchr(p, '\n', (size_t)(end - p));
	if (!nl)
		nl = end;
	line = strndup(p, (size_t)(nl - p));
	p = nl < end ? nl + 1 : end;
	sp = line ? strchr(line, ' ') : NULL;
	if (!sp) {
		free(line);
		return 0;
	}
	method = strndup(line, (size_t)(sp - line));
	path = strdup(sp + 1);
	if (good_token) {
		token = strdup(FZ_CTL_TOKEN);
	} else {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		token = strndup(p, (size_t)(nl - p));
		p = nl < end ? nl + 1 : end;
	}
	body = malloc((size_t)(end - p) + 1);
	if (method && path && token && body) {
		memcpy(body, p, (size_t)(end - p));
		body[end - p] = '\0';
		if (!bulk_too_big(path, body, (size_t)(end - p))) {
			ctl_handle(&srv.e, method, path, NULL, body, (size_t)(end - p),
			           token, loopback, &out);
			if (out.status == 500 || !out.body) {
				fprintf(stderr, "fuzz: %d %s\n", out.status,
				        out.body ? out.body : "(no body)");
				abort();
			}
			j = json_loadb(out.body, out.body_len, 0, &je);
			if (!j) {
				fprintf(stderr, "fuzz: reply is not JSON: %s\n", out.body);
				abort();
			}
			json_decref(j);
			free(out.body);
		}
	}
	free(line);
	free(method);
	free(path);
	free(token);
	free(body);
	return 0;
}
