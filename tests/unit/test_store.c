/* test_store.c - the store conformance suite, written only against the
 * store_*() wrappers so every backend runs it: ECSD_TEST_STORE (a
 * postgresql:// URI) or a fresh temporary SQLite dir. Ids and accounts are
 * random per run, so a shared database is fine. No ECS rules here. */
#include "t.h"
#include "../../src/store/store.h"
#include "../../src/common/limits.h"
#include <sqlite3.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define T0 INT64_C(1700000000000) /* a fixed "now" for status schedules */
#define MAXROWS 256

static struct store *g_s;
static struct store_opts g_opts;
static char g_dir[PATH_MAX];  /* temporary SQLite dir, "" for PostgreSQL */
static char g_tag[13];        /* random [0-9a-z] per run */
static atomic_int g_idn;

/* ---- random ids and accounts ---- */

static void rand_tag(void)
{
	static const char al[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	unsigned char r[12];
	FILE *f = fopen("/dev/urandom", "rb");

	if (!f || fread(r, 1, sizeof(r), f) != sizeof(r)) {
		uint64_t x = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 20);

		for (size_t i = 0; i < sizeof(r); i++, x = x * 6364136223846793005u + 1)
			r[i] = (unsigned char)(x >> 56);
	}
	if (f)
		fclose(f);
	for (size_t i = 0; i < sizeof(r); i++)
		g_tag[i] = al[r[i] % 36];
	g_tag[sizeof(r)] = '\0';
}

static void new_id(char out[ID_LEN], const char *prefix)
{
	snprintf(out, ID_LEN, "%s%s%05d", prefix, g_tag, atomic_fetch_add(&g_idn, 1));
}

/* One account per test section, so counts are exact on a shared database. */
static void t_acct(char out[32], const char *section)
{
	snprintf(out, 32, "%.14s%s", section, g_tag);
}

/* ---- field tables: every field of each struct, in declaration order ---- */

enum fkind { F_TEXT, F_INT, F_I64, F_U32 };
enum frole { R_DATA, R_KEY, R_SEQ }; /* KEY: id/account, set by the test */

struct field {
	const char *name;
	enum fkind kind;
	enum frole role;
	size_t off, size;
};

#define FT(T, f) { #f, F_TEXT, R_DATA, offsetof(struct T, f), sizeof(((struct T *)0)->f) }
#define FK(T, f) { #f, F_TEXT, R_KEY, offsetof(struct T, f), sizeof(((struct T *)0)->f) }
#define FN(T, f, k) { #f, k, R_DATA, offsetof(struct T, f), sizeof(((struct T *)0)->f) }
#define FS(T) { "seq", F_I64, R_SEQ, offsetof(struct T, seq), sizeof(int64_t) }

static const struct field inst_fields[] = {
	FK(instance, id), FK(instance, account), FT(instance, region),
	FT(instance, zone), FT(instance, name), FT(instance, description),
	FT(instance, hostname), FT(instance, instance_type), FT(instance, image_id),
	FT(instance, stopped_mode), FN(instance, status, F_INT),
	FN(instance, p1_status, F_INT), FN(instance, p2_status, F_INT),
	FN(instance, p1_end_ms, F_I64), FN(instance, p2_end_ms, F_I64),
	FN(instance, charge, F_INT), FN(instance, expired_ms, F_I64),
	FN(instance, deletion_protection, F_INT), FN(instance, flags, F_U32),
	FN(instance, created_ms, F_I64), FN(instance, started_ms, F_I64),
	FS(instance),
};

static const struct field disk_fields[] = {
	FK(disk, id), FK(disk, account), FT(disk, region), FT(disk, zone),
	FT(disk, instance_id), FT(disk, type), FT(disk, category),
	FN(disk, size_gb, F_INT), FT(disk, name), FT(disk, description),
	FT(disk, device), FT(disk, image_id), FT(disk, source_snapshot_id),
	FN(disk, delete_with_instance, F_INT), FN(disk, delete_auto_snapshot, F_INT),
	FN(disk, enable_auto_snapshot, F_INT), FN(disk, portable, F_INT),
	FN(disk, charge, F_INT), FN(disk, ever_attached, F_INT),
	FN(disk, created_ms, F_I64), FN(disk, attached_ms, F_I64),
	FN(disk, detached_ms, F_I64), FS(disk),
};

static const struct field snap_fields[] = {
	FK(snapshot, id), FK(snapshot, account), FT(snapshot, region),
	FT(snapshot, name), FT(snapshot, description), FN(snapshot, is_auto, F_INT),
	FT(snapshot, source_disk_id), FN(snapshot, source_disk_size, F_INT),
	FT(snapshot, source_disk_type), FN(snapshot, status, F_INT),
	FN(snapshot, retention_days, F_INT), FN(snapshot, created_ms, F_I64),
	FS(snapshot),
};

/* Fills every data field from seed. Text is valid UTF-8 with quotes; long=1
 * fills each text field to its full capacity. */
static void fill(void *obj, const struct field *f, size_t nf, int seed, int lng)
{
	static const char *const units[] = { "'", "\"", "\xc3\xbc", "x", "%", "\\" };
	char *p = obj;

	for (size_t i = 0; i < nf; i++) {
		char *t = p + f[i].off;
		int sign = seed % 2 ? -1 : 1;
		int iv = sign * (seed * 1000 + (int)i);
		int64_t lv = sign * ((int64_t)seed * INT64_C(1000000000007) + (int64_t)i);
		uint32_t uv = UINT32_C(0x80000000) | (uint32_t)(seed * 64 + (int)i);

		if (f[i].role != R_DATA)
			continue;
		switch (f[i].kind) {
		case F_TEXT: {
			size_t n = (size_t)snprintf(t, f[i].size, "%d%s", seed, f[i].name);
			size_t want = lng ? f[i].size - 1 : n + 4;

			if (n >= f[i].size)
				n = f[i].size - 1;
			for (size_t u = 0; n < want; u++) {
				const char *s = units[u % 6];
				size_t l = strlen(s);

				if (n + l > f[i].size - 1)
					s = "y", l = 1;
				if (n + l > f[i].size - 1)
					break;
				memcpy(t + n, s, l);
				n += l;
			}
			t[n] = '\0';
			break;
		}
		case F_INT: memcpy(t, &iv, sizeof(iv)); break;
		case F_I64: memcpy(t, &lv, sizeof(lv)); break;
		case F_U32: memcpy(t, &uv, sizeof(uv)); break;
		}
	}
}

