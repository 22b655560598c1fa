/* sqlite.c - the SQLite store backend: one data dir, WAL, a versioned schema
 * (sq_schema.c), one writer thread that group-commits queued jobs, a
 * checkpointer thread, a pool of reader connections (sq_writer.c), rows
 * (sq_rows.c); here open, close and the vtable. No ECS rules here; no SQLite
 * message ever reaches a client. */
#include "sq_int.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- open / close ---- */

/* mkdir -p with mode 0700 for the parts it creates. */
static int sq_mkdirs(const char *dir)
{
	char p[PATH_MAX];
	struct stat sb;
	size_t n = strlen(dir);

	if (n == 0 || n >= sizeof(p))
		return -1;
	memcpy(p, dir, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		p[i] = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST)
			return -1;
		p[i] = i < n ? '/' : '\0';
	}
	return stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode) ? 0 : -1;
}

static void sq_close(struct store *s)
{
	if (!s)
		return;
	if (s->writer_running) {
		pthread_mutex_lock(&s->qmu);
		s->stopping = 1;
		pthread_cond_broadcast(&s->qcv);
		pthread_mutex_unlock(&s->qmu);
		pthread_join(s->writer, NULL);
	}
	if (s->ckpt_running) {
		pthread_mutex_lock(&s->ckmu);
		s->ckpt_stop = 1;
		pthread_cond_signal(&s->ckcv);
		pthread_mutex_unlock(&s->ckmu);
		pthread_join(s->ckpt, NULL);
	}
	sq_conn_close(s->ck);   /* before the writer: its close checkpoints last */
	while (s->rfree) {
		struct sq_conn *c = s->rfree;

		s->rfree = c->next;
		sq_conn_close(c);
		s->rcount--;
	}
	if (s->rcount)
		fprintf(stderr, "ecsd: store: closed with %d reads running\n", s->rcount);
	sq_conn_close(s->w);
	for (size_t i = 0; i < ST__COUNT; i++)
		free(s->sql[i]);
	for (int k = 0; k < ENT__COUNT; k++)
		free(s->select[k]);
	replay_free(s->base.replay);
	pthread_mutex_destroy(&s->qmu);
	pthread_cond_destroy(&s->qcv);
	pthread_mutex_destroy(&s->rmu);
	pthread_cond_destroy(&s->rcv);
	pthread_mutex_destroy(&s->ckmu);
	pthread_cond_destroy(&s->ckcv);
	pthread_mutex_destroy(&s->kvmu);
	buf_free(&s->kv_cache);
	free(s);
}

/* SQLite's allocation statistics take one process-wide mutex in every
 * sqlite3_malloc (Debian's build has no lookaside, so a query makes dozens)
 * and ecsd never reads them. Must run before SQLite initialises itself. */
static pthread_once_t sq_once = PTHREAD_ONCE_INIT;

static void sq_global_init(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static int sq_open(const struct store_opts *o, struct store **out, char *err,
                   size_t errlen)
{
	const char *dir = o->uri && *o->uri ? o->uri : ".";
	struct store *s;
	int n;

	pthread_once(&sq_once, sq_global_init);
	*out = NULL;
	if (err && errlen)
		*err = '\0';
	if (!sqlite3_threadsafe()) {
		snprintf(err, errlen, "libsqlite3 was built without thread support");
		return -1;
	}
	if (sq_mkdirs(dir)) {
		snprintf(err, errlen, "cannot create data directory %s: %s", dir,
		         strerror(errno));
		return -1;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	s->base.ops = &store_sqlite_ops;
	s->durable = o->durable != 0;
	pthread_mutex_init(&s->qmu, NULL);
	pthread_cond_init(&s->qcv, NULL);
	pthread_mutex_init(&s->rmu, NULL);
	pthread_cond_init(&s->rcv, NULL);
	pthread_mutex_init(&s->ckmu, NULL);
	pthread_cond_init(&s->ckcv, NULL);
	pthread_mutex_init(&s->kvmu, NULL);
	buf_init(&s->kv_cache, LIM_KV_BYTES);
	atomic_init(&s->kv_gen, 1);
	n = snprintf(s->path, sizeof(s->path), "%s/%s", dir, SQ_DB_FILE);
	if (n < 0 || (size_t)n >= sizeof(s->path)) {
		snprintf(err, errlen, "data directory path too long");
		goto fail;
	}
	if (sq_build_sql(s) || !(s->base.replay = store_replay_new(o))) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	s->w = sq_conn_open(s, SQ_WRITER);
	if (!s->w) {
		snprintf(err, errlen, "cannot open %s in WAL mode (see log)", s->path);
		goto fail;
	}
	if (sq_migrate(s, err, errlen))
		goto fail;
	sq_checkpointer_start(s);
	if (pthread_create(&s->writer, NULL, sq_writer, s) != 0) {
		snprintf(err, errlen, "cannot start the writer thread");
		goto fail;
	}
	s->writer_running = 1;
	*out = s;
	return 0;
fail:
	sq_close(s);
	return -1;
}

const struct store_ops store_sqlite_ops = {
	.name = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.write = sq_write,
	.read = sq_read,
	.nonce_use = sq_nonce_use,
	.inst_get = sq_inst_get,
	.inst_insert = sq_inst_insert,
	.inst_update = sq_inst_update,
	.inst_delete = sq_inst_delete,
	.inst_list = sq_inst_list,
	.inst_count = sq_inst_count,
	.disk_get = sq_disk_get,
	.disk_insert = sq_disk_insert,
	.disk_update = sq_disk_update,
	.disk_delete = sq_disk_delete,
	.disk_list = sq_disk_list,
	.disk_count = sq_disk_count,
	.snap_get = sq_snap_get,
	.snap_insert = sq_snap_insert,
	.snap_update = sq_snap_update,
	.snap_delete = sq_snap_delete,
	.snap_delete_auto = sq_snap_delete_auto,
	.snap_list = sq_snap_list,
	.snap_count = sq_snap_count,
	.token_get = sq_token_get,
	.token_put = sq_token_put,
	.res_get = sq_res_get,
	.res_insert = sq_res_insert,
	.res_update = sq_res_update,
	.res_delete = sq_res_delete,
	.res_list = sq_res_list,
	.res_count = sq_res_count,
	.audit_append = sq_audit_append,
	.audit_list = sq_audit_list,
	.audit_prune = sq_audit_prune,
	.kv_get = sq_kv_get,
	.kv_put = sq_kv_put,
	.kv_scan = sq_kv_scan,
	.purge = sq_purge,
};
