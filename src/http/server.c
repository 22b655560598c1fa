/* server.c - libmicrohttpd glue: one thread per connection (handlers may
 * wait on a group commit without stalling other clients), connection
 * limit and idle timeout from limits.h, early refusal of oversized
 * bodies. Routes "/" to the API and "/_ecsd/" to the control API. */
#include "server.h"
#include "../dispatch/dispatch.h"
#include "../common/arena.h"
#include "../common/buf.h"
#include "../common/limits.h"
#include "../common/metrics.h"
#include "../ctl/ctl.h"
#include "../ctl/web.h"
#include "../ecsd.h"
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <openssl/crypto.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct http_server {
	struct MHD_Daemon *d;
	struct ecsd *e;
	int port;
	char *tls_cert, *tls_key; /* PEM, kept while the daemon lives */
	int quiesced;
	MHD_socket listen_sock;   /* after http_quiesce */
	atomic_int active;      /* requests being handled or answered */
};

/* Per-request state, created by the URI callback (first to see a request). */
struct conn_req {
	struct arena arena;
	char *uri;              /* raw request target, query not decoded */
	struct buf body;
	int too_large;
	int bad_length;         /* Content-Length repeated: refused unread */
	int started;
	int counted;            /* counted in http_server.active */
};

static void *uri_cb(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct conn_req *cr = calloc(1, sizeof(*cr));

	(void)cls;
	(void)c;
	if (!cr)
		return NULL;
	arena_init(&cr->arena, 256 * 1024);
	buf_init(&cr->body, LIM_BODY_BYTES);
	if (strlen(uri) > LIM_URL_BYTES)
		cr->too_large = 1;
	else
		cr->uri = arena_strdup(&cr->arena, uri);
	return cr;
}

static void completed_cb(void *cls, struct MHD_Connection *c, void **req_cls,
                         enum MHD_RequestTerminationCode toe)
{
	struct http_server *s = cls;
	struct conn_req *cr = *req_cls;

	(void)c;
	(void)toe;
	if (!cr)
		return;
	if (cr->counted)
		atomic_fetch_sub(&s->active, 1);
	buf_free(&cr->body);
	arena_free(&cr->arena);
	free(cr);
	*req_cls = NULL;
}

struct hdr_acc {
	struct arena *a;
	struct http_header *h;
	size_t n;
	size_t bytes;
	int over;
};

static enum MHD_Result hdr_cb(void *cls, enum MHD_ValueKind kind,
                              const char *key, const char *value)
{
	struct hdr_acc *acc = cls;
	char *name;
	size_t kl = strlen(key);

	(void)kind;
	if (acc->n >= LIM_HEADER_COUNT) {
		acc->over = 1;
		return MHD_NO;
	}
	acc->bytes += kl + (value ? strlen(value) : 0);
	if (acc->bytes > LIM_HEADER_BYTES) {
		acc->over = 1;
		return MHD_NO;
	}
	name = arena_strndup(acc->a, key, kl);
	if (!name)
		return MHD_NO;
	for (size_t i = 0; i < kl; i++)
		name[i] = (char)tolower((unsigned char)name[i]);
	acc->h[acc->n].name = name;
	acc->h[acc->n].value = value ? value : "";
	acc->n++;
	return MHD_YES;
}

static enum MHD_Result send_out(struct MHD_Connection *c, struct http_out *o)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	if (o->drop) {          /* a fault rule: the client sees a reset */
		free(o->body);
		return MHD_NO;
	}
	char ra[32];

	resp = MHD_create_response_from_buffer(o->body_len, o->body ? o->body : (void *)"",
	                                       o->body ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	if (!resp) {
		free(o->body);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type", o->content_type ? o->content_type :
	                        "application/json;charset=utf-8");
	if (o->request_id[0])
		MHD_add_response_header(resp, "x-acs-request-id", o->request_id);
	if (o->retry_after_ms > 0) {
		snprintf(ra, sizeof(ra), "%d", o->retry_after_ms);
		MHD_add_response_header(resp, "x-acs-retry-after", ra);
	}
	for (int i = 0; i < o->nextra && i < 6; i++)
		MHD_add_response_header(resp, o->extra[i].name, o->extra[i].value);
	ret = MHD_queue_response(c, (unsigned)o->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static int peer_is_loopback(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	if (!sa)
		return 0;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)sa;
		return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)sa;
		return IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
	}
	return 0;
}

