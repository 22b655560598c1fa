/* test_creds.c - the credentials file parser: comments, blank lines,
 * several keys per account, refusals with "path:line: reason", and no
 * secret ever in an error text. Tables only. */
#include <stdlib.h>
#include <unistd.h>
#include "../../src/auth/auth.h"
#include "../../src/common/limits.h"
#include "t.h"

struct creds_row {
	const char *name;
	const char *text;
	int want_rc;
	size_t want_count;
	const char *want_err;  /* exact error text when want_rc != 0 */
	const char *akid, *account; /* one lookup to check on success */
	const char *secret;    /* must never appear in the error */
};

static const struct creds_row rows[] = {
	{ "one key", "1 AK1 S3cretOne\n", 0, 1, NULL, "AK1", "1", "S3cretOne" },
	{ "no final newline", "1 AK1 S3cretOne", 0, 1, NULL, "AK1", "1",
	  "S3cretOne" },
	{ "comments, blank lines, CRLF, tabs",
	  "# ecsd credentials\r\n\r\n   \n\t# indented comment\n"
	  "1000000000000001\tLTAIa\t  Sa1\r\n", 0, 1, NULL, "LTAIa",
	  "1000000000000001", "Sa1" },
	{ "several keys per account",
	  "1000 AK-a Sa\n1000 AK.b Sb\n2000 AK_c Sc\n", 0, 3, NULL, "AK.b",
	  "1000", "Sb" },
	{ "lookup of an unknown key", "1 AK1 S1\n", 0, 1, NULL, "AK2", NULL,
	  "S1" },
	{ "lookup is case-sensitive", "1 AK1 S1\n", 0, 1, NULL, "ak1", NULL,
	  "S1" },
	{ "duplicate akid refused",
	  "1 AK1 SecretA\n# c\n2 AK1 SecretB\n", -1, 0,
	  "<memory>:3: duplicate access key id AK1 (first on line 1)", NULL,
	  NULL, "SecretB" },
	{ "two fields", "1 AK1 S1\n2 AK2\n", -1, 0,
	  "<memory>:2: expected ACCOUNT_ID ACCESS_KEY_ID ACCESS_KEY_SECRET",
	  NULL, NULL, "S1" },
	{ "four fields (secret with space)", "\n1 AK1 TopSecret extra\n", -1, 0,
	  "<memory>:2: expected ACCOUNT_ID ACCESS_KEY_ID ACCESS_KEY_SECRET",
	  NULL, NULL, "TopSecret" },
	{ "trailing comment is not allowed", "1 AK1 TopSecret # note\n", -1, 0,
	  "<memory>:1: expected ACCOUNT_ID ACCESS_KEY_ID ACCESS_KEY_SECRET",
	  NULL, NULL, "TopSecret" },
	{ "account not digits", "acct AK1 TopSecret\n", -1, 0,
	  "<memory>:1: account id must be 1-31 digits", NULL, NULL,
	  "TopSecret" },
	{ "account too long", "12345678901234567890123456789012 AK1 TopSecret\n",
	  -1, 0, "<memory>:1: account id must be 1-31 digits", NULL, NULL,
	  "TopSecret" },
	{ "bad akid char", "1 AK/1 TopSecret\n", -1, 0,
	  "<memory>:1: access key id must be 1-63 characters of A-Za-z0-9._-",
	  NULL, NULL, "TopSecret" },
	{ "secret with control byte", "1 AK1 Top\001Secret\n", -1, 0,
	  "<memory>:1: access key secret must be 1-127 printable characters",
	  NULL, NULL, "Top" },
	{ "empty text", "", -1, 0, "<memory>: no keys", NULL, NULL, NULL },
	{ "comments only", "# nothing\n\n", -1, 0, "<memory>: no keys", NULL,
	  NULL, NULL },
};

static void check_row(const struct creds_row *r, int rc, struct creds *c,
                      const char *err)
{
	const struct cred_key *k;

	T_INTEQ(rc, r->want_rc, r->name);
	if (r->secret)
		T_CHECK(strstr(err, r->secret) == NULL,
		        "%s: secret leaked into \"%s\"", r->name, err);
	if (rc) {
		T_CHECK(c == NULL, "%s: no creds on error", r->name);
		if (r->want_err)
			T_STREQ(err, r->want_err, r->name);
		return;
	}
	T_INTEQ(creds_count(c), r->want_count, r->name);
	if (!r->akid)
		return;
	k = creds_find(c, r->akid);
	if (r->account) {
		T_STREQ(k ? k->account_id : NULL, r->account, r->name);
		T_STREQ(k ? k->secret : NULL, r->secret, r->name);
	} else {
		T_CHECK(k == NULL, "%s: %s should not be found", r->name,
		        r->akid);
	}
}

static void test_parse(void)
{
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct creds_row *r = &rows[i];
		struct creds *c = NULL;
		char err[256] = "";
		int rc;

		rc = creds_parse(r->text, strlen(r->text), &c, err, sizeof(err));
		check_row(r, rc, c, err);
		creds_free(c);
	}
}

