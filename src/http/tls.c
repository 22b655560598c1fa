/* tls.c - the HTTPS listener's key pair: the operator's PEM files, or a
 * local certificate authority made on first start (OpenSSL) that signs a
 * server certificate for the names ecsd listens on. Keys are P-256, written
 * 0600 through a temporary file and a rename. No HTTP, no ECS rules here. */
#include "tls.h"
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define TLS_PEM_MAX   (256 * 1024)   /* a certificate chain or key file */
#define TLS_CA_DAYS   3650
#define TLS_LEAF_DAYS 397
#define TLS_RENEW_S   86400          /* remake a leaf expiring within this */

static int tls_err(char *err, size_t errlen, const char *what, const char *path)
{
	unsigned long e = ERR_get_error();
	char lib[256] = "";

	if (e)
		ERR_error_string_n(e, lib, sizeof(lib));
	else if (errno)
		snprintf(lib, sizeof(lib), "%s", strerror(errno));
	ERR_clear_error();
	snprintf(err, errlen, "%s%s%s%s%s", what, path ? " " : "", path ? path : "",
	         lib[0] ? ": " : "", lib);
	return -1;
}

/* The whole file as a NUL-terminated string (caller frees), or NULL. */
static char *tls_read(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *p;
	size_t n;

	if (!f)
		return NULL;
	p = malloc(TLS_PEM_MAX + 1);
	if (!p) {
		fclose(f);
		return NULL;
	}
	n = fread(p, 1, TLS_PEM_MAX + 1, f);
	fclose(f);
	if (n > TLS_PEM_MAX) {   /* not a PEM file of ours */
		free(p);
		errno = EFBIG;
		return NULL;
	}
	p[n] = '\0';
	return p;
}

/* Writes data to path with the given mode, durably and atomically. */
static int tls_write(const char *path, const char *data, mode_t mode)
{
	char tmp[4200];
	size_t len = strlen(data), off = 0;
	int fd;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		return -1;
	if (fchmod(fd, mode)) {
		close(fd);
		return -1;
	}
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			unlink(tmp);
			return -1;
		}
		off += (size_t)w;
	}
	if (fsync(fd) || close(fd)) {
		unlink(tmp);
		return -1;
	}
	return rename(tmp, path);
}

static char *tls_bio_string(BIO *b)
{
	char *data, *s;
	long n = BIO_get_mem_data(b, &data);

	if (n < 0)
		return NULL;
	s = malloc((size_t)n + 1);
	if (!s)
		return NULL;
	memcpy(s, data, (size_t)n);
	s[n] = '\0';
	return s;
}

static char *tls_cert_pem(X509 *x)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *s = NULL;

	if (b && PEM_write_bio_X509(b, x))
		s = tls_bio_string(b);
	BIO_free(b);
	return s;
}

static char *tls_key_pem(EVP_PKEY *k)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *s = NULL;

	if (b && PEM_write_bio_PrivateKey(b, k, NULL, NULL, 0, NULL, NULL))
		s = tls_bio_string(b);
	BIO_free_all(b);
	return s;
}

static X509 *tls_parse_cert(const char *pem)
{
	BIO *b = BIO_new_mem_buf(pem, -1);
	X509 *x = b ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;

	BIO_free(b);
	return x;
}

static EVP_PKEY *tls_parse_key(const char *pem)
{
	BIO *b = BIO_new_mem_buf(pem, -1);
	EVP_PKEY *k = b ? PEM_read_bio_PrivateKey(b, NULL, NULL, NULL) : NULL;

	BIO_free(b);
	return k;
}

static void tls_free_secret(char *s)
{
	if (s) {
		OPENSSL_cleanse(s, strlen(s));
		free(s);
	}
}

void tls_pair_free(struct tls_pair *p)
{
	tls_free_secret(p->key_pem);
	free(p->cert_pem);
	p->key_pem = p->cert_pem = NULL;
}