/* The peer's address as text, in a (for the audit trail); NULL if unknown. */
static const char *peer_address(struct MHD_Connection *c, struct arena *a)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;
	char *out = arena_alloc(a, INET6_ADDRSTRLEN);

	if (!sa || !out)
		return NULL;
	if (sa->sa_family == AF_INET)
		return inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
		                 out, INET6_ADDRSTRLEN);
	if (sa->sa_family == AF_INET6)
		return inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
		                 out, INET6_ADDRSTRLEN);
	return NULL;
}

static const char *find_header(const struct hdr_acc *acc, const char *name)
{
	for (size_t i = 0; i < acc->n; i++)
		if (strcmp(acc->h[i].name, name) == 0)
			return acc->h[i].value;
	return NULL;
}

/* The control token: "Authorization: Bearer T" or "X-Ecsd-Token: T". */
static const char *bearer_token(const struct hdr_acc *acc)
{
	const char *auth = find_header(acc, "authorization");

	if (auth && strncasecmp(auth, "Bearer ", 7) == 0)
		return auth + 7;
	return find_header(acc, "x-ecsd-token");
}

/* http_in.peer_wait: sleeps ms, watching the socket; 1 as soon as the
 * client has closed it (a client that timed out), else 0. */
static int peer_wait(void *ctx, long long ms)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(ctx, MHD_CONNECTION_INFO_CONNECTION_FD);
	int64_t end = ecsd_now_ms() + ms, left;
	char b;

	while ((left = end - ecsd_now_ms()) > 0) {
		struct pollfd p = { ci ? ci->connect_fd : -1, POLLIN | POLLRDHUP, 0 };
		int n = poll(&p, ci ? 1 : 0, left > 100 ? 100 : (int)left);

		if (n > 0 && (p.revents & (POLLIN | POLLRDHUP | POLLHUP | POLLERR))) {
			ssize_t k = recv(p.fd, &b, 1, MSG_PEEK | MSG_DONTWAIT);

			if (k == 0 || (k < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
				return 1;
			if (k > 0) {   /* pipelined bytes: just wait the rest */
				struct timespec ts = { left / 1000, (left % 1000) * 1000000L };
				nanosleep(&ts, NULL);
				return 0;
			}
		}
	}
	return 0;
}

static enum MHD_Result handle(struct http_server *s, struct MHD_Connection *c,
                              struct conn_req *cr, const char *url,
                              const char *method)
{
	struct hdr_acc acc = { &cr->arena, NULL, 0, 0, 0 };
	struct http_in in;
	struct http_out out;
	const char *q = cr->uri ? strchr(cr->uri, '?') : NULL;
	const char *tok = NULL;

	if (!cr->counted) { /* in flight until its answer is sent (completed_cb) */
		cr->counted = 1;
		atomic_fetch_add(&s->active, 1);
	}
	acc.h = arena_alloc(&cr->arena, LIM_HEADER_COUNT * sizeof(struct http_header));
	if (acc.h)
		MHD_get_connection_values(c, MHD_HEADER_KIND, hdr_cb, &acc);
	memset(&in, 0, sizeof(in));
	memset(&out, 0, sizeof(out));

	in.method = method;
	in.host = find_header(&acc, "host");
	in.raw_query = q ? q + 1 : NULL;
	in.raw_query_len = q ? strlen(q + 1) : 0;
	in.content_type = find_header(&acc, "content-type");
	in.body = cr->body.p ? cr->body.p : "";
	in.body_len = cr->body.len;
	in.body_too_large = cr->too_large || acc.over;
	in.bad_length = cr->bad_length;
	in.headers = acc.h;
	in.nheaders = acc.n;
	in.authorization = find_header(&acc, "authorization");
	in.bad_path = strcmp(url, "/") != 0;
	in.peer = peer_address(c, &cr->arena);
	if (strcmp(url, "/") != 0) {
		/* the console, metrics and account-readable /_ecsd/ endpoints */
		tok = bearer_token(&acc);
		if (!cr->too_large && !cr->bad_length &&
		    web_route(s->e, method, url, &in, tok, peer_is_loopback(c), &out))
			return send_out(c, &out);
		memset(&out, 0, sizeof(out));
	}
	if (strncmp(url, "/_ecsd/", 7) == 0 || strcmp(url, "/_ecsd") == 0) {
		if (cr->too_large) {
			out.status = 413;
			out.content_type = "application/json;charset=utf-8";
			out.body = strdup("{\"Code\":\"RequestTooLarge\",\"Message\":\"The request body exceeds the limit.\"}");
			out.body_len = out.body ? strlen(out.body) : 0;
		} else {
			ctl_handle(s->e, method, url + 6, q ? q + 1 : NULL, cr->body.p,
			           cr->body.len, tok, peer_is_loopback(c), &out);
		}
		return send_out(c, &out);
	}

	in.peer_wait = peer_wait;
	in.peer_ctx = c;
	api_dispatch(s->e, &in, &out);
	return send_out(c, &out);
}

static enum MHD_Result cl_count_cb(void *cls, enum MHD_ValueKind kind,
                                   const char *key, const char *value)
{
	(void)kind;
	(void)value;
	if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0)
		++*(int *)cls;
	return MHD_YES;
}

