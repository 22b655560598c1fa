/* store_cases_rows.h - store conformance cases on rows: round trip, tenant
 * isolation, NOTFOUND, ECONFLICT, and every list/count filter with paging.
 * Only test_store.c includes it; no ECS rules here. */
#ifndef ECSD_STORE_CASES_ROWS_H
#define ECSD_STORE_CASES_ROWS_H
#include "store_fixture.h"

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
	if (in->charge == CHARGE_PREPAID && in->expired_ms > 0 && in->expired_ms <= now)
		return INST_STOPPED;   /* an ended subscription */
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
	const struct { const char *inst, *type, *cat, *region, *zone; int charge, dwi; } def[NDISK] = {
		{ i1, "system", "cloud_essd", "cn-hangzhou", "z-a", 0, 1 },
		{ i1, "data", "cloud_ssd", "cn-hangzhou", "z-a", 1, 0 },
		{ i1, "data", "cloud_essd", "cn-hangzhou", "z-a", 0, 1 },
		{ i2, "system", "cloud_essd", "cn-hangzhou", "z-b", 0, 1 },
		{ "", "data", "cloud_ssd", "cn-hangzhou", "z-b", 0, 0 },
		{ "", "data", "cloud_essd", "cn-beijing", "z-c", 1, 0 },
		{ i2, "data", "cloud", "cn-beijing", "z-b", 1, 1 },
	};
	for (int i = 0; i < NDISK; i++) {
		make(K_DISK, &v[i], a, 40 + i, 0);
		snprintf(v[i].instance_id, sizeof(v[i].instance_id), "%s", def[i].inst);
		snprintf(v[i].type, sizeof(v[i].type), "%s", def[i].type);
		snprintf(v[i].category, sizeof(v[i].category), "%s", def[i].cat);
		snprintf(v[i].region, sizeof(v[i].region), "%s", def[i].region);
		snprintf(v[i].zone, sizeof(v[i].zone), "%s", def[i].zone);
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
		const char *zone;
	} rows[] = {
		{ "all", NULL, NULL, NULL, NULL, -1, -1, -1, 0, NULL },
		{ "zone", NULL, NULL, NULL, NULL, -1, -1, -1, 0, "z-b" },
		{ "zone nobody uses", NULL, NULL, NULL, NULL, -1, -1, -1, 0, "z-x" },
		{ "zone+type", NULL, NULL, "data", NULL, -1, -1, -1, 0, "z-b" },
		{ "instance i1", NULL, i1, NULL, NULL, -1, -1, -1, 0, NULL },
		{ "instance i2 data", NULL, i2, "data", NULL, -1, -1, -1, 0, NULL },
		{ "system", NULL, NULL, "system", NULL, -1, -1, -1, 0, NULL },
		{ "data", NULL, NULL, "data", NULL, -1, -1, -1, 0, NULL },
		{ "category", NULL, NULL, NULL, "cloud_essd", -1, -1, -1, 0, NULL },
		{ "attached", NULL, NULL, NULL, NULL, 1, -1, -1, 0, NULL },
		{ "available", NULL, NULL, NULL, NULL, 0, -1, -1, 0, NULL },
		{ "prepaid", NULL, NULL, NULL, NULL, -1, 1, -1, 0, NULL },
		{ "delete_with_instance 0", NULL, NULL, NULL, NULL, -1, -1, 0, 0, NULL },
		{ "delete_with_instance 1", NULL, NULL, NULL, NULL, -1, -1, 1, 0, NULL },
		{ "region", "cn-beijing", NULL, NULL, NULL, -1, -1, -1, 0, NULL },
		{ "ids", NULL, NULL, NULL, NULL, -1, -1, -1, 1, NULL },
		{ "ids empty set", NULL, NULL, NULL, NULL, -1, -1, -1, 2, NULL },
		{ "combined", "cn-hangzhou", i1, "data", "cloud_ssd", 1, 1, 0, 0, NULL },
	};
	for (size_t r = 0; r < NF(rows); r++) {
		struct disk_query q = { .account = a, .region = rows[r].region,
			.instance_id = rows[r].inst, .type = rows[r].type,
			.zone = rows[r].zone,
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
			    (q.zone && strcmp(d->zone, q.zone)) ||
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

#endif