/* Compares every field (seq too); one check per field. */
static void same(const char *what, const void *got, const void *want,
                 const struct field *f, size_t nf)
{
	for (size_t i = 0; i < nf; i++) {
		const char *g = (const char *)got + f[i].off;
		const char *w = (const char *)want + f[i].off;
		char name[96];

		snprintf(name, sizeof(name), "%s.%s", what, f[i].name);
		if (f[i].kind == F_TEXT)
			T_CHECK(strncmp(g, w, f[i].size) == 0, "%s: got \"%.*s\" want \"%.*s\"",
			        name, (int)f[i].size, g, (int)f[i].size, w);
		else
			T_CHECK(memcmp(g, w, f[i].size) == 0, "%s differs", name);
	}
}

/* The table must cover the struct: a field added to model.h but not here
 * leaves a gap wider than padding. */
static void covers(const char *what, const struct field *f, size_t nf,
                   size_t size)
{
	size_t end = 0;

	for (size_t i = 0; i < nf; i++) {
		T_CHECK(f[i].off >= end && f[i].off - end < 8,
		        "%s: gap before %s (field missing from the test table?)", what,
		        f[i].name);
		end = f[i].off + f[i].size;
	}
	T_CHECK(size - end < 8, "%s: gap at end (field missing?)", what);
}

/* ---- one entity kind, type-erased for the table-driven tests ---- */

struct kind {
	const char *name;
	const char *prefix;
	const struct field *f;
	size_t nf;
	size_t size;
	int (*get)(struct store_tx *, const char *, const char *, void *);
	int (*ins)(struct store_tx *, void *);
	int (*upd)(struct store_tx *, const void *);
	int (*del)(struct store_tx *, const char *, const char *);
};

static int ki_get(struct store_tx *t, const char *a, const char *id, void *o) { return store_inst_get(t, a, id, o); }
static int ki_ins(struct store_tx *t, void *o) { return store_inst_insert(t, o); }
static int ki_upd(struct store_tx *t, const void *o) { return store_inst_update(t, o); }
static int ki_del(struct store_tx *t, const char *a, const char *id) { return store_inst_delete(t, a, id); }
static int kd_get(struct store_tx *t, const char *a, const char *id, void *o) { return store_disk_get(t, a, id, o); }
static int kd_ins(struct store_tx *t, void *o) { return store_disk_insert(t, o); }
static int kd_upd(struct store_tx *t, const void *o) { return store_disk_update(t, o); }
static int kd_del(struct store_tx *t, const char *a, const char *id) { return store_disk_delete(t, a, id); }
static int ks_get(struct store_tx *t, const char *a, const char *id, void *o) { return store_snap_get(t, a, id, o); }
static int ks_ins(struct store_tx *t, void *o) { return store_snap_insert(t, o); }
static int ks_upd(struct store_tx *t, const void *o) { return store_snap_update(t, o); }
static int ks_del(struct store_tx *t, const char *a, const char *id) { return store_snap_delete(t, a, id); }

#define NF(a) (sizeof(a) / sizeof(a[0]))
static const struct kind kinds[] = {
	{ "instance", "i-", inst_fields, NF(inst_fields), sizeof(struct instance),
	  ki_get, ki_ins, ki_upd, ki_del },
	{ "disk", "d-", disk_fields, NF(disk_fields), sizeof(struct disk),
	  kd_get, kd_ins, kd_upd, kd_del },
	{ "snapshot", "s-", snap_fields, NF(snap_fields), sizeof(struct snapshot),
	  ks_get, ks_ins, ks_upd, ks_del },
};
static const struct kind *const K_INST = &kinds[0], *const K_DISK = &kinds[1],
	*const K_SNAP = &kinds[2];

enum opk { OP_GET, OP_INS, OP_UPD, OP_DEL };

struct call {
	const struct kind *k;
	enum opk op;
	const char *acct, *id;
	void *obj;
	int then; /* returned instead of 0 after the op succeeded */
};

static int call_fn(struct store_tx *tx, void *arg)
{
	struct call *c = arg;
	int rc = STORE_EIO;

	switch (c->op) {
	case OP_GET: rc = c->k->get(tx, c->acct, c->id, c->obj); break;
	case OP_INS: rc = c->k->ins(tx, c->obj); break;
	case OP_UPD: rc = c->k->upd(tx, c->obj); break;
	case OP_DEL: rc = c->k->del(tx, c->acct, c->id); break;
	}
	return rc == 0 ? c->then : rc;
}

/* GET runs under store_read, the others under store_write. */
static int call(const struct kind *k, enum opk op, const char *a, const char *id,
                void *obj, int then)
{
	struct call c = { k, op, a, id, obj, then };

	return op == OP_GET ? store_read(g_s, call_fn, &c)
	                    : store_write(g_s, call_fn, &c);
}

/* A new object of kind k: every field filled from seed, fresh id. */
static void make(const struct kind *k, void *obj, const char *a, int seed, int lng)
{
	memset(obj, 0, k->size);
	fill(obj, k->f, k->nf, seed, lng);
	new_id(obj, k->prefix);                            /* id is first */
	snprintf((char *)obj + k->f[1].off, k->f[1].size, "%s", a); /* account */
}

/* ---- round trip, tenant isolation, NOTFOUND, ECONFLICT ---- */

static void test_crud(void)
{
	char a[32], b[32];

	t_acct(a, "crud");
	t_acct(b, "crudb");
	for (size_t i = 0; i < NF(kinds); i++) {
		const struct kind *k = &kinds[i];
		union { struct instance i; struct disk d; struct snapshot s; } x, y, got, other;
		const char *id = x.i.id; /* every struct starts with id */
		int64_t seq;

		covers(k->name, k->f, k->nf, k->size);
		make(k, &x, a, 1, 1);
		T_INTEQ(call(k, OP_INS, NULL, NULL, &x, 0), 0, "insert");
		memcpy(&seq, (char *)&x + k->f[k->nf - 1].off, sizeof(seq));
		T_CHECK(seq > 0, "%s: insert sets seq (%lld)", k->name, (long long)seq);
		memset(&got, 0, sizeof(got));
		T_INTEQ(call(k, OP_GET, a, id, &got, 0), 0, "get");
		same(k->name, &got, &x, k->f, k->nf);
		T_INTEQ(call(k, OP_INS, NULL, NULL, &x, 0), STORE_ECONFLICT, "dup insert");
		T_INTEQ(call(k, OP_GET, b, id, &got, 0), STORE_NOTFOUND, "other account get");
		T_INTEQ(call(k, OP_GET, a, "x-missing", &got, 0), STORE_NOTFOUND, "missing get");

		/* update every data field (short values this time) */
		make(k, &y, a, 2, 0);
		memcpy(&y, &x, ID_LEN);
		memcpy((char *)&y + k->f[k->nf - 1].off, &seq, sizeof(seq));
		T_INTEQ(call(k, OP_UPD, NULL, NULL, &y, 0), 0, "update");
		T_INTEQ(call(k, OP_GET, a, id, &got, 0), 0, "get after update");
		same(k->name, &got, &y, k->f, k->nf);
		other = y;
		snprintf((char *)&other + k->f[1].off, k->f[1].size, "%s", b);
		T_INTEQ(call(k, OP_UPD, NULL, NULL, &other, 0), STORE_NOTFOUND, "other account update");
		make(k, &other, a, 3, 0);
		T_INTEQ(call(k, OP_UPD, NULL, NULL, &other, 0), STORE_NOTFOUND, "missing update");
		T_INTEQ(call(k, OP_GET, a, id, &got, 0), 0, "get after refused updates");
		same(k->name, &got, &y, k->f, k->nf);

		T_INTEQ(call(k, OP_DEL, b, id, NULL, 0), STORE_NOTFOUND, "other account delete");
		T_INTEQ(call(k, OP_GET, a, id, &got, 0), 0, "still there");
		T_INTEQ(call(k, OP_DEL, a, id, NULL, 0), 0, "delete");
		T_INTEQ(call(k, OP_GET, a, id, &got, 0), STORE_NOTFOUND, "gone");
		T_INTEQ(call(k, OP_DEL, a, id, NULL, 0), STORE_NOTFOUND, "delete again");
	}

	/* the control API reads an instance without knowing its account */
	{
		struct instance in, got;

		make(K_INST, &in, b, 4, 0);
		T_INTEQ(call(K_INST, OP_INS, NULL, NULL, &in, 0), 0, "insert");
		T_INTEQ(call(K_INST, OP_GET, NULL, in.id, &got, 0), 0, "get any account");
		same("instance(any)", &got, &in, inst_fields, NF(inst_fields));
	}
}