static void conn_cb(void *cls, struct MHD_Connection *c, void **socket_ctx,
                    enum MHD_ConnectionNotificationCode code)
{
	(void)cls;
	(void)c;
	(void)socket_ctx;
	metrics_connection(code == MHD_CONNECTION_NOTIFY_STARTED ? 1 : -1);
}

static enum MHD_Result access_cb(void *cls, struct MHD_Connection *c,
                                 const char *url, const char *method,
                                 const char *version, const char *upload_data,
                                 size_t *upload_data_size, void **req_cls)
{
	struct http_server *s = cls;
	struct conn_req *cr = *req_cls;

	(void)version;
	if (!cr)
		return MHD_NO;
	if (!cr->started) {
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
		                                             MHD_HTTP_HEADER_CONTENT_LENGTH);
		int ncl = 0;

		cr->started = 1;
		/* two Content-Length headers (or "5, 6") frame the body two ways:
		 * request smuggling's favourite ambiguity, refused before reading */
		MHD_get_connection_values(c, MHD_HEADER_KIND, cl_count_cb, &ncl);
		if (ncl > 1 || (cl && cl[strspn(cl, "0123456789")] != '\0')) {
			cr->bad_length = 1;
			return handle(s, c, cr, url, method);
		}
		if (cl && strtoull(cl, NULL, 10) > LIM_BODY_BYTES) {
			cr->too_large = 1;   /* refuse before reading the body */
			return handle(s, c, cr, url, method);
		}
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (!cr->too_large && buf_add(&cr->body, upload_data, *upload_data_size))
			cr->too_large = 1;
		*upload_data_size = 0;
		return MHD_YES;
	}
	return handle(s, c, cr, url, method);
}

static void http_free(struct http_server *s)
{
	if (s->tls_key)
		OPENSSL_cleanse(s->tls_key, strlen(s->tls_key));
	free(s->tls_key);
	free(s->tls_cert);
	free(s);
}

