/* store_cases_ctl.h - store conformance cases for the control API's
 * needs (issue 15): the shared kv documents (get, put, overwrite, scan,
 * rollback), the purge of one account (or all) touching no other account,
 * and the Status filter seeing an expired subscription as Stopped.
 * Only test_store.c includes it. */
#ifndef ECSD_STORE_CASES_CTL_H
#define ECSD_STORE_CASES_CTL_H
#include "store_fixture.h"
#include "store_cases_res.h"

struct kv_op {
	const char *key, *val;   /* val NULL: get */
	struct buf got;
	int then;
};

static int kv_fn(struct store_tx *tx, void *arg)
{
	struct kv_op *o = arg;
	int rc = o->val ? store_kv_put(tx, o->key, o->val)
	                : store_kv_get(tx, o->key, &o->got);

	return rc ? rc : o->then;
}

struct kv_scan {
	char want[2][64];
	int seen[2], other;
};

static int kv_scan_cb(void *arg, const char *key, const char *val)
{
	struct kv_scan *s = arg;

	for (int i = 0; i < 2; i++)
		if (strcmp(key, s->want[i]) == 0) {
			s->seen[i] = strcmp(val, i ? "[1,2]" : "42") == 0 ? 1 : -1;
			return 0;
		}
	s->other++;
	return 0;
}

static void test_kv(void)
{
	struct kv_op o = { 0 };
	struct kv_scan sc = { 0 };
	char k1[64], k2[64];

	snprintf(k1, sizeof(k1), "t-%s-a", g_tag);
	snprintf(k2, sizeof(k2), "t-%s-b", g_tag);
	buf_init(&o.got, 4096);
	o.key = k1;
	T_INTEQ(store_read(g_s, kv_fn, &o), STORE_NOTFOUND, "kv get of an unset key");
	o.val = "41";
	T_INTEQ(store_write(g_s, kv_fn, &o), 0, "kv put");
	o.val = "42";
	T_INTEQ(store_write(g_s, kv_fn, &o), 0, "kv overwrite");
	o.val = "99";
	o.then = 7;
	T_INTEQ(store_write(g_s, kv_fn, &o), 7, "kv put in a rolled-back job");
	o.then = 0;
	o.val = NULL;
	T_INTEQ(store_read(g_s, kv_fn, &o), 0, "kv get");
	T_STREQ(buf_cstr(&o.got), "42", "kv value after overwrite and rollback");
	o.key = k2;
	o.val = "[1,2]";
	T_INTEQ(store_write(g_s, kv_fn, &o), 0, "kv put of a second key");
	snprintf(sc.want[0], 64, "%s", k1);
	snprintf(sc.want[1], 64, "%s", k2);
	T_INTEQ(store_kv_scan(g_s, kv_scan_cb, &sc), 0, "kv scan");
	T_CHECK(sc.seen[0] == 1 && sc.seen[1] == 1, "kv scan sees both keys with their values");
	buf_free(&o.got);
}

static int purge_fn(struct store_tx *tx, void *arg)
{
	return store_purge(tx, arg);
}

struct acct_counts {
	const char *acct;
	int64_t i, d, s, r;
	int tok;
};

static int acct_count_fn(struct store_tx *tx, void *arg)
{
	struct acct_counts *c = arg;
	struct inst_query iq = { .account = c->acct, .status = -1, .charge = -1 };
	struct disk_query dq = { .account = c->acct, .attached = -1, .charge = -1,
	                         .delete_with_instance = -1 };
	struct snap_query sq = { .account = c->acct, .is_auto = -1, .status = -1 };
	struct res_query rq = { .account = c->acct };
	char hash[65];
	struct buf b;
	int rc;

	buf_init(&b, 4096);
	if ((rc = store_inst_count(tx, &iq, &c->i)) || (rc = store_disk_count(tx, &dq, &c->d)) ||
	    (rc = store_snap_count(tx, &sq, &c->s)) || (rc = store_res_count(tx, &rq, &c->r))) {
		buf_free(&b);
		return rc;
	}
	c->tok = store_token_get(tx, c->acct, "RunInstances", "tok", hash, &b) == 0;
	buf_free(&b);
	return 0;
}

