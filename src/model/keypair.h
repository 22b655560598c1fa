/* keypair.h - SSH key pairs: name rules, the public-key formats
 * ImportKeyPair accepts, the fingerprint as the service computes it (MD5
 * of the key blob, RFC 4716, lower-case hex), and key generation for
 * CreateKeyPair (OpenSSL). No storage here. */
#ifndef ECSD_KEYPAIR_H
#define ECSD_KEYPAIR_H
#include <stddef.h>

#define KP_NAME_MAX 128
#define KP_QUOTA 500            /* key pairs per account and region */
#define KP_FP_LEN 33            /* 32 hex digits + NUL */

/* 1 if name is 2-128 characters, starts with a letter (or any non-ASCII
 * letter), holds letters, digits, ':', '_', '.', '-' and no "http(s)://". */
int keypair_name_ok(const char *name);

/* Parses an OpenSSH one-line public key ("ssh-rsa AAAA... comment"):
 * type ssh-rsa, ssh-dss or ecdsa-sha2-nistp256/384/521, base64 blob that
 * names the same type. Fills fp with the fingerprint and canon (size n)
 * with "type base64". 0 or -1 when malformed. */
int keypair_parse_public(const char *body, char fp[KP_FP_LEN], char *canon, size_t n);

/* Generates an RSA 2048 key pair: *pem (PKCS#8 PEM private key) and *pub
 * (OpenSSH "ssh-rsa ..." line) are malloc'd, the caller frees them.
 * 0 or -1. */
int keypair_generate(char **pem, char **pub);

#endif