/* ---- list/count ---- */

struct coll {
	char ids[MAXROWS][ID_LEN];
	int64_t seqs[MAXROWS];
	int n;
	int stop_at, stop_rc; /* callback returns stop_rc at row stop_at */
};

static int coll_add(struct coll *c, const char *id, int64_t seq)
{
	if (c->n < MAXROWS) {
		snprintf(c->ids[c->n], ID_LEN, "%s", id);
		c->seqs[c->n] = seq;
	}
	c->n++;
	return c->stop_at && c->n == c->stop_at ? c->stop_rc : 0;
}

static int coll_inst(void *arg, const struct instance *in) { return coll_add(arg, in->id, in->seq); }
static int coll_disk(void *arg, const struct disk *d) { return coll_add(arg, d->id, d->seq); }
static int coll_snap(void *arg, const struct snapshot *s) { return coll_add(arg, s->id, s->seq); }

struct lq {
	const struct kind *k;
	const void *q;
	struct coll *out;
	int64_t total;
	int rc_list, rc_count;
};

static int lq_fn(struct store_tx *tx, void *arg)
{
	struct lq *l = arg;

	l->total = -1;
	if (l->k == K_INST) {
		l->rc_list = store_inst_list(tx, l->q, coll_inst, l->out);
		l->rc_count = store_inst_count(tx, l->q, &l->total);
	} else if (l->k == K_DISK) {
		l->rc_list = store_disk_list(tx, l->q, coll_disk, l->out);
		l->rc_count = store_disk_count(tx, l->q, &l->total);
	} else {
		l->rc_list = store_snap_list(tx, l->q, coll_snap, l->out);
		l->rc_count = store_snap_count(tx, l->q, &l->total);
	}
	return 0;
}

/* Runs q; checks rc, the ids in seq order against want[0..nwant), and the
 * count (which ignores paging). */
static void check_list(const char *what, const struct kind *k, const void *q,
                       char (*want)[ID_LEN], int nwant, int64_t want_total)
{
	struct coll c = { .n = 0 };
	struct lq l = { k, q, &c, 0, 0, 0 };
	int ok = 1;

	T_INTEQ(store_read(g_s, lq_fn, &l), 0, what);
	T_INTEQ(l.rc_list, 0, what);
	T_INTEQ(l.rc_count, 0, what);
	T_INTEQ(c.n, nwant, what);
	for (int i = 0; i < c.n && i < nwant && i < MAXROWS; i++)
		ok = ok && strcmp(c.ids[i], want[i]) == 0;
	for (int i = 1; i < c.n && i < MAXROWS; i++)
		ok = ok && c.seqs[i] > c.seqs[i - 1];
	T_CHECK(ok, "%s: rows differ or not in seq order", what);
	if (want_total >= 0)
		T_INTEQ(l.total, want_total, what);
}

/* Walks q page by page (keyset when keyset=1, else offset) and checks the
 * concatenation equals the unpaged list. */
static void check_paging(const char *what, const struct kind *k, void *q,
                         int64_t *after, int64_t *offset, int *limit,
                         char (*want)[ID_LEN], int nwant)
{
	static const int sizes[] = { 1, 2, 3, 5, 100 };

	for (size_t si = 0; si < NF(sizes); si++) {
		for (int keyset = 0; keyset < 2; keyset++) {
			int got = 0, ok = 1, pages = 0;

			*after = 0;
			*offset = 0;
			*limit = sizes[si];
			for (;;) {
				struct coll c = { .n = 0 };
				struct lq l = { k, q, &c, 0, 0, 0 };

				if (store_read(g_s, lq_fn, &l) || l.rc_list || c.n > sizes[si] ||
				    ++pages > nwant + 2) {
					ok = 0;
					break;
				}
				for (int i = 0; i < c.n; i++, got++)
					ok = ok && got < nwant && strcmp(c.ids[i], want[got]) == 0;
				ok = ok && l.total == nwant;
				if (c.n < sizes[si])
					break;
				if (keyset)
					*after = c.seqs[c.n - 1];
				else
					*offset += c.n;
			}
			T_CHECK(ok && got == nwant, "%s: %s paging by %d: %d rows of %d",
			        what, keyset ? "keyset" : "offset", sizes[si], got, nwant);
		}
	}
	*after = 0;
	*offset = 0;
	*limit = MAXROWS;
}

static int status_at(const struct instance *in, int64_t now)
{
	return in->p1_end_ms > now ? in->p1_status
	     : in->p2_end_ms > now ? in->p2_status : in->status;
}

static int in_ids(const struct id_list *l, const char *id)
{
	if (!l->set)
		return 1;
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], id) == 0)
			return 1;
	return 0;
}

