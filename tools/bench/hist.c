/* hist.c - latency histogram of ecs-bench: log-linear buckets (HdrHistogram
 * idea), 64 sub-buckets per power of two, so every quantile is within 1.6%
 * of the true value. Fixed size, no allocation; merged per thread. The
 * per-Code error report lives here too, beside the other result merging. */
#include "bench.h"
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static size_t hist_index(uint64_t v)
{
	int msb, shift;

	if (v < 2 * HIST_SUB)
		return (size_t)v;
	msb = 63 - __builtin_clzll(v);
	shift = msb - HIST_SUB_BITS;
	return (size_t)shift * HIST_SUB + (size_t)(v >> shift);
}

/* The middle of bucket i. */
static uint64_t hist_value(size_t i)
{
	uint64_t shift, m, lo, hi;

	if (i < 2 * HIST_SUB)
		return i;
	shift = i / HIST_SUB - 1;
	m = i % HIST_SUB + HIST_SUB;
	lo = m << shift;
	hi = ((m + 1) << shift) - 1;
	return lo + (hi - lo) / 2;
}

void hist_add(struct hist *h, uint64_t ns)
{
	size_t i = hist_index(ns);

	if (i >= HIST_BUCKETS)
		i = HIST_BUCKETS - 1;
	h->b[i]++;
	h->n++;
	h->sum_ns += ns;
	if (ns > h->max_ns)
		h->max_ns = ns;
}

void hist_merge(struct hist *into, const struct hist *from)
{
	for (size_t i = 0; i < HIST_BUCKETS; i++)
		into->b[i] += from->b[i];
	into->n += from->n;
	into->sum_ns += from->sum_ns;
	if (from->max_ns > into->max_ns)
		into->max_ns = from->max_ns;
}

uint64_t hist_quantile(const struct hist *h, double q)
{
	uint64_t want, seen = 0;

	if (h->n == 0)
		return 0;
	if (q >= 1.0)
		return h->max_ns;
	want = (uint64_t)(q * (double)h->n);
	if ((double)want < q * (double)h->n)
		want++;            /* the ceiling: p99 of 10 values is the 10th */
	if (want == 0)
		want = 1;
	for (size_t i = 0; i < HIST_BUCKETS; i++) {
		seen += h->b[i];
		if (seen >= want) {
			uint64_t v = hist_value(i);
			return v > h->max_ns ? h->max_ns : v;
		}
	}
	return h->max_ns;
}

/* Per-Code error counts of every thread, merged and printed. */
void report_errors(const struct bench *b, const char *indent)
{
	struct code_count all[BENCH_CODES * 4];
	int n = 0;
	uint64_t other = 0;

	for (int i = 0; i < b->nthreads; i++) {
		const struct bench_thread *t = &b->th[i];

		other += t->codes_other;
		for (int k = 0; k < t->ncodes; k++) {
			int j;

			for (j = 0; j < n; j++)
				if (all[j].op == t->codes[k].op &&
				    strcmp(all[j].code, t->codes[k].code) == 0)
					break;
			if (j == n) {
				if (n == (int)(sizeof(all) / sizeof(all[0]))) {
					other += t->codes[k].n;
					continue;
				}
				all[n] = t->codes[k];
				all[n++].n = 0;
			}
			all[j].n += t->codes[k].n;
		}
	}
	if (!n && !other)
		return;
	fprintf(stdout, "%serrors by Code:\n", indent);
	for (int j = 0; j < n; j++)
		fprintf(stdout, "%s  %-24s %-40s %10" PRIu64 "\n", indent,
		        bench_op_names[all[j].op], all[j].code, all[j].n);
	if (other)
		fprintf(stdout, "%s  (other codes) %" PRIu64 "\n", indent, other);
}
