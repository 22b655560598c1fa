/* prep.c - what ecs-bench does before it measures: bulk-load a fleet
 * through the control API, create instances with RunInstances, sample the
 * ids of existing ones, and keep them in the id pool (file in, file out).
 * Uses the same engine as the measured run; reports times on stderr. */
#include "bench.h"
#include <errno.h>
#include <inttypes.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PREP_TIMEOUT_S   900.0   /* one bulk call of 250k rows, durable */
#define PREP_CREATE_CONN 16      /* parallel RunInstances while preparing */
#define PREP_SAMPLE_CONN 4
#define PREP_ROUNDS      3       /* a step is retried while it progresses */

int ids_add(struct bench_ids *ids, const char *id, size_t len)
{
	int rc = -1;

	if (len == 0 || len >= BENCH_ID_BYTES)
		return -1;
	pthread_mutex_lock(&ids->mu);
	if (ids->n == ids->cap && ids->cap < BENCH_MAX_IDS) {
		size_t cap = ids->cap ? ids->cap * 2 : 4096;
		void *p;

		if (cap > BENCH_MAX_IDS)
			cap = BENCH_MAX_IDS;
		p = realloc(ids->v, cap * sizeof(*ids->v));
		if (p) {
			ids->v = p;
			ids->cap = cap;
		}
	}
	if (ids->n < ids->cap) {
		memcpy(ids->v[ids->n], id, len);
		ids->v[ids->n][len] = '\0';
		ids->n++;
		rc = 0;
	}
	pthread_mutex_unlock(&ids->mu);
	return rc;
}

int ids_load(struct bench_ids *ids, const char *path)
{
	char line[256];
	FILE *f = fopen(path, "r");

	if (!f) {
		fprintf(stderr, "ecs-bench: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		size_t n = strcspn(line, "\r\n \t");

		if (n && ids_add(ids, line, n)) {
			fclose(f);
			fprintf(stderr, "ecs-bench: %s: too many or too long ids\n", path);
			return -1;
		}
	}
	fclose(f);
	return 0;
}

int ids_save(const struct bench_ids *ids, const char *path)
{
	FILE *f = fopen(path, "w");
	int rc = 0;

	if (!f) {
		fprintf(stderr, "ecs-bench: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < ids->n; i++)
		if (fprintf(f, "%s\n", ids->v[i]) < 0)
			rc = -1;
	if (fclose(f))
		rc = -1;
	return rc;
}

void ids_shuffle(struct bench_ids *ids, uint64_t seed)
{
	char tmp[BENCH_ID_BYTES];

	for (size_t i = ids->n; i > 1; i--) {
		size_t j = (size_t)(bench_rand(&seed) % i);

		memcpy(tmp, ids->v[i - 1], BENCH_ID_BYTES);
		memcpy(ids->v[i - 1], ids->v[j], BENCH_ID_BYTES);
		memcpy(ids->v[j], tmp, BENCH_ID_BYTES);
	}
}

void bench_salt(struct bench *b)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char r[8];
	uint64_t x = (uint64_t)bench_now_ns();

	if (RAND_bytes(r, sizeof(r)) != 1)
		memcpy(r, &x, sizeof(r));
	for (size_t i = 0; i < sizeof(r); i++) {
		b->salt[2 * i] = hex[r[i] >> 4];
		b->salt[2 * i + 1] = hex[r[i] & 15];
	}
	b->salt[2 * sizeof(r)] = '\0';
}

/* One preparation step with scenario name; returns units done. */
static uint64_t prep_step(const struct bench_cfg *base, struct bench_ids *ids,
                          const char *name, uint64_t work, int conns,
                          int64_t *max_seq, int quiet)
{
	struct bench b;
	uint64_t done;
	int64_t t0 = bench_now_ns();

	memset(&b, 0, sizeof(b));
	b.cfg = *base;
	b.cfg.conns = conns;
	b.cfg.threads = 1;
	b.cfg.duration_s = 0;
	b.cfg.warmup_s = 0;
	b.cfg.rate = 0;
	b.cfg.max_requests = 0;
	b.cfg.timeout_s = PREP_TIMEOUT_S;
	b.cfg.page_size = 100;
	b.sc = scen_find(name);
	b.ids = ids;
	b.work_total = work;
	b.max_seq = max_seq ? *max_seq : 0;
	bench_salt(&b);
	if (loop_run(&b)) {
		fprintf(stderr, "ecs-bench: cannot start the %s step\n", name);
		loop_free(&b);
		return 0;
	}
	done = b.work_done;
	if (max_seq)
		*max_seq = b.max_seq;
	if (!quiet)
		fprintf(stderr, "ecs-bench: prepare %s: %" PRIu64 " of %" PRIu64
		        " in %.2f s\n", name, done, work,
		        (double)(bench_now_ns() - t0) / 1e9);
	report_errors(&b, "  ");
	loop_free(&b);
	return done;
}

/* Repeats a step while it makes progress, until want units are done. */
static int prep_until(const struct bench_cfg *cfg, struct bench_ids *ids,
                      const char *name, uint64_t want, int conns, int quiet)
{
	uint64_t done = 0;

	for (int round = 0; round < PREP_ROUNDS && done < want; round++) {
		uint64_t got = prep_step(cfg, ids, name, want - done, conns, NULL, quiet);

		if (!got)
			break;
		done += got;
	}
	if (done < want) {
		fprintf(stderr, "ecs-bench: prepare %s: only %" PRIu64 " of %" PRIu64
		        " done\n", name, done, want);
		return -1;
	}
	return 0;
}

int prep_run_all(const struct bench_cfg *cfg, const struct bench_prep *p,
                 struct bench_ids *ids, int64_t *max_seq)
{
	if (p->fleet && prep_until(cfg, ids, "bulk", p->fleet, 1, p->quiet))
		return -1;
	if (p->ids_in && ids_load(ids, p->ids_in))
		return -1;
	if (p->create && prep_until(cfg, ids, "create", p->create,
	                            cfg->conns < PREP_CREATE_CONN ? cfg->conns :
	                            PREP_CREATE_CONN, p->quiet))
		return -1;
	if (p->sample || p->need_total) {
		prep_step(cfg, ids, "total", 1, 1, max_seq, 1);
		if (*max_seq <= 0) {
			fprintf(stderr, "ecs-bench: no instances to sample\n");
			return -1;
		}
	}
	if (p->sample) {
		size_t before = ids->n;
		uint64_t pages = (p->sample + 99) / 100;

		prep_step(cfg, ids, "sample", pages, PREP_SAMPLE_CONN, max_seq, p->quiet);
		if (ids->n == before)
			return -1;
	}
	if (p->ids_out && ids_save(ids, p->ids_out))
		return -1;
	return 0;
}