/* The same rows through a file: the error names the path. */
static void test_load(void)
{
	char path[] = "/tmp/ecsd-test-creds-XXXXXX";
	int fd = mkstemp(path);
	size_t i;

	T_CHECK(fd >= 0, "mkstemp");
	if (fd < 0)
		return;
	close(fd);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct creds_row *r = &rows[i];
		struct creds *c = NULL;
		char err[256] = "", want[320];
		struct creds_row fr = *r;
		FILE *f = fopen(path, "w");
		int rc;

		if (!f)
			break;
		fputs(r->text, f);
		fclose(f);
		if (r->want_err) {
			snprintf(want, sizeof(want), "%s%s", path,
			         r->want_err + strlen("<memory>"));
			fr.want_err = want;
		}
		rc = creds_load(path, &c, err, sizeof(err));
		check_row(&fr, rc, c, err);
		creds_free(c);
	}
	unlink(path);
}

/* Lines at and over LIM_CRED_LINE_BYTES, a missing file, the dev key. */
static void test_edges(void)
{
	static char text[LIM_CRED_LINE_BYTES + 64];
	struct creds *c = NULL;
	const struct cred_key *k;
	char err[256] = "";
	size_t n;
	int rc;

	/* "1 AK1 " + padding comment-free secret, exactly at the limit */
	n = (size_t)snprintf(text, sizeof(text), "1 AK1 ");
	memset(text + n, 'x', LIM_CRED_LINE_BYTES - n);
	rc = creds_parse(text, LIM_CRED_LINE_BYTES, &c, err, sizeof(err));
	T_INTEQ(rc, -1, "long secret refused by its own limit");
	T_STREQ(err, "<memory>:1: access key secret must be 1-127 printable "
	             "characters", "long secret error");
	creds_free(c);
	c = NULL;

	memset(text, '#', sizeof(text));
	rc = creds_parse(text, LIM_CRED_LINE_BYTES, &c, err, sizeof(err));
	T_STREQ(err, "<memory>: no keys", "comment at the line limit");
	rc = creds_parse(text, LIM_CRED_LINE_BYTES + 1, &c, err, sizeof(err));
	T_INTEQ(rc, -1, "line over the limit");
	T_STREQ(err, "<memory>:1: line too long", "line over the limit");

	rc = creds_load("/nonexistent/ecsd-creds", &c, err, sizeof(err));
	T_INTEQ(rc, -1, "missing file");
	T_STREQ(err, "/nonexistent/ecsd-creds: cannot open: No such file or "
	             "directory", "missing file");
	T_CHECK(c == NULL, "missing file: no creds");

	rc = creds_parse("1 AK1 S1\n", 9, &c, NULL, 0);
	T_INTEQ(rc, 0, "NULL err buffer is fine");
	creds_free(c);

	c = creds_dev();
	T_CHECK(c != NULL, "dev creds");
	k = creds_find(c, AUTH_DEV_AKID);
	T_STREQ(k ? k->account_id : NULL, AUTH_DEV_ACCOUNT, "dev account");
	T_STREQ(k ? k->secret : NULL, AUTH_DEV_SECRET, "dev secret");
	T_INTEQ(creds_count(c), 1, "dev count");
	T_CHECK(creds_find(NULL, "x") == NULL, "find in NULL");
	creds_free(c);
}

/* Many keys: sorted lookup finds each one. */
static void test_many(void)
{
	struct buf b;
	struct creds *c = NULL;
	char err[256] = "", akid[32];
	size_t i, miss = 0;

	buf_init(&b, 1 << 20);
	for (i = 0; i < LIM_CRED_KEYS; i++)
		buf_printf(&b, "%zu AK%zu S%zu\n", i % 7, (i * 7919) % 100003, i);
	T_INTEQ(creds_parse(b.p, b.len, &c, err, sizeof(err)), 0, "many keys");
	T_INTEQ(creds_count(c), LIM_CRED_KEYS, "many keys count");
	for (i = 0; i < LIM_CRED_KEYS; i++) {
		const struct cred_key *k;

		snprintf(akid, sizeof(akid), "AK%zu", (i * 7919) % 100003);
		k = creds_find(c, akid);
		miss += !k || strtoul(k->account_id, NULL, 10) != i % 7;
	}
	T_INTEQ(miss, 0, "many keys lookups");
	creds_free(c);
	c = NULL;
	buf_printf(&b, "1 AKextra Sx\n");
	T_INTEQ(creds_parse(b.p, b.len, &c, err, sizeof(err)), -1, "too many");
	T_CHECK(strstr(err, ": too many keys") != NULL, "too many: %s", err);
	buf_free(&b);
}

int main(void)
{
	test_parse();
	test_load();
	test_edges();
	test_many();
	return t_done("creds");
}
