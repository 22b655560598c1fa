/* main.c - ecs-bench's command line and report: parse options, prepare the
 * id pool, run one measured scenario, print requests/s, latency quantiles
 * per operation, errors by Code, and one RESULT line for scripts. */
#include "bench.h"
#include "../../src/auth/auth.h"
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BENCH_VERSION "0.1.0"

static void usage(FILE *f)
{
	size_t n;
	const struct bench_scenario *s = scen_all(&n);

	fprintf(f,
"usage: ecs-bench [options]\n"
"  -u, --url URL            http://IPV4:PORT/PATH (default http://127.0.0.1:8080/)\n"
"  -s, --scenario NAME      what to send (default describe), see below\n"
"  -c, --connections N      keep-alive connections (default 32)\n"
"  -t, --threads N          event-loop threads (default 2)\n"
"  -d, --duration SECS      measured time (default 10; 0 = until the work runs out)\n"
"  -w, --warmup SECS        unmeasured time first (default 1)\n"
"  -n, --requests N         stop after N requests (warm-up included)\n"
"  -R, --rate N             target requests/s over all connections (default 0:\n"
"                           flat out); latency then counts from the intended start\n"
"      --timeout SECS       per request (default 10)\n"
"      --sign v1|v3         signature version (default v1: GET, HMAC-SHA1;\n"
"                           v3: POST, ACS3-HMAC-SHA256)\n"
"      --xml                Format=XML (default JSON)\n"
"      --akid ID --secret S access key (default: ecsd's development key)\n"
"      --region ID          RegionId (default cn-hangzhou)\n"
"      --account ID         account of --fleet (default the development account)\n"
"      --control-token T    bearer token of ecsd's control API (--fleet)\n"
"      --fleet N            first bulk-load N Stopped instances (control API)\n"
"      --create N           first create N instances (RunInstances Amount=100)\n"
"      --sample N           first take ~N ids of existing instances (random pages)\n"
"      --ids FILE           read prepared ids, one per line\n"
"      --save-ids FILE      write the prepared ids\n"
"      --page-size N        page scenario MaxResults (default 100)\n"
"      --write-pct N        mix scenario: share of cycle steps (default 10)\n"
"      --no-force           DeleteInstance without Force=true\n"
"      --instance-type T    RunInstances InstanceType (default ecs.g6.large)\n"
"      --image-id ID        RunInstances ImageId\n"
"      --prepare-only       prepare, save ids, measure nothing\n"
"      --presign N          sign N requests before the clock starts (get,\n"
"                           describe, delete), so that the client's HMAC does\n"
"                           not compete with the server for the CPU\n"
"      --help\n"
"scenarios:\n");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "  %-10s %s\n", s[i].name, s[i].summary);
}

static int parse_url(struct bench_cfg *c, const char *url)
{
	const char *p = url, *colon, *slash;
	size_t hl;
	char *end;
	long port = 80;

	if (strncmp(p, "http://", 7) != 0)
		return -1;
	p += 7;
	slash = strchr(p, '/');
	if (!slash)
		slash = p + strlen(p);
	colon = memchr(p, ':', (size_t)(slash - p));
	hl = (size_t)((colon ? colon : slash) - p);
	if (hl == 0 || hl >= sizeof(c->host))
		return -1;
	memcpy(c->host, p, hl);
	c->host[hl] = '\0';
	if (strcmp(c->host, "localhost") == 0)
		snprintf(c->host, sizeof(c->host), "127.0.0.1");
	if (colon) {
		port = strtol(colon + 1, &end, 10);
		if (end != slash || port < 1 || port > 65535)
			return -1;
	}
	c->port = (int)port;
	snprintf(c->path, sizeof(c->path), "%s", *slash ? slash : "/");
	snprintf(c->host_hdr, sizeof(c->host_hdr), "%s:%d", c->host, c->port);
	return 0;
}

