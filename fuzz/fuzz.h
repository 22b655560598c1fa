/* fuzz.h - what the libFuzzer harnesses share: a server context with a
 * real SQLite store in a temporary directory, seeded with a known instance,
 * disks and snapshots of the development account so that fuzzed requests
 * reach the handlers' deep paths; V1 and V3 request signing so that fuzzed
 * requests pass authentication. Harness code only: no ECS rules here. */
#ifndef ECSD_FUZZ_H
#define ECSD_FUZZ_H
#include "../src/auth/auth.h"
#include "../src/auth/sig.h"
#include "../src/common/arena.h"
#include "../src/common/buf.h"
#include "../src/common/limits.h"
#include "../src/ecsd.h"
#include "../src/common/form.h"
#include "../src/model/model.h"
#include "../src/store/store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Known resources of the seeded store (also in the dictionaries). */
#define FZ_INSTANCE  "i-fuzzinstance000000001"
#define FZ_INSTANCE2 "i-fuzzinstance000000002"
#define FZ_SYS_DISK  "d-fuzzsystemdisk0000001"
#define FZ_DATA_DISK "d-fuzzdatadisk000000001"
#define FZ_FREE_DISK "d-fuzzfreedisk000000001"
#define FZ_USER_SNAP "s-fuzzsnapshot000000001"
#define FZ_AUTO_SNAP "s-fuzzautosnap000000001"
#define FZ_CTL_TOKEN "fuzz-control-token"

/* Executions between two fresh stores: bounds the database's growth and
 * brings the seeded resources back after a fuzzed DeleteInstance. */
#define FZ_STORE_EXECS 2000

struct fz_server {
	struct ecsd e;
	char dir[64];
	unsigned long execs;
};

static void fz_fill_disk(struct disk *d, const char *id, const char *inst,
                         const char *type, int dwi, int das, int64_t now)
{
	memset(d, 0, sizeof(*d));
	snprintf(d->id, sizeof(d->id), "%s", id);
	snprintf(d->account, sizeof(d->account), "%s", AUTH_DEV_ACCOUNT);
	snprintf(d->region, sizeof(d->region), "cn-hangzhou");
	snprintf(d->zone, sizeof(d->zone), "cn-hangzhou-i");
	snprintf(d->instance_id, sizeof(d->instance_id), "%s", inst);
	snprintf(d->type, sizeof(d->type), "%s", type);
	snprintf(d->category, sizeof(d->category), "cloud_essd");
	snprintf(d->device, sizeof(d->device), "%s", inst[0] ? "/dev/xvdb" : "");
	d->size_gb = 40;
	d->delete_with_instance = dwi;
	d->delete_auto_snapshot = das;
	d->portable = 1;
	d->ever_attached = 1;
	d->created_ms = d->attached_ms = now;
}

static void fz_fill_snap(struct snapshot *sn, const char *id, const char *disk,
                         int is_auto, int64_t now)
{
	memset(sn, 0, sizeof(*sn));
	snprintf(sn->id, sizeof(sn->id), "%s", id);
	snprintf(sn->account, sizeof(sn->account), "%s", AUTH_DEV_ACCOUNT);
	snprintf(sn->region, sizeof(sn->region), "cn-hangzhou");
	snprintf(sn->source_disk_id, sizeof(sn->source_disk_id), "%s", disk);
	snprintf(sn->source_disk_type, sizeof(sn->source_disk_type), "data");
	sn->source_disk_size = 40;
	sn->is_auto = is_auto;
	sn->status = SNAP_ACCOMPLISHED;
	sn->created_ms = now;
}

