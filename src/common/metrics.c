/* metrics.c - a small fixed-size registry behind one mutex, rendered in
 * the Prometheus text format (version 0.0.4). Labels are borrowed
 * pointers to static strings; series are found by content, so two equal
 * strings at two addresses are one series. No ECS knowledge here. */
#include "metrics.h"
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define MET_SERIES 2048  /* request series (product x Action x Code x status) */
#define MET_HISTS  256   /* latency histograms (product x Action) */
#define MET_GAUGES 16

static const double lat_bounds[] = {
	0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
};
#define NLAT (sizeof(lat_bounds) / sizeof(lat_bounds[0]))
static const double group_bounds[] = { 1, 2, 4, 8, 16, 32, 64, 128, 256 };
#define NGROUP (sizeof(group_bounds) / sizeof(group_bounds[0]))

struct met_hist {
	const char *a, *b;        /* labels (product, Action) or (backend, -) */
	uint64_t bucket[NLAT + 1]; /* last: +Inf */
	uint64_t count;
	double sum;
};

struct met_series {
	const char *product, *action, *code;
	int status;
	uint64_t n;
};

static const char *const release_outcomes[] = { "released", "refused", "failed", "dry_run" };
#define NOUT (sizeof(release_outcomes) / sizeof(release_outcomes[0]))

static struct {
	pthread_mutex_t mu;
	struct met_series series[MET_SERIES];
	int nseries, dropped;
	struct met_hist lat[MET_HISTS];
	int nlat;
	struct met_hist commit[4];   /* per backend */
	int ncommit;
	uint64_t group_bucket[4][NGROUP + 1];
	double group_sum[4];
	uint64_t releases[NOUT];
	long long conns;
	struct { const char *name, *help; double (*fn)(void *); void *ctx; } gauge[MET_GAUGES];
	int ngauge;
} M = { .mu = PTHREAD_MUTEX_INITIALIZER };

static int same(const char *x, const char *y)
{
	return x == y || (x && y && strcmp(x, y) == 0);
}

double metrics_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void hist_add(struct met_hist *h, const double *bounds, size_t nb, double v)
{
	size_t i = 0;

	while (i < nb && v > bounds[i])
		i++;
	h->bucket[i]++;
	h->count++;
	h->sum += v;
}

/* The histogram labelled (a, b) in tab, created on first use; NULL when full. */
static struct met_hist *hist_find(struct met_hist *tab, int *n, int cap,
                                  const char *a, const char *b)
{
	for (int i = 0; i < *n; i++)
		if (same(tab[i].a, a) && same(tab[i].b, b))
			return &tab[i];
	if (*n == cap)
		return NULL;
	memset(&tab[*n], 0, sizeof(tab[*n]));
	tab[*n].a = a;
	tab[*n].b = b;
	return &tab[(*n)++];
}

void metrics_request(const char *product, const char *action, const char *code,
                     int status, double seconds)
{
	struct met_hist *h;
	int i;

	if (!action)
		action = "";
	pthread_mutex_lock(&M.mu);
	for (i = 0; i < M.nseries; i++) {
		struct met_series *s = &M.series[i];
		if (s->status == status && same(s->action, action) &&
		    same(s->code, code) && same(s->product, product))
			break;
	}
	if (i == M.nseries && M.nseries < MET_SERIES) {
		M.series[i] = (struct met_series){ product, action, code, status, 0 };
		M.nseries++;
	}
	if (i < M.nseries)
		M.series[i].n++;
	else
		M.dropped++;
	h = hist_find(M.lat, &M.nlat, MET_HISTS, product, action);
	if (h)
		hist_add(h, lat_bounds, NLAT, seconds);
	pthread_mutex_unlock(&M.mu);
}

void metrics_release(const char *outcome, long long n)
{
	pthread_mutex_lock(&M.mu);
	for (size_t i = 0; i < NOUT; i++)
		if (strcmp(release_outcomes[i], outcome) == 0)
			M.releases[i] += (uint64_t)n;
	pthread_mutex_unlock(&M.mu);
}

void metrics_commit(const char *backend, double seconds, int group)
{
	struct met_hist *h;
	size_t g = 0;

	pthread_mutex_lock(&M.mu);
	h = hist_find(M.commit, &M.ncommit, 4, backend, "");
	if (h) {
		int k = (int)(h - M.commit);
		hist_add(h, lat_bounds, NLAT, seconds);
		while (g < NGROUP && (double)group > group_bounds[g])
			g++;
		M.group_bucket[k][g]++;
		M.group_sum[k] += group;
	}
	pthread_mutex_unlock(&M.mu);
}

void metrics_connection(int delta)
{
	pthread_mutex_lock(&M.mu);
	M.conns += delta;
	pthread_mutex_unlock(&M.mu);
}

void metrics_gauge_fn(const char *name, const char *help,
                      double (*fn)(void *ctx), void *ctx)
{
	pthread_mutex_lock(&M.mu);
	if (M.ngauge < MET_GAUGES) {
		M.gauge[M.ngauge].name = name;
		M.gauge[M.ngauge].help = help;
		M.gauge[M.ngauge].fn = fn;
		M.gauge[M.ngauge].ctx = ctx;
		M.ngauge++;
	}
	pthread_mutex_unlock(&M.mu);
}