int http_start(struct ecsd *e, const char *host, int port_no,
               const char *tls_cert, const char *tls_key, struct http_server **out)
{
	struct http_server *s = calloc(1, sizeof(*s));
	struct addrinfo hints, *ai = NULL;
	char port[16];
	const union MHD_DaemonInfo *di;
	struct MHD_OptionItem tlsopt[4] = { { MHD_OPTION_END, 0, NULL } };
	int rc;

	if (!s)
		return -1;
	atomic_init(&s->active, 0);
	s->e = e;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	snprintf(port, sizeof(port), "%d", port_no);
	if (tls_cert && MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
		log_msg(0, "this libmicrohttpd is built without TLS: cannot serve HTTPS");
		free(s);
		return -1;
	}
	if (tls_cert) {
		s->tls_cert = strdup(tls_cert);
		s->tls_key = strdup(tls_key);
		if (!s->tls_cert || !s->tls_key) {
			http_free(s);
			return -1;
		}
	}
	rc = getaddrinfo(host, port, &hints, &ai);
	if (rc || !ai) {
		log_msg(0, "cannot resolve listen address %s: %s", host, gai_strerror(rc));
		http_free(s);
		return -1;
	}
	/* TLS options only for the HTTPS listener: an empty array otherwise */
	if (s->tls_cert) {
		tlsopt[0] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_KEY, 0, s->tls_key };
		tlsopt[1] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_CERT, 0, s->tls_cert };
		tlsopt[2] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_PRIORITIES, 0,
			(void *)"NORMAL:-VERS-SSL3.0:-VERS-TLS1.0:-VERS-TLS1.1" };
	}
	s->d = MHD_start_daemon(
		MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
		MHD_USE_POLL | (ai->ai_family == AF_INET6 ? MHD_USE_IPv6 : 0) |
		MHD_USE_ITC | (s->tls_cert ? MHD_USE_TLS : 0),
		0, NULL, NULL, access_cb, s,
		MHD_OPTION_SOCK_ADDR, ai->ai_addr,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)LIM_CONNECTIONS,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)LIM_CONNECTIONS_PER_IP,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)LIM_CONN_TIMEOUT_S,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(LIM_URL_BYTES + LIM_HEADER_BYTES + 8192),
		MHD_OPTION_URI_LOG_CALLBACK, uri_cb, NULL,
		MHD_OPTION_NOTIFY_COMPLETED, completed_cb, s,
		MHD_OPTION_NOTIFY_CONNECTION, conn_cb, NULL,
		MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
		MHD_OPTION_ARRAY, tlsopt,
		MHD_OPTION_END);
	freeaddrinfo(ai);
	if (!s->d) {
		log_msg(0, "cannot listen%s on %s:%d", s->tls_cert ? " (TLS)" : "", host, port_no);
		http_free(s);
		return -1;
	}
	di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	s->port = di ? di->port : port_no;
	*out = s;
	return 0;
}

int http_port(const struct http_server *s)
{
	return s->port;
}

void http_quiesce(struct http_server *s)
{
	if (!s || s->quiesced)
		return;
	/* Stop accepting: new connections are refused at once (shutdown; the
	 * socket is closed only once MHD is done with it, as MHD asks). */
	s->quiesced = 1;
	s->listen_sock = MHD_quiesce_daemon(s->d);
	if (s->listen_sock != MHD_INVALID_SOCKET)
		shutdown(s->listen_sock, SHUT_RDWR);
}

void http_stop(struct http_server *s)
{
	if (!s)
		return;
	http_quiesce(s);
	/* Requests in flight finish and are answered, within a grace period;
	 * done once no request has been in flight for LIM_STOP_QUIET_MS, so
	 * that requests already accepted but not yet read are served too. */
	for (int i = 0, quiet = 0; i < LIM_STOP_GRACE_S * 100 &&
	     quiet < LIM_STOP_QUIET_MS / 10; i++) {
		quiet = atomic_load(&s->active) > 0 ? 0 : quiet + 1;
		usleep(10000);
	}
	MHD_stop_daemon(s->d);     /* closes idle connections, joins threads */
	if (s->listen_sock != MHD_INVALID_SOCKET)
		close(s->listen_sock);
	http_free(s);
}
