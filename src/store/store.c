/* store.c - the store_*() wrappers: pick a backend by URI, forward through
 * its vtable. No SQL and no ECS rules here. */
#include "store.h"
#include "../common/limits.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define OPS(s) (((const struct store_base *)(const void *)(s))->ops)
#define TXOPS(t) (((const struct store_tx_base *)(const void *)(t))->ops)

int store_open(const struct store_opts *o, struct store **out, char *err,
               size_t errlen)
{
	const char *u = o->uri ? o->uri : ".";

	if (strncmp(u, "postgresql://", 13) == 0 || strncmp(u, "postgres://", 11) == 0)
		return store_postgres_ops.open(o, out, err, errlen);
	return store_sqlite_ops.open(o, out, err, errlen);
}

void store_close(struct store *s)
{
	if (s)
		OPS(s)->close(s);
}

const char *store_backend_name(const struct store *s)
{
	return OPS(s)->name;
}

/* The hook of this thread's next store_write (store_write_hook). */
static _Thread_local struct write_hook {
	store_fn fn;
	void *arg;
	int *ran;
	void (*created)(void *arg, const char *id);
} next_hook;

/* The hook of the transaction this thread is running, for the inserts. */
static _Thread_local const struct write_hook *running_hook;

static void note_created(const char *id)
{
	if (running_hook && running_hook->created)
		running_hook->created(running_hook->arg, id);
}

struct hooked {
	store_fn fn;
	void *arg;
	struct write_hook hook;
};

static int hooked_fn(struct store_tx *tx, void *arg)
{
	struct hooked *h = arg;
	int rc;

	if (h->hook.created)
		h->hook.created(h->hook.arg, NULL);   /* a retried transaction starts over */
	running_hook = &h->hook;
	rc = h->fn(tx, h->arg);
	running_hook = NULL;
	return rc ? rc : h->hook.fn(tx, h->hook.arg);
}

void store_write_hook(store_fn hook, void *hook_arg, int *ran,
                      void (*created)(void *hook_arg, const char *id))
{
	next_hook.fn = hook;
	next_hook.arg = hook_arg;
	next_hook.ran = ran;
	next_hook.created = created;
}

int store_write(struct store *s, store_fn fn, void *arg)
{
	struct hooked h = { fn, arg, next_hook };
	int rc;

	if (!h.hook.fn)
		return OPS(s)->write(s, fn, arg);
	memset(&next_hook, 0, sizeof(next_hook));   /* one write carries it */
	rc = OPS(s)->write(s, hooked_fn, &h);
	if (rc == 0 && h.hook.ran)
		*h.hook.ran = 1;
	return rc;
}

int store_read(struct store *s, store_fn fn, void *arg)
{
	return OPS(s)->read(s, fn, arg);
}

int store_nonce_use(struct store *s, const char *akid, const char *nonce,
                    int64_t stamp_ms, int64_t now_ms)
{
	return OPS(s)->nonce_use(s, akid, nonce, stamp_ms, now_ms);
}

void store_replay_stats(struct store *s, struct replay_stats *out)
{
	replay_get_stats(((struct store_base *)(void *)s)->replay, out);
}

struct replay *store_replay_new(const struct store_opts *o)
{
	return replay_new(o->replay_budget);
}

int store_inst_get(struct store_tx *tx, const char *account, const char *id,
                   struct instance *out)
{
	return TXOPS(tx)->inst_get(tx, account, id, out);
}

int store_inst_insert(struct store_tx *tx, struct instance *in)
{
	int rc = TXOPS(tx)->inst_insert(tx, in);

	if (rc == 0)
		note_created(in->id);
	return rc;
}

int store_inst_update(struct store_tx *tx, const struct instance *in)
{
	return TXOPS(tx)->inst_update(tx, in);
}

int store_inst_delete(struct store_tx *tx, const char *account, const char *id)
{
	return TXOPS(tx)->inst_delete(tx, account, id);
}

int store_inst_list(struct store_tx *tx, const struct inst_query *q,
                    inst_cb cb, void *arg)
{
	return TXOPS(tx)->inst_list(tx, q, cb, arg);
}

int store_inst_count(struct store_tx *tx, const struct inst_query *q,
                     int64_t *total)
{
	return TXOPS(tx)->inst_count(tx, q, total);
}

int store_disk_get(struct store_tx *tx, const char *account, const char *id,
                   struct disk *out)
{
	return TXOPS(tx)->disk_get(tx, account, id, out);
}

int store_disk_insert(struct store_tx *tx, struct disk *d)
{
	int rc = TXOPS(tx)->disk_insert(tx, d);

	if (rc == 0)
		note_created(d->id);
	return rc;
}

int store_disk_update(struct store_tx *tx, const struct disk *d)
{
	return TXOPS(tx)->disk_update(tx, d);
}

