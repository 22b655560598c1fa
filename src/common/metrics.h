/* metrics.h - the process's counters, gauges and histograms, rendered in
 * the Prometheus text exposition format (GET /metrics). Every layer may
 * record into it; it knows nothing about ECS, HTTP or the store. One
 * registry per process, thread-safe. */
#ifndef ECSD_METRICS_H
#define ECSD_METRICS_H
#include <stdint.h>
#include "buf.h"

/* Label strings passed to the recorders must outlive the process (table
 * rows, string literals): the registry keeps the pointers. */

/* One answered API call: product ("ecs"), Action ("" when unknown), the
 * API Code ("OK" on success), the HTTP status and its latency. */
void metrics_request(const char *product, const char *action, const char *code,
                     int status, double seconds);
/* Instances named by a release call, by outcome: "released", "refused",
 * "failed" or "dry_run". */
void metrics_release(const char *outcome, long long n);
/* One store commit: its latency and how many write jobs shared it. */
void metrics_commit(const char *backend, double seconds, int group);
/* Open client connections: +1 when one opens, -1 when it closes. */
void metrics_connection(int delta);
/* A gauge read when the metrics are rendered (e.g. the replay cache's
 * size); fn(ctx) gives the value. name and help are literals. At most 16. */
void metrics_gauge_fn(const char *name, const char *help,
                      double (*fn)(void *ctx), void *ctx);
/* Appends the whole exposition to out. 0, or -1 when out's limit is hit. */
int metrics_render(struct buf *out);
/* Seconds on the monotonic clock (for latencies). */
double metrics_now(void);

#endif
