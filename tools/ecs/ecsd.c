/* ecsd.c - `ecs ecsd ...`: the tester's commands on ecsd's control API
 * (docs/control-api.md): the virtual clock, fault rules, fixtures, reset.
 * One HTTP call each with the control token; prints the JSON answer. No
 * signing and no ECS rules here. */
#include "ecs.h"
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ECSD_BODY_MAX (16u * 1024 * 1024)

static const char ecsd_usage[] =
"usage: ecs ecsd <command> [options]     (ecsd's control API, /_ecsd/)\n"
"\n"
"  clock                                 show the virtual clock\n"
"  clock --advance N[s|m|h|d]            move it forward (31d = 31 days)\n"
"  clock --set yyyy-MM-ddTHH:mm:ssZ      set it (never backwards)\n"
"  clock --reset                         back to the real clock\n"
"  faults                                list the fault rules and their Fired counts\n"
"  faults add [--action A] [--account ID] [--resource-id ID] [--product P]\n"
"             (--error CODE | --delay-ms N | --drop) [--next N | --probability P]\n"
"  faults delete ID | --all\n"
"  state export --account ID             the account's resources as one JSON document\n"
"  state import FILE|-                   replace the account's resources with a document\n"
"  reset [--account ID]                  remove one account's resources (or all)\n"
"\n"
"Options: --endpoint HOST:PORT (or ECSD_ENDPOINT; default " ECS_DEFAULT_ENDPOINT "),\n"
"--control-token T (or ECSD_CONTROL_TOKEN), --control-token-file FILE\n"
"(default ./ecsd-data/control.token).\n"
"Exit status: 0 success, 1 error answer, 2 usage, 3 network error.\n";

struct ecsd_cmd {
	const char *endpoint, *token, *token_file;
	const char *opt[16][2];   /* --name value, in order */
	int nopt;
	const char *pos[4];       /* positional words after the command */
	int npos;
};

static const char *opt_get(const struct ecsd_cmd *c, const char *name)
{
	for (int i = 0; i < c->nopt; i++)
		if (strcmp(c->opt[i][0], name) == 0)
			return c->opt[i][1];
	return NULL;
}

static size_t ecsd_write(char *p, size_t sz, size_t n, void *arg)
{
	return buf_add(arg, p, sz * n) ? 0 : sz * n;
}

static int ecsd_token(const struct ecsd_cmd *c, char *tok, size_t n)
{
	const char *file = c->token_file ? c->token_file : "ecsd-data/control.token";
	FILE *f;

	if (c->token || getenv("ECSD_CONTROL_TOKEN")) {
		snprintf(tok, n, "%s", c->token ? c->token : getenv("ECSD_CONTROL_TOKEN"));
		return 0;
	}
	if (!(f = fopen(file, "r")) || !fgets(tok, (int)n, f)) {
		if (f)
			fclose(f);
		fprintf(stderr, "ecs: no control token: give --control-token, "
		        "ECSD_CONTROL_TOKEN or --control-token-file (%s unreadable)\n", file);
		return -1;
	}
	fclose(f);
	tok[strcspn(tok, "\r\n")] = '\0';
	return 0;
}

