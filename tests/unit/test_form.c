/* test_form.c - percent-decoding of query strings and form bodies: escapes,
 * '+', empty names/values, case-sensitive lookup and the limits of
 * limits.h. Tables only. */
#include <stdlib.h>
#include "../../src/common/buf.h"
#include "../../src/common/limits.h"
#include "../../src/common/form.h"
#include "t.h"

/* Generated inputs for the limit rows. */
enum gen {
	GEN_NONE,
	GEN_PAIRS_AT_LIMIT,   /* LIM_PARAM_COUNT pairs */
	GEN_PAIRS_OVER,       /* LIM_PARAM_COUNT + 1 pairs */
	GEN_VALUE_AT_LIMIT,   /* v=<LIM_VALUE_BYTES x> */
	GEN_VALUE_OVER,       /* v=<LIM_VALUE_BYTES + 1 x> */
	GEN_VALUE_ESC_LIMIT,  /* v=<LIM_VALUE_BYTES times %41>: decodes to limit */
	GEN_NAME_AT_LIMIT,    /* <LIM_NAME_BYTES n>=1 */
	GEN_NAME_OVER,        /* <LIM_NAME_BYTES + 1 n>=1 */
};

struct form_row {
	const char *name;
	const char *in;
	enum gen gen;
	int plus_is_space;
	int want_rc;
	long want_n;       /* -1: not checked */
	const char *want;  /* pairs rendered "n=v|n=v", NUL as \0; NULL: skip */
	const char *get, *get_want; /* params_get(get) value, or NULL */
};

static const struct form_row rows[] = {
	{ "two pairs", "a=b&c=d", GEN_NONE, 0, FORM_OK, 2, "a=b|c=d", "c", "d" },
	{ "empty input", "", GEN_NONE, 0, FORM_OK, 0, "", "a", NULL },
	{ "plus is space (body)", "a+b=c+d", GEN_NONE, 1, FORM_OK, 1, "a b=c d",
	  "a b", "c d" },
	{ "plus literal (query)", "a+b=c+d", GEN_NONE, 0, FORM_OK, 1,
	  "a+b=c+d", NULL, NULL },
	{ "escapes, %2b and %2B", "a=%41%2b%2B", GEN_NONE, 1, FORM_OK, 1,
	  "a=A++", NULL, NULL },
	{ "escaped name", "In%73tanceId=i-1", GEN_NONE, 0, FORM_OK, 1,
	  "InstanceId=i-1", "InstanceId", "i-1" },
	{ "space, star, tilde, slash", "d=a%20b*c~d%2Fe", GEN_NONE, 0, FORM_OK,
	  1, "d=a b*c~d/e", NULL, NULL },
	{ "UTF-8", "d=%E4%B8%AD", GEN_NONE, 0, FORM_OK, 1, "d=\xe4\xb8\xad",
	  NULL, NULL },
	{ "percent itself", "d=100%25", GEN_NONE, 0, FORM_OK, 1, "d=100%",
	  NULL, NULL },
	{ "NUL byte kept with vlen", "x=%00y", GEN_NONE, 0, FORM_OK, 1,
	  "x=\\0y", NULL, NULL },
	{ "empty value", "a=&b=1", GEN_NONE, 0, FORM_OK, 2, "a=|b=1", "a", "" },
	{ "name without '='", "a&b=1", GEN_NONE, 0, FORM_OK, 2, "a=|b=1", "a",
	  "" },
	{ "value holds '='", "a=b=c", GEN_NONE, 0, FORM_OK, 1, "a=b=c", NULL,
	  NULL },
	{ "empty name skipped", "=b&c=d", GEN_NONE, 0, FORM_OK, 1, "c=d", NULL,
	  NULL },
	{ "only '='", "=", GEN_NONE, 0, FORM_OK, 0, "", NULL, NULL },
	{ "stray '&'", "&&a=1&&", GEN_NONE, 0, FORM_OK, 1, "a=1", NULL, NULL },
	{ "names are case-sensitive", "A=1&a=2", GEN_NONE, 0, FORM_OK, 2,
	  "A=1|a=2", "a", "2" },
	{ "duplicate: get returns first", "a=1&a=2", GEN_NONE, 0, FORM_OK, 2,
	  "a=1|a=2", "a", "1" },
	{ "lookup of a prefix fails", "ab=1", GEN_NONE, 0, FORM_OK, 1, "ab=1",
	  "a", NULL },
	{ "bad escape: one digit", "a=%4", GEN_NONE, 0, FORM_BAD_ESCAPE, -1,
	  NULL, NULL, NULL },
	{ "bad escape: not hex", "a=%zz", GEN_NONE, 0, FORM_BAD_ESCAPE, -1,
	  NULL, NULL, NULL },
	{ "bad escape: lone %", "a=%", GEN_NONE, 0, FORM_BAD_ESCAPE, -1, NULL,
	  NULL, NULL },
	{ "bad escape: before &", "a=%4&b=1", GEN_NONE, 0, FORM_BAD_ESCAPE, -1,
	  NULL, NULL, NULL },
	{ "bad escape in name", "%4g=1", GEN_NONE, 0, FORM_BAD_ESCAPE, -1,
	  NULL, NULL, NULL },
	{ "bad escape in a name without value", "a%", GEN_NONE, 0,
	  FORM_BAD_ESCAPE, -1, NULL, NULL, NULL },
	{ "pairs at limit", NULL, GEN_PAIRS_AT_LIMIT, 0, FORM_OK,
	  LIM_PARAM_COUNT, NULL, "p0", "1" },
	{ "too many pairs", NULL, GEN_PAIRS_OVER, 0, FORM_TOO_MANY, -1, NULL,
	  NULL, NULL },
	{ "value at limit", NULL, GEN_VALUE_AT_LIMIT, 0, FORM_OK, 1, NULL,
	  NULL, NULL },
	{ "value over limit", NULL, GEN_VALUE_OVER, 0, FORM_TOO_LONG, -1, NULL,
	  NULL, NULL },
	{ "escaped value decodes to limit", NULL, GEN_VALUE_ESC_LIMIT, 0,
	  FORM_OK, 1, NULL, NULL, NULL },
	{ "name at limit", NULL, GEN_NAME_AT_LIMIT, 0, FORM_OK, 1, NULL, NULL,
	  NULL },
	{ "name over limit", NULL, GEN_NAME_OVER, 0, FORM_TOO_LONG, -1, NULL,
	  NULL, NULL },
};