static int fz_seed_tx(struct store_tx *tx, void *arg)
{
	int64_t now = ecsd_now_ms();
	struct instance in;
	struct disk d;
	struct snapshot sn;
	int rc, k;

	(void)arg;
	for (k = 0; k < 2; k++) {
		memset(&in, 0, sizeof(in));
		snprintf(in.id, sizeof(in.id), "%s", k ? FZ_INSTANCE2 : FZ_INSTANCE);
		snprintf(in.account, sizeof(in.account), "%s", AUTH_DEV_ACCOUNT);
		snprintf(in.region, sizeof(in.region), "cn-hangzhou");
		snprintf(in.zone, sizeof(in.zone), "cn-hangzhou-i");
		snprintf(in.name, sizeof(in.name), "fuzz");
		snprintf(in.hostname, sizeof(in.hostname), "fuzz");
		snprintf(in.instance_type, sizeof(in.instance_type), "ecs.g6.large");
		snprintf(in.image_id, sizeof(in.image_id),
		         "aliyun_3_x64_20G_alibase_20240819.vhd");
		in.status = k ? INST_STOPPED : INST_RUNNING;
		in.charge = k ? CHARGE_PREPAID : CHARGE_POSTPAID;
		in.expired_ms = k ? now - 1000 : 0;
		in.created_ms = now;
		if ((rc = store_inst_insert(tx, &in)))
			return rc;
	}
	fz_fill_disk(&d, FZ_SYS_DISK, FZ_INSTANCE, "system", 1, 1, now);
	if ((rc = store_disk_insert(tx, &d)))
		return rc;
	fz_fill_disk(&d, FZ_DATA_DISK, FZ_INSTANCE, "data", 0, 0, now);
	if ((rc = store_disk_insert(tx, &d)))
		return rc;
	fz_fill_disk(&d, FZ_FREE_DISK, "", "data", 0, 1, now);
	if ((rc = store_disk_insert(tx, &d)))
		return rc;
	fz_fill_snap(&sn, FZ_USER_SNAP, FZ_DATA_DISK, 0, now);
	if ((rc = store_snap_insert(tx, &sn)))
		return rc;
	fz_fill_snap(&sn, FZ_AUTO_SNAP, FZ_DATA_DISK, 1, now);
	return store_snap_insert(tx, &sn);
}

static void fz_rm_dir(const char *dir)
{
	static const char *const files[] = { "ecsd.db", "ecsd.db-wal",
	                                     "ecsd.db-shm", "ecsd.db-journal" };
	char path[128];

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
}

static void fz_store_close(struct fz_server *s)
{
	if (s->e.store) {
		store_close(s->e.store);
		s->e.store = NULL;
		fz_rm_dir(s->dir);
	}
}

/* Opens a fresh, seeded, non-durable SQLite store; aborts on failure (a
 * harness that cannot set up must not report "no findings"). */
static void fz_store_open(struct fz_server *s)
{
	struct store_opts so = { NULL, 1, 0, 0 };
	char err[256];

	snprintf(s->dir, sizeof(s->dir), "/tmp/ecsd-fuzz.XXXXXX");
	if (!mkdtemp(s->dir)) {
		perror("mkdtemp");
		abort();
	}
	so.uri = s->dir;
	if (store_open(&so, &s->e.store, err, sizeof(err))) {
		fprintf(stderr, "fuzz: store_open: %s\n", err);
		abort();
	}
	if (store_write(s->e.store, fz_seed_tx, NULL)) {
		fprintf(stderr, "fuzz: cannot seed the store\n");
		abort();
	}
}

static void fz_atexit_close(void);
static struct fz_server *fz_global;

static void fz_atexit_close(void)
{
	if (fz_global)
		fz_store_close(fz_global);
}

/* The shared server: dev credentials, instant transitions, a store (with
 * its replay cache) and a control token. Called from LLVMFuzzerInitialize. */
static void fz_server_init(struct fz_server *s)
{
	memset(s, 0, sizeof(*s));
	log_set_level(-1);
	s->e.log_level = -1;
	s->e.listen_host = "127.0.0.1";
	s->e.data_dir = "/nonexistent";
	s->e.transition_ms = 0;
	s->e.error_trace_fd = -1;
	s->e.ctl_token = FZ_CTL_TOKEN;
	s->e.creds = creds_dev();
	if (!s->e.creds)
		abort();
	fz_store_open(s);
	fz_global = s;
	atexit(fz_atexit_close);
}

/* Before each execution: a fresh store (and replay cache) now and then. */
static void fz_server_tick(struct fz_server *s)
{
	if (++s->execs % FZ_STORE_EXECS)
		return;
	fz_store_close(s);
	fz_store_open(s);
}

