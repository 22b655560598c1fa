/* store_cases_res.h - store conformance cases for the generic resources
 * table: round trip of the fixed columns and the JSON document, tenancy,
 * kind, NOTFOUND, ECONFLICT, every list/count filter with paging, and a
 * rolled-back job leaving nothing. Only test_store.c includes it. */
#ifndef ECSD_STORE_CASES_RES_H
#define ECSD_STORE_CASES_RES_H
#include "store_fixture.h"
#include <jansson.h>
#include <stdlib.h>

struct res_op {
	int op;                  /* 0 get, 1 insert, 2 update, 3 delete */
	const char *acct, *kind, *id;
	struct res *r;
	int then;
};

static int res_op_fn(struct store_tx *tx, void *arg)
{
	struct res_op *o = arg;
	int rc = STORE_EIO;

	switch (o->op) {
	case 0: rc = store_res_get(tx, o->acct, o->kind, o->id, o->r); break;
	case 1: rc = store_res_insert(tx, o->r); break;
	case 2: rc = store_res_update(tx, o->r); break;
	case 3: rc = store_res_delete(tx, o->acct, o->id); break;
	}
	return rc == 0 ? o->then : rc;
}

static int res_call(int op, const char *acct, const char *kind, const char *id,
                    struct res *r, int then)
{
	struct res_op o = { op, acct, kind, id, r, then };

	return op == 0 ? store_read(g_s, res_op_fn, &o) : store_write(g_s, res_op_fn, &o);
}

static void res_make(struct res *r, const char *acct, const char *kind,
                     const char *parent, const char *ref, int n)
{
	memset(r, 0, sizeof(*r));
	new_id(r->id, "res-");
	snprintf(r->account, sizeof(r->account), "%s", acct);
	snprintf(r->kind, sizeof(r->kind), "%s", kind);
	snprintf(r->region, sizeof(r->region), "%s", n % 2 ? "cn-hangzhou" : "cn-beijing");
	snprintf(r->parent, sizeof(r->parent), "%s", parent);
	snprintf(r->ref, sizeof(r->ref), "%s", ref);
	r->created_ms = T0 + n;
	r->doc = (struct json_t *)json_pack("{s:i, s:s, s:b, s:[s,s], s:{s:s}}",
		"n", n, "name", "z\xc3\xa9\"'\\<&>", "flag", n % 2, "list", "a", "b",
		"nested", "k", "v");
}

struct res_seen {
	int n;
	char ids[MAXROWS][64];
	int64_t last_seq;
	int order_ok;
};

static int res_seen_cb(void *arg, const struct res *r)
{
	struct res_seen *s = arg;

	if (r->seq <= s->last_seq)
		s->order_ok = 0;
	s->last_seq = r->seq;
	if (s->n < MAXROWS)
		snprintf(s->ids[s->n], 64, "%s", r->id);
	s->n++;
	return json_is_object((json_t *)r->doc) ? 0 : 99;
}

struct res_lq {
	const struct res_query *q;
	struct res_seen *seen;
	int64_t total;
};

static int res_lq_fn(struct store_tx *tx, void *arg)
{
	struct res_lq *l = arg;
	int rc = store_res_list(tx, l->q, res_seen_cb, l->seen);

	return rc ? rc : store_res_count(tx, l->q, &l->total);
}

/* Lists q; checks the row count, order and (unpaged) count. */
static void res_expect(const struct res_query *q, int want_rows, int want_total,
                       const char *what)
{
	struct res_seen s = { .order_ok = 1 };
	struct res_lq l = { q, &s, -1 };

	T_INTEQ(store_read(g_s, res_lq_fn, &l), 0, what);
	T_INTEQ(s.n, want_rows, what);
	T_INTEQ(l.total, want_total, what);
	T_CHECK(s.order_ok, "%s: rows in seq order", what);
}

