/* tls.h - the key and certificate of the HTTPS listener: read from the
 * operator's PEM files, or made on first start by a local certificate
 * authority kept in the data directory. No HTTP here. */
#ifndef ECSD_TLS_H
#define ECSD_TLS_H
#include <stddef.h>

struct tls_pair {
	char *cert_pem;     /* server certificate (then any chain), PEM */
	char *key_pem;      /* its private key, PEM */
	char ca_path[4096]; /* the local CA's certificate; "" with operator files */
	int made;           /* 1: the server certificate was (re)made this start */
};

/* Reads cert_file and key_file (both PEM; the key must match the first
 * certificate). Returns 0, or -1 with a reason in err. */
int tls_load(const char *cert_file, const char *key_file, struct tls_pair *out,
             char *err, size_t errlen);

/* In DIR/tls/: keeps (or makes) ca.pem + ca.key and a server certificate
 * server.pem + server.key, signed by that CA, naming localhost, 127.0.0.1,
 * ::1 and host (unless host is a wildcard address). Keys are written 0600.
 * An existing CA is reused; the server certificate is made again when it
 * does not name host, is not signed by the CA, or expires within a day.
 * Returns 0, or -1 with a reason in err. */
int tls_local_ca(const char *dir, const char *host, struct tls_pair *out,
                 char *err, size_t errlen);

/* Wipes the key and frees both strings. */
void tls_pair_free(struct tls_pair *p);

#endif