static void gen_input(struct buf *b, enum gen g)
{
	size_t i;

	switch (g) {
	case GEN_NONE:
		break;
	case GEN_PAIRS_AT_LIMIT:
	case GEN_PAIRS_OVER:
		for (i = 0; i < LIM_PARAM_COUNT + (g == GEN_PAIRS_OVER); i++)
			buf_printf(b, "%sp%zu=1", i ? "&" : "", i);
		break;
	case GEN_VALUE_AT_LIMIT:
	case GEN_VALUE_OVER:
		buf_adds(b, "v=");
		for (i = 0; i < LIM_VALUE_BYTES + (g == GEN_VALUE_OVER); i++)
			buf_addc(b, 'x');
		break;
	case GEN_VALUE_ESC_LIMIT:
		buf_adds(b, "v=");
		for (i = 0; i < LIM_VALUE_BYTES; i++)
			buf_adds(b, "%41");
		break;
	case GEN_NAME_AT_LIMIT:
	case GEN_NAME_OVER:
		for (i = 0; i < LIM_NAME_BYTES + (g == GEN_NAME_OVER); i++)
			buf_addc(b, 'n');
		buf_adds(b, "=1");
		break;
	}
}

static void render(struct buf *b, const struct params *p)
{
	size_t i, j;

	for (i = 0; i < p->n; i++) {
		if (i)
			buf_addc(b, '|');
		buf_add(b, p->v[i].name, p->v[i].nlen);
		buf_addc(b, '=');
		for (j = 0; j < p->v[i].vlen; j++) {
			if (p->v[i].value[j])
				buf_addc(b, p->v[i].value[j]);
			else
				buf_adds(b, "\\0");
		}
	}
}

static void test_rows(void)
{
	size_t i, j, bad;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct form_row *r = &rows[i];
		struct params p = { NULL, 0, 0 };
		const struct param *got;
		struct arena *a = malloc(sizeof(*a));
		struct buf in, out;
		int rc;

		arena_init(a, LIM_ARENA_BYTES);
		buf_init(&in, 4 * LIM_VALUE_BYTES);
		buf_init(&out, 4 * LIM_VALUE_BYTES);
		if (r->in)
			buf_adds(&in, r->in);
		gen_input(&in, r->gen);
		rc = form_parse(a, buf_cstr(&in), in.len, r->plus_is_space, &p);
		T_INTEQ(rc, r->want_rc, r->name);
		if (r->want_n >= 0)
			T_INTEQ(p.n, r->want_n, r->name);
		render(&out, &p);
		if (r->want)
			T_STREQ(buf_cstr(&out), r->want, r->name);
		if (r->gen == GEN_VALUE_ESC_LIMIT && p.n == 1)
			T_CHECK(p.v[0].vlen == LIM_VALUE_BYTES &&
			        p.v[0].value[0] == 'A' &&
			        p.v[0].value[LIM_VALUE_BYTES] == '\0',
			        "%s: decoded value", r->name);
		if (r->get) {
			got = params_get(&p, r->get);
			if (r->get_want)
				T_STREQ(got ? got->value : NULL, r->get_want,
				        r->name);
			else
				T_CHECK(got == NULL, "%s: get %s should fail",
				        r->name, r->get);
		}
		for (j = 0, bad = 0; j < p.n; j++)
			bad += p.v[j].name[p.v[j].nlen] != '\0' ||
			       p.v[j].value[p.v[j].vlen] != '\0';
		T_INTEQ(bad, 0, "pairs not NUL-terminated");
		buf_free(&in);
		buf_free(&out);
		arena_free(a);
		free(a);
	}
}

