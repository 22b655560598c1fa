/* spec.c - the server's Action table (src/api/actions.def, params.def) as
 * the client sees it: names, summaries, parameter types, required flags.
 * Read-only lookups; never a second copy of the table. */
#include "ecs.h"
#include <stdio.h>
#include <string.h>
#include "../../src/api/api.h"

static const struct ecs_action spec_actions[] = {
#define ACTION(name, handler, flags, summary) { #name, (flags), summary },
#include "../../src/api/actions.def"
#undef ACTION
};

static const struct ecs_param spec_params[] = {
#define P(action, name, type, flags, min, max) \
	{ #action, name, (type), (flags), (min), (max) },
#include "../../src/api/params.def"
#undef P
};

#define SPEC_COUNT(a) (sizeof(a) / sizeof((a)[0]))

const struct ecs_action *ecs_spec_actions(size_t *n)
{
	*n = SPEC_COUNT(spec_actions);
	return spec_actions;
}

const struct ecs_action *ecs_spec_action(const char *name)
{
	size_t i;

	for (i = 0; i < SPEC_COUNT(spec_actions); i++)
		if (strcmp(spec_actions[i].name, name) == 0)
			return &spec_actions[i];
	return NULL;
}

const struct ecs_param *ecs_spec_params(size_t *n)
{
	*n = SPEC_COUNT(spec_params);
	return spec_params;
}

const struct ecs_param *ecs_spec_param(const char *action, const char *name)
{
	size_t i;

	for (i = 0; i < SPEC_COUNT(spec_params); i++)
		if (strcmp(spec_params[i].action, action) == 0 &&
		    strcmp(spec_params[i].name, name) == 0)
			return &spec_params[i];
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
	for (i = 0; i < SPEC_COUNT(spec_params); i++) {
		const struct ecs_param *s = &spec_params[i];

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
