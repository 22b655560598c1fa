/* params.c - binds a product's declared parameters to its Actions, and the
 * one central check that turns raw strings into typed, already-valid values
 * before any handler runs (redis processCommand). No ECS resource rules. */
#include "api.h"
#include "../common/limits.h"
#include "../common/utf8.h"
#include "../common/log.h"
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const param_names[PARAM__COUNT] = {
#define PARAM_NAME(id, name) name,
#include "param_names.def"
#undef PARAM_NAME
};

const char *param_name(enum param_id id)
{
	return (unsigned)id < PARAM__COUNT ? param_names[id] : "?";
}

static int param_lookup(const char *name, enum param_id *out)
{
	for (int i = 0; i < PARAM__COUNT; i++)
		if (strcmp(param_names[i], name) == 0) {
			*out = (enum param_id)i;
			return 0;
		}
	return -1;
}

int api_bind(struct product *p)
{
	struct pspec *specs = calloc(p->nrows ? p->nrows : 1, sizeof(*specs));
	uint16_t *slots = malloc((p->nactions ? p->nactions : 1) * PARAM__COUNT * sizeof(*slots));
	size_t k = 0;

	if (!specs || !slots) {
		free(specs);
		free(slots);
		return -1;
	}
	for (size_t i = 0; i < p->nrows; i++)
		if (!api_action_find(p, p->rows[i].action)) {
			log_msg(0, "params table: %s is no Action", p->rows[i].action);
			free(specs);
			free(slots);
			return -1;
		}
	for (size_t a = 0; a < p->nactions; a++) {
		struct action *act = &p->actions[a];
		uint16_t *slot = &slots[a * PARAM__COUNT];

		for (size_t n = 0; n < PARAM__COUNT; n++)
			slot[n] = PARAM_UNDECLARED;
		act->params = &specs[k];
		for (size_t i = 0; i < p->nrows; i++) {
			if (strcmp(p->rows[i].action, act->name) != 0)
				continue;
			specs[k] = p->rows[i].spec;
			if (param_lookup(specs[k].name, &specs[k].id)) {
				log_msg(0, "params table: %s is not in param_names.def",
				        specs[k].name);
				free(specs);
				free(slots);
				return -1;
			}
			slot[specs[k].id] = (uint16_t)(&specs[k] - act->params);
			k++;
		}
		act->nparams = (size_t)(&specs[k] - act->params);
		act->slot = slot;
	}
	return 0;
}

const struct action *api_action_find(const struct product *p, const char *name)
{
	for (size_t i = 0; i < p->nactions; i++)
		if (strcmp(p->actions[i].name, name) == 0)
			return &p->actions[i];
	return NULL;
}

int api_parse_bool(const char *s, int dflt)
{
	if (!s || !*s)
		return dflt;
	if (strcasecmp(s, "true") == 0)
		return 1;
	if (strcasecmp(s, "false") == 0)
		return 0;
	return -1;
}

/* 1 if s (len bytes) may be stored and echoed: well-formed UTF-8, no NUL,
 * and only characters XML 1.0 allows (U+FFFE, U+FFFF and C0 controls other
 * than tab, LF, CR would make every XML reply carrying them unparseable). */
static int utf8_ok(const unsigned char *s, size_t len)
{
	return utf8_xml_text((const char *)s, len);
}

long long api_list_index(const char *s, size_t len, long long max)
{
	long long v = 0;

	if (len == 0 || len > 18 || s[0] < '1' || s[0] > '9')
		return -1;   /* empty, too long, a sign, a space or a leading zero */
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v <= max ? v : -1;
}