/* params_add copies, enforces limits, and appends after form_parse. */
struct add_row {
	const char *name;
	size_t nlen, vlen; /* vlen 0: strlen("v") */
	int want_rc;
};

static const struct add_row add_rows[] = {
	{ "Action", 6, 0, FORM_OK },
	{ "", 0, 0, FORM_OK },
	{ "name over limit", LIM_NAME_BYTES + 1, 0, FORM_TOO_LONG },
	{ "value over limit", 16, LIM_VALUE_BYTES + 1, FORM_TOO_LONG },
};

static void test_add(void)
{
	static char big[LIM_VALUE_BYTES + 2];
	struct arena *a = malloc(sizeof(*a));
	struct params p = { NULL, 0, 0 };
	size_t i, before;
	int fill = FORM_OK;

	memset(big, 'n', sizeof(big) - 1);
	arena_init(a, LIM_ARENA_BYTES);
	T_INTEQ(form_parse(a, "x=1", 3, 0, &p), FORM_OK, "add: seed");
	for (i = 0; i < sizeof(add_rows) / sizeof(add_rows[0]); i++) {
		const struct add_row *r = &add_rows[i];
		const char *name = r->nlen > strlen(r->name) ? big : r->name;
		const char *val = r->vlen ? big : "v";
		size_t vlen = r->vlen ? r->vlen : 1;

		before = p.n;
		T_INTEQ(params_add(a, &p, name, r->nlen, val, vlen), r->want_rc,
		        r->name);
		T_INTEQ(p.n, before + (r->want_rc == FORM_OK), r->name);
	}
	T_STREQ(params_get(&p, "x")->value, "1", "add: earlier pair kept");
	T_STREQ(params_get(&p, "Action")->value, "v", "add: appended");
	T_CHECK(params_get(&p, "Action")->name != add_rows[0].name,
	        "add: name is copied");
	/* the count limit holds for params_add as well */
	while (p.n < LIM_PARAM_COUNT && fill == FORM_OK)
		fill = params_add(a, &p, "k", 1, "v", 1);
	T_INTEQ(fill, FORM_OK, "add: fill to the limit");
	T_INTEQ(params_add(a, &p, "k", 1, "v", 1), FORM_TOO_MANY, "add: full");
	T_INTEQ(form_parse(a, "y=2", 3, 0, &p), FORM_TOO_MANY, "parse: full");
	arena_free(a);
	free(a);
}

/* params_merge: pairs appended in order, strings shared not copied, the
 * parameter-count ceiling still enforced. */
static void test_merge(void)
{
	struct arena a;
	struct params q = { 0 }, f = { 0 }, all = { 0 };
	char big[64];

	arena_init(&a, 1 << 22);
	T_INTEQ(form_parse(&a, "a=1&b=2", 7, 0, &q), FORM_OK, "merge: query");
	T_INTEQ(form_parse(&a, "c=3", 3, 1, &f), FORM_OK, "merge: form");
	T_INTEQ(params_merge(&a, &all, &q), FORM_OK, "merge: first list");
	T_INTEQ(params_merge(&a, &all, &f), FORM_OK, "merge: second list");
	T_INTEQ(all.n, 3, "merge: count");
	T_STREQ(all.v[2].name, "c", "merge: order");
	T_CHECK(all.v[0].value == q.v[0].value && all.v[2].name == f.v[0].name,
	        "merge: strings are shared, not copied");
	memset(&q, 0, sizeof(q));
	for (int i = 0, bad = 0; i < LIM_PARAM_COUNT; i++) {
		snprintf(big, sizeof(big), "p%d", i);
		bad += params_add(&a, &q, big, strlen(big), "v", 1) != FORM_OK;
		if (i == LIM_PARAM_COUNT - 1)
			T_INTEQ(bad, 0, "merge: a full list");
	}
	T_INTEQ(params_merge(&a, &all, &q), FORM_TOO_MANY, "merge: over the parameter ceiling");
	arena_free(&a);
}

int main(void)
{
	test_rows();
	test_add();
	test_merge();
	return t_done("form");
}