int store_disk_delete(struct store_tx *tx, const char *account, const char *id)
{
	return TXOPS(tx)->disk_delete(tx, account, id);
}

int store_disk_list(struct store_tx *tx, const struct disk_query *q,
                    disk_cb cb, void *arg)
{
	return TXOPS(tx)->disk_list(tx, q, cb, arg);
}

int store_disk_count(struct store_tx *tx, const struct disk_query *q,
                     int64_t *total)
{
	return TXOPS(tx)->disk_count(tx, q, total);
}

int store_snap_get(struct store_tx *tx, const char *account, const char *id,
                   struct snapshot *out)
{
	return TXOPS(tx)->snap_get(tx, account, id, out);
}

int store_snap_insert(struct store_tx *tx, struct snapshot *sn)
{
	int rc = TXOPS(tx)->snap_insert(tx, sn);

	if (rc == 0)
		note_created(sn->id);
	return rc;
}

int store_snap_update(struct store_tx *tx, const struct snapshot *sn)
{
	return TXOPS(tx)->snap_update(tx, sn);
}

int store_snap_delete(struct store_tx *tx, const char *account, const char *id)
{
	return TXOPS(tx)->snap_delete(tx, account, id);
}

int store_snap_delete_auto(struct store_tx *tx, const char *account,
                           const char *disk_id, int64_t *n)
{
	return TXOPS(tx)->snap_delete_auto(tx, account, disk_id, n);
}

int store_snap_list(struct store_tx *tx, const struct snap_query *q,
                    snap_cb cb, void *arg)
{
	return TXOPS(tx)->snap_list(tx, q, cb, arg);
}

int store_snap_count(struct store_tx *tx, const struct snap_query *q,
                     int64_t *total)
{
	return TXOPS(tx)->snap_count(tx, q, total);
}

int store_token_get(struct store_tx *tx, const char *account,
                    const char *action, const char *token, char hash[65],
                    struct buf *result)
{
	return TXOPS(tx)->token_get(tx, account, action, token, hash, result);
}

int store_token_put(struct store_tx *tx, const char *account,
                    const char *action, const char *token, const char *hash,
                    const char *result, int64_t now_ms)
{
	return TXOPS(tx)->token_put(tx, account, action, token, hash, result, now_ms);
}

int store_res_get(struct store_tx *tx, const char *account, const char *kind,
                  const char *id, struct res *out)
{
	return TXOPS(tx)->res_get(tx, account, kind, id, out);
}

int store_res_insert(struct store_tx *tx, struct res *r)
{
	int rc = TXOPS(tx)->res_insert(tx, r);

	if (rc == 0)
		note_created(r->id);
	return rc;
}

int store_res_update(struct store_tx *tx, const struct res *r)
{
	return TXOPS(tx)->res_update(tx, r);
}

int store_res_delete(struct store_tx *tx, const char *account, const char *id)
{
	return TXOPS(tx)->res_delete(tx, account, id);
}

int store_res_list(struct store_tx *tx, const struct res_query *q,
                   res_cb cb, void *arg)
{
	return TXOPS(tx)->res_list(tx, q, cb, arg);
}

int store_res_count(struct store_tx *tx, const struct res_query *q,
                    int64_t *total)
{
	return TXOPS(tx)->res_count(tx, q, total);
}

int store_audit_append(struct store_tx *tx, struct audit_event *ev)
{
	return TXOPS(tx)->audit_append(tx, ev);
}

int store_audit_list(struct store_tx *tx, const struct audit_query *q,
                     audit_cb cb, void *arg)
{
	return TXOPS(tx)->audit_list(tx, q, cb, arg);
}

int store_audit_prune(struct store_tx *tx, int64_t before_ms, int64_t *n)
{
	return TXOPS(tx)->audit_prune(tx, before_ms, n);
}

/* The document as compact text (malloc'd), or NULL when it is not an
 * object or exceeds the limit. */
char *store_res_dump(const struct res *r)
{
	char *t;

	if (!r->doc || !json_is_object((const json_t *)r->doc))
		return NULL;
	t = json_dumps((const json_t *)r->doc, JSON_COMPACT | JSON_SORT_KEYS);
	if (t && strlen(t) > LIM_RES_DOC_BYTES) {
		free(t);
		return NULL;
	}
	return t;
}

int store_kv_get(struct store_tx *tx, const char *key, struct buf *val)
{
	return TXOPS(tx)->kv_get(tx, key, val);
}

int store_kv_put(struct store_tx *tx, const char *key, const char *val)
{
	return TXOPS(tx)->kv_put(tx, key, val);
}

int store_kv_scan(struct store *s, kv_cb cb, void *arg)
{
	return OPS(s)->kv_scan(s, cb, arg);
}

int store_purge(struct store_tx *tx, const char *account)
{
	return TXOPS(tx)->purge(tx, account ? account : "");
}
