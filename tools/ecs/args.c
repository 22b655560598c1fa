/* args.c - the ecs command line: `[ecs] Action --Name value ... --flag`,
 * lower-case flags from one table, PascalCase names passed through as API
 * parameters. Parsing only: no configuration, no network here. */
#include "ecs.h"
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "../../src/api/api.h"

enum args_kind { ARG_STR, ARG_BOOL, ARG_FIELDS };

struct args_flag {
	const char *name;
	char shorthand;
	enum args_kind kind;
	size_t off;            /* into struct ecs_opts: const char * or int */
	const char *metavar;
	const char *help;
};

#define OFF(f) offsetof(struct ecs_opts, f)

static const struct args_flag args_flags[] = {
	{ "profile", 'p', ARG_STR, OFF(profile), "NAME",
	  "profile of ~/.aliyun/config.json to use" },
	{ "region", 0, ARG_STR, OFF(region), "ID", "RegionId (e.g. cn-hangzhou)" },
	{ "endpoint", 0, ARG_STR, OFF(endpoint), "HOST[:PORT]",
	  "server; http for 127.0.0.1/localhost, else https" },
	{ "access-key-id", 0, ARG_STR, OFF(akid), "ID", "AccessKey id" },
	{ "access-key-secret", 0, ARG_STR, OFF(secret), "SECRET",
	  "AccessKey secret" },
	{ "sts-token", 0, ARG_STR, OFF(sts_token), "TOKEN",
	  "STS SecurityToken" },
	{ "config-path", 0, ARG_STR, OFF(config_path), "FILE",
	  "configuration file (default ~/.aliyun/config.json)" },
	{ "insecure", 0, ARG_BOOL, OFF(insecure), NULL, "use http" },
	{ "secure", 0, ARG_BOOL, OFF(secure), NULL, "use https" },
	{ "method", 0, ARG_STR, OFF(method), "GET|POST",
	  "HTTP method (default POST)" },
	{ "output", 'o', ARG_FIELDS, OFF(output_set),
	  "cols=A,B [rows=PATH]", "print a table instead of JSON" },
	{ "quiet", 'q', ARG_BOOL, OFF(quiet), NULL,
	  "print nothing on success" },
	{ "wait-for", 0, ARG_STR, OFF(wait_for), "Status=S|gone",
	  "then poll DescribeInstances until the status, or released" },
	{ "timeout", 0, ARG_STR, OFF(timeout), "SECONDS",
	  "--wait-for limit (default 600)" },
	{ "interval", 0, ARG_STR, OFF(interval), "SECONDS",
	  "--wait-for poll interval (default 2, decimals allowed)" },
	{ "waiter", 0, ARG_FIELDS, OFF(waiter_set),
	  "expr=PATH to=VALUE [timeout=S] [interval=S]",
	  "repeat the request until PATH equals VALUE (aliyun)" },
	{ "connect-timeout", 0, ARG_STR, OFF(connect_timeout), "SECONDS",
	  "TCP/TLS connect timeout (default 10)" },
	{ "read-timeout", 0, ARG_STR, OFF(read_timeout), "SECONDS",
	  "whole-request timeout (default 30)" },
	{ "retry-count", 0, ARG_STR, OFF(retry_count), "N",
	  "resend on network errors and HTTP 5xx (default 0)" },
	{ "force", 0, ARG_BOOL, OFF(force), NULL,
	  "skip the local required-parameter check" },
	{ "dryrun", 0, ARG_BOOL, OFF(dryrun), NULL,
	  "print the signed request, send nothing" },
	{ "verbose", 0, ARG_BOOL, OFF(verbose), NULL,
	  "log each request and answer status to stderr" },
	{ "help", 'h', ARG_BOOL, OFF(help), NULL, "this help" },
	{ "version", 0, ARG_BOOL, OFF(version), NULL, "print the version" },
};