int tls_load(const char *cert_file, const char *key_file, struct tls_pair *out,
             char *err, size_t errlen)
{
	X509 *x = NULL;
	EVP_PKEY *k = NULL;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	errno = 0;
	out->cert_pem = tls_read(cert_file);
	if (!out->cert_pem)
		return tls_err(err, errlen, "cannot read", cert_file);
	out->key_pem = tls_read(key_file);
	if (!out->key_pem) {
		tls_err(err, errlen, "cannot read", key_file);
		goto done;
	}
	x = tls_parse_cert(out->cert_pem);
	if (!x) {
		tls_err(err, errlen, "no PEM certificate in", cert_file);
		goto done;
	}
	k = tls_parse_key(out->key_pem);
	if (!k) {
		tls_err(err, errlen, "no PEM private key in", key_file);
		goto done;
	}
	if (X509_check_private_key(x, k) != 1) {
		tls_err(err, errlen, "the key does not match the certificate in", cert_file);
		goto done;
	}
	rc = 0;
done:
	X509_free(x);
	EVP_PKEY_free(k);
	if (rc)
		tls_pair_free(out);
	return rc;
}

/* ---- the local CA --------------------------------------------------- */

static int tls_is_wildcard(const char *host)
{
	return !host[0] || strcmp(host, "0.0.0.0") == 0 || strcmp(host, "::") == 0;
}

static int tls_is_ip(const char *s)
{
	unsigned char a[16];

	return inet_pton(AF_INET, s, a) == 1 || inet_pton(AF_INET6, s, a) == 1;
}

/* The names the server certificate must carry; returns how many. */
static int tls_names(const char *host, const char *names[5], char *hn, size_t hnlen)
{
	int n = 0;

	names[n++] = "localhost";
	names[n++] = "127.0.0.1";
	names[n++] = "::1";
	if (tls_is_wildcard(host)) {
		if (gethostname(hn, hnlen) == 0 && hn[0] && strcmp(hn, "localhost"))
			names[n++] = hn;
	} else if (strcmp(host, "localhost") && strcmp(host, "127.0.0.1") &&
	           strcmp(host, "::1")) {
		names[n++] = host;
	}
	return n;
}

static int tls_covers(X509 *x, const char **names, int n)
{
	for (int i = 0; i < n; i++) {
		int ok = tls_is_ip(names[i]) ? X509_check_ip_asc(x, names[i], 0)
		                             : X509_check_host(x, names[i], 0, 0, NULL);
		if (ok != 1)
			return 0;
	}
	return 1;
}

static int tls_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;
	int ok;

	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	if (!ext)
		return -1;
	ok = X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	return ok ? 0 : -1;
}

static int tls_san(X509 *x, const char **names, int n)
{
	GENERAL_NAMES *gens = sk_GENERAL_NAME_new_null();
	int rc = -1;

	if (!gens)
		return -1;
	for (int i = 0; i < n; i++) {
		GENERAL_NAME *g = a2i_GENERAL_NAME(NULL, NULL, NULL,
		                                   tls_is_ip(names[i]) ? GEN_IPADD : GEN_DNS,
		                                   names[i], 0);
		if (!g || !sk_GENERAL_NAME_push(gens, g)) {
			GENERAL_NAME_free(g);
			goto done;
		}
	}
	rc = X509_add1_ext_i2d(x, NID_subject_alt_name, gens, 0, X509V3_ADD_DEFAULT) == 1 ? 0 : -1;
done:
	GENERAL_NAMES_free(gens);
	return rc;
}