/* A label value with \, " and newline escaped. */
static void label(struct buf *o, const char *name, const char *v, int first)
{
	buf_printf(o, "%s%s=\"", first ? "" : ",", name);
	for (; v && *v; v++) {
		if (*v == '\\' || *v == '"')
			buf_addc(o, '\\');
		if (*v == '\n')
			buf_adds(o, "\\n");
		else
			buf_addc(o, *v);
	}
	buf_addc(o, '"');
}

static void head(struct buf *o, const char *name, const char *type, const char *help)
{
	buf_printf(o, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* The _bucket/_sum/_count lines of one histogram; labels: "a=..,b=.." text
 * already rendered (may be empty). */
static void hist_lines(struct buf *o, const char *name, const char *labels,
                       const uint64_t *bucket, const double *bounds, size_t nb,
                       uint64_t count, double sum)
{
	uint64_t cum = 0;
	const char *sep = labels[0] ? "," : "";

	for (size_t i = 0; i <= nb; i++) {
		cum += bucket[i];
		if (i < nb)
			buf_printf(o, "%s_bucket{%s%sle=\"%g\"} %llu\n", name, labels, sep,
			           bounds[i], (unsigned long long)cum);
		else
			buf_printf(o, "%s_bucket{%s%sle=\"+Inf\"} %llu\n", name, labels, sep,
			           (unsigned long long)cum);
	}
	buf_printf(o, "%s_sum%s%s%s %.9g\n", name, labels[0] ? "{" : "", labels,
	           labels[0] ? "}" : "", sum);
	buf_printf(o, "%s_count%s%s%s %llu\n", name, labels[0] ? "{" : "", labels,
	           labels[0] ? "}" : "", (unsigned long long)count);
}

static void render_requests(struct buf *o)
{
	struct buf l;

	head(o, "ecsd_requests_total", "counter",
	     "API calls answered, by product, Action, Code and HTTP status.");
	buf_init(&l, 4096);
	for (int i = 0; i < M.nseries; i++) {
		const struct met_series *s = &M.series[i];
		char st[16];

		buf_reset(&l);
		label(&l, "product", s->product, 1);
		label(&l, "action", s->action, 0);
		label(&l, "code", s->code, 0);
		snprintf(st, sizeof(st), "%d", s->status);
		label(&l, "status", st, 0);
		buf_printf(o, "ecsd_requests_total{%s} %llu\n", buf_cstr(&l),
		           (unsigned long long)s->n);
	}
	head(o, "ecsd_request_series_dropped_total", "counter",
	     "API calls not counted because the series table was full.");
	buf_printf(o, "ecsd_request_series_dropped_total %d\n", M.dropped);
	head(o, "ecsd_request_duration_seconds", "histogram",
	     "Time from the request's arrival to its rendered answer, by Action.");
	for (int i = 0; i < M.nlat; i++) {
		buf_reset(&l);
		label(&l, "product", M.lat[i].a, 1);
		label(&l, "action", M.lat[i].b, 0);
		hist_lines(o, "ecsd_request_duration_seconds", buf_cstr(&l),
		           M.lat[i].bucket, lat_bounds, NLAT, M.lat[i].count, M.lat[i].sum);
	}
	buf_free(&l);
}

static void render_store(struct buf *o)
{
	struct buf l;

	buf_init(&l, 256);
	head(o, "ecsd_store_commit_duration_seconds", "histogram",
	     "Latency of one store commit (a group of write jobs).");
	for (int i = 0; i < M.ncommit; i++) {
		buf_reset(&l);
		label(&l, "backend", M.commit[i].a, 1);
		hist_lines(o, "ecsd_store_commit_duration_seconds", buf_cstr(&l),
		           M.commit[i].bucket, lat_bounds, NLAT, M.commit[i].count,
		           M.commit[i].sum);
	}
	head(o, "ecsd_store_commit_group_size", "histogram",
	     "Write jobs that shared one commit.");
	for (int i = 0; i < M.ncommit; i++) {
		buf_reset(&l);
		label(&l, "backend", M.commit[i].a, 1);
		hist_lines(o, "ecsd_store_commit_group_size", buf_cstr(&l),
		           M.group_bucket[i], group_bounds, NGROUP, M.commit[i].count,
		           M.group_sum[i]);
	}
	buf_free(&l);
}

int metrics_render(struct buf *o)
{
	pthread_mutex_lock(&M.mu);
	render_requests(o);
	render_store(o);
	head(o, "ecsd_open_connections", "gauge", "Client connections open now.");
	buf_printf(o, "ecsd_open_connections %lld\n", M.conns);
	head(o, "ecsd_releases_total", "counter",
	     "Instances named by DeleteInstance/DeleteInstances calls, by outcome.");
	for (size_t i = 0; i < NOUT; i++)
		buf_printf(o, "ecsd_releases_total{outcome=\"%s\"} %llu\n",
		           release_outcomes[i], (unsigned long long)M.releases[i]);
	for (int i = 0; i < M.ngauge; i++) {
		head(o, M.gauge[i].name, "gauge", M.gauge[i].help);
		buf_printf(o, "%s %.17g\n", M.gauge[i].name, M.gauge[i].fn(M.gauge[i].ctx));
	}
	pthread_mutex_unlock(&M.mu);
	return o->over ? -1 : 0;
}
