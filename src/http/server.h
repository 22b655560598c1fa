/* server.h - the HTTP/1.1 front door (libmicrohttpd): collects method,
 * raw query, headers and body under the limits of limits.h, hands them to
 * the API or control dispatcher, sends the reply. No ECS rules here. */
#ifndef ECSD_SERVER_H
#define ECSD_SERVER_H

struct ecsd;
struct http_server;

/* Starts listening on host:port (port 0: any free port), over TLS when
 * tls_cert and tls_key (PEM strings, copied) are given. Returns 0, or -1
 * with a reason logged. */
int http_start(struct ecsd *e, const char *host, int port,
               const char *tls_cert, const char *tls_key, struct http_server **out);
/* The port actually bound. */
int http_port(const struct http_server *s);
/* Stops accepting new connections (several servers: all of them first). */
void http_quiesce(struct http_server *s);
/* Stops accepting, lets requests in flight finish, frees. */
void http_stop(struct http_server *s);

#endif