static int num(const char *s, double lo, double hi, double *out)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static void print_row(const char *name, const struct hist *h, uint64_t ok,
                      uint64_t err, double secs)
{
	printf("  %-24s %10" PRIu64 " %8" PRIu64 " %10.1f %8.1f %8.1f %8.1f %8.1f %9.1f\n",
	       name, ok, err, (double)(ok + err) / secs,
	       (double)hist_quantile(h, 0.50) / 1e3,
	       (double)hist_quantile(h, 0.90) / 1e3,
	       (double)hist_quantile(h, 0.99) / 1e3,
	       (double)hist_quantile(h, 0.999) / 1e3,
	       (double)h->max_ns / 1e3);
}

static void report(const struct bench *b, int64_t finished_ns)
{
	const struct bench_cfg *cfg = &b->cfg;
	static struct hist h[OP__COUNT], all;
	uint64_t ok[OP__COUNT] = { 0 }, err[OP__COUNT] = { 0 };
	uint64_t tok = 0, terr = 0, cycles = 0, reconn = 0, bytes = 0;
	uint64_t pre_used = 0, issued = 0;
	int presigned = 0;
	int64_t last = 0, wend = b->end_ns;
	double secs;

	for (int i = 0; i < b->nthreads; i++) {
		const struct bench_thread *t = &b->th[i];

		for (int o = 0; o < OP__COUNT; o++) {
			hist_merge(&h[o], &t->h[o]);
			hist_merge(&all, &t->h[o]);
			ok[o] += t->ok[o];
			err[o] += t->err[o];
			tok += t->ok[o];
			terr += t->err[o];
		}
		cycles += t->cycles;
		reconn += t->reconnects;
		pre_used += t->pre_next;
		issued += t->issued;
		presigned |= t->pre_n > 0;
		bytes += t->bytes_in;
		if (t->last_done_ns > last)
			last = t->last_done_ns;
	}
	if (finished_ns < wend)   /* the work ran out (or -n) before the end */
		wend = last > b->measure_ns ? last : finished_ns;
	secs = (double)(wend - b->measure_ns) / 1e9;
	if (secs <= 0)
		secs = 1e-9;
	printf("ecs-bench %s: %s on %s:%d%s, %d connections, %d threads, %s %s, ",
	       BENCH_VERSION, b->sc->name, cfg->host, cfg->port,
	       strcmp(b->sc->name, "get") == 0 ? cfg->path : "", cfg->conns,
	       b->nthreads, cfg->sign == SIGN_V3 ? "V3" : "V1",
	       cfg->xml ? "XML" : "JSON");
	if (cfg->rate > 0)
		printf("rate %.0f/s\n", cfg->rate);
	else
		printf("flat out\n");
	printf("  measured %.2f s after %.2f s warm-up; %.1f MB read, %" PRIu64
	       " reconnects\n", secs, cfg->warmup_s, (double)bytes / 1e6, reconn);
	if (presigned)
		printf("  %" PRIu64 " of %" PRIu64 " requests signed before the run\n",
		       pre_used, issued);
	printf("  %-24s %10s %8s %10s %8s %8s %8s %8s %9s\n", "operation", "ok",
	       "errors", "req/s", "p50", "p90", "p99", "p99.9", "max(us)");
	for (int o = 0; o < OP__COUNT; o++)
		if (ok[o] + err[o])
			print_row(bench_op_names[o], &h[o], ok[o], err[o], secs);
	print_row("all", &all, tok, terr, secs);
	if (cycles)
		printf("  create-stop-delete cycles: %" PRIu64 " (%.1f/s)\n", cycles,
		       (double)cycles / secs);
	report_errors(b, "  ");
	printf("RESULT scenario=%s sign=v%d presigned=%d conns=%d threads=%d rate=%.0f secs=%.3f"
	       " ok=%" PRIu64 " errors=%" PRIu64 " rps=%.1f p50_us=%.1f p90_us=%.1f"
	       " p99_us=%.1f p999_us=%.1f max_us=%.1f cycles_ps=%.1f\n",
	       b->sc->name, cfg->sign, presigned, cfg->conns, b->nthreads, cfg->rate, secs,
	       tok, terr, (double)(tok + terr) / secs,
	       (double)hist_quantile(&all, 0.50) / 1e3,
	       (double)hist_quantile(&all, 0.90) / 1e3,
	       (double)hist_quantile(&all, 0.99) / 1e3,
	       (double)hist_quantile(&all, 0.999) / 1e3,
	       (double)all.max_ns / 1e3, (double)cycles / secs);
}