/* One call; prints the answer. Returns the exit status. */
static int ecsd_call(const struct ecsd_cmd *c, const char *method,
                     const char *path, const char *body)
{
	const char *ep = c->endpoint ? c->endpoint : getenv("ECSD_ENDPOINT");
	char tok[256], url[1024], auth[300];
	struct curl_slist *hdr = NULL;
	struct buf out;
	CURL *h;
	CURLcode cc;
	long status = 0;
	json_t *j;
	int rc;

	if (ecsd_token(c, tok, sizeof(tok)))
		return ECS_EXIT_USAGE;
	if (!ep || !*ep)
		ep = ECS_DEFAULT_ENDPOINT;
	snprintf(url, sizeof(url), "%s%s/_ecsd%s", strstr(ep, "://") ? "" : "http://",
	         ep, path);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", tok);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) || !(h = curl_easy_init())) {
		fprintf(stderr, "ecs: cannot initialise libcurl\n");
		return ECS_EXIT_NET;
	}
	buf_init(&out, ECSD_BODY_MAX);
	hdr = curl_slist_append(hdr, auth);
	hdr = curl_slist_append(hdr, "Content-Type: application/json");
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 60000L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, ecsd_write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &out);
	if (body) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	}
	cc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(hdr);
	curl_easy_cleanup(h);
	curl_global_cleanup();
	if (cc != CURLE_OK) {
		fprintf(stderr, "ecs: %s: %s\n", url, curl_easy_strerror(cc));
		buf_free(&out);
		return ECS_EXIT_NET;
	}
	j = out.len ? json_loadb(out.p, out.len, 0, NULL) : NULL;
	rc = status >= 200 && status < 300 ? ECS_EXIT_OK : ECS_EXIT_API;
	if (j)
		json_dumpf(j, rc ? stderr : stdout, JSON_INDENT(2));
	else
		fwrite(out.p ? out.p : "", 1, out.len, rc ? stderr : stdout);
	fputc('\n', rc ? stderr : stdout);
	if (rc)
		fprintf(stderr, "ecs: HTTP %ld\n", status);
	json_decref(j);
	buf_free(&out);
	return rc;
}

/* "31d" -> seconds; -1 when malformed. */
static long long ecsd_seconds(const char *s)
{
	char *end;
	long long n = strtoll(s, &end, 10);
	long long mul = !*end || strcmp(end, "s") == 0 ? 1 : strcmp(end, "m") == 0 ? 60 :
	                strcmp(end, "h") == 0 ? 3600 : strcmp(end, "d") == 0 ? 86400 : -1;

	return end == s || n < 0 || mul < 0 || n > 4000000000LL ? -1 : n * mul;
}

static int ecsd_text(json_t *j, const struct ecsd_cmd *c, const char *method,
                     const char *path)
{
	char *body = json_dumps(j, JSON_COMPACT);
	int rc = body ? ecsd_call(c, method, path, body) : ECS_EXIT_USAGE;

	free(body);
	json_decref(j);
	return rc;
}

static int ecsd_usage_err(const char *msg)
{
	fprintf(stderr, "ecs: %s\n%s", msg, ecsd_usage);
	return ECS_EXIT_USAGE;
}

static int ecsd_clock(const struct ecsd_cmd *c)
{
	const char *adv = opt_get(c, "advance"), *set = opt_get(c, "set");
	int reset = opt_get(c, "reset") != NULL;
	long long s;

	if (!adv && !set && !reset)
		return ecsd_call(c, "GET", "/clock", NULL);
	if (!!adv + !!set + reset != 1)
		return ecsd_usage_err("clock: one of --advance, --set, --reset");
	if (adv && (s = ecsd_seconds(adv)) < 0)
		return ecsd_usage_err("clock --advance takes N, Ns, Nm, Nh or Nd");
	if (adv)
		return ecsd_text(json_pack("{s:I}", "AdvanceSeconds", (json_int_t)s), c, "POST", "/clock");
	if (set)
		return ecsd_text(json_pack("{s:s}", "Set", set), c, "POST", "/clock");
	return ecsd_text(json_pack("{s:b}", "Reset", 1), c, "POST", "/clock");
}

static int ecsd_faults(const struct ecsd_cmd *c)
{
	static const char *const match[][2] = { { "action", "Action" },
		{ "account", "AccountId" }, { "resource-id", "ResourceId" },
		{ "product", "Product" } };
	json_t *rule, *m, *eff;
	const char *v;
	char path[256];

	if (c->npos == 0)
		return ecsd_call(c, "GET", "/faults", NULL);
	if (strcmp(c->pos[0], "delete") == 0) {
		if (opt_get(c, "all"))
			return ecsd_call(c, "DELETE", "/faults", NULL);
		if (c->npos != 2 || strchr(c->pos[1], '/'))
			return ecsd_usage_err("faults delete ID | --all");
		snprintf(path, sizeof(path), "/faults/%s", c->pos[1]);
		return ecsd_call(c, "DELETE", path, NULL);
	}
	if (strcmp(c->pos[0], "add") != 0)
		return ecsd_usage_err("faults: add, delete, or nothing to list");
	rule = json_object();
	m = json_object();
	eff = json_object();
	for (size_t i = 0; i < 4; i++)
		if ((v = opt_get(c, match[i][0])))
			json_object_set_new(m, match[i][1], json_string(v));
	if ((v = opt_get(c, "error")))
		json_object_set_new(eff, "Error", json_string(v));
	if ((v = opt_get(c, "delay-ms")))
		json_object_set_new(eff, "DelayMs", json_integer(strtoll(v, NULL, 10)));
	if (opt_get(c, "drop"))
		json_object_set_new(eff, "Drop", json_true());
	json_object_set_new(rule, "Match", m);
	json_object_set_new(rule, "Effect", eff);
	if ((v = opt_get(c, "next")))
		json_object_set_new(rule, "Next", json_integer(strtoll(v, NULL, 10)));
	if ((v = opt_get(c, "probability")))
		json_object_set_new(rule, "Probability", json_real(strtod(v, NULL)));
	return ecsd_text(rule, c, "POST", "/faults");   /* the server checks it */
}

