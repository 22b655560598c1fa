/* main.c - ecsd's entry point: flags, credentials, store, HTTP server,
 * signals. Owns every long-lived object; no request logic here. */
#include "dispatch/audit.h"
#include "dispatch/ratelimit.h"
#include "dispatch/rig.h"
#include "auth/auth.h"
#include "common/limits.h"
#include "common/metrics.h"
#include "ecsd.h"
#include "actions/auto_release.h"
#include "http/server.h"
#include "http/tls.h"
#include "store/store.h"
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void usage(FILE *f)
{
	fprintf(f,
"usage: ecsd [options]\n"
"  --listen HOST:PORT        address to serve (default 127.0.0.1:8080; port 0 = any)\n"
"  --listen-tls HOST:PORT    also serve the API over HTTPS on this address\n"
"  --tls-cert FILE           its certificate (PEM, chain after it); with --tls-key\n"
"  --tls-key FILE            its private key (PEM). Without both, ecsd makes a local\n"
"                            CA and a server certificate in DATA_DIR/tls/ (once)\n"
"  --data-dir DIR            SQLite data directory (default ./ecsd-data)\n"
"  --store URI               postgresql://... for the shared store (default: SQLite in --data-dir)\n"
"  --pool-size N             PostgreSQL connections per node (default 8)\n"
"  --replay-cache-mb N       memory for remembered nonces (default 256; beyond it the\n"
"                            oldest are forgotten early, never a refusal: SECURITY.md)\n"
"  --credentials FILE        access keys: 'ACCOUNT_ID ACCESS_KEY_ID SECRET' per line\n"
"                            (without it: the development account, loopback only)\n"
"  --transition-delay SECS   time each transient status lasts (default 1; 0 = instant)\n"
"  --slb-configuring-delay SECS  how long a load balancer stays configuring after a\n"
"                            backend change (default 0)\n"
"  --control-token TOKEN     bearer token of the /_ecsd/ control API\n"
"                            (default: random, written to DATA_DIR/control.token)\n"
"  --control-token-file FILE the control token, read from FILE (first line);\n"
"                            keeps it out of the process list\n"
"  --control-remote          allow the control API from non-loopback peers\n"
"  --metrics-remote          allow GET /metrics from non-loopback peers\n"
"  --audit-retention-days N  drop audit events older than N days (default 90; 0 = keep all)\n"
"  --rate-limit N            requests per second per AccessKey (default off)\n"
"  --no-fsync                acknowledge writes before they reach the disk (unsafe)\n"
"  --ephemeral               keep everything in a temporary SQLite database, removed\n"
"                            at exit (test suites; no fsync; not with --data-dir/--store)\n"
"  --log-level LEVEL         error | info | debug (default info)\n"
"  --error-trace FILE        append the identifier of every API error raised (tests)\n"
"  --help                    this text\n");
}

/* --ephemeral: a fresh directory under $TMPDIR (or /tmp), removed with its
 * files (the database, its WAL, the token) when the process exits. */
static char ephemeral_path[4096];

static void ephemeral_remove(void)
{
	DIR *d = opendir(ephemeral_path);
	struct dirent *de;
	char p[4096 + 256];

	while (d && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", ephemeral_path, de->d_name);
		unlink(p);
	}
	if (d)
		closedir(d);
	rmdir(ephemeral_path);
}

static const char *ephemeral_dir(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(ephemeral_path, sizeof(ephemeral_path), "%s/ecsd-ephemeral.XXXXXX",
	         tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(ephemeral_path))
		return NULL;
	atexit(ephemeral_remove);
	return ephemeral_path;
}

static int is_loopback(const char *host)
{
	struct in_addr a4;
	struct in6_addr a6;

	if (strcmp(host, "localhost") == 0)
		return 1;
	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, host, &a6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&a6);
	return 0;
}

static int parse_listen(char *s, const char **host, int *port_out)
{
	char *colon = strrchr(s, ':');
	char *end;
	long port;

	if (!colon)
		return -1;
	*colon = '\0';
	port = strtol(colon + 1, &end, 10);
	if (*end || port < 0 || port > 65535)
		return -1;
	if (s[0] == '[') { /* [::1]:8080 */
		size_t n = strlen(s);
		if (n < 2 || s[n - 1] != ']')
			return -1;
		s[n - 1] = '\0';
		s++;
	}
	*host = s;
	*port_out = (int)port;
	return 0;
}

/* Random token written to DIR/control.token unless one is given. The file
 * is always new: written under a temporary name with O_EXCL|O_NOFOLLOW,
 * mode 0600, then renamed over the old one, so neither an existing file's
 * mode nor a symlink planted in its place is ever honoured. */
