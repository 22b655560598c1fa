/* creds.c - libFuzzer harness: the credentials file. The same bytes go
 * through creds_parse (memory) and creds_load (a file): both must agree
 * on acceptance and on the number of keys, must never put the secret of
 * a line into the error text, and every accepted key must be found again
 * by its access key id. Input: the file's bytes. */
#include "fuzz.h"
#include <fcntl.h>
#include <stdint.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];

static void rm_path(void)
{
	unlink(path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int fd;

	(void)argc;
	(void)argv;
	snprintf(path, sizeof(path), "/tmp/ecsd-fuzz-creds.XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		abort();
	close(fd);
	atexit(rm_path);
	return 0;
}

/* Every line with three fields: its key must be found, with its secret. */
static void check_found(const struct creds *c, const char *s, size_t len)
{
	const char *end = s + len, *nl;
	char acct[LIM_CRED_LINE_BYTES + 1], akid[LIM_CRED_LINE_BYTES + 1],
	     secret[LIM_CRED_LINE_BYTES + 1], line[LIM_CRED_LINE_BYTES + 1];
	const struct cred_key *k;

	for (; s < end; s = nl + 1) {
		nl = memchr(s, '\n', (size_t)(end - s));
		if (!nl)
			nl = end;
		if ((size_t)(nl - s) > LIM_CRED_LINE_BYTES || memchr(s, '\0', (size_t)(nl - s)))
			continue;
		memcpy(line, s, (size_t)(nl - s));
		line[nl - s] = '\0';
		if (sscanf(line, "%512s %512s %512s", acct, akid, secret) != 3 ||
		    acct[0] == '#')
			continue;
		k = creds_find(c, akid);
		if (!k || strcmp(k->secret, secret) != 0 ||
		    strcmp(k->account_id, acct) != 0) {
			fprintf(stderr, "fuzz: key %s not found as written\n", akid);
			abort();
		}
	}
}

/* The error text holds no secret of a well-formed line. */
static void check_err(const char *err, const char *s, size_t len)
{
	const char *end = s + len, *nl;
	char acct[LIM_CRED_LINE_BYTES + 1], akid[LIM_CRED_LINE_BYTES + 1],
	     secret[LIM_CRED_LINE_BYTES + 1], line[LIM_CRED_LINE_BYTES + 1];

	for (; s < end; s = nl + 1) {
		nl = memchr(s, '\n', (size_t)(end - s));
		if (!nl)
			nl = end;
		if ((size_t)(nl - s) > LIM_CRED_LINE_BYTES || memchr(s, '\0', (size_t)(nl - s)))
			continue;
		memcpy(line, s, (size_t)(nl - s));
		line[nl - s] = '\0';
		if (sscanf(line, "%512s %512s %512s", acct, akid, secret) != 3)
			continue;
		/* a secret made only of key-id characters may equal a key id
		 * the error names; one with another character may not appear */
		if (strspn(secret, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		                   "0123456789._-") < strlen(secret) &&
		    strlen(secret) >= 6 && strstr(err, secret)) {
			fprintf(stderr, "fuzz: secret in error text: %s\n", err);
			abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct creds *a = NULL, *b = NULL;
	char err1[512] = "", err2[512] = "";
	int rc1, rc2, fd;

	rc1 = creds_parse((const char *)data, size, &a, err1, sizeof(err1));
	fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size))
		abort();
	close(fd);
	rc2 = creds_load(path, &b, err2, sizeof(err2));
	if ((rc1 && strncmp(err1, "<memory>", 8) != 0) ||
	    (rc2 && strncmp(err2, path, strlen(path)) != 0))
		abort();
	if (rc1 != rc2 || creds_count(a) != creds_count(b)) {
		fprintf(stderr, "fuzz: parse/load disagree: %d (%s) vs %d (%s)\n",
		        rc1, err1, rc2, err2);
		abort();
	}
	if (rc1 == 0)
		check_found(a, (const char *)data, size);
	else {
		/* past the "path" the error text begins with */
		check_err(err1 + strlen("<memory>"), (const char *)data, size);
		check_err(err2 + strlen(path), (const char *)data, size);
	}
	creds_free(a);
	creds_free(b);
	return 0;
}