#define NINST 14
static void test_inst_list(void)
{
	static const char *const regions[] = { "cn-hangzhou", "cn-beijing" };
	static const char *const zones[] = { "z-a", "z-b", "z-c" };
	struct instance v[NINST], other;
	char a[32], b[32];
	char want[MAXROWS][ID_LEN];
	const char *some[4];

	t_acct(a, "ilist");
	t_acct(b, "ilistb");
	for (int i = 0; i < NINST; i++) {
		make(K_INST, &v[i], a, 10 + i, 0);
		snprintf(v[i].region, sizeof(v[i].region), "%s", regions[i % 2]);
		snprintf(v[i].zone, sizeof(v[i].zone), "%s", zones[i % 3]);
		v[i].charge = i % 4 == 0;
		v[i].status = i % INST__COUNT;
		v[i].p1_status = v[i].p2_status = INST_PENDING;
		v[i].p1_end_ms = v[i].p2_end_ms = 0;
		if (i % 5 == 1) { /* still starting at T0 */
			v[i].p1_status = INST_STARTING;
			v[i].p1_end_ms = T0 + 1000;
		}
		T_INTEQ(call(K_INST, OP_INS, NULL, NULL, &v[i], 0), 0, "insert");
	}
	make(K_INST, &other, b, 99, 0); /* same region/zone, other tenant */
	snprintf(other.region, sizeof(other.region), "%s", regions[0]);
	snprintf(other.zone, sizeof(other.zone), "%s", zones[0]);
	other.status = INST_RUNNING;
	other.p1_end_ms = other.p2_end_ms = 0;
	other.charge = 0;
	T_INTEQ(call(K_INST, OP_INS, NULL, NULL, &other, 0), 0, "insert other");

	some[0] = v[1].id; some[1] = v[4].id; some[2] = other.id; some[3] = "i-none";
	const struct {
		const char *what;
		const char *region, *zone;
		int status, charge;
		int ids; /* 0 unset, 1 some[], 2 set but empty */
	} rows[] = {
		{ "all", NULL, NULL, -1, -1, 0 },
		{ "region", "cn-beijing", NULL, -1, -1, 0 },
		{ "zone", NULL, "z-c", -1, -1, 0 },
		{ "region+zone", "cn-hangzhou", "z-a", -1, -1, 0 },
		{ "status running", NULL, NULL, INST_RUNNING, -1, 0 },
		{ "status starting", NULL, NULL, INST_STARTING, -1, 0 },
		{ "status pending", NULL, NULL, INST_PENDING, -1, 0 },
		{ "charge prepaid", NULL, NULL, -1, CHARGE_PREPAID, 0 },
		{ "charge postpaid", NULL, NULL, -1, CHARGE_POSTPAID, 0 },
		{ "ids", NULL, NULL, -1, -1, 1 },
		{ "ids empty set", NULL, NULL, -1, -1, 2 },
		{ "ids+region", "cn-beijing", NULL, -1, -1, 1 },
		{ "no such region", "xx", NULL, -1, -1, 0 },
	};
	for (size_t r = 0; r < NF(rows); r++) {
		struct inst_query q = { .account = a, .region = rows[r].region,
			.zone = rows[r].zone, .status = rows[r].status,
			.charge = rows[r].charge, .now_ms = T0, .limit = MAXROWS };
		int n = 0;

		if (rows[r].ids)
			q.ids = (struct id_list){ some, rows[r].ids == 1 ? 4 : 0, 1 };
		for (int i = 0; i < NINST; i++) {
			const struct instance *in = &v[i];

			if ((q.region && strcmp(in->region, q.region)) ||
			    (q.zone && strcmp(in->zone, q.zone)) ||
			    (q.status >= 0 && status_at(in, T0) != q.status) ||
			    (q.charge >= 0 && in->charge != q.charge) || !in_ids(&q.ids, in->id))
				continue;
			memcpy(want[n++], in->id, ID_LEN);
		}
		check_list(rows[r].what, K_INST, &q, want, n, n);
		if (r == 0 || r == 4)
			check_paging(rows[r].what, K_INST, &q, &q.after_seq, &q.offset,
			             &q.limit, want, n);
	}

	/* a callback's non-zero value stops the walk and is returned */
	{
		struct inst_query q = { .account = a, .status = -1, .charge = -1,
		                        .limit = MAXROWS };
		struct coll c = { .n = 0, .stop_at = 2, .stop_rc = 7 };
		struct lq l = { K_INST, &q, &c, 0, 0, 0 };

		T_INTEQ(store_read(g_s, lq_fn, &l), 0, "stop read");
		T_INTEQ(l.rc_list, 7, "callback value returned");
		T_INTEQ(c.n, 2, "walk stopped");
	}
}

/* The status the user sees moves along the schedule. */
static void test_status_at(void)
{
	struct instance x, y;
	char a[32];

	t_acct(a, "sched");
	make(K_INST, &x, a, 30, 0);
	x.p1_status = INST_STARTING;
	x.p1_end_ms = T0 + 1000;
	x.p2_status = INST_STOPPING;
	x.p2_end_ms = T0 + 2000;
	x.status = INST_STOPPED;
	make(K_INST, &y, a, 31, 0); /* settled: Running throughout */
	y.p1_end_ms = y.p2_end_ms = 0;
	y.p1_status = y.p2_status = INST_PENDING;
	y.status = INST_RUNNING;
	T_INTEQ(call(K_INST, OP_INS, NULL, NULL, &x, 0), 0, "insert x");
	T_INTEQ(call(K_INST, OP_INS, NULL, NULL, &y, 0), 0, "insert y");

	const struct { int64_t now; int status; int x, y; } rows[] = {
		{ T0, INST_STARTING, 1, 0 },
		{ T0 + 999, INST_STARTING, 1, 0 },
		{ T0, INST_STOPPING, 0, 0 },
		{ T0, INST_STOPPED, 0, 0 },
		{ T0, INST_RUNNING, 0, 1 },
		{ T0 + 1000, INST_STARTING, 0, 0 },
		{ T0 + 1000, INST_STOPPING, 1, 0 },
		{ T0 + 1500, INST_STOPPING, 1, 0 },
		{ T0 + 1500, INST_STOPPED, 0, 0 },
		{ T0 + 2000, INST_STOPPING, 0, 0 },
		{ T0 + 2000, INST_STOPPED, 1, 0 },
		{ T0 + 99999, INST_STOPPED, 1, 0 },
		{ T0 + 99999, INST_RUNNING, 0, 1 },
	};
	for (size_t r = 0; r < NF(rows); r++) {
		struct inst_query q = { .account = a, .status = rows[r].status,
			.charge = -1, .now_ms = rows[r].now, .limit = MAXROWS };
		char want[2][ID_LEN], what[64];
		int n = 0;

		if (rows[r].x)
			memcpy(want[n++], x.id, ID_LEN);
		if (rows[r].y)
			memcpy(want[n++], y.id, ID_LEN);
		snprintf(what, sizeof(what), "status %d at T0+%lld", rows[r].status,
		         (long long)(rows[r].now - T0));
		check_list(what, K_INST, &q, want, n, n);
	}
}