/* A certificate for key, signed by ca/ca_key (itself when ca is NULL). */
static X509 *tls_make_cert(const char *cn, EVP_PKEY *key, X509 *ca, EVP_PKEY *ca_key,
                           const char **names, int nnames, long days)
{
	X509 *x = X509_new();
	X509_NAME *subj = X509_NAME_new();
	unsigned char rnd[16];
	BIGNUM *serial = NULL;
	int is_ca = ca == NULL, ok = 0;

	if (!x || !subj || RAND_bytes(rnd, sizeof(rnd)) != 1)
		goto done;
	rnd[0] &= 0x7f;
	serial = BN_bin2bn(rnd, sizeof(rnd), NULL);
	if (!serial || !BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(x)) ||
	    !X509_set_version(x, 2) ||
	    !X509_NAME_add_entry_by_txt(subj, "O", MBSTRING_ASC, (const unsigned char *)"ecsd", -1, -1, 0) ||
	    !X509_NAME_add_entry_by_txt(subj, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1, 0) ||
	    !X509_set_subject_name(x, subj) ||
	    !X509_set_issuer_name(x, is_ca ? subj : X509_get_subject_name(ca)) ||
	    !X509_gmtime_adj(X509_getm_notBefore(x), -3600) ||
	    !X509_time_adj_ex(X509_getm_notAfter(x), (int)days, 0, NULL) ||
	    !X509_set_pubkey(x, key))
		goto done;
	if (tls_ext(x, is_ca ? x : ca, NID_subject_key_identifier, "hash") ||
	    tls_ext(x, is_ca ? x : ca, NID_authority_key_identifier, "keyid:always"))
		goto done;
	if (is_ca) {
		if (tls_ext(x, x, NID_basic_constraints, "critical,CA:TRUE,pathlen:0") ||
		    tls_ext(x, x, NID_key_usage, "critical,keyCertSign,cRLSign"))
			goto done;
	} else if (tls_ext(x, ca, NID_basic_constraints, "critical,CA:FALSE") ||
	           tls_ext(x, ca, NID_key_usage, "critical,digitalSignature") ||
	           tls_ext(x, ca, NID_ext_key_usage, "serverAuth") ||
	           tls_san(x, names, nnames)) {
		goto done;
	}
	ok = X509_sign(x, is_ca ? key : ca_key, EVP_sha256()) > 0;
done:
	BN_free(serial);
	X509_NAME_free(subj);
	if (!ok) {
		X509_free(x);
		return NULL;
	}
	return x;
}

/* Writes the key (0600) then the certificate (0644) of one pair. */
static int tls_save(const char *dir, const char *base, X509 *x, EVP_PKEY *k,
                    char *err, size_t errlen)
{
	char path[4200];
	char *kp = tls_key_pem(k), *cp = tls_cert_pem(x);
	int rc = -1;

	if (!kp || !cp) {
		tls_err(err, errlen, "cannot encode", base);
		goto done;
	}
	snprintf(path, sizeof(path), "%s/%s.key", dir, base);
	if (tls_write(path, kp, 0600)) {
		tls_err(err, errlen, "cannot write", path);
		goto done;
	}
	snprintf(path, sizeof(path), "%s/%s.pem", dir, base);
	if (tls_write(path, cp, 0644)) {
		tls_err(err, errlen, "cannot write", path);
		goto done;
	}
	rc = 0;
done:
	tls_free_secret(kp);
	free(cp);
	return rc;
}

/* Loads DIR/base.pem and DIR/base.key. 1 loaded, 0 absent, -1 unusable. */
static int tls_open_pair(const char *dir, const char *base, X509 **x, EVP_PKEY **k,
                         char *err, size_t errlen)
{
	char path[4200];
	char *pem;

	*x = NULL;
	*k = NULL;
	snprintf(path, sizeof(path), "%s/%s.pem", dir, base);
	errno = 0;
	pem = tls_read(path);
	if (!pem)
		return errno == ENOENT ? 0 : tls_err(err, errlen, "cannot read", path);
	*x = tls_parse_cert(pem);
	free(pem);
	snprintf(path, sizeof(path), "%s/%s.key", dir, base);
	errno = 0;
	pem = tls_read(path);
	if (!pem)
		return errno == ENOENT ? 0 : tls_err(err, errlen, "cannot read", path);
	*k = tls_parse_key(pem);
	tls_free_secret(pem);
	if (!*x || !*k || X509_check_private_key(*x, *k) != 1) {
		X509_free(*x);
		EVP_PKEY_free(*k);
		*x = NULL;
		*k = NULL;
		return tls_err(err, errlen, "unusable certificate or key (remove both to make new ones):", path);
	}
	return 1;
}

