/* spec.c - the server's Action tables (src/api/actions.def, params.def for
 * ECS, vpc_* for VPC, slb_* for SLB) as the client sees them:
 * names, summaries, parameter types, required flags, per product.
 * Read-only lookups; never a second copy of a table. */
#include "ecs.h"
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "../../src/api/api.h"

#define SPEC_ACTION(name, handler, flags, summary) { #name, (flags), summary },
#define SPEC_PARAM(action, name, type, flags, min, max) \
	{ #action, name, (type), (flags), (min), (max) },

static const struct ecs_action ecs_actions[] = {
#define ACTION SPEC_ACTION
#include "../../src/api/actions.def"
#undef ACTION
};
static const struct ecs_param ecs_params[] = {
#define P SPEC_PARAM
#include "../../src/api/params.def"
#undef P
};

static const struct ecs_action vpc_actions[] = {
#define ACTION SPEC_ACTION
#include "../../src/api/vpc_actions.def"
#undef ACTION
};
static const struct ecs_param vpc_params[] = {
#define P SPEC_PARAM
#include "../../src/api/vpc_params.def"
#undef P
};

static const struct ecs_action slb_actions[] = {
#define ACTION SPEC_ACTION
#include "../../src/api/slb_actions.def"
#undef ACTION
};
static const struct ecs_param slb_params[] = {
#define P SPEC_PARAM
#include "../../src/api/slb_params.def"
#undef P
};

#define SPEC_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The products, as the first word of a command names them (ECS first: the
 * default). */
static const struct spec_product {
	const char *word, *version;
	const struct ecs_action *actions;
	size_t nactions;
	const struct ecs_param *params;
	size_t nparams;
} spec_products[] = {
	{ "ecs", "2014-05-26", ecs_actions, SPEC_COUNT(ecs_actions),
	  ecs_params, SPEC_COUNT(ecs_params) },
	{ "vpc", "2016-04-28", vpc_actions, SPEC_COUNT(vpc_actions),
	  vpc_params, SPEC_COUNT(vpc_params) },
	{ "slb", "2014-05-15", slb_actions, SPEC_COUNT(slb_actions),
	  slb_params, SPEC_COUNT(slb_params) },
};
static const struct spec_product *spec_cur = &spec_products[0];

int ecs_spec_use(const char *word)
{
	for (size_t i = 0; i < SPEC_COUNT(spec_products); i++)
		if (strcasecmp(spec_products[i].word, word) == 0) {
			spec_cur = &spec_products[i];
			return 0;
		}
	return -1;
}

const char *ecs_spec_product(void)
{
	return spec_cur->word;
}

const char *ecs_spec_version(void)
{
	return spec_cur->version;
}

const char *ecs_spec_products(size_t i)
{
	return i < SPEC_COUNT(spec_products) ? spec_products[i].word : NULL;
}

const struct ecs_action *ecs_spec_actions(size_t *n)
{
	*n = spec_cur->nactions;
	return spec_cur->actions;
}

const struct ecs_action *ecs_spec_action(const char *name)
{
	size_t i;

	for (i = 0; i < spec_cur->nactions; i++)
		if (strcmp(spec_cur->actions[i].name, name) == 0)
			return &spec_cur->actions[i];
	return NULL;
}

const struct ecs_param *ecs_spec_params(size_t *n)
{
	*n = spec_cur->nparams;
	return spec_cur->params;
}

const struct ecs_param *ecs_spec_param(const char *action, const char *name)
{
	size_t i;

	for (i = 0; i < spec_cur->nparams; i++)
		if (strcmp(spec_cur->params[i].action, action) == 0 &&
		    strcmp(spec_cur->params[i].name, name) == 0)
			return &spec_cur->params[i];
	return NULL;
}

/* 1 when p holds name with a value that is not empty, or (for a repeat
 * list) name.N. An empty required value is a usage error here, as the
 * aliyun CLI treats it, rather than a MissingParameter from the server. */
static int spec_given(const struct params *p, const char *name, int list)
{
	size_t i, n = strlen(name);

	for (i = 0; i < p->n; i++) {
		if (strcmp(p->v[i].name, name) == 0 && p->v[i].value[0])
			return 1;
		if (list && strncmp(p->v[i].name, name, n) == 0 &&
		    p->v[i].name[n] == '.')
			return 1;
	}
	return 0;
}

int ecs_spec_check(const char *action, const struct params *p, char *err,
                   size_t errlen)
{
	size_t i;

	if (!ecs_spec_action(action))
		return 0; /* not ecsd's: passed through unchecked */
	for (i = 0; i < spec_cur->nparams; i++) {
		const struct ecs_param *s = &spec_cur->params[i];

		if (strcmp(s->action, action) != 0 || !(s->flags & PF_REQ) ||
		    strcmp(s->name, "RegionId") == 0) /* always sent */
			continue;
		if (!spec_given(p, s->name, s->type == PT_LIST ||
		                s->type == PT_RAW)) {
			snprintf(err, errlen,
			         "%s requires a non-empty --%s (see 'ecs %s --help'; "
			         "--force skips this check)",
			         action, s->name, action);
			return -1;
		}
	}
	return 0;
}