#define NDISK 7
static void test_disk_list(void)
{
	struct disk v[NDISK], other;
	char a[32], b[32], i1[ID_LEN], i2[ID_LEN];
	char want[MAXROWS][ID_LEN];
	const char *some[3];

	t_acct(a, "dlist");
	t_acct(b, "dlistb");
	new_id(i1, "i-");
	new_id(i2, "i-");
	const struct { const char *inst, *type, *cat, *region; int charge, dwi; } def[NDISK] = {
		{ i1, "system", "cloud_essd", "cn-hangzhou", 0, 1 },
		{ i1, "data", "cloud_ssd", "cn-hangzhou", 1, 0 },
		{ i1, "data", "cloud_essd", "cn-hangzhou", 0, 1 },
		{ i2, "system", "cloud_essd", "cn-hangzhou", 0, 1 },
		{ "", "data", "cloud_ssd", "cn-hangzhou", 0, 0 },
		{ "", "data", "cloud_essd", "cn-beijing", 1, 0 },
		{ i2, "data", "cloud", "cn-beijing", 1, 1 },
	};
	for (int i = 0; i < NDISK; i++) {
		make(K_DISK, &v[i], a, 40 + i, 0);
		snprintf(v[i].instance_id, sizeof(v[i].instance_id), "%s", def[i].inst);
		snprintf(v[i].type, sizeof(v[i].type), "%s", def[i].type);
		snprintf(v[i].category, sizeof(v[i].category), "%s", def[i].cat);
		snprintf(v[i].region, sizeof(v[i].region), "%s", def[i].region);
		v[i].charge = def[i].charge;
		v[i].delete_with_instance = def[i].dwi;
		T_INTEQ(call(K_DISK, OP_INS, NULL, NULL, &v[i], 0), 0, "insert disk");
	}
	/* another tenant's disk on the same instance id */
	make(K_DISK, &other, b, 49, 0);
	snprintf(other.instance_id, sizeof(other.instance_id), "%s", i1);
	snprintf(other.type, sizeof(other.type), "system");
	T_INTEQ(call(K_DISK, OP_INS, NULL, NULL, &other, 0), 0, "insert other");

	some[0] = v[2].id; some[1] = v[4].id; some[2] = other.id;
	const struct {
		const char *what, *region, *inst, *type, *cat;
		int attached, charge, dwi, ids;
	} rows[] = {
		{ "all", NULL, NULL, NULL, NULL, -1, -1, -1, 0 },
		{ "instance i1", NULL, i1, NULL, NULL, -1, -1, -1, 0 },
		{ "instance i2 data", NULL, i2, "data", NULL, -1, -1, -1, 0 },
		{ "system", NULL, NULL, "system", NULL, -1, -1, -1, 0 },
		{ "data", NULL, NULL, "data", NULL, -1, -1, -1, 0 },
		{ "category", NULL, NULL, NULL, "cloud_essd", -1, -1, -1, 0 },
		{ "attached", NULL, NULL, NULL, NULL, 1, -1, -1, 0 },
		{ "available", NULL, NULL, NULL, NULL, 0, -1, -1, 0 },
		{ "prepaid", NULL, NULL, NULL, NULL, -1, 1, -1, 0 },
		{ "delete_with_instance 0", NULL, NULL, NULL, NULL, -1, -1, 0, 0 },
		{ "delete_with_instance 1", NULL, NULL, NULL, NULL, -1, -1, 1, 0 },
		{ "region", "cn-beijing", NULL, NULL, NULL, -1, -1, -1, 0 },
		{ "ids", NULL, NULL, NULL, NULL, -1, -1, -1, 1 },
		{ "ids empty set", NULL, NULL, NULL, NULL, -1, -1, -1, 2 },
		{ "combined", "cn-hangzhou", i1, "data", "cloud_ssd", 1, 1, 0, 0 },
	};
	for (size_t r = 0; r < NF(rows); r++) {
		struct disk_query q = { .account = a, .region = rows[r].region,
			.instance_id = rows[r].inst, .type = rows[r].type,
			.category = rows[r].cat, .attached = rows[r].attached,
			.charge = rows[r].charge, .delete_with_instance = rows[r].dwi,
			.limit = MAXROWS };
		int n = 0;

		if (rows[r].ids)
			q.ids = (struct id_list){ some, rows[r].ids == 1 ? 3 : 0, 1 };
		for (int i = 0; i < NDISK; i++) {
			const struct disk *d = &v[i];

			if ((q.region && strcmp(d->region, q.region)) ||
			    (q.instance_id && strcmp(d->instance_id, q.instance_id)) ||
			    (q.type && strcmp(d->type, q.type)) ||
			    (q.category && strcmp(d->category, q.category)) ||
			    (q.attached >= 0 && (d->instance_id[0] != '\0') != q.attached) ||
			    (q.charge >= 0 && d->charge != q.charge) ||
			    (q.delete_with_instance >= 0 &&
			     d->delete_with_instance != q.delete_with_instance) ||
			    !in_ids(&q.ids, d->id))
				continue;
			memcpy(want[n++], d->id, ID_LEN);
		}
		check_list(rows[r].what, K_DISK, &q, want, n, n);
		if (r == 0)
			check_paging("disks", K_DISK, &q, &q.after_seq, &q.offset,
			             &q.limit, want, n);
	}
}

struct dauto {
	const char *acct, *disk;
	int64_t n;
};

static int dauto_fn(struct store_tx *tx, void *arg)
{
	struct dauto *x = arg;

	return store_snap_delete_auto(tx, x->acct, x->disk, &x->n);
}

