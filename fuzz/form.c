/* form.c - libFuzzer harness: query-string and form-body decoding
 * (form_parse, params_get). Input: one flag byte (bit 0: '+' is a space,
 * as in form bodies), then the text.
 * Oracles: every pair respects the limits of limits.h and is
 * NUL-terminated at its length; params_get finds the first pair of a
 * name; and decoding is stable: re-encoding every decoded pair with the
 * signature encoder (sig_pct_encode) and decoding again gives the same
 * pairs, which is what V1 and V3 verification rely on. */
#include "fuzz.h"
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_pairs(const struct params *p)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct param *v = &p->v[i];

		if (v->nlen == 0 || v->nlen > LIM_NAME_BYTES ||
		    v->vlen > LIM_VALUE_BYTES || v->name[v->nlen] != '\0' ||
		    v->value[v->vlen] != '\0') {
			fprintf(stderr, "fuzz: pair %zu breaks a limit\n", i);
			abort();
		}
	}
	if (p->n > LIM_PARAM_COUNT)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	struct params p, again;
	struct buf enc;
	int plus, rc, rc2;

	if (size < 1)
		return 0;
	plus = data[0] & 1;
	arena_init(&a, LIM_ARENA_BYTES);
	memset(&p, 0, sizeof(p));
	rc = form_parse(&a, (const char *)data + 1, size - 1, plus, &p);
	check_pairs(&p);
	if (rc != FORM_OK) {
		arena_free(&a);
		return 0;
	}
	/* params_get returns the first pair of each name */
	for (size_t i = 0; i < p.n; i++) {
		const struct param *g;

		if (strlen(p.v[i].name) != p.v[i].nlen)
			continue; /* a NUL inside the name: not reachable by name */
		g = params_get(&p, p.v[i].name);
		if (!g || g > &p.v[i] || g->nlen != p.v[i].nlen ||
		    memcmp(g->name, p.v[i].name, g->nlen) != 0) {
			fprintf(stderr, "fuzz: params_get missed pair %zu\n", i);
			abort();
		}
	}
	/* round trip through the signature encoder */
	buf_init(&enc, 8 * 1024 * 1024);
	for (size_t i = 0; i < p.n; i++) {
		if (i)
			buf_addc(&enc, '&');
		sig_pct_encode(&enc, p.v[i].name, p.v[i].nlen);
		buf_addc(&enc, '=');
		sig_pct_encode(&enc, p.v[i].value, p.v[i].vlen);
	}
	if (enc.over)
		abort();
	memset(&again, 0, sizeof(again));
	rc2 = form_parse(&a, enc.p ? enc.p : "", enc.len, plus, &again);
	if (rc2 != FORM_OK || again.n != p.n) {
		fprintf(stderr, "fuzz: re-decoding gave rc %d, %zu pairs for %zu\n",
		        rc2, again.n, p.n);
		abort();
	}
	for (size_t i = 0; i < p.n; i++) {
		if (again.v[i].nlen != p.v[i].nlen || again.v[i].vlen != p.v[i].vlen ||
		    memcmp(again.v[i].name, p.v[i].name, p.v[i].nlen) != 0 ||
		    memcmp(again.v[i].value, p.v[i].value, p.v[i].vlen) != 0) {
			fprintf(stderr, "fuzz: pair %zu changed in the round trip\n", i);
			abort();
		}
	}
	buf_free(&enc);
	arena_free(&a);
	return 0;
}
