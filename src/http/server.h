/* server.h - the HTTP/1.1 front door (libmicrohttpd): collects method,
 * raw query, headers and body under the limits of limits.h, hands them to
 * the API or control dispatcher, sends the reply. No ECS rules here. */
#ifndef ECSD_SERVER_H
#define ECSD_SERVER_H

struct ecsd;
struct http_server;

/* Starts listening on e->listen_host:e->listen_port (port 0: any free
 * port). Returns 0, or -1 with a reason logged. */
int http_start(struct ecsd *e, struct http_server **out);
/* The port actually bound. */
int http_port(const struct http_server *s);
/* Stops accepting, lets requests in flight finish, frees. */
void http_stop(struct http_server *s);

#endif