#define NSNAP 7
static void test_snap_list(void)
{
	struct disk d[4], od;
	struct snapshot v[NSNAP], os;
	char a[32], b[32], ia[ID_LEN], ib[ID_LEN];
	char want[MAXROWS][ID_LEN];
	const char *some[2];

	t_acct(a, "slist");
	t_acct(b, "slistb");
	new_id(ia, "i-");
	new_id(ib, "i-");
	const char *att[4] = { ia, ia, ib, "" };
	for (int i = 0; i < 4; i++) {
		make(K_DISK, &d[i], a, 50 + i, 0);
		snprintf(d[i].instance_id, sizeof(d[i].instance_id), "%s", att[i]);
		T_INTEQ(call(K_DISK, OP_INS, NULL, NULL, &d[i], 0), 0, "insert disk");
	}
	make(K_DISK, &od, b, 59, 0); /* other tenant's disk on instance ia */
	snprintf(od.instance_id, sizeof(od.instance_id), "%s", ia);
	T_INTEQ(call(K_DISK, OP_INS, NULL, NULL, &od, 0), 0, "insert other disk");

	const struct { int disk, is_auto, status; const char *region; } def[NSNAP] = {
		{ 0, 0, SNAP_ACCOMPLISHED, "cn-hangzhou" },
		{ 0, 1, SNAP_ACCOMPLISHED, "cn-hangzhou" },
		{ 1, 1, SNAP_PROGRESSING, "cn-hangzhou" },
		{ 2, 0, SNAP_ACCOMPLISHED, "cn-beijing" },
		{ 3, 1, SNAP_FAILED, "cn-hangzhou" },
		{ 0, 1, SNAP_FAILED, "cn-hangzhou" },
		{ 1, 0, SNAP_ACCOMPLISHED, "cn-hangzhou" },
	};
	for (int i = 0; i < NSNAP; i++) {
		make(K_SNAP, &v[i], a, 60 + i, 0);
		snprintf(v[i].source_disk_id, sizeof(v[i].source_disk_id), "%s", d[def[i].disk].id);
		snprintf(v[i].region, sizeof(v[i].region), "%s", def[i].region);
		v[i].is_auto = def[i].is_auto;
		v[i].status = def[i].status;
		T_INTEQ(call(K_SNAP, OP_INS, NULL, NULL, &v[i], 0), 0, "insert snap");
	}
	make(K_SNAP, &os, b, 69, 0);
	snprintf(os.source_disk_id, sizeof(os.source_disk_id), "%s", od.id);
	os.is_auto = 1;
	T_INTEQ(call(K_SNAP, OP_INS, NULL, NULL, &os, 0), 0, "insert other snap");

	some[0] = v[3].id; some[1] = os.id;
	const struct {
		const char *what, *region;
		int disk;            /* index into d[], -1 any */
		const char *inst;
		int is_auto, status, ids;
	} rows[] = {
		{ "all", NULL, -1, NULL, -1, -1, 0 },
		{ "disk 0", NULL, 0, NULL, -1, -1, 0 },
		{ "instance ia (join)", NULL, -1, ia, -1, -1, 0 },
		{ "instance ib (join)", NULL, -1, ib, -1, -1, 0 },
		{ "instance ia auto", NULL, -1, ia, 1, -1, 0 },
		{ "auto", NULL, -1, NULL, 1, -1, 0 },
		{ "user", NULL, -1, NULL, 0, -1, 0 },
		{ "failed", NULL, -1, NULL, -1, SNAP_FAILED, 0 },
		{ "region", "cn-beijing", -1, NULL, -1, -1, 0 },
		{ "ids", NULL, -1, NULL, -1, -1, 1 },
		{ "ids empty set", NULL, -1, NULL, -1, -1, 2 },
	};
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 1) { /* detach disk 1: its snapshots leave instance ia */
			snprintf(d[1].instance_id, sizeof(d[1].instance_id), "%s", "");
			T_INTEQ(call(K_DISK, OP_UPD, NULL, NULL, &d[1], 0), 0, "detach");
		}
		for (size_t r = 0; r < NF(rows); r++) {
			struct snap_query q = { .account = a, .region = rows[r].region,
				.disk_id = rows[r].disk >= 0 ? d[rows[r].disk].id : NULL,
				.instance_id = rows[r].inst, .is_auto = rows[r].is_auto,
				.status = rows[r].status, .limit = MAXROWS };
			char what[80];
			int cnt = 0;

			if (rows[r].ids)
				q.ids = (struct id_list){ some, rows[r].ids == 1 ? 2 : 0, 1 };
			for (int i = 0; i < NSNAP; i++) {
				const struct snapshot *s = &v[i];
				const struct disk *sd = &d[def[i].disk];

				if ((q.region && strcmp(s->region, q.region)) ||
				    (q.disk_id && strcmp(s->source_disk_id, q.disk_id)) ||
				    (q.instance_id && strcmp(sd->instance_id, q.instance_id)) ||
				    (q.is_auto >= 0 && s->is_auto != q.is_auto) ||
				    (q.status >= 0 && s->status != q.status) ||
				    !in_ids(&q.ids, s->id))
					continue;
				memcpy(want[cnt++], s->id, ID_LEN);
			}
			snprintf(what, sizeof(what), "%s (pass %d)", rows[r].what, pass);
			check_list(what, K_SNAP, &q, want, cnt, cnt);
			if (r == 0 && pass == 0)
				check_paging("snapshots", K_SNAP, &q, &q.after_seq, &q.offset,
				             &q.limit, want, cnt);
		}
	}

	/* delete_auto: only the automatic snapshots of that disk, this tenant */
	const struct { const char *acct, *disk; int64_t want; } del[] = {
		{ b, d[0].id, 0 },   /* other tenant: nothing */
		{ a, "d-none", 0 },
		{ a, d[0].id, 2 },   /* v[1] and v[5] */
		{ a, d[0].id, 0 },   /* again */
	};
	for (size_t r = 0; r < NF(del); r++) {
		struct dauto x = { del[r].acct, del[r].disk, -1 };

		T_INTEQ(store_write(g_s, dauto_fn, &x), 0, "delete_auto");
		T_INTEQ(x.n, del[r].want, "delete_auto count");
	}
	for (int i = 0; i < NSNAP; i++) {
		struct snapshot got;
		int gone = def[i].disk == 0 && def[i].is_auto;

		T_INTEQ(call(K_SNAP, OP_GET, a, v[i].id, &got, 0),
		        gone ? STORE_NOTFOUND : 0, "after delete_auto");
	}
	{
		struct snapshot got;

		T_INTEQ(call(K_SNAP, OP_GET, b, os.id, &got, 0), 0, "other tenant kept");
	}
}

/* ---- idempotency tokens ---- */

struct tok {
	const char *acct, *action, *token, *hash, *result;
	char got_hash[65];
	struct buf got;
};

static int tok_put_fn(struct store_tx *tx, void *arg)
{
	struct tok *t = arg;

	return store_token_put(tx, t->acct, t->action, t->token, t->hash, t->result, T0);
}

static int tok_get_fn(struct store_tx *tx, void *arg)
{
	struct tok *t = arg;

	return store_token_get(tx, t->acct, t->action, t->token, t->got_hash, &t->got);
}

