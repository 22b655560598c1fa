/* main.c - ecs's entry point: parse, check, resolve the configuration,
 * call once, print, optionally wait; maps every outcome to the exit status
 * of docs/cli.md. Order of steps only: no parsing, signing or I/O detail. */
#include "ecs.h"
#include <stdio.h>
#include <string.h>

/* Local checks, before the configuration is read or anything is sent. */
static int main_check(struct arena *a, struct ecs_opts *o, char *err,
                      size_t errlen)
{
	if (ecs_args_expand(a, o, err, errlen) ||
	    ecs_call_check(&o->params, err, errlen) ||
	    ecs_wait_check(o, err, errlen))
		return -1;
	if (!o->force && ecs_spec_check(o->action, &o->params, err, errlen))
		return -1;
	return 0;
}

static int main_dryrun(const struct ecs_opts *o, const struct ecs_cfg *cfg)
{
	struct buf url;
	int rc;

	buf_init(&url, ECS_URL_BYTES);
	rc = ecs_call_url(cfg, o->action, &o->params, &url);
	if (rc == 0)
		printf("%s %s\n", cfg->method, buf_cstr(&url));
	else
		fprintf(stderr, "ERROR: cannot build the signed request\n");
	buf_free(&url);
	return rc ? ECS_EXIT_USAGE : ECS_EXIT_OK;
}

/* The Action once, its output, then --wait-for if asked. */
static int main_run(struct arena *a, const struct ecs_opts *o,
                    const struct ecs_cfg *cfg)
{
	struct ecs_resp r = { 0 };
	enum ecs_rc rc;
	int status = ECS_EXIT_OK;

	if (o->waiter_set)
		return ecs_waiter(a, o, cfg, &o->params);
	rc = ecs_call(cfg, o->action, &o->params, &r);
	if (rc != ECS_RC_OK) {
		status = ecs_out_error(&r, rc);
	} else if (!(o->wait_for &&
	             strcmp(o->action, "DescribeInstances") == 0) &&
	           ecs_out_success(o, r.json)) {
		status = ECS_EXIT_USAGE; /* a bad --output expression */
	} else if (o->wait_for) {
		fflush(stdout);
		status = ecs_wait_for(a, o, cfg, &o->params, r.json);
	}
	ecs_resp_free(&r);
	return status;
}

int main(int argc, char **argv)
{
	static struct arena a;
	struct ecs_opts o;
	struct ecs_cfg cfg;
	char err[ECS_ERRMSG_BYTES];
	int status;

	if (argc > 1 && strcmp(argv[1], "ecsd") == 0)
		return ecs_ecsd_main(argc, argv);   /* the control API (ecsd.c) */
	arena_init(&a, ECS_ARENA_BYTES);
	if (ecs_args_parse(&a, argc, argv, &o, err, sizeof(err))) {
		status = ecs_out_usage(err);
	} else if (o.version) {
		ecs_help_version(stdout);
		status = ECS_EXIT_OK;
	} else if (o.help || o.help_cmd) {
		status = ECS_EXIT_OK;
		if (o.action)
			status = ecs_help_action(stdout, o.action);
		else
			ecs_help_main(stdout);
	} else if (!o.action) {
		if (argc > 1)
			status = ecs_out_usage("no Action given");
		else {
			ecs_help_main(stderr);
			status = ECS_EXIT_USAGE;
		}
	} else if (main_check(&a, &o, err, sizeof(err)) ||
	           ecs_config_resolve(&a, &o, &cfg, err, sizeof(err))) {
		status = ecs_out_usage(err);
	} else if (o.dryrun) {
		status = main_dryrun(&o, &cfg);
	} else if (ecs_call_init()) {
		fprintf(stderr, "ERROR: cannot initialise libcurl\n");
		status = ECS_EXIT_NET;
	} else {
		status = main_run(&a, &o, &cfg);
		ecs_call_cleanup();
	}
	if (fflush(stdout) != 0 && status == ECS_EXIT_OK)
		status = ECS_EXIT_API;
	arena_free(&a);
	return status;
}
