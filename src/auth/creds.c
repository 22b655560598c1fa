/* creds.c - the credentials file, loaded once into an immutable table sorted
 * by access key id (see auth.h). Must never put a secret into an error text
 * or a log line, nor leave an unwiped copy of one. */
#include "auth.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include "../common/limits.h"

#define CREDS_BAD_ACCOUNT "account id must be 1-31 digits"
#define CREDS_BAD_AKID "access key id must be 1-63 characters of A-Za-z0-9._-"
#define CREDS_BAD_SECRET "access key secret must be 1-127 printable characters"

struct creds {
	struct cred_key *keys; /* sorted by akid, unique */
	size_t n;
};

/* One parsed line while loading; the line number serves error messages. */
struct creds_entry {
	struct cred_key k;
	size_t line;
};

struct creds_builder {
	struct creds_entry *v;
	size_t n, cap;
	const char *path;
	char *err;
	size_t errlen;
};

static int creds_fail(struct creds_builder *b, size_t line, const char *reason)
{
	if (b->err && b->errlen) {
		if (line)
			snprintf(b->err, b->errlen, "%s:%zu: %s", b->path, line,
			         reason);
		else
			snprintf(b->err, b->errlen, "%s: %s", b->path, reason);
	}
	return -1;
}

static void creds_builder_free(struct creds_builder *b)
{
	if (b->v)
		OPENSSL_cleanse(b->v, b->cap * sizeof(*b->v));
	free(b->v);
	b->v = NULL;
	b->n = b->cap = 0;
}

static int creds_is_akid_char(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

/* Splits s[0..len) at spaces and tabs into at most max fields; returns the
 * field count, or max + 1 when there are more. */
static size_t creds_fields(const char *s, size_t len, const char **f,
                           size_t *flen, size_t max)
{
	size_t i = 0, n = 0, start;

	for (;;) {
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i == len)
			return n;
		if (n == max)
			return max + 1;
		start = i;
		while (i < len && s[i] != ' ' && s[i] != '\t')
			i++;
		f[n] = s + start;
		flen[n] = i - start;
		n++;
	}
}

/* Parses one line (no newline). Blank lines and '#' comments are skipped. */
static int creds_line(struct creds_builder *b, const char *s, size_t len,
                      size_t line)
{
	const char *f[3];
	size_t fl[3], i, cap;
	struct creds_entry *e;

	if (len && s[len - 1] == '\r')
		len--;
	for (i = 0; i < len && (s[i] == ' ' || s[i] == '\t'); i++)
		;
	if (i == len || s[i] == '#')
		return 0;
	if (creds_fields(s, len, f, fl, 3) != 3)
		return creds_fail(b, line, "expected ACCOUNT_ID ACCESS_KEY_ID "
		                           "ACCESS_KEY_SECRET");
	for (i = 0; i < fl[0] && f[0][i] >= '0' && f[0][i] <= '9';)
		i++;
	if (fl[0] >= sizeof(e->k.account_id) || i < fl[0])
		return creds_fail(b, line, CREDS_BAD_ACCOUNT);
	for (i = 0; i < fl[1] && creds_is_akid_char((unsigned char)f[1][i]);)
		i++;
	if (fl[1] >= sizeof(e->k.akid) || i < fl[1])
		return creds_fail(b, line, CREDS_BAD_AKID);
	for (i = 0; i < fl[2] && (unsigned char)f[2][i] >= 0x21 &&
	            (unsigned char)f[2][i] <= 0x7e;)
		i++;
	if (fl[2] >= sizeof(e->k.secret) || i < fl[2])
		return creds_fail(b, line, CREDS_BAD_SECRET);
	if (b->n == LIM_CRED_KEYS)
		return creds_fail(b, line, "too many keys");
	if (b->n == b->cap) {
		cap = b->cap ? b->cap * 2 : 16;
		if (cap > LIM_CRED_KEYS)
			cap = LIM_CRED_KEYS;
		e = calloc(cap, sizeof(*e));
		if (!e)
			return creds_fail(b, line, "out of memory");
		if (b->n)
			memcpy(e, b->v, b->n * sizeof(*e));
		if (b->v)
			OPENSSL_cleanse(b->v, b->cap * sizeof(*b->v));
		free(b->v);
		b->v = e;
		b->cap = cap;
	}
	e = &b->v[b->n++];
	memcpy(e->k.account_id, f[0], fl[0]);
	memcpy(e->k.akid, f[1], fl[1]);
	memcpy(e->k.secret, f[2], fl[2]);
	e->line = line;
	return 0;
}