/* key=value words that follow a multi-field flag. */
struct args_field {
	size_t flag_off;       /* which flag (its *_set member) */
	const char *key;
	size_t off;            /* const char * member */
};

static const struct args_field args_fields[] = {
	{ OFF(output_set), "cols", OFF(output_cols) },
	{ OFF(output_set), "rows", OFF(output_rows) },
	{ OFF(waiter_set), "expr", OFF(waiter_expr) },
	{ OFF(waiter_set), "to", OFF(waiter_to) },
	{ OFF(waiter_set), "timeout", OFF(waiter_timeout) },
	{ OFF(waiter_set), "interval", OFF(waiter_interval) },
};

#define ARGS_COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char **args_str(struct ecs_opts *o, size_t off)
{
	return (const char **)(void *)((char *)o + off);
}

static int *args_int(struct ecs_opts *o, size_t off)
{
	return (int *)(void *)((char *)o + off);
}

static const struct args_flag *args_find(const char *name, size_t len,
                                         char shorthand)
{
	size_t i;

	for (i = 0; i < ARGS_COUNT(args_flags); i++) {
		const struct args_flag *f = &args_flags[i];

		if (shorthand ? f->shorthand == shorthand
		              : (strlen(f->name) == len &&
		                 strncmp(f->name, name, len) == 0))
			return f;
	}
	return NULL;
}

/* The field row for "key=..." under flag f, or NULL. */
static const struct args_field *args_field(const struct args_flag *f,
                                           const char *word)
{
	const char *eq = strchr(word, '=');
	size_t i;

	if (!eq)
		return NULL;
	for (i = 0; i < ARGS_COUNT(args_fields); i++)
		if (args_fields[i].flag_off == f->off &&
		    strlen(args_fields[i].key) == (size_t)(eq - word) &&
		    strncmp(args_fields[i].key, word, (size_t)(eq - word)) == 0)
			return &args_fields[i];
	return NULL;
}

static int args_set_field(struct ecs_opts *o, const struct args_flag *f,
                          const char *word, char *err, size_t errlen)
{
	const struct args_field *fd = args_field(f, word);
	const char **dst;

	if (!fd) {
		snprintf(err, errlen, "--%s: unknown field '%s' (want %s)",
		         f->name, word, f->metavar);
		return -1;
	}
	dst = args_str(o, fd->off);
	if (*dst) {
		snprintf(err, errlen, "--%s: field %s given twice", f->name,
		         fd->key);
		return -1;
	}
	*dst = strchr(word, '=') + 1;
	return 0;
}

/* One lower-case flag at argv[*i]; advances *i past its values. */
static int args_flag(struct ecs_opts *o, const struct args_flag *f,
                     const char *inline_val, int argc, char **argv, int *i,
                     char *err, size_t errlen)
{
	const char **sp;
	int *ip;

	switch (f->kind) {
	case ARG_BOOL:
		if (inline_val) {
			snprintf(err, errlen, "--%s takes no value", f->name);
			return -1;
		}
		*args_int(o, f->off) = 1;
		return 0;
	case ARG_STR:
		sp = args_str(o, f->off);
		if (*sp) {
			snprintf(err, errlen, "--%s given twice", f->name);
			return -1;
		}
		if (!inline_val) {
			if (*i + 1 >= argc || strncmp(argv[*i + 1], "--", 2) == 0) {
				snprintf(err, errlen, "--%s needs a value (%s)",
				         f->name, f->metavar);
				return -1;
			}
			inline_val = argv[++*i];
		}
		*sp = inline_val;
		return 0;
	case ARG_FIELDS:
		ip = args_int(o, f->off);
		if (*ip) {
			snprintf(err, errlen, "--%s given twice", f->name);
			return -1;
		}
		*ip = 1;
		if (inline_val &&
		    args_set_field(o, f, inline_val, err, errlen))
			return -1;
		while (*i + 1 < argc && args_field(f, argv[*i + 1]))
			if (args_set_field(o, f, argv[++*i], err, errlen))
				return -1;
		return 0;
	}
	return -1;
}

