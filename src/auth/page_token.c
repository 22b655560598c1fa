/* page_token.c - NextToken encryption (see page_token.h). One AES-128 block
 * holds seq (8 bytes, big-endian) and an 8-byte HMAC-SHA256 tag of it; the
 * block is the token, so nothing in it is readable without the key. */
#include "page_token.h"
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>

/* enc key = first 16 bytes, mac key = last 16, of
 * HMAC-SHA256(secret, "ecsd NextToken" 0 account 0 action). */
static int pt_keys(const char *secret, const char *account, const char *action,
                   unsigned char k[32])
{
	unsigned char msg[512];
	size_t al = strlen(account), cl = strlen(action), n = 15;
	unsigned int kl = 0;

	if (n + al + 1 + cl > sizeof(msg))
		return -1;
	memcpy(msg, "ecsd NextToken", 15);   /* with its NUL */
	memcpy(msg + n, account, al + 1);
	n += al + 1;
	memcpy(msg + n, action, cl);
	n += cl;
	if (!HMAC(EVP_sha256(), secret, (int)strlen(secret), msg, n, k, &kl) || kl != 32)
		return -1;
	return 0;
}

static int pt_tag(const unsigned char k[32], const unsigned char seq[8],
                  unsigned char tag[8])
{
	unsigned char full[32];
	unsigned int fl = 0;

	if (!HMAC(EVP_sha256(), k + 16, 16, seq, 8, full, &fl) || fl != 32)
		return -1;
	memcpy(tag, full, 8);
	return 0;
}

/* One AES-128 block, encrypt (enc=1) or decrypt (enc=0). */
static int pt_aes(const unsigned char k[32], const unsigned char in[16],
                  unsigned char out[16], int enc)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int n = 0, ok;

	if (!c)
		return -1;
	ok = EVP_CipherInit_ex(c, EVP_aes_128_ecb(), NULL, k, NULL, enc) == 1 &&
	     EVP_CIPHER_CTX_set_padding(c, 0) == 1 &&
	     EVP_CipherUpdate(c, out, &n, in, 16) == 1 && n == 16;
	EVP_CIPHER_CTX_free(c);
	return ok ? 0 : -1;
}

int page_token_encode(const char *secret, const char *account,
                      const char *action, int64_t seq,
                      char out[PAGE_TOKEN_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char k[32], blk[16], enc[16];
	uint64_t v = (uint64_t)seq;

	out[0] = '\0';
	if (seq <= 0 || pt_keys(secret, account, action, k))
		return -1;
	for (int i = 0; i < 8; i++)
		blk[i] = (unsigned char)(v >> (56 - 8 * i));
	if (pt_tag(k, blk, blk + 8) || pt_aes(k, blk, enc, 1)) {
		OPENSSL_cleanse(k, sizeof(k));
		return -1;
	}
	OPENSSL_cleanse(k, sizeof(k));
	memcpy(out, PAGE_TOKEN_PREFIX, 5);
	for (int i = 0; i < 16; i++) {
		out[5 + 2 * i] = hex[enc[i] >> 4];
		out[6 + 2 * i] = hex[enc[i] & 15];
	}
	out[PAGE_TOKEN_LEN] = '\0';
	return 0;
}

static int pt_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int page_token_decode(const char *secret, const char *account,
                      const char *action, const char *token, int64_t *seq)
{
	unsigned char k[32], enc[16], blk[16], tag[8];
	uint64_t v = 0;
	int ok;

	if (strlen(token) != PAGE_TOKEN_LEN || memcmp(token, PAGE_TOKEN_PREFIX, 5) != 0)
		return -1;
	for (int i = 0; i < 16; i++) {
		int hi = pt_hexval(token[5 + 2 * i]), lo = pt_hexval(token[6 + 2 * i]);

		if (hi < 0 || lo < 0)
			return -1;
		enc[i] = (unsigned char)(hi << 4 | lo);
	}
	if (pt_keys(secret, account, action, k))
		return -1;
	ok = pt_aes(k, enc, blk, 0) == 0 && pt_tag(k, blk, tag) == 0 &&
	     CRYPTO_memcmp(tag, blk + 8, 8) == 0;
	OPENSSL_cleanse(k, sizeof(k));
	if (!ok)
		return -1;
	for (int i = 0; i < 8; i++)
		v = v << 8 | blk[i];
	if (v == 0 || v > INT64_MAX)
		return -1;
	*seq = (int64_t)v;
	return 0;
}