static const char *control_token(const char *dir)
{
	static char tok[65];
	unsigned char rnd[24];
	char path[4096], tmp[4096];
	int fd, ok;

	if (RAND_bytes(rnd, sizeof(rnd)) != 1)
		return NULL;
	for (size_t i = 0; i < sizeof(rnd); i++)
		snprintf(tok + 2 * i, 3, "%02x", rnd[i]);
	if (snprintf(path, sizeof(path), "%s/control.token", dir) >= (int)sizeof(path) ||
	    snprintf(tmp, sizeof(tmp), "%s/.control.token.%ld", dir, (long)getpid()) >= (int)sizeof(tmp))
		return NULL;
	(void)unlink(tmp);   /* a leftover of a crashed run with our pid */
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return NULL;
	/* the umask cannot widen 0600, but make the mode exact anyway */
	ok = fchmod(fd, 0600) == 0 && write(fd, tok, strlen(tok)) == (ssize_t)strlen(tok) &&
	     write(fd, "\n", 1) == 1 && fsync(fd) == 0;
	if (close(fd) != 0 || !ok || rename(tmp, path) != 0) {
		(void)unlink(tmp);
		return NULL;
	}
	return tok;
}

/* The first line of path, without its line end, into buf. 0 or -1. */
static int read_token_file(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	size_t n;

	if (!f)
		return -1;
	if (!fgets(buf, (int)len, f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	n = strcspn(buf, "\r\n");
	buf[n] = '\0';
	return 0;
}

/* The due-release pass (docs/auto-release.md), once a second, on every
 * node; it stops with the server. */
static void *auto_release_loop(void *arg)
{
	struct ecsd *e = arg;

	while (!e->stopping) {
		int64_t now;
		int done = 0;

		/* the virtual clock (api/rig.h): advancing it releases what it passes */
		if (rig_now_ms(e->store, &now, NULL) == 0)
			act_ar_run_due(e, now, 1000, &done);
		for (int i = 0; i < 10 && !e->stopping; i++) {
			struct timespec ts = { 0, 100 * 1000 * 1000 };

			nanosleep(&ts, NULL);
		}
	}
	return NULL;
}

/* The store's replay cache in GET /metrics (SECURITY.md, "Replayed
 * requests": forgotten_early > 0 means the budget was exceeded). */
static double replay_nonces(void *st)
{
	struct replay_stats r;

	store_replay_stats(st, &r);
	return (double)r.nonces;
}

static double replay_bytes(void *st)
{
	struct replay_stats r;

	store_replay_stats(st, &r);
	return (double)r.bytes;
}

static double replay_forgotten(void *st)
{
	struct replay_stats r;

	store_replay_stats(st, &r);
	return (double)r.forgotten_early;
}

static double replay_degraded(void *st)
{
	struct replay_stats r;

	store_replay_stats(st, &r);
	return r.degraded;
}

static void replay_metrics(struct store *st)
{
	metrics_gauge_fn("ecsd_replay_cache_nonces",
	                 "Nonces the replay cache remembers now.", replay_nonces, st);
	metrics_gauge_fn("ecsd_replay_cache_bytes",
	                 "Bytes of the replay cache's tables (--replay-cache-mb).",
	                 replay_bytes, st);
	metrics_gauge_fn("ecsd_replay_cache_forgotten_early",
	                 "Nonces forgotten before their request left the window"
	                 " (over the budget; only grows).", replay_forgotten, st);
	metrics_gauge_fn("ecsd_replay_cache_degraded",
	                 "1 while the replay cache forgets nonces early (in the last minute).",
	                 replay_degraded, st);
}

int main(int argc, char **argv)
{
	pthread_t ar_thread;
	int ar_started = 0;
	static char token_buf[256];
	static struct ecsd e;
	static char listen_buf[300] = "127.0.0.1:8080", tls_buf[300];
	const char *tls_host = NULL, *tls_cert = NULL, *tls_key = NULL;
	int tls_port = 0;
	struct tls_pair tls = { 0 };
	struct http_server *https = NULL;
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "listen-tls", required_argument, NULL, 'S' },
		{ "tls-cert", required_argument, NULL, 'C' },
		{ "tls-key", required_argument, NULL, 'k' },
		{ "data-dir", required_argument, NULL, 'd' },
		{ "store", required_argument, NULL, 's' },
		{ "pool-size", required_argument, NULL, 'P' },
		{ "replay-cache-mb", required_argument, NULL, 'B' },
		{ "credentials", required_argument, NULL, 'c' },
		{ "transition-delay", required_argument, NULL, 't' },
		{ "slb-configuring-delay", required_argument, NULL, 'D' },
		{ "control-token", required_argument, NULL, 'T' },
		{ "control-token-file", required_argument, NULL, 'K' },
		{ "control-remote", no_argument, NULL, 'R' },
		{ "metrics-remote", no_argument, NULL, 'M' },
		{ "audit-retention-days", required_argument, NULL, 'A' },
		{ "rate-limit", required_argument, NULL, 'r' },
		{ "no-fsync", no_argument, NULL, 'F' },
		{ "ephemeral", no_argument, NULL, 'X' },
		{ "log-level", required_argument, NULL, 'L' },
		{ "error-trace", required_argument, NULL, 'E' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct store_opts so = { NULL, 8, 1, 0 };
	struct http_server *http = NULL;
	char err[512];
	sigset_t set;
	int c, sig;
	double delay = 1.0;
	char *end;
	int ephemeral = 0, data_dir_set = 0;

	e.data_dir = "./ecsd-data";
	e.error_trace_fd = -1;
	e.log_level = 1;
	e.audit_keep_ms = 90LL * 86400000;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			if (strlen(optarg) >= sizeof(listen_buf)) { usage(stderr); return 2; }
			snprintf(listen_buf, sizeof(listen_buf), "%s", optarg);
			break;
		case 'S':
			if (strlen(optarg) >= sizeof(tls_buf)) { usage(stderr); return 2; }
			snprintf(tls_buf, sizeof(tls_buf), "%s", optarg);
			break;
		case 'C': tls_cert = optarg; break;
		case 'k': tls_key = optarg; break;
		case 'd': e.data_dir = optarg; data_dir_set = 1; break;
		case 's': e.store_uri = optarg; break;
		case 'P':
			so.pool_size = (int)strtol(optarg, &end, 10);
			if (*end || so.pool_size < 1 || so.pool_size > 512) { usage(stderr); return 2; }
			break;
		case 'B': {
			long mb = strtol(optarg, &end, 10);

			if (*end || mb < 1 || mb > REPLAY_MB_MAX) { usage(stderr); return 2; }
			so.replay_budget = (size_t)mb << 20;
			break;
		}
		case 'c': e.credentials = optarg; break;
		case 'D': {
			double d = strtod(optarg, &end);
			if (*end || d < 0 || d > 86400) {
				fprintf(stderr, "ecsd: --slb-configuring-delay takes seconds from 0 to 86400\n");
				return 2;
			}
			e.slb_configuring_ms = (int64_t)(d * 1000.0 + 0.5);
			break;
		}
		case 't':
			delay = strtod(optarg, &end);
			if (*end || delay < 0 || delay > 86400) {
				fprintf(stderr, "ecsd: --transition-delay takes seconds from 0 to 86400\n");
				return 2;
			}
			break;
		case 'T': e.ctl_token = optarg; break;
		case 'R': e.ctl_remote = 1; break;
		case 'M': e.metrics_remote = 1; break;
		case 'A': {
			double days = strtod(optarg, &end);

			if (*end || days < 0 || days > 36500) {
				fprintf(stderr, "ecsd: --audit-retention-days takes 0 to 36500\n");
				return 2;
			}
			e.audit_keep_ms = (int64_t)(days * 86400000.0);
			break;
		}
		case 'r':
			e.rate_limit = strtod(optarg, &end);
			if (*end || e.rate_limit < 0) { usage(stderr); return 2; }
			break;
		case 'F': so.durable = 0; break;
		case 'X': ephemeral = 1; break;
		case 'L':
			if (strcmp(optarg, "error") == 0) e.log_level = 0;
			else if (strcmp(optarg, "info") == 0) e.log_level = 1;
			else if (strcmp(optarg, "debug") == 0) e.log_level = 2;
			else { usage(stderr); return 2; }
			break;
		case 'E':
			e.error_trace_fd = open(optarg, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
			if (e.error_trace_fd < 0) {
				fprintf(stderr, "ecsd: cannot open %s: %s\n", optarg, strerror(errno));
				return 2;
			}
			break;
		case 'K':
			if (read_token_file(optarg, token_buf, sizeof(token_buf))) {
				fprintf(stderr, "ecsd: cannot read %s: %s\n", optarg, strerror(errno));
				return 2;
			}
			e.ctl_token = token_buf;
			break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	/* an unset shell variable gives '', an empty file the same; a short
	 * token is guessable: refuse both rather than open the control API */
	if (e.ctl_token && strlen(e.ctl_token) < LIM_CTL_TOKEN_MIN) {
		fprintf(stderr, "ecsd: the control token needs at least %d characters\n",
		        LIM_CTL_TOKEN_MIN);
		return 2;
	}
	if (optind < argc || parse_listen(listen_buf, &e.listen_host, &e.listen_port) ||
	    (tls_buf[0] && parse_listen(tls_buf, &tls_host, &tls_port))) {
		usage(stderr);
		return 2;
	}
	if (!tls_cert != !tls_key || (tls_cert && !tls_host)) {
		fprintf(stderr, "ecsd: --tls-cert and --tls-key go together, with --listen-tls\n");
		return 2;
	}
	e.transition_ms = (int64_t)(delay * 1000.0 + 0.5);
	log_set_level(e.log_level);

	/* Block the stop signals before any thread starts, then sigwait. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (e.credentials) {
		if (creds_load(e.credentials, &e.creds, err, sizeof(err))) {
			log_msg(0, "%s", err);
			return 1;
		}
	} else {
		const char *off = !is_loopback(e.listen_host) ? e.listen_host :
		                  tls_host && !is_loopback(tls_host) ? tls_host : NULL;
		if (off) {
			log_msg(0, "refusing to serve the development account on %s: "
			         "pass --credentials FILE to listen off loopback", off);
			return 1;
		}
		e.creds = creds_dev();
	}
	if (!e.ctl_remote && !is_loopback(e.listen_host))
		log_msg(1, "control API answers loopback peers only (--control-remote to change)");
	if (ephemeral) {
		if (data_dir_set || e.store_uri) {
			log_msg(0, "--ephemeral keeps its own temporary SQLite database:"
			         " drop --data-dir and --store");
			return 2;
		}
		if (!(e.data_dir = ephemeral_dir())) {
			log_msg(0, "cannot create a temporary directory: %s", strerror(errno));
			return 1;
		}
		so.durable = 0;   /* nothing outlives the process anyway */
		log_msg(1, "ephemeral store in %s (removed at exit)", e.data_dir);
	}
	if (mkdir(e.data_dir, 0700) && errno != EEXIST) {
		log_msg(0, "cannot create data dir %s: %s", e.data_dir, strerror(errno));
		return 1;
	}
	so.uri = e.store_uri ? e.store_uri : e.data_dir;
	if (store_open(&so, &e.store, err, sizeof(err))) {
		log_msg(0, "cannot open store: %s", err);
		return 1;
	}
	api_audit_prune(&e);   /* the retention applies to what is stored already */
	replay_metrics(e.store);
	if (e.rate_limit > 0)
		e.rl = ratelimit_new(e.rate_limit);
	if (!e.ctl_token)
		e.ctl_token = control_token(e.data_dir);
	if (!e.ctl_token) {
		log_msg(0, "cannot write %s/control.token", e.data_dir);
		return 1;
	}
	if (tls_host) {
		int rc = tls_cert ? tls_load(tls_cert, tls_key, &tls, err, sizeof(err))
		                  : tls_local_ca(e.data_dir, tls_host, &tls, err, sizeof(err));
		if (rc) {
			log_msg(0, "TLS: %s", err);
			store_close(e.store);
			return 1;
		}
		if (tls.made)
			log_msg(1, "made a server certificate for %s, signed by the local CA %s",
			         tls_host, tls.ca_path);
	}
	if (http_start(&e, e.listen_host, e.listen_port, NULL, NULL, &http) ||
	    (tls_host && http_start(&e, tls_host, tls_port, tls.cert_pem, tls.key_pem, &https))) {
		http_stop(http);
		tls_pair_free(&tls);
		store_close(e.store);
		return 1;
	}
	tls_pair_free(&tls);
	log_msg(1, "listening on %s:%d (store %s, transition delay %.3fs)",
	         e.listen_host, http_port(http), store_backend_name(e.store), delay);
	if (!e.credentials)
		log_msg(1, "development account %s: AccessKeyId %s AccessKeySecret %s",
		         AUTH_DEV_ACCOUNT, AUTH_DEV_AKID, AUTH_DEV_SECRET);
	printf("ecsd listening on %s:%d\n", e.listen_host, http_port(http));
	if (https) {
		log_msg(1, "listening (HTTPS) on %s:%d", tls_host, http_port(https));
		if (tls.ca_path[0])   /* before the TLS line: clients wait for that */
			printf("ecsd TLS CA %s (trust it: NODE_EXTRA_CA_CERTS=, SSL_CERT_FILE=)\n",
			       tls.ca_path);
		printf("ecsd listening (TLS) on %s:%d\n", tls_host, http_port(https));
	}
	fflush(stdout);

	if (pthread_create(&ar_thread, NULL, auto_release_loop, &e) == 0)
		ar_started = 1;
	while (sigwait(&set, &sig) != 0)
		;
	log_msg(1, "signal %d: stopping (requests in flight finish)", sig);
	e.stopping = 1;
	if (ar_started)
		pthread_join(ar_thread, NULL);
	http_quiesce(http);
	http_quiesce(https);
	http_stop(https);
	http_stop(http);
	store_close(e.store);
	ratelimit_free(e.rl);
	creds_free(e.creds);
	log_msg(1, "stopped");
	return 0;
}