int main(int argc, char **argv)
{
	enum { O_TIMEOUT = 256, O_SIGN, O_XML, O_AKID, O_SECRET, O_REGION,
	       O_ACCOUNT, O_CTL, O_FLEET, O_CREATE, O_SAMPLE, O_IDS, O_SAVE,
	       O_PAGE, O_WPCT, O_NOFORCE, O_TYPE, O_IMAGE, O_PREP_ONLY, O_PRESIGN };
	static const struct option opts[] = {
		{ "url", required_argument, NULL, 'u' },
		{ "scenario", required_argument, NULL, 's' },
		{ "connections", required_argument, NULL, 'c' },
		{ "threads", required_argument, NULL, 't' },
		{ "duration", required_argument, NULL, 'd' },
		{ "warmup", required_argument, NULL, 'w' },
		{ "requests", required_argument, NULL, 'n' },
		{ "rate", required_argument, NULL, 'R' },
		{ "timeout", required_argument, NULL, O_TIMEOUT },
		{ "sign", required_argument, NULL, O_SIGN },
		{ "xml", no_argument, NULL, O_XML },
		{ "akid", required_argument, NULL, O_AKID },
		{ "secret", required_argument, NULL, O_SECRET },
		{ "region", required_argument, NULL, O_REGION },
		{ "account", required_argument, NULL, O_ACCOUNT },
		{ "control-token", required_argument, NULL, O_CTL },
		{ "fleet", required_argument, NULL, O_FLEET },
		{ "create", required_argument, NULL, O_CREATE },
		{ "sample", required_argument, NULL, O_SAMPLE },
		{ "ids", required_argument, NULL, O_IDS },
		{ "save-ids", required_argument, NULL, O_SAVE },
		{ "page-size", required_argument, NULL, O_PAGE },
		{ "write-pct", required_argument, NULL, O_WPCT },
		{ "no-force", no_argument, NULL, O_NOFORCE },
		{ "instance-type", required_argument, NULL, O_TYPE },
		{ "image-id", required_argument, NULL, O_IMAGE },
		{ "prepare-only", no_argument, NULL, O_PREP_ONLY },
		{ "presign", required_argument, NULL, O_PRESIGN },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct bench b;
	static struct bench_ids ids;
	struct bench_prep prep;
	struct bench_cfg *cfg = &b.cfg;
	const char *url = "http://127.0.0.1:8080/", *scen = "describe";
	int c, prep_only = 0;
	double v;
	int64_t finished;

	memset(&prep, 0, sizeof(prep));
	cfg->conns = 32;
	cfg->threads = 2;
	cfg->duration_s = 10;
	cfg->warmup_s = 1;
	cfg->timeout_s = 10;
	cfg->sign = SIGN_V1;
	cfg->akid = AUTH_DEV_AKID;
	cfg->secret = AUTH_DEV_SECRET;
	cfg->account = AUTH_DEV_ACCOUNT;
	cfg->region = "cn-hangzhou";
	cfg->instance_type = "ecs.g6.large";
	cfg->image_id = "aliyun_3_x64_20G_alibase_20240819.vhd";
	cfg->page_size = 100;
	cfg->write_pct = 10;
	cfg->force_delete = 1;
	while ((c = getopt_long(argc, argv, "u:s:c:t:d:w:n:R:h", opts, NULL)) != -1) {
		int bad = 0;

		switch (c) {
		case 'u': url = optarg; break;
		case 's': scen = optarg; break;
		case 'c': bad = num(optarg, 1, BENCH_MAX_CONNS, &v); cfg->conns = (int)v; break;
		case 't': bad = num(optarg, 1, BENCH_MAX_THREADS, &v); cfg->threads = (int)v; break;
		case 'd': bad = num(optarg, 0, 86400, &cfg->duration_s); break;
		case 'w': bad = num(optarg, 0, 3600, &cfg->warmup_s); break;
		case 'n': bad = num(optarg, 1, 1e12, &v); cfg->max_requests = (uint64_t)v; break;
		case 'R': bad = num(optarg, 0, 1e8, &cfg->rate); break;
		case O_TIMEOUT: bad = num(optarg, 0.001, 3600, &cfg->timeout_s); break;
		case O_SIGN:
			if (strcmp(optarg, "v1") == 0) cfg->sign = SIGN_V1;
			else if (strcmp(optarg, "v3") == 0) cfg->sign = SIGN_V3;
			else bad = 1;
			break;
		case O_XML: cfg->xml = 1; break;
		case O_AKID: cfg->akid = optarg; break;
		case O_SECRET: cfg->secret = optarg; break;
		case O_REGION: cfg->region = optarg; break;
		case O_ACCOUNT: cfg->account = optarg; break;
		case O_CTL: cfg->ctl_token = optarg; break;
		case O_FLEET: bad = num(optarg, 1, 1e7, &v); prep.fleet = (uint64_t)v; break;
		case O_CREATE: bad = num(optarg, 1, BENCH_MAX_IDS, &v); prep.create = (uint64_t)v; break;
		case O_SAMPLE: bad = num(optarg, 1, BENCH_MAX_IDS, &v); prep.sample = (uint64_t)v; break;
		case O_IDS: prep.ids_in = optarg; break;
		case O_SAVE: prep.ids_out = optarg; break;
		case O_PAGE: bad = num(optarg, 1, 100, &v); cfg->page_size = (int)v; break;
		case O_WPCT: bad = num(optarg, 0, 100, &v); cfg->write_pct = (int)v; break;
		case O_NOFORCE: cfg->force_delete = 0; break;
		case O_TYPE: cfg->instance_type = optarg; break;
		case O_IMAGE: cfg->image_id = optarg; break;
		case O_PREP_ONLY: prep_only = 1; break;
		case O_PRESIGN: bad = num(optarg, 1, 1e8, &v); cfg->presign = (uint64_t)v; break;
		case 'h': usage(stdout); return 0;
		default: bad = 1;
		}
		if (bad) {
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc || parse_url(cfg, url)) {
		usage(stderr);
		return 2;
	}
	b.sc = scen_find(scen);
	if (!b.sc) {
		fprintf(stderr, "ecs-bench: unknown scenario %s\n", scen);
		usage(stderr);
		return 2;
	}
	if (prep.fleet && !cfg->ctl_token) {
		fprintf(stderr, "ecs-bench: --fleet needs --control-token\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	pthread_mutex_init(&ids.mu, NULL);
	prep.need_total = strcmp(b.sc->name, "page") == 0;
	if (prep_run_all(cfg, &prep, &ids, &b.max_seq))
		return 1;
	if (prep_only)
		return 0;
	if (b.sc->needs_ids && ids.n == 0) {
		fprintf(stderr, "ecs-bench: scenario %s needs ids: --create, --sample"
		        " or --ids\n", b.sc->name);
		return 2;
	}
	ids_shuffle(&ids, (uint64_t)bench_now_ns());
	b.ids = &ids;
	bench_salt(&b);
	if (loop_run(&b)) {
		fprintf(stderr, "ecs-bench: cannot start the run\n");
		return 1;
	}
	finished = bench_now_ns();
	report(&b, finished);
	loop_free(&b);
	free(ids.v);
	return 0;
}
