/* params.c - libFuzzer harness: the central parameter check
 * (api_check_params) of every Action in the table: types, limits, Name.N
 * lists and the JSON-array parameters (jansson). Input: one byte picks
 * the Action; the next byte's bit 0 picks the mode:
 *   0: the rest is a form body (a=b&c=d) giving the request's parameters;
 *   1: the rest is the raw value of the Action's first JSON-array
 *      parameter (or of "InstanceIds" when it has none), so that JSON
 *      reaches jansson without percent-encoding.
 * Oracles: no sanitizer report; on success every present list or array
 * holds at most its declared number of items, each a NUL-terminated
 * string within LIM_NAME_FIELD_BYTES, and integers lie in their range. */
#include "fuzz.h"
#include "../src/api/api.h"
#include "../src/dispatch/dispatch.h"
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_args(const struct req *r)
{
	const struct action *a = r->action;

	for (size_t i = 0; i < a->nparams; i++) {
		const struct pspec *ps = &a->params[i];
		const struct pval *v = &r->args[i];

		if (!v->present)
			continue;
		if (ps->type == PT_LIST || ps->type == PT_JSON) {
			if ((long long)v->nlist > ps->max || (v->nlist && !v->list))
				abort();
			for (size_t k = 0; k < v->nlist; k++)
				if (!v->list[k] || strlen(v->list[k]) > LIM_NAME_FIELD_BYTES)
					abort();
		}
		if (ps->type == PT_INT && (v->i < ps->min || v->i > ps->max))
			abort();
		if (ps->type == PT_BOOL && v->b != 0 && v->b != 1)
			abort();
		if (ps->type == PT_STR && (!v->s || (long long)strlen(v->s) > ps->max))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct action *acts;
	struct req *r;
	size_t n;
	enum err_id rc;

	if (size < 2)
		return 0;
	acts = api_products(&n)[0].actions;
	n = api_products(&n)[0].nactions;
	r = calloc(1, sizeof(*r));
	if (!r)
		return 0;
	arena_init(&r->arena, LIM_ARENA_BYTES);
	r->action = &acts[data[0] % n];
	r->now_ms = ecsd_now_ms();
	if (data[1] & 1) {
		const char *name = "InstanceIds";

		for (size_t i = 0; i < r->action->nparams; i++)
			if (r->action->params[i].type == PT_JSON) {
				name = r->action->params[i].name;
				break;
			}
		if (params_add(&r->arena, &r->all, name, strlen(name),
		               (const char *)data + 2, size - 2)) {
			arena_free(&r->arena);
			free(r);
			return 0;
		}
	} else if (form_parse(&r->arena, (const char *)data + 2, size - 2, 1,
	                      &r->all)) {
		arena_free(&r->arena);
		free(r);
		return 0;
	}
	rc = api_check_params(r);
	if (rc == ERR_OK)
		check_args(r);
	else if (r->err != rc)
		abort();
	/* the detail is read when the error is rendered, after the check
	 * returned: under detect_stack_use_after_return a pointer to a local
	 * (issue 11 row 1) is caught here */
	else if (r->err_detail && strlen(r->err_detail) > LIM_SIGN_BYTES)
		abort();
	arena_free(&r->arena);
	free(r);
	return 0;
}