int api_parse_int(const char *s, long long lo, long long hi, long long *out)
{
	int neg = s[0] == '-';
	const char *d = s + neg;
	size_t n = strlen(d);
	long long v;

	/* canonical decimal: "0", or an optional '-' then 1-9 then digits */
	if (n == 0 || n > 18 || (d[0] == '0' && (n > 1 || neg)))
		return -1;
	if (d[0] == '0') {
		v = 0;
	} else {
		v = api_list_index(d, n, (long long)999999999999999999LL);
		if (v < 0)
			return -1;
	}
	if (neg)
		v = -v;
	if (v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int parse_ll(const char *s, long long *out)
{
	return api_parse_int(s, -999999999999999999LL, 999999999999999999LL, out);
}

/* Name.1 .. Name.N, contiguous from 1; items over max refused. */
static enum err_id check_list(struct req *r, const struct pspec *ps,
                              struct pval *v)
{
	char key[LIM_NAME_BYTES + 16];
	size_t nlen = strlen(ps->name);
	size_t n = 0;

	/* count Name.<k> params, find the highest index */
	for (size_t i = 0; i < r->all.n; i++) {
		const char *nm = r->all.v[i].name;
		long long k;

		if (strncmp(nm, ps->name, nlen) != 0 || nm[nlen] != '.')
			continue;
		/* one parser for every index: Name.01, Name.+1, Name. 1, Name.0
		 * and indexes over the limit are refused, never skipped */
		k = api_list_index(nm + nlen + 1, strlen(nm + nlen + 1), ps->max);
		if (k < 1)
			return api_raise(r, ERR_INVALID_PARAMETER, ps->name);
		if ((size_t)k > n)
			n = (size_t)k;
	}
	if (n == 0)
		return ERR_OK;
	v->list = arena_alloc(&r->arena, n * sizeof(char *));
	if (!v->list)
		return api_raise(r, ERR_REQUEST_TOO_LARGE, "memory");
	for (size_t k = 1; k <= n; k++) {
		const struct param *p;

		snprintf(key, sizeof(key), "%s.%zu", ps->name, k);
		p = params_get(&r->all, key);
		if (!p || p->vlen == 0)
			return api_raise(r, ERR_INVALID_PARAMETER, key);
		if (!utf8_ok((const unsigned char *)p->value, p->vlen) || p->vlen > LIM_NAME_FIELD_BYTES)
			return api_raise(r, ERR_INVALID_PARAMETER, key);
		v->list[k - 1] = p->value;
	}
	v->nlist = n;
	v->present = 1;
	return ERR_OK;
}

static enum err_id check_json(struct req *r, const struct pspec *ps,
                              struct pval *v, const struct param *p)
{
	json_error_t je;
	json_t *a = json_loadb(p->value, p->vlen, JSON_DECODE_ANY, &je);
	size_t n;
	enum err_id rc = ERR_OK;

	if (!a || !json_is_array(a)) {
		json_decref(a);
		return api_raise(r, ERR_INVALID_PARAMETER, ps->name);
	}
	n = json_array_size(a);
	if ((long long)n > ps->max || (long long)n < ps->min) {
		json_decref(a);
		return api_raise(r, ERR_INVALID_PARAMETER, ps->name);
	}
	v->list = arena_alloc(&r->arena, (n ? n : 1) * sizeof(char *));
	if (!v->list) {
		json_decref(a);
		return api_raise(r, ERR_REQUEST_TOO_LARGE, "memory");
	}
	for (size_t i = 0; i < n; i++) {
		json_t *it = json_array_get(a, i);

		if (!json_is_string(it) || json_string_length(it) > LIM_NAME_FIELD_BYTES) {
			rc = api_raise(r, ERR_INVALID_PARAMETER, ps->name);
			break;
		}
		v->list[i] = arena_strdup(&r->arena, json_string_value(it));
		if (!v->list[i]) {
			rc = api_raise(r, ERR_REQUEST_TOO_LARGE, "memory");
			break;
		}
	}
	json_decref(a);
	v->nlist = n;
	return rc;
}

enum err_id api_check_params(struct req *r)
{
	const struct action *a = r->action;

	r->args = arena_alloc(&r->arena, (a->nparams ? a->nparams : 1) * sizeof(struct pval));
	if (!r->args)
		return api_raise(r, ERR_REQUEST_TOO_LARGE, "memory");
	for (size_t i = 0; i < a->nparams; i++) {
		const struct pspec *ps = &a->params[i];
		struct pval *v = &r->args[i];
		const struct param *p;
		enum err_id rc;

		if (ps->type == PT_LIST) {
			if ((rc = check_list(r, ps, v)) != ERR_OK)
				return rc;
			if (!v->present && (ps->flags & PF_REQ))
				return api_raise(r, ERR_MISSING_PARAMETER, ps->name);
			continue;
		}
		if (ps->type == PT_RAW) {
			/* read by the handler through param_subfield; its text must
			 * still be UTF-8 like every other value (it is stored and
			 * rendered: DataDisk.N.DiskName) */
			size_t nl = strlen(ps->name);

			for (size_t k = 0; k < r->all.n; k++) {
				const struct param *q = &r->all.v[k];
				const char *idx, *dot;

				if (strncmp(q->name, ps->name, nl) != 0 || q->name[nl] != '.')
					continue;
				/* Name.<index>.<Field>, the index as api_list_index
				 * reads it: the handler finds the same item */
				idx = q->name + nl + 1;
				dot = strchr(idx, '.');
				if (!dot || !dot[1] || api_list_index(idx, (size_t)(dot - idx), ps->max) < 1 ||
				    !utf8_ok((const unsigned char *)q->value, q->vlen))
					return api_raise(r, ERR_INVALID_PARAMETER, ps->name);
			}
			continue;
		}
		p = params_get(&r->all, ps->name);
		/* An empty value means "not set" (Terraform sends empty booleans). */
		if (!p || (p->vlen == 0 && ps->type != PT_STR)) {
			if (ps->flags & PF_REQ)
				return api_raise(r, strcmp(ps->name, "RegionId") == 0 ?
				            ERR_MISSING_REGION_ID : ERR_MISSING_PARAMETER, ps->name);
			continue;
		}
		if (p->vlen == 0 && (ps->flags & PF_REQ))
			return api_raise(r, strcmp(ps->name, "RegionId") == 0 ?
			            ERR_MISSING_REGION_ID : ERR_MISSING_PARAMETER, ps->name);
		if (!utf8_ok((const unsigned char *)p->value, p->vlen))
			return api_raise(r, ERR_INVALID_PARAMETER, ps->name);
		v->s = p->value;
		switch (ps->type) {
		case PT_STR:
			if ((long long)p->vlen > ps->max)
				return api_raise(r, ERR_INVALID_PARAMETER, ps->name);
			break;
		case PT_BOOL:
			v->b = api_parse_bool(p->value, 0);
			if (v->b < 0)
				return api_raise(r, ERR_INVALID_PARAMETER, ps->name);
			break;
		case PT_INT:
			if (parse_ll(p->value, &v->i) || v->i < ps->min || v->i > ps->max)
				return api_raise(r, ERR_INVALID_PARAMETER, ps->name);
			break;
		case PT_JSON:
			if ((rc = check_json(r, ps, v, p)) != ERR_OK)
				return rc;
			break;
		case PT_LIST:
		case PT_RAW:
			break;
		}
		v->present = 1;
	}
	return ERR_OK;
}

void api_undeclared(const struct req *r, enum param_id id)
{
	fprintf(stderr, "ecsd: BUG: %s reads undeclared parameter %s\n",
	        r->action->name, param_name(id));
	abort();
}

const char *param_subfield(const struct req *r, const char *wire_name)
{
	const struct param *p = params_get(&r->all, wire_name);

	for (size_t i = 0; r->args && i < r->action->nparams; i++) {
		const char *n = r->action->params[i].name;
		size_t nl = strlen(n);

		if (r->action->params[i].type == PT_RAW && strncmp(wire_name, n, nl) == 0 &&
		    wire_name[nl] == '.')
			r->args[i].read = 1;
	}

	return p ? p->value : NULL;
}

/* The detail is copied into the request's arena: it is read when the error
 * is rendered, after the raising function has returned, so a pointer to a
 * caller's stack buffer (check_list's key[] once was) must never be kept. */
enum err_id api_raise(struct req *r, enum err_id id, const char *detail)
{
	r->err = id;
	r->err_detail = detail ? arena_strdup(&r->arena, detail) : NULL;
	if (detail && !r->err_detail)
		r->err_detail = "(detail too large)";
	return id;
}