static int ecsd_state(const struct ecsd_cmd *c)
{
	const char *acct = opt_get(c, "account");
	char path[256];
	json_t *doc;
	json_error_t je;

	if (c->npos == 1 && strcmp(c->pos[0], "export") == 0 && acct) {
		snprintf(path, sizeof(path), "/state?AccountId=%s", acct);
		return strpbrk(acct, "&?#% ") ? ecsd_usage_err("state export: a bad account id")
		                               : ecsd_call(c, "GET", path, NULL);
	}
	if (c->npos == 2 && strcmp(c->pos[0], "import") == 0) {
		doc = strcmp(c->pos[1], "-") == 0 ? json_loadf(stdin, 0, &je)
		                                  : json_load_file(c->pos[1], 0, &je);
		if (!doc) {
			fprintf(stderr, "ecs: %s: %s (line %d)\n", c->pos[1], je.text, je.line);
			return ECS_EXIT_USAGE;
		}
		return ecsd_text(doc, c, "POST", "/state");
	}
	return ecsd_usage_err("state export --account ID | state import FILE|-");
}

int ecs_ecsd_main(int argc, char **argv)
{
	static const char *const flags[] = { "reset", "all", "drop" };
	struct ecsd_cmd c;
	const char *cmd;

	memset(&c, 0, sizeof(c));
	if (argc < 3 || strcmp(argv[2], "help") == 0 || strcmp(argv[2], "--help") == 0) {
		fputs(ecsd_usage, argc < 3 ? stderr : stdout);
		return argc < 3 ? ECS_EXIT_USAGE : ECS_EXIT_OK;
	}
	cmd = argv[2];
	for (int i = 3; i < argc; i++) {
		const char *a = argv[i];
		int flag = 0;

		if (strncmp(a, "--", 2) != 0) {
			if (c.npos == 4)
				return ecsd_usage_err("too many words");
			c.pos[c.npos++] = a;
			continue;
		}
		for (size_t k = 0; k < 3; k++)
			flag |= strcmp(a + 2, flags[k]) == 0;
		if (!flag && i + 1 >= argc)
			return ecsd_usage_err("an option lacks its value");
		if (strcmp(a, "--endpoint") == 0)
			c.endpoint = argv[++i];
		else if (strcmp(a, "--control-token") == 0)
			c.token = argv[++i];
		else if (strcmp(a, "--control-token-file") == 0)
			c.token_file = argv[++i];
		else if (c.nopt == 16)
			return ecsd_usage_err("too many options");
		else {
			c.opt[c.nopt][0] = a + 2;
			c.opt[c.nopt++][1] = flag ? "" : argv[++i];
		}
	}
	if (strcmp(cmd, "clock") == 0)
		return ecsd_clock(&c);
	if (strcmp(cmd, "faults") == 0)
		return ecsd_faults(&c);
	if (strcmp(cmd, "state") == 0)
		return ecsd_state(&c);
	if (strcmp(cmd, "reset") == 0) {
		const char *acct = opt_get(&c, "account");

		return ecsd_text(acct ? json_pack("{s:s}", "AccountId", acct) : json_object(),
		                 &c, "POST", "/reset");
	}
	return ecsd_usage_err("unknown command");
}
