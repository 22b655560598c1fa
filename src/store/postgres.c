/* postgres.c - the PostgreSQL store backend: a pool of libpq connections,
 * SERIALIZABLE write transactions re-run on conflict (pg_conn.c), a versioned
 * schema migrated under an advisory lock (pg_schema.c), rows (pg_rows.c); here
 * open, close and the vtable. No ECS rules here; no SQL outside the backend. */
#include "pg_int.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- open, close ---- */
/* "host:port" of uri for log lines: never the user or the password. */
static void pg_where(const char *uri, char *out, size_t len)
{
	char *emsg = NULL;
	PQconninfoOption *opts = PQconninfoParse(uri, &emsg), *o;
	const char *host = getenv("PGHOST"), *port = getenv("PGPORT");

	for (o = opts; o && o->keyword; o++) {
		if (o->val && *o->val && !strcmp(o->keyword, "host"))
			host = o->val;
		else if (o->val && *o->val && !strcmp(o->keyword, "port"))
			port = o->val;
	}
	snprintf(out, len, "%s:%s", host ? host : "localhost", port ? port : "5432");
	PQconninfoFree(opts);
	PQfreemem(emsg);
}

static void pg_close(struct store *s)
{
	int i;

	for (i = 0; s->pool && i < s->npool; i++)
		PQfinish(s->pool[i].c);
	for (i = 0; i < ST__COUNT; i++)
		free(s->sql[i]);
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->nmu);
	pthread_mutex_destroy(&s->mu);
	free(s->pool);
	free(s->uri);
	replay_free(s->base.replay);
	free(s);
}

/* Everything but the server: the struct, statement texts, the pool. */
static int pg_alloc(const struct store_opts *o, struct store **out)
{
	struct store *s = calloc(1, sizeof *s);
	pthread_condattr_t ca;
	int texts, n = o->pool_size > 0 ? o->pool_size : PG_POOL_DEFAULT;

	if (!s)
		return -1;
	pthread_mutex_init(&s->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->cv, &ca);
	pthread_mutex_init(&s->nmu, NULL);
	pthread_condattr_destroy(&ca);
	s->base.ops = &store_postgres_ops;
	s->durable = o->durable;
	s->npool = n < PG_POOL_MAX ? n : PG_POOL_MAX;
	s->rerun_first = getenv("ECSD_TEST_RERUN") != NULL;
	s->uri = strdup(o->uri);
	pg_where(o->uri, s->where, sizeof s->where);
	texts = pg_stmt_sql(s->sql);
	s->pool = calloc((size_t)s->npool, sizeof *s->pool);
	s->base.replay = store_replay_new(o);
	if (!s->uri || !s->pool || texts || !s->base.replay) {
		pg_close(s);
		return -1;
	}
	*out = s;
	return 0;
}

/* Connection failures that waiting will not cure. */
static int pg_hopeless(const char *msg)
{
	static const char *const words[] = { "password", "authentication",
		"does not exist", "pg_hba.conf", "invalid", NULL };
	int i;

	for (i = 0; words[i]; i++)
		if (strstr(msg, words[i]))
			return 1;
	return 0;
}

static int pg_open(const struct store_opts *o, struct store **out, char *err,
                   size_t errlen)
{
	struct store *s;
	char msg[PG_MSG_BYTES], *emsg = NULL;
	PQconninfoOption *parsed;
	int64_t start = pg_now_ms();
	PGconn *c;
	int attempt;

	parsed = o->uri ? PQconninfoParse(o->uri, &emsg) : NULL;
	PQfreemem(emsg);
	if (!parsed) {  /* libpq's message may quote the URI: not repeated */
		snprintf(err, errlen, "invalid PostgreSQL URI");
		return STORE_EIO;
	}
	PQconninfoFree(parsed);
	if (pg_alloc(o, &s)) {
		snprintf(err, errlen, "out of memory");
		return STORE_EIO;
	}
	for (attempt = 1; pg_connect(s, &c, msg, sizeof msg); attempt++) {
		if (pg_hopeless(msg) || pg_now_ms() - start >= PG_OPEN_WAIT_MS) {
			snprintf(err, errlen, "cannot connect to PostgreSQL at %s: %s",
			         s->where, msg);
			pg_close(s);
			return STORE_EUNAVAIL;
		}
		fprintf(stderr, "ecsd: store: waiting for PostgreSQL at %s"
		        " (attempt %d)\n", s->where, attempt);
		pg_sleep_us(1000 * 1000);
	}
	if (pg_migrate(c, err, errlen)) {
		PQfinish(c);
		pg_close(s);
		return STORE_EIO;
	}
	s->pool[0].c = c;
	*out = s;
	return 0;
}

const struct store_ops store_postgres_ops = {
	.name = "postgresql",
	.open = pg_open,
	.close = pg_close,
	.write = pg_write,
	.read = pg_read,
	.nonce_use = pg_nonce_use,
	.inst_get = pg_inst_get,
	.inst_insert = pg_inst_insert,
	.inst_update = pg_inst_update,
	.inst_delete = pg_inst_delete,
	.inst_list = pg_inst_list,
	.inst_count = pg_inst_count,
	.disk_get = pg_disk_get,
	.disk_insert = pg_disk_insert,
	.disk_update = pg_disk_update,
	.disk_delete = pg_disk_delete,
	.disk_list = pg_disk_list,
	.disk_count = pg_disk_count,
	.snap_get = pg_snap_get,
	.snap_insert = pg_snap_insert,
	.snap_update = pg_snap_update,
	.snap_delete = pg_snap_delete,
	.snap_delete_auto = pg_snap_delete_auto,
	.snap_list = pg_snap_list,
	.snap_count = pg_snap_count,
	.token_get = pg_token_get,
	.token_put = pg_token_put,
	.res_get = pg_res_get,
	.res_insert = pg_res_insert,
	.res_update = pg_res_update,
	.res_delete = pg_res_delete,
	.res_list = pg_res_list,
	.res_count = pg_res_count,
	.audit_append = pg_audit_append,
	.audit_list = pg_audit_list,
	.audit_prune = pg_audit_prune,
	.kv_get = pg_kv_get,
	.kv_put = pg_kv_put,
	.kv_scan = pg_kv_scan,
	.purge = pg_purge,
};
