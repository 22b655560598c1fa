/* help.c - `ecs help`, `ecs <Action> --help`, `ecs --version`, all drawn
 * from the server's Action table (spec.c) and the flag table (args.c) so
 * the help never drifts from what ecsd serves. Prints only. */
#include "ecs.h"
#include <stdio.h>
#include <string.h>
#include "../../src/api/api.h"

void ecs_help_version(FILE *f)
{
	fprintf(f, "ecs %s (ecsd client, ECS API %s, aliyun CLI syntax)\n",
	        ECS_VERSION, ECS_API_VERSION);
}

void ecs_help_main(FILE *f)
{
	const struct ecs_action *a;
	const char *w;
	size_t i, n;

	fprintf(f,
"ecs - command-line client for ecsd and Alibaba Cloud, aliyun CLI syntax\n"
"\n"
"Usage:\n"
"  ecs [product] <Action> [--Parameter value ...] [flags]\n"
"  ecs [product] help [<Action>]   ecs [product] <Action> --help   ecs --version\n"
"  ecs ecsd <command>      ecsd's control API: clock, faults, state, reset\n"
"                          (ecs ecsd help)\n"
"\n"
"Products (the first word; ecs when absent):");
	for (i = 0; (w = ecs_spec_products(i)) != NULL; i++)
		fprintf(f, " %s", w);
	fprintf(f, "\n\n%s Actions, API %s (ecsd's own Action table; other Actions"
	        " are sent as given;\n'ecs <product> help' lists another"
	        " product's):\n", ecs_spec_product(), ecs_spec_version());
	a = ecs_spec_actions(&n);
	for (i = 0; i < n; i++)
		fprintf(f, "  %-28s %s%s\n", a[i].name, a[i].summary,
		        (a[i].flags & AF_READ) ? " (read-only)" : "");
	fprintf(f, "\nFlags:\n");
	ecs_args_print_flags(f);
	fprintf(f,
"\n"
"Parameters: --Name value (or --Name=value); lists as --Name.1 a --Name.2 b,\n"
"or a JSON array ('[\"a\",\"b\"]'). RegionId is added from the region.\n"
"Configuration: flags > ALIBABA_CLOUD_ACCESS_KEY_ID / _SECRET / _REGION_ID >\n"
"profile of ~/.aliyun/config.json (--profile, \"current\") > the development\n"
"key against http://" ECS_DEFAULT_ENDPOINT ", region " ECS_DEFAULT_REGION ".\n"
"Exit status: 0 success, 1 API error, 2 usage or configuration error,\n"
"3 network error, 4 --wait-for/--waiter timed out.\n");
}

static void help_type(char *out, size_t len, const struct ecs_param *p)
{
	switch (p->type) {
	case PT_STR:
		if (p->max > 0)
			snprintf(out, len, "String, up to %lld bytes", p->max);
		else
			snprintf(out, len, "String");
		break;
	case PT_BOOL:
		snprintf(out, len, "Boolean (true|false)");
		break;
	case PT_INT:
		snprintf(out, len, "Integer %lld..%lld", p->min, p->max);
		break;
	case PT_LIST:
		snprintf(out, len, "RepeatList: --%s.1 .. --%s.%lld, or a "
		         "JSON array", p->name, p->name, p->max);
		break;
	case PT_JSON:
		snprintf(out, len, "JSON array of up to %lld strings, "
		         "'[\"a\",\"b\"]'", p->max);
		break;
	case PT_RAW:
		snprintf(out, len, "--%s.N.Field (N up to %lld), or a JSON "
		         "array of objects", p->name, p->max);
		break;
	default:
		snprintf(out, len, "?");
		break;
	}
}

int ecs_help_action(FILE *f, const char *action)
{
	const struct ecs_action *a = ecs_spec_action(action);
	const struct ecs_param *p;
	char type[160];
	size_t i, n, shown = 0;
	int pass;

	if (!a) {
		fprintf(stderr, "ecs: %s is not in ecsd's %s Action table (see "
		        "'ecs %s help'); it can still be called, its parameters "
		        "are sent as given\n", action, ecs_spec_product(),
		        ecs_spec_product());
		return ECS_EXIT_USAGE;
	}
	fprintf(f, "%s: %s\n\nUsage: ecs %s %s", a->name, a->summary,
	        ecs_spec_product(), a->name);
	p = ecs_spec_params(&n);
	for (i = 0; i < n; i++)
		if (strcmp(p[i].action, action) == 0 &&
		    (p[i].flags & PF_REQ) && strcmp(p[i].name, "RegionId") != 0)
			fprintf(f, " --%s VALUE", p[i].name);
	fprintf(f, " [--Parameter value ...] [flags]\n\nParameters:\n");
	/* required ones first, then the rest, each in table order */
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < n; i++) {
			int req = (p[i].flags & PF_REQ) != 0;

			if (strcmp(p[i].action, action) != 0 || req != !pass)
				continue;
			help_type(type, sizeof(type), &p[i]);
			fprintf(f, "  --%-28s %-9s %s\n", p[i].name,
			        req ? "required" : "", type);
			shown++;
		}
	if (!shown)
		fprintf(f, "  (none)\n");
	fprintf(f, "\nRegionId is sent on every request (from --region or the "
	        "profile when not given).\nFlags: see 'ecs help'.\n");
	return ECS_EXIT_OK;
}