/* --Name value: an API parameter, passed through. */
static int args_param(struct arena *a, struct ecs_opts *o, const char *name,
                      size_t nlen, const char *inline_val, int argc,
                      char **argv, int *i, char *err, size_t errlen)
{
	const char *val = inline_val;
	size_t k;

	if (!val) {
		if (*i + 1 >= argc || strncmp(argv[*i + 1], "--", 2) == 0) {
			snprintf(err, errlen,
			         "--%.*s needs a value (use --%.*s=VALUE for a "
			         "value starting with --)",
			         (int)nlen, name, (int)nlen, name);
			return -1;
		}
		val = argv[++*i];
	}
	for (k = 0; k < o->params.n; k++)
		if (o->params.v[k].nlen == nlen &&
		    memcmp(o->params.v[k].name, name, nlen) == 0) {
			snprintf(err, errlen, "--%.*s given twice", (int)nlen,
			         name);
			return -1;
		}
	if (params_add(a, &o->params, name, nlen, val, strlen(val))) {
		snprintf(err, errlen, "--%.*s: too many parameters or value "
		         "too long", (int)nlen, name);
		return -1;
	}
	return 0;
}

static int args_positional(struct ecs_opts *o, const char *arg, int *npos,
                           char *err, size_t errlen)
{
	int n = (*npos)++;

	/* the product may come first, as in `aliyun vpc CreateVpc` ("ecs"
	 * when absent) */
	if (n == 0 && ecs_spec_use(arg) == 0)
		return 0;
	if (!o->action && !o->help_cmd && strcmp(arg, "help") == 0) {
		o->help_cmd = 1;
		return 0;
	}
	if (o->action) {
		snprintf(err, errlen, "unexpected argument '%s'", arg);
		return -1;
	}
	if (!(arg[0] >= 'A' && arg[0] <= 'Z')) {
		snprintf(err, errlen,
		         "'%s' is not an Action (Actions are PascalCase, "
		         "e.g. DescribeInstances; see 'ecs help')", arg);
		return -1;
	}
	o->action = arg;
	return 0;
}

int ecs_args_parse(struct arena *a, int argc, char **argv,
                   struct ecs_opts *o, char *err, size_t errlen)
{
	int i, npos = 0;

	memset(o, 0, sizeof(*o));
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i], *name, *eq;
		const struct args_flag *f;
		size_t nlen;

		if (arg[0] != '-' || arg[1] == '\0') {
			if (args_positional(o, arg, &npos, err, errlen))
				return -1;
			continue;
		}
		if (arg[1] != '-') { /* -p NAME, -q, -o cols=... */
			f = arg[2] == '\0' ? args_find(NULL, 0, arg[1]) : NULL;
			if (!f) {
				snprintf(err, errlen, "unknown flag '%s'", arg);
				return -1;
			}
			if (args_flag(o, f, NULL, argc, argv, &i, err, errlen))
				return -1;
			continue;
		}
		name = arg + 2;
		eq = strchr(name, '=');
		nlen = eq ? (size_t)(eq - name) : strlen(name);
		if (nlen == 0) {
			snprintf(err, errlen, "unexpected argument '%s'", arg);
			return -1;
		}
		if (name[0] >= 'A' && name[0] <= 'Z') {
			if (args_param(a, o, name, nlen, eq ? eq + 1 : NULL,
			               argc, argv, &i, err, errlen))
				return -1;
			continue;
		}
		f = args_find(name, nlen, 0);
		if (!f) {
			snprintf(err, errlen, "unknown flag '--%.*s' (API "
			         "parameters are PascalCase: --InstanceId)",
			         (int)nlen, name);
			return -1;
		}
		if (args_flag(o, f, eq ? eq + 1 : NULL, argc, argv, &i, err,
		              errlen))
			return -1;
	}
	if (o->output_set && (!o->output_cols || !*o->output_cols)) {
		snprintf(err, errlen, "--output needs cols=Field1,Field2");
		return -1;
	}
	if (o->waiter_set && (!o->waiter_expr || !o->waiter_to)) {
		snprintf(err, errlen, "--waiter needs expr=PATH and to=VALUE");
		return -1;
	}
	if (o->insecure && o->secure) {
		snprintf(err, errlen, "--insecure and --secure exclude each "
		         "other");
		return -1;
	}
	return 0;
}

