/* ecsd.h - the server's long-lived state, owned by main(): configuration,
 * credentials, the store (which owns the replay cache). Read-only after start-up
 * except through the objects' own thread-safe calls. */
#ifndef ECSD_ECSD_H
#define ECSD_ECSD_H
#include <stdint.h>
#include <stddef.h>
#include "common/log.h"

struct creds;
struct store;
struct ratelimit;

struct ecsd {
	/* configuration */
	const char *listen_host;
	int listen_port;
	const char *data_dir;
	const char *store_uri;     /* NULL: SQLite in data_dir */
	const char *credentials;   /* NULL: development account */
	int log_level;             /* 0 error, 1 info, 2 debug */
	int64_t transition_ms;     /* --transition-delay */
	int64_t slb_configuring_ms; /* --slb-configuring-delay */
	const char *ctl_token;     /* control API bearer token */
	int ctl_remote;            /* control API allowed off loopback */
	int metrics_remote;        /* GET /metrics allowed off loopback */
	int64_t audit_keep_ms;     /* audit events older than this go; 0 = keep all */
	double rate_limit;         /* requests/s per AccessKey; 0 = off */
	int error_trace_fd;        /* --error-trace: raised error idents, -1 off */
	/* shared objects */
	struct creds *creds;
	struct store *store;
	struct ratelimit *rl;
	volatile int stopping;
};

#endif