static void test_res(void)
{
	char a[32], b[32], parent[64];
	struct res r, got, other, kids[6];
	const char *ids2[2];

	t_acct(a, "res");
	t_acct(b, "resb");

	/* round trip */
	res_make(&r, a, "vpc", "", "", 1);
	T_INTEQ(res_call(1, NULL, NULL, NULL, &r, 0), 0, "res insert");
	T_CHECK(r.seq > 0, "res insert sets seq");
	T_INTEQ(res_call(0, a, "vpc", r.id, &got, 0), 0, "res get");
	T_STREQ(got.id, r.id, "res id");
	T_STREQ(got.account, a, "res account");
	T_STREQ(got.kind, "vpc", "res kind");
	T_STREQ(got.region, r.region, "res region");
	T_STREQ(got.parent, "", "res parent");
	T_INTEQ(got.created_ms, r.created_ms, "res created_ms");
	T_INTEQ(got.seq, r.seq, "res seq");
	T_CHECK(got.doc && json_equal((json_t *)got.doc, (json_t *)r.doc),
	        "res document round trip");
	json_decref((json_t *)got.doc);
	T_INTEQ(res_call(0, a, NULL, r.id, &got, 0), 0, "res get any kind");
	json_decref((json_t *)got.doc);
	T_INTEQ(res_call(0, NULL, NULL, r.id, &got, 0), 0, "res get any account");
	json_decref((json_t *)got.doc);
	T_INTEQ(res_call(0, b, NULL, r.id, &got, 0), STORE_NOTFOUND, "res other account");
	T_CHECK(got.doc == NULL, "res NOTFOUND leaves no document");
	T_INTEQ(res_call(0, a, "vswitch", r.id, &got, 0), STORE_NOTFOUND, "res other kind");
	T_INTEQ(res_call(0, a, NULL, "res-missing", &got, 0), STORE_NOTFOUND, "res missing");
	T_INTEQ(res_call(1, NULL, NULL, NULL, &r, 0), STORE_ECONFLICT, "res duplicate id");

	/* update */
	json_decref((json_t *)r.doc);
	r.doc = (struct json_t *)json_pack("{s:s}", "Status", "Available");
	snprintf(r.ref, sizeof(r.ref), "ref-after");
	T_INTEQ(res_call(2, NULL, NULL, NULL, &r, 0), 0, "res update");
	T_INTEQ(res_call(0, a, "vpc", r.id, &got, 0), 0, "res get after update");
	T_STREQ(got.ref, "ref-after", "res updated ref");
	T_STREQ(json_string_value(json_object_get((json_t *)got.doc, "Status")),
	        "Available", "res updated document");
	json_decref((json_t *)got.doc);
	other = r;
	snprintf(other.account, sizeof(other.account), "%s", b);
	T_INTEQ(res_call(2, NULL, NULL, NULL, &other, 0), STORE_NOTFOUND, "res update other account");
	json_decref((json_t *)r.doc);
	r.doc = (struct json_t *)json_pack("[i]", 1);
	T_INTEQ(res_call(2, NULL, NULL, NULL, &r, 0), STORE_EIO, "res update: document not an object");
	json_decref((json_t *)r.doc);
	r.doc = NULL;

	/* children: kind/parent/ref/region/ids filters and paging */
	snprintf(parent, sizeof(parent), "%s", r.id);
	for (int i = 0; i < 6; i++) {
		res_make(&kids[i], a, i < 4 ? "vswitch" : "sg", parent,
		         i % 3 == 0 ? "i-ref" : "", i);
		T_INTEQ(res_call(1, NULL, NULL, NULL, &kids[i], 0), 0, "res insert child");
		json_decref((json_t *)kids[i].doc);
	}
	{
		struct res_query q = { .account = a, .kind = "vswitch" };
		res_expect(&q, 4, 4, "list kind");
		q.limit = 3;
		res_expect(&q, 3, 4, "list kind limit");
		q.offset = 3;
		res_expect(&q, 1, 4, "list kind offset");
		q.offset = 0;
		q.limit = 0;
		q.after_seq = kids[1].seq;
		res_expect(&q, 2, 4, "list kind after_seq");
	}
	{
		struct res_query q = { .kind = "vswitch", .parent = parent };
		res_expect(&q, 4, 4, "list kind+parent, any account");
		q.kind = NULL;
		res_expect(&q, 6, 6, "list parent, any kind");
		q.account = b;
		res_expect(&q, 0, 0, "list parent, other account");
	}
	{
		struct res_query q = { .account = a, .ref = "i-ref" };
		res_expect(&q, 2, 2, "list ref");
		q.kind = "sg";
		res_expect(&q, 0, 0, "list ref+kind");   /* kids 0 and 3 are vswitches */
		q.kind = NULL;
		q.region = "cn-beijing";
		res_expect(&q, 1, 1, "list ref+region");
	}
	{
		struct res_query q = { .account = a };
		ids2[0] = kids[2].id;
		ids2[1] = kids[5].id;
		q.ids = (struct id_list){ ids2, 2, 1 };
		res_expect(&q, 2, 2, "list ids");
		q.ids.n = 0;
		res_expect(&q, 0, 0, "list empty id set");
	}

	/* a job that fails after an insert leaves nothing */
	res_make(&other, a, "eip", "", "", 9);
	T_INTEQ(res_call(1, NULL, NULL, NULL, &other, 42), 42, "res rolled-back insert");
	T_INTEQ(res_call(0, a, NULL, other.id, &got, 0), STORE_NOTFOUND, "res rolled back");
	json_decref((json_t *)other.doc);

	/* delete */
	T_INTEQ(res_call(3, b, NULL, kids[0].id, NULL, 0), STORE_NOTFOUND, "res delete other account");
	T_INTEQ(res_call(3, a, NULL, kids[0].id, NULL, 0), 0, "res delete");
	T_INTEQ(res_call(3, a, NULL, kids[0].id, NULL, 0), STORE_NOTFOUND, "res delete again");
	{
		struct res_query q = { .account = a, .kind = "vswitch", .parent = parent };
		res_expect(&q, 3, 3, "list after delete");
	}
}

#endif