static int tls_fresh(X509 *x, long seconds)
{
	time_t t = time(NULL) + seconds;

	return X509_cmp_time(X509_get0_notAfter(x), &t) > 0;
}

int tls_local_ca(const char *dir, const char *host, struct tls_pair *out,
                 char *err, size_t errlen)
{
	char tdir[4096], hn[256] = "", cn[128];
	const char *names[5];
	int nnames = tls_names(host, names, hn, sizeof(hn));
	X509 *ca = NULL, *leaf = NULL;
	EVP_PKEY *ca_key = NULL, *leaf_key = NULL;
	unsigned char rnd[4];
	int have, ca_new = 0, rc = -1;

	memset(out, 0, sizeof(*out));
	snprintf(tdir, sizeof(tdir), "%s/tls", dir);
	if (mkdir(tdir, 0700) && errno != EEXIST)
		return tls_err(err, errlen, "cannot create", tdir);
	have = tls_open_pair(tdir, "ca", &ca, &ca_key, err, errlen);
	if (have < 0)
		goto done;
	if (have && !tls_fresh(ca, TLS_RENEW_S)) {
		snprintf(err, errlen, "the local CA in %s has expired: remove %s/ca.* to make a new one",
		         tdir, tdir);
		goto done;
	}
	if (!have) {
		if (RAND_bytes(rnd, sizeof(rnd)) != 1) {
			tls_err(err, errlen, "no random bytes", NULL);
			goto done;
		}
		snprintf(cn, sizeof(cn), "ecsd local CA %02x%02x%02x%02x", rnd[0], rnd[1], rnd[2], rnd[3]);
		ca_key = EVP_EC_gen("P-256");
		ca = ca_key ? tls_make_cert(cn, ca_key, NULL, NULL, NULL, 0, TLS_CA_DAYS) : NULL;
		if (!ca) {
			tls_err(err, errlen, "cannot make the local CA", NULL);
			goto done;
		}
		if (tls_save(tdir, "ca", ca, ca_key, err, errlen))
			goto done;
		ca_new = 1;
	}
	have = ca_new ? 0 : tls_open_pair(tdir, "server", &leaf, &leaf_key, err, errlen);
	if (have < 0)
		goto done;
	if (have && (X509_verify(leaf, ca_key) != 1 || !tls_fresh(leaf, TLS_RENEW_S) ||
	             !tls_covers(leaf, names, nnames))) {
		ERR_clear_error();
		X509_free(leaf);
		EVP_PKEY_free(leaf_key);
		leaf = NULL;
		leaf_key = NULL;
		have = 0;
	}
	if (!have) {
		leaf_key = EVP_EC_gen("P-256");
		leaf = leaf_key ? tls_make_cert("ecsd server", leaf_key, ca, ca_key, names, nnames,
		                                TLS_LEAF_DAYS) : NULL;
		if (!leaf) {
			tls_err(err, errlen, "cannot make the server certificate", NULL);
			goto done;
		}
		if (tls_save(tdir, "server", leaf, leaf_key, err, errlen))
			goto done;
		out->made = 1;
	}
	out->cert_pem = tls_cert_pem(leaf);
	out->key_pem = tls_key_pem(leaf_key);
	if (!out->cert_pem || !out->key_pem) {
		tls_err(err, errlen, "cannot encode the server certificate", NULL);
		tls_pair_free(out);
		goto done;
	}
	{
		char *abs = realpath(tdir, NULL);
		int n = snprintf(out->ca_path, sizeof(out->ca_path), "%s/ca.pem", abs ? abs : tdir);
		free(abs);
		if (n < 0 || (size_t)n >= sizeof(out->ca_path)) {
			snprintf(err, errlen, "data directory path too long");
			tls_pair_free(out);
			goto done;
		}
	}
	rc = 0;
done:
	X509_free(ca);
	X509_free(leaf);
	EVP_PKEY_free(ca_key);
	EVP_PKEY_free(leaf_key);
	return rc;
}
