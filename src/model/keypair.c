/* keypair.c - key pair rules and material: OpenSSH public-key parsing and
 * fingerprints, RSA generation through OpenSSL. Pure apart from the
 * CSPRNG. */
#include "keypair.h"
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int keypair_name_ok(const char *s)
{
	size_t n = strlen(s);
	unsigned char c0 = (unsigned char)s[0];

	if (n < 2 || n > KP_NAME_MAX)
		return 0;
	if (!((c0 >= 'a' && c0 <= 'z') || (c0 >= 'A' && c0 <= 'Z') || c0 >= 0x80))
		return 0;
	if (strstr(s, "http://") || strstr(s, "https://"))
		return 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (!(*p >= 0x80 || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr(":_.-", *p)))
			return 0;
	return 1;
}

static int isalnum_ascii(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static const char *const kp_types[] = {
	"ssh-rsa", "ssh-dss", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
	"ecdsa-sha2-nistp521",
};

/* Reads one SSH wire string at *p (of end); -1 when it does not fit. */
static int wire_str(const unsigned char **p, const unsigned char *end,
                    const unsigned char **s, uint32_t *len)
{
	if (end - *p < 4)
		return -1;
	*len = (uint32_t)(*p)[0] << 24 | (uint32_t)(*p)[1] << 16 |
	       (uint32_t)(*p)[2] << 8 | (uint32_t)(*p)[3];
	*p += 4;
	if ((size_t)(end - *p) < *len)
		return -1;
	*s = *p;
	*p += *len;
	return 0;
}

static void md5_hex(const unsigned char *b, size_t n, char fp[KP_FP_LEN])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	EVP_Digest(b, n, md, &mdlen, EVP_md5(), NULL);
	for (unsigned int i = 0; i < mdlen && i < 16; i++)
		snprintf(fp + 2 * i, 3, "%02x", md[i]);
}

int keypair_parse_public(const char *body, char fp[KP_FP_LEN], char *canon, size_t n)
{
	const char *sp, *b64, *e;
	unsigned char *blob;
	const unsigned char *p, *end, *s;
	size_t tlen, blen;
	uint32_t len;
	int k, out, pad = 0, ok = -1, known = 0;

	while (*body == ' ' || *body == '\n' || *body == '\r' || *body == '\t')
		body++;
	sp = strchr(body, ' ');
	if (!sp)
		return -1;
	tlen = (size_t)(sp - body);
	for (size_t i = 0; i < sizeof(kp_types) / sizeof(kp_types[0]); i++)
		known |= strlen(kp_types[i]) == tlen && strncmp(kp_types[i], body, tlen) == 0;
	if (!known)
		return -1;
	b64 = sp + 1;
	for (e = b64; *e && *e != ' ' && *e != '\n' && *e != '\r'; e++)
		;
	blen = (size_t)(e - b64);
	if (blen < 8 || blen % 4 || blen > 16384)
		return -1;
	for (size_t i = 0; i < blen; i++)
		if (!(isalnum_ascii(b64[i]) || b64[i] == '+' || b64[i] == '/' ||
		      (b64[i] == '=' && i >= blen - 2)))
			return -1;
	pad = (b64[blen - 1] == '=') + (b64[blen - 2] == '=');
	blob = malloc(blen);
	if (!blob)
		return -1;
	out = EVP_DecodeBlock(blob, (const unsigned char *)b64, (int)blen);
	if (out < 0)
		goto done;
	out -= pad;
	p = blob;
	end = blob + out;
	if (wire_str(&p, end, &s, &len) || len != tlen || memcmp(s, body, tlen) != 0)
		goto done;
	if (tlen == 7 && memcmp(body, "ssh-rsa", 7) == 0) {
		/* exponent and modulus, nothing after */
		for (k = 0; k < 2; k++)
			if (wire_str(&p, end, &s, &len) || len == 0)
				goto done;
		if (p != end || len < 64)
			goto done;
	} else if (p == end) {
		goto done;
	}
	md5_hex(blob, (size_t)out, fp);
	if ((size_t)snprintf(canon, n, "%.*s %.*s", (int)tlen, body, (int)blen, b64) >= n)
		goto done;
	ok = 0;
done:
	free(blob);
	return ok;
}

/* Appends an SSH wire string (len + bytes) at *o. */
static void put_str(unsigned char **o, const unsigned char *b, size_t n)
{
	(*o)[0] = (unsigned char)(n >> 24);
	(*o)[1] = (unsigned char)(n >> 16);
	(*o)[2] = (unsigned char)(n >> 8);
	(*o)[3] = (unsigned char)n;
	memcpy(*o + 4, b, n);
	*o += 4 + n;
}

/* An mpint: big-endian, a leading zero byte when the top bit is set. */
static int put_mpint(unsigned char **o, const BIGNUM *bn)
{
	unsigned char tmp[1024];
	int n = BN_num_bytes(bn);

	if (n <= 0 || n + 1 > (int)sizeof(tmp))
		return -1;
	tmp[0] = 0;
	BN_bn2bin(bn, tmp + 1);
	if (tmp[1] & 0x80)
		put_str(o, tmp, (size_t)n + 1);
	else
		put_str(o, tmp + 1, (size_t)n);
	return 0;
}

int keypair_generate(char **pem, char **pub)
{
	EVP_PKEY *k = EVP_RSA_gen(2048);
	BIO *bio = NULL;
	BIGNUM *e = NULL, *nn = NULL;
	unsigned char blob[1200], *o = blob;
	char *b64 = NULL, *data;
	long len;
	int rc = -1;

	*pem = *pub = NULL;
	if (!k || !(bio = BIO_new(BIO_s_mem())))
		goto done;
	if (!PEM_write_bio_PrivateKey(bio, k, NULL, NULL, 0, NULL, NULL))
		goto done;
	len = BIO_get_mem_data(bio, &data);
	if (len <= 0 || !(*pem = malloc((size_t)len + 1)))
		goto done;
	memcpy(*pem, data, (size_t)len);
	(*pem)[len] = '\0';
	if (!EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_RSA_E, &e) ||
	    !EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_RSA_N, &nn))
		goto done;
	put_str(&o, (const unsigned char *)"ssh-rsa", 7);
	if (put_mpint(&o, e) || put_mpint(&o, nn))
		goto done;
	if (!(b64 = malloc(((size_t)(o - blob) + 2) / 3 * 4 + 1)))
		goto done;
	EVP_EncodeBlock((unsigned char *)b64, blob, (int)(o - blob));
	if (!(*pub = malloc(strlen(b64) + 9)))
		goto done;
	snprintf(*pub, strlen(b64) + 9, "ssh-rsa %s", b64);
	rc = 0;
done:
	if (rc) {
		free(*pem);
		*pem = NULL;
	}
	free(b64);
	BN_free(e);
	BN_free(nn);
	BIO_free(bio);
	EVP_PKEY_free(k);
	return rc;
}