static int creds_cmp_entry(const void *x, const void *y)
{
	const struct creds_entry *a = x, *b = y;
	int c = strcmp(a->k.akid, b->k.akid);

	if (c)
		return c;
	return a->line < b->line ? -1 : a->line > b->line;
}

/* Sorts, refuses duplicates, and moves the keys into a new creds. */
static int creds_finish(struct creds_builder *b, struct creds **out)
{
	struct creds *c;
	char why[160];
	size_t i;

	if (b->n == 0)
		return creds_fail(b, 0, "no keys");
	qsort(b->v, b->n, sizeof(*b->v), creds_cmp_entry);
	for (i = 1; i < b->n; i++) {
		if (strcmp(b->v[i].k.akid, b->v[i - 1].k.akid) != 0)
			continue;
		snprintf(why, sizeof(why),
		         "duplicate access key id %s (first on line %zu)",
		         b->v[i].k.akid, b->v[i - 1].line);
		return creds_fail(b, b->v[i].line, why);
	}
	c = calloc(1, sizeof(*c));
	if (c)
		c->keys = calloc(b->n, sizeof(*c->keys));
	if (!c || !c->keys) {
		free(c);
		return creds_fail(b, 0, "out of memory");
	}
	for (i = 0; i < b->n; i++)
		c->keys[i] = b->v[i].k;
	c->n = b->n;
	*out = c;
	return 0;
}

int creds_parse(const char *text, size_t len, struct creds **out, char *err,
                size_t errlen)
{
	struct creds_builder b = { NULL, 0, 0, "<memory>", err, errlen };
	const char *p = text, *end = text + len, *nl;
	size_t line = 0;
	int rc = 0;

	*out = NULL;
	while (rc == 0 && p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		line++;
		if ((size_t)(nl - p) > LIM_CRED_LINE_BYTES)
			rc = creds_fail(&b, line, "line too long");
		else
			rc = creds_line(&b, p, (size_t)(nl - p), line);
		p = nl + (nl < end);
	}
	if (rc == 0)
		rc = creds_finish(&b, out);
	creds_builder_free(&b);
	return rc;
}

int creds_load(const char *path, struct creds **out, char *err, size_t errlen)
{
	struct creds_builder b = { NULL, 0, 0, path, err, errlen };
	char line[LIM_CRED_LINE_BYTES + 1];
	size_t len = 0, lineno = 1;
	int ch, rc = 0, more = 0;
	FILE *f;

	*out = NULL;
	f = fopen(path, "r");
	if (!f) {
		char why[128];

		snprintf(why, sizeof(why), "cannot open: %s", strerror(errno));
		return creds_fail(&b, 0, why);
	}
	while (rc == 0 && (ch = getc(f)) != EOF) {
		more = 1;
		if (ch != '\n') {
			if (len == LIM_CRED_LINE_BYTES)
				rc = creds_fail(&b, lineno, "line too long");
			else
				line[len++] = (char)ch;
			continue;
		}
		rc = creds_line(&b, line, len, lineno);
		len = 0;
		more = 0;
		lineno++;
	}
	if (rc == 0 && ferror(f))
		rc = creds_fail(&b, 0, "read error");
	if (rc == 0 && more)
		rc = creds_line(&b, line, len, lineno);
	fclose(f);
	OPENSSL_cleanse(line, sizeof(line));
	if (rc == 0)
		rc = creds_finish(&b, out);
	creds_builder_free(&b);
	return rc;
}

struct creds *creds_dev(void)
{
	static const char dev[] = AUTH_DEV_ACCOUNT " " AUTH_DEV_AKID " "
	                          AUTH_DEV_SECRET "\n";
	struct creds *c = NULL;

	if (creds_parse(dev, sizeof(dev) - 1, &c, NULL, 0))
		return NULL;
	return c;
}

static int creds_cmp_find(const void *key, const void *elem)
{
	const struct cred_key *k = elem;

	return strcmp(key, k->akid);
}

const struct cred_key *creds_find(const struct creds *c, const char *akid)
{
	if (!c || !akid || c->n == 0)
		return NULL;
	return bsearch(akid, c->keys, c->n, sizeof(*c->keys), creds_cmp_find);
}

size_t creds_count(const struct creds *c)
{
	return c ? c->n : 0;
}

void creds_free(struct creds *c)
{
	if (!c)
		return;
	if (c->keys)
		OPENSSL_cleanse(c->keys, c->n * sizeof(*c->keys));
	free(c->keys);
	free(c);
}