/* ---- JSON-array values of list parameters ------------------------------ */

static int args_flatten(struct arena *a, struct params *out,
                        const char *prefix, json_t *v, char *err,
                        size_t errlen)
{
	const char *key, *text;
	char *name, *dump;
	json_t *item;
	size_t idx;
	int rc;

	switch (json_typeof(v)) {
	case JSON_ARRAY:
		json_array_foreach(v, idx, item) {
			name = arena_printf(a, "%s.%zu", prefix, idx + 1);
			if (!name || args_flatten(a, out, name, item, err,
			                          errlen))
				return -1;
		}
		return 0;
	case JSON_OBJECT:
		json_object_foreach(v, key, item) {
			name = arena_printf(a, "%s.%s", prefix, key);
			if (!name || args_flatten(a, out, name, item, err,
			                          errlen))
				return -1;
		}
		return 0;
	case JSON_NULL:
		return 0;
	case JSON_STRING:
		text = json_string_value(v);
		break;
	default:
		dump = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
		text = dump ? arena_strdup(a, dump) : NULL;
		free(dump);
		break;
	}
	rc = text ? params_add(a, out, prefix, strlen(prefix), text,
	                       strlen(text)) : -1;
	if (rc)
		snprintf(err, errlen, "--%s: too many parameters or value too "
		         "long", prefix);
	return rc ? -1 : 0;
}

int ecs_args_expand(struct arena *a, struct ecs_opts *o, char *err,
                    size_t errlen)
{
	struct params out = { 0 };
	size_t i, k;

	if (!o->action || !ecs_spec_action(o->action))
		return 0; /* unknown Action: values go as typed */
	for (i = 0; i < o->params.n; i++) {
		const struct param *p = &o->params.v[i];
		const struct ecs_param *s = ecs_spec_param(o->action, p->name);
		const char *t = p->value;
		json_t *j = NULL;

		while (*t == ' ' || *t == '\t' || *t == '\n')
			t++;
		if (s && (s->type == PT_LIST || s->type == PT_RAW) &&
		    (*t == '[' || *t == '{'))
			j = json_loads(t, 0, NULL);
		if (j) {
			int rc = args_flatten(a, &out, p->name, j, err, errlen);

			json_decref(j);
			if (rc)
				return -1;
			continue;
		}
		if (params_add(a, &out, p->name, p->nlen, p->value, p->vlen)) {
			snprintf(err, errlen, "too many parameters");
			return -1;
		}
	}
	for (i = 0; i < out.n; i++)
		for (k = i + 1; k < out.n; k++)
			if (strcmp(out.v[i].name, out.v[k].name) == 0) {
				snprintf(err, errlen, "parameter %s given twice",
				         out.v[i].name);
				return -1;
			}
	o->params = out;
	return 0;
}

void ecs_args_print_flags(FILE *f)
{
	size_t i;
	char left[64];

	for (i = 0; i < ARGS_COUNT(args_flags); i++) {
		const struct args_flag *g = &args_flags[i];

		if (g->shorthand)
			snprintf(left, sizeof(left), "-%c, --%s%s%s",
			         g->shorthand, g->name, g->metavar ? " " : "",
			         g->metavar ? g->metavar : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", g->name,
			         g->metavar ? " " : "",
			         g->metavar ? g->metavar : "");
		if (strlen(left) > 34)
			fprintf(f, "  %s\n  %-34s %s\n", left, "", g->help);
		else
			fprintf(f, "  %-34s %s\n", left, g->help);
	}
}
