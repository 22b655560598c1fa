/* store_fixture.h - the shared part of the store conformance suite: random
 * ids and accounts, field tables with fill/compare, and the type-erased entity
 * kinds. Only test_store.c includes it; only store_*() calls, no SQL. */
#ifndef ECSD_STORE_FIXTURE_H
#define ECSD_STORE_FIXTURE_H
#include "t.h"
#include "../../src/store/store.h"
#include "../../src/common/limits.h"
#include <limits.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
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
	FT(instance, key_pair_name), FN(instance, auto_release_ms, F_I64),
	FT(instance, vpc_id), FT(instance, vswitch_id), FT(instance, private_ip),
	FT(instance, eni_id), FT(instance, mac), FT(instance, sg_ids),
	FT(instance, public_ip), FN(instance, bandwidth_out, F_INT),
	FT(instance, eip_id), FT(instance, eip_ip), FN(instance, eip_bandwidth, F_INT),
	FT(instance, eip_charge),
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

#endif
