/* products.c - every product ecsd serves, each an API Version with its own
 * Action table and parameter table, expanded here and nowhere else. To add
 * a product: its actions.def and params.def, its handlers declared in its
 * actions header, two arrays and one row below (docs/architecture.md). */
#include "dispatch.h"
#include "../actions/act.h"
#include "../vpc/vpc.h"
#include "../slb/slb.h"
#include "../common/log.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- ECS 2014-05-26 ---- */
static struct action ecs_actions[] = {
#define ACTION API_ACTION_ROW
#include "../api/actions.def"
#undef ACTION
};
static const struct param_row ecs_params[] = {
#define P API_PARAM_ROW
#include "../api/params.def"
#undef P
};

/* ---- VPC 2016-04-28 (handlers in src/vpc/) ---- */
static struct action vpc_actions[] = {
#define ACTION API_ACTION_ROW
#include "../api/vpc_actions.def"
#undef ACTION
};
static const struct param_row vpc_params[] = {
#define P API_PARAM_ROW
#include "../api/vpc_params.def"
#undef P
};

/* ---- classic SLB 2014-05-15 (handlers in src/slb/) ---- */
static struct action slb_actions[] = {
#define ACTION API_ACTION_ROW
#include "../api/slb_actions.def"
#undef ACTION
};
static const struct param_row slb_params[] = {
#define P API_PARAM_ROW
#include "../api/slb_params.def"
#undef P
};

static struct product products[] = {
	{ "Ecs", "2014-05-26", ecs_actions, COUNT(ecs_actions),
	  ecs_params, COUNT(ecs_params) },
	{ "Vpc", "2016-04-28", vpc_actions, COUNT(vpc_actions),
	  vpc_params, COUNT(vpc_params) },
	{ "Slb", "2014-05-15", slb_actions, COUNT(slb_actions),
	  slb_params, COUNT(slb_params) },
};

static pthread_once_t bind_once = PTHREAD_ONCE_INIT;

static void bind_all(void)
{
	for (size_t i = 0; i < COUNT(products); i++)
		if (api_bind(&products[i])) {
			log_msg(0, "cannot bind the %s tables", products[i].code);
			abort();
		}
}

const struct product *api_products(size_t *n)
{
	pthread_once(&bind_once, bind_all);
	*n = COUNT(products);
	return products;
}

const struct product *api_product_for_version(const char *version)
{
	size_t n;
	const struct product *p = api_products(&n);

	for (size_t i = 0; i < n; i++)
		if (version && strcmp(p[i].version, version) == 0)
			return &p[i];
	return NULL;
}