static int seed_fn(struct store_tx *tx, void *arg)
{
	const char *a = arg;
	struct instance in;
	struct disk d;
	struct snapshot sn;
	struct res r;
	int rc;

	make(K_INST, &in, a, 3, 0);
	make(K_DISK, &d, a, 4, 0);
	make(K_SNAP, &sn, a, 5, 0);
	res_make(&r, a, "vpc", "", "", 1);
	rc = store_inst_insert(tx, &in);
	if (!rc) rc = store_disk_insert(tx, &d);
	if (!rc) rc = store_snap_insert(tx, &sn);
	if (!rc) rc = store_res_insert(tx, &r);
	if (!rc) rc = store_token_put(tx, a, "RunInstances", "tok", "h", "{}", T0);
	json_decref((json_t *)r.doc);
	return rc;
}

static void test_purge(void)
{
	char a[32], b[32];
	struct acct_counts ca = { 0 }, cb = { 0 };

	t_acct(a, "purge-a");
	t_acct(b, "purge-b");
	T_INTEQ(store_write(g_s, seed_fn, a), 0, "seed account a");
	T_INTEQ(store_write(g_s, seed_fn, b), 0, "seed account b");
	T_INTEQ(store_write(g_s, purge_fn, a), 0, "purge account a");
	ca.acct = a;
	cb.acct = b;
	T_INTEQ(store_read(g_s, acct_count_fn, &ca), 0, "count a");
	T_INTEQ(store_read(g_s, acct_count_fn, &cb), 0, "count b");
	T_CHECK(ca.i == 0 && ca.d == 0 && ca.s == 0 && ca.r == 0 && !ca.tok,
	        "purged account: %lld %lld %lld %lld %d", (long long)ca.i,
	        (long long)ca.d, (long long)ca.s, (long long)ca.r, ca.tok);
	T_CHECK(cb.i == 1 && cb.d == 1 && cb.s == 1 && cb.r == 1 && cb.tok,
	        "the other account is untouched: %lld %lld %lld %lld %d",
	        (long long)cb.i, (long long)cb.d, (long long)cb.s, (long long)cb.r, cb.tok);
	T_INTEQ(store_write(g_s, purge_fn, b), 0, "purge account b");
}

struct exp_q {
	const char *acct;
	int64_t stopped, running;
};

static int exp_fn(struct store_tx *tx, void *arg)
{
	struct exp_q *e = arg;
	struct inst_query q = { .account = e->acct, .status = INST_STOPPED,
	                        .charge = -1, .now_ms = T0 };
	int rc = store_inst_count(tx, &q, &e->stopped);

	q.status = INST_RUNNING;
	return rc ? rc : store_inst_count(tx, &q, &e->running);
}

static void test_expired_status(void)
{
	char a[32];
	struct instance in;
	struct exp_q e = { 0 };

	t_acct(a, "expired");
	for (int i = 0; i < 3; i++) {
		make(K_INST, &in, a, 10 + i, 0);
		in.status = INST_RUNNING;
		in.p1_end_ms = in.p2_end_ms = 0;
		in.charge = i == 2 ? CHARGE_POSTPAID : CHARGE_PREPAID;
		in.expired_ms = i == 1 ? T0 + 1 : T0;   /* 0: expired at T0 */
		T_INTEQ(call(K_INST, OP_INS, a, NULL, &in, 0), 0, "insert");
	}
	e.acct = a;
	T_INTEQ(store_read(g_s, exp_fn, &e), 0, "status counts");
	T_INTEQ(e.stopped, 1, "an expired PrePaid instance is Stopped to the Status filter");
	T_INTEQ(e.running, 2, "not yet expired, and PostPaid, stay Running");
	T_INTEQ(store_write(g_s, purge_fn, a), 0, "purge");
}

static void test_ctl(void)
{
	test_kv();
	test_purge();
	test_expired_status();
}

#endif