static void test_tokens(void)
{
	static const char h1[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	char a[32], b[32], tk[64], big[4001];

	t_acct(a, "tok");
	t_acct(b, "tokb");
	snprintf(tk, sizeof(tk), "tok-%s", g_tag);
	for (size_t i = 0; i < sizeof(big) - 1; i++)
		big[i] = "ab\"'\n{}\\"[i % 8];
	big[sizeof(big) - 1] = '\0';

	const struct {
		const char *what, *acct, *action, *token, *hash, *result;
		int put_rc; /* then a get of the same key returns hash/result */
	} rows[] = {
		{ "put", a, "RunInstances", tk, h1, "{\"InstanceIdSets\":[\"i-1\"],\"\xc3\xbc\":1}", 0 },
		{ "same token, other action", a, "CreateDisk", tk, "ff", "", 0 },
		{ "same token, other account", b, "RunInstances", tk, "ee", "b's", 0 },
		{ "big result", a, "DeleteInstances", tk, h1, big, 0 },
	};
	for (size_t r = 0; r < NF(rows); r++) {
		struct tok t = { rows[r].acct, rows[r].action, rows[r].token,
		                 rows[r].hash, rows[r].result, "", { 0 } };

		buf_init(&t.got, 64 * 1024);
		T_INTEQ(store_write(g_s, tok_put_fn, &t), rows[r].put_rc, rows[r].what);
		T_INTEQ(store_write(g_s, tok_put_fn, &t), STORE_ECONFLICT, "put twice");
		T_INTEQ(store_read(g_s, tok_get_fn, &t), 0, rows[r].what);
		T_STREQ(t.got_hash, rows[r].hash, "hash");
		T_STREQ(buf_cstr(&t.got), rows[r].result, "result");
		buf_free(&t.got);
	}
	{
		struct tok t = { a, "StopInstance", tk, NULL, NULL, "", { 0 } };

		buf_init(&t.got, 1024);
		T_INTEQ(store_read(g_s, tok_get_fn, &t), STORE_NOTFOUND, "token missing");
		t.acct = "nobody";
		t.action = "RunInstances";
		T_INTEQ(store_read(g_s, tok_get_fn, &t), STORE_NOTFOUND, "token other account");
		buf_free(&t.got);
	}
}

/* ---- transactions: rollback, group commit, read isolation ---- */

/* Inserts an instance and a disk, then returns ret: all or nothing. */
struct pair {
	struct instance in;
	struct disk d;
	int ret;
	int rc;
};

static int pair_fn(struct store_tx *tx, void *arg)
{
	struct pair *p = arg;
	int rc = store_inst_insert(tx, &p->in);

	if (rc == 0)
		rc = store_disk_insert(tx, &p->d);
	return rc ? rc : p->ret;
}

static void pair_make(struct pair *p, const char *a, int seed, int ret)
{
	make(K_INST, &p->in, a, seed, 0);
	make(K_DISK, &p->d, a, seed, 0);
	snprintf(p->d.instance_id, sizeof(p->d.instance_id), "%s", p->in.id);
	p->ret = ret;
	p->rc = -100;
}

static int pair_present(const struct pair *p)
{
	struct instance gi;
	struct disk gd;
	int ri = call(K_INST, OP_GET, p->in.account, p->in.id, &gi, 0);
	int rd = call(K_DISK, OP_GET, p->d.account, p->d.id, &gd, 0);

	if (ri == 0 && rd == 0)
		return 1;
	if (ri == STORE_NOTFOUND && rd == STORE_NOTFOUND)
		return 0;
	return -1; /* half a job: atomicity broken */
}

#define NTHREADS 8
#define PER_THREAD 30

struct worker {
	struct pair jobs[PER_THREAD];
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	for (int j = 0; j < PER_THREAD; j++)
		w->jobs[j].rc = store_write(g_s, pair_fn, &w->jobs[j]);
	return NULL;
}

static void test_rollback(void)
{
	char a[32];
	struct pair p;
	static struct worker w[NTHREADS];
	pthread_t th[NTHREADS];
	int64_t ok = 0, total = -1;

	t_acct(a, "txn");
	const struct { const char *what; int ret; } rows[] = {
		{ "positive rc", 42 },
		{ "negative rc", STORE_NOTFOUND },
		{ "zero commits", 0 },
	};
	for (size_t r = 0; r < NF(rows); r++) {
		pair_make(&p, a, 70 + (int)r, rows[r].ret);
		T_INTEQ(store_write(g_s, pair_fn, &p), rows[r].ret, rows[r].what);
		T_INTEQ(pair_present(&p), rows[r].ret == 0, rows[r].what);
		if (rows[r].ret == 0)
			ok++;
	}

	/* 8 threads at once: jobs share commits; failures roll back alone */
	for (int t = 0; t < NTHREADS; t++)
		for (int j = 0; j < PER_THREAD; j++)
			pair_make(&w[t].jobs[j], a, 100 + t * PER_THREAD + j,
			          (t * PER_THREAD + j) % 3 == 0 ? 42 : 0);
	/* one job per thread collides with an id taken earlier in this test */
	for (int t = 0; t < NTHREADS; t++)
		memcpy(w[t].jobs[PER_THREAD - 1].in.id, p.in.id, ID_LEN);
	for (int t = 0; t < NTHREADS; t++)
		T_CHECK(pthread_create(&th[t], NULL, worker_main, &w[t]) == 0, "thread");
	for (int t = 0; t < NTHREADS; t++)
		pthread_join(th[t], NULL);
	for (int t = 0; t < NTHREADS; t++) {
		for (int j = 0; j < PER_THREAD; j++) {
			const struct pair *q = &w[t].jobs[j];
			int want = j == PER_THREAD - 1 ? STORE_ECONFLICT : q->ret;

			T_INTEQ(q->rc, want, "concurrent job rc");
			if (j < PER_THREAD - 1)
				T_INTEQ(pair_present(q), q->rc == 0, "concurrent job effect");
			else
				T_INTEQ(call(K_DISK, OP_GET, a, q->d.id, &p.d, 0),
				        STORE_NOTFOUND, "conflicting job left nothing");
			ok += q->rc == 0;
		}
	}
	{
		struct inst_query q = { .account = a, .status = -1, .charge = -1 };
		struct lq l = { K_INST, &q, NULL, 0, 0, 0 };
		struct coll c = { .n = 0 };

		l.out = &c;
		q.limit = 1;
		T_INTEQ(store_read(g_s, lq_fn, &l), 0, "count");
		total = l.total;
		T_INTEQ(total, ok, "exactly the committed jobs are stored");
	}
}

static int insert_inst_fn(struct store_tx *tx, void *arg)
{
	return store_inst_insert(tx, arg);
}

static void test_read_only(void)
{
	char a[32];
	struct instance in, got;

	t_acct(a, "ro");
	make(K_INST, &in, a, 80, 0);
	T_CHECK(store_read(g_s, insert_inst_fn, &in) < 0, "store_read refuses writes");
	T_INTEQ(call(K_INST, OP_GET, a, in.id, &got, 0), STORE_NOTFOUND, "nothing written");
}

/* A write holds its transaction open; a read meanwhile must not wait. */
struct slow {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int inside, read_done, rc;
	struct instance in;
};

static int slow_fn(struct store_tx *tx, void *arg)
{
	struct slow *s = arg;
	struct timespec until;
	int rc = store_inst_insert(tx, &s->in);

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 5;
	pthread_mutex_lock(&s->mu);
	s->inside = 1;
	pthread_cond_broadcast(&s->cv);
	while (!s->read_done &&
	       pthread_cond_timedwait(&s->cv, &s->mu, &until) != ETIMEDOUT)
		;
	pthread_mutex_unlock(&s->mu);
	return rc;
}

static void *slow_main(void *arg)
{
	struct slow *s = arg;

	s->rc = store_write(g_s, slow_fn, s);
	return NULL;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_read_not_blocked(void)
{
	static struct slow s = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0, { .id = "" } };
	struct instance got;
	char a[32];
	pthread_t th;
	double t0;
	int rc;

	t_acct(a, "wal");
	make(K_INST, &s.in, a, 81, 0);
	T_CHECK(pthread_create(&th, NULL, slow_main, &s) == 0, "thread");
	pthread_mutex_lock(&s.mu);
	while (!s.inside)
		pthread_cond_wait(&s.cv, &s.mu);
	pthread_mutex_unlock(&s.mu);
	t0 = now_s();
	rc = call(K_INST, OP_GET, a, s.in.id, &got, 0);
	T_CHECK(now_s() - t0 < 2.0, "read waited %.2fs behind the writer", now_s() - t0);
	T_INTEQ(rc, STORE_NOTFOUND, "uncommitted row invisible to a read");
	pthread_mutex_lock(&s.mu);
	s.read_done = 1;
	pthread_cond_broadcast(&s.cv);
	pthread_mutex_unlock(&s.mu);
	pthread_join(th, NULL);
	T_INTEQ(s.rc, 0, "slow write");
	T_INTEQ(call(K_INST, OP_GET, a, s.in.id, &got, 0), 0, "visible after commit");
}

static void test_nonce(void)
{
	char akid[32];

	snprintf(akid, sizeof(akid), "LTAI%s", g_tag);
	const struct { const char *nonce; int64_t now; int want; } rows[] = {
		{ "n1", T0, 0 },
		{ "n1", T0 + 1000, 1 },
		{ "n2", T0 + 1000, 0 },
		{ "n2", T0 + 2000, 1 },
	};
	for (size_t r = 0; r < NF(rows); r++)
		T_INTEQ(store_nonce_use(g_s, akid, rows[r].nonce, rows[r].now,
		                        (int64_t)LIM_AUTH_WINDOW_S * 1000),
		        rows[r].want, rows[r].nonce);
}

/* ---- restart, schema ---- */

static int reopen(void)
{
	char err[256] = "";
	int rc;

	store_close(g_s);
	g_s = NULL;
	rc = store_open(&g_opts, &g_s, err, sizeof(err));
	T_CHECK(rc == 0 && g_s, "reopen: %s", err);
	return rc;
}

static void test_restart(void)
{
	char a[32];
	struct instance in, got, later;

	t_acct(a, "dur");
	make(K_INST, &in, a, 90, 1);
	T_INTEQ(call(K_INST, OP_INS, NULL, NULL, &in, 0), 0, "insert");
	for (int durable = 0; durable < 2; durable++) {
		g_opts.durable = durable;
		if (reopen())
			return;
		T_INTEQ(call(K_INST, OP_GET, a, in.id, &got, 0), 0, "found after restart");
		same("instance(restart)", &got, &in, inst_fields, NF(inst_fields));
	}
	make(K_INST, &later, a, 91, 0);
	T_INTEQ(call(K_INST, OP_INS, NULL, NULL, &later, 0), 0, "insert after restart");
	T_CHECK(later.seq > in.seq, "seq keeps growing across restarts");
}

static int sql_int(sqlite3 *db, const char *sql, long long *out)
{
	sqlite3_stmt *st = NULL;
	int ok = sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	         sqlite3_step(st) == SQLITE_ROW;

	if (ok)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return ok ? 0 : -1;
}

/* SQLite only: schema_version is recorded and a newer database refused. */
static void test_sqlite_schema(void)
{
	char path[PATH_MAX + 16], err[256] = "";
	sqlite3 *db = NULL;
	long long v = -1, v2 = -1;
	struct store *s2 = NULL;

	if (strcmp(store_backend_name(g_s), "sqlite") != 0)
		return;
	snprintf(path, sizeof(path), "%s/ecsd.db", g_dir);
	T_CHECK(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK, "open db");
	sqlite3_busy_timeout(db, 5000);
	T_CHECK(sql_int(db, "SELECT max(version) FROM schema_version", &v) == 0 && v >= 1,
	        "schema_version recorded (%lld)", v);
	T_CHECK(sql_int(db, "SELECT count(*) FROM schema_version", &v2) == 0 && v2 == 1,
	        "one schema_version row");
	T_CHECK(sql_int(db, "SELECT count(*) FROM pragma_journal_mode WHERE journal_mode='wal'",
	                &v2) == 0 && v2 == 1, "WAL mode");
	store_close(g_s);
	g_s = NULL;
	T_CHECK(sqlite3_exec(db, "UPDATE schema_version SET version=version+1000",
	                     NULL, NULL, NULL) == SQLITE_OK, "bump version");
	T_CHECK(store_open(&g_opts, &s2, err, sizeof(err)) < 0, "newer schema refused");
	T_CHECK(strstr(err, "newer") != NULL, "clear message: \"%s\"", err);
	store_close(s2);
	T_CHECK(sqlite3_exec(db, "UPDATE schema_version SET version=version-1000",
	                     NULL, NULL, NULL) == SQLITE_OK, "restore version");
	sqlite3_close(db);
	T_INTEQ(store_open(&g_opts, &g_s, err, sizeof(err)), 0, "open after restore");
}

/* ---- setup ---- */

static void rm_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[PATH_MAX + 256];

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

int main(void)
{
	const char *uri = getenv("ECSD_TEST_STORE");
	char err[256] = "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	rand_tag();
	if (uri && *uri) {
		g_opts.uri = uri;
	} else {
		snprintf(g_dir, sizeof(g_dir), "/tmp/ecsd-store-XXXXXX");
		if (!mkdtemp(g_dir)) {
			perror("mkdtemp");
			return 1;
		}
		/* a subdirectory the backend must create itself */
		strncat(g_dir, "/data", sizeof(g_dir) - strlen(g_dir) - 1);
		g_opts.uri = g_dir;
	}
	g_opts.durable = 1;
	if (store_open(&g_opts, &g_s, err, sizeof(err)) != 0) {
		printf("not ok: store_open: %s\n", err);
		return 1;
	}
	printf("# backend %s, tag %s\n", store_backend_name(g_s), g_tag);

	test_crud();
	test_inst_list();
	test_status_at();
	test_disk_list();
	test_snap_list();
	test_tokens();
	test_rollback();
	test_read_only();
	test_read_not_blocked();
	test_nonce();
	test_restart();
	test_sqlite_schema();

	store_close(g_s);
	if (g_dir[0]) {
		char *slash;

		rm_dir(g_dir);
		slash = strrchr(g_dir, '/');
		if (slash)
			*slash = '\0';
		rmdir(g_dir);
	}
	return t_done("store");
}