/* "YYYY-MM-DDThh:mm:ssZ" of now. */
static void fz_timestamp(char out[32])
{
	time_t t = (time_t)(ecsd_now_ms() / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* A nonce no earlier execution of this process used. */
static void fz_nonce(char out[48])
{
	static unsigned long long n;

	snprintf(out, 48, "fuzz-%d-%llu", (int)getpid(), ++n);
}

/* Appends "&name=pct(value)" to b. */
static void fz_add_query(struct buf *b, const char *name, const char *value)
{
	if (b->len)
		buf_addc(b, '&');
	buf_adds(b, name);
	buf_addc(b, '=');
	sig_pct_encode(b, value, strlen(value));
}

/* V1: appends the auth parameters and a valid Signature to query (the
 * raw query text), signing query + form parameters as the server will
 * decode them. Returns 0, or -1 when the input cannot be decoded (then
 * the request is sent as is). */
static int fz_sign_v1(struct arena *a, struct buf *query, const char *method,
                      const char *body, size_t body_len, int body_is_form)
{
	struct params all;
	struct buf sts;
	char ts[32], nonce[48], sig[SIG_V1_B64_LEN + 1];
	int rc;

	fz_timestamp(ts);
	fz_nonce(nonce);
	fz_add_query(query, "AccessKeyId", AUTH_DEV_AKID);
	fz_add_query(query, "SignatureMethod", "HMAC-SHA1");
	fz_add_query(query, "SignatureVersion", "1.0");
	fz_add_query(query, "SignatureNonce", nonce);
	fz_add_query(query, "Timestamp", ts);
	if (query->over)
		return -1;
	memset(&all, 0, sizeof(all));
	if (form_parse(a, query->p, query->len, 0, &all))
		return -1;
	if (body_is_form && body_len &&
	    form_parse(a, body, body_len, 1, &all))
		return -1;
	buf_init(&sts, 4 * 1024 * 1024);
	rc = sig_v1_string_to_sign(&sts, method, all.v, all.n);
	if (rc == 0) {
		sig_v1_sign(AUTH_DEV_SECRET, sts.p, sts.len, sig);
		fz_add_query(query, "Signature", sig);
	}
	buf_free(&sts);
	return rc || query->over ? -1 : 0;
}

/* V3: adds the x-acs-* headers that are missing and an Authorization
 * header signing host, x-acs-* and the body. h has room for
 * LIM_HEADER_COUNT entries; *nh grows. Header names must be lower case.
 * Returns 0, or -1 when the query cannot be decoded. */
static int fz_sign_v3(struct arena *a, struct http_header *h, size_t *nh,
                      const char *method, const char *raw_query,
                      size_t raw_query_len, const char *body, size_t body_len)
{
	/* content-type is signed whenever the request has a body, as ecsd
	 * requires (issue 11 row 12) and the official SDK does */
	static const char *const names[] = {
		"content-type",
		"host", "x-acs-action", "x-acs-content-sha256", "x-acs-date",
		"x-acs-signature-nonce", "x-acs-version",
	};
	char ts[32], nonce[48], payload[SIG_HEX256_LEN + 1], sig[SIG_HEX256_LEN + 1];
	struct params q;
	struct buf signed_h, creq, sts;
	size_t i, k;
	int rc, have;

	fz_timestamp(ts);
	fz_nonce(nonce);
	sig_sha256_hex(body, body_len, payload);
	memset(&q, 0, sizeof(q));
	if (raw_query_len && form_parse(a, raw_query, raw_query_len, 0, &q))
		return -1;
	buf_init(&signed_h, 4096);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *v = NULL;

		for (k = 0, have = 0; k < *nh; k++)
			if (strcmp(h[k].name, names[i]) == 0)
				have = 1;
		if (!have) {
			if (strcmp(names[i], "host") == 0)
				v = "ecs.aliyuncs.com";
			else if (strcmp(names[i], "content-type") == 0 && body_len)
				v = "application/octet-stream";
			else if (strcmp(names[i], "x-acs-content-sha256") == 0)
				v = arena_strdup(a, payload);
			else if (strcmp(names[i], "x-acs-date") == 0)
				v = arena_strdup(a, ts);
			else if (strcmp(names[i], "x-acs-signature-nonce") == 0)
				v = arena_strdup(a, nonce);
			if (v && *nh < LIM_HEADER_COUNT) {
				h[*nh].name = names[i];
				h[*nh].value = v;
				(*nh)++;
				have = 1;
			}
		}
		if (have) {
			if (signed_h.len)
				buf_addc(&signed_h, ';');
			buf_adds(&signed_h, names[i]);
		}
	}
	buf_init(&creq, 4 * 1024 * 1024);
	buf_init(&sts, 4096);
	rc = sig_v3_canonical_request(&creq, method, "/", q.v, q.n, h, *nh,
	                              buf_cstr(&signed_h), payload);
	if (rc == 0)
		rc = sig_v3_string_to_sign(&sts, creq.p, creq.len);
	if (rc == 0 && *nh >= LIM_HEADER_COUNT)
		rc = -1; /* no room left for Authorization */
	if (rc == 0) {
		sig_v3_sign(AUTH_DEV_SECRET, sts.p, sts.len, sig);
		h[*nh].name = "authorization";
		h[*nh].value = arena_printf(a, "ACS3-HMAC-SHA256 Credential=%s,"
		                           "SignedHeaders=%s,Signature=%s",
		                           AUTH_DEV_AKID, buf_cstr(&signed_h), sig);
		if (h[*nh].value)
			(*nh)++;
	}
	buf_free(&signed_h);
	buf_free(&creq);
	buf_free(&sts);
	return rc ? -1 : 0;
}

#endif
