/* loop.c - the engine of ecs-bench: per thread, one epoll loop over
 * non-blocking keep-alive connections with one request in flight each;
 * flat out, or an open-loop rate whose latency counts from the intended
 * start (wrk2: no coordinated omission); minimal HTTP/1.1 answer parsing
 * (status line, Content-Length, Connection: close, the error "Code").
 * No request contents here: the scenario builds them. */
#include "bench.h"
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define LOOP_EVENTS        256
#define LOOP_HEAD_BYTES    (64 * 1024)  /* an answer's status line + headers */
#define LOOP_READ_MIN      (16 * 1024)  /* free space before each recv */
#define LOOP_SCAN_NS       (100 * 1000000LL)
#define LOOP_CONNECT_TRIES 3

enum conn_state { CS_CLOSED, CS_IDLE, CS_BUSY, CS_RETIRED };

static void conn_ready(struct bench_thread *t, struct bench_conn *c);

int64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

uint64_t bench_rand(uint64_t *s) /* xorshift64* */
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545F4914F6CDD1DULL;
}

void bench_count_code(struct bench_thread *t, int op, const char *code,
                      size_t len)
{
	int i;

	if (len >= BENCH_CODE_BYTES)
		len = BENCH_CODE_BYTES - 1;
	for (i = 0; i < t->ncodes; i++)
		if (t->codes[i].op == op && strlen(t->codes[i].code) == len &&
		    memcmp(t->codes[i].code, code, len) == 0) {
			t->codes[i].n++;
			return;
		}
	if (t->ncodes == BENCH_CODES) {
		t->codes_other++;
		return;
	}
	memcpy(t->codes[i].code, code, len);
	t->codes[i].code[len] = '\0';
	t->codes[i].op = op;
	t->codes[i].n = 1;
	t->ncodes++;
}

/* "STATUS Code" from a JSON or XML error body, else "STATUS". */
static void count_answer_error(struct bench_thread *t, struct bench_conn *c,
                               const char *body, size_t len)
{
	char key[BENCH_CODE_BYTES];
	const char *v = json_find_str(body, len, "Code", &len), *e;
	int n;

	if (!v && (v = memmem(body, c->body_len, "<Code>", 6))) {
		v += 6;
		e = memmem(v, (size_t)(body + c->body_len - v), "</Code>", 7);
		len = e ? (size_t)(e - v) : 0;
		if (!e)
			v = NULL;
	}
	if (v)
		n = snprintf(key, sizeof(key), "%d %.*s", c->status, (int)len, v);
	else
		n = snprintf(key, sizeof(key), "%d", c->status);
	bench_count_code(t, c->op, key, n > 0 ? (size_t)n : 0);
}

/* ---- sockets ---- */

static int conn_open(struct bench_thread *t, struct bench_conn *c)
{
	const struct bench_cfg *cfg = &t->b->cfg;
	struct sockaddr_in sa;
	struct epoll_event ev;
	int one = 1;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)cfg->port);
	if (inet_pton(AF_INET, cfg->host, &sa.sin_addr) != 1)
		return -1;
	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		return -1;
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	c->connected = 0;
	if (connect(c->fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
		c->connected = 1;
	else if (errno != EINPROGRESS)
		goto fail;
	ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
	ev.data.ptr = c;
	if (epoll_ctl(t->ep, EPOLL_CTL_ADD, c->fd, &ev) == 0)
		return 0;
fail:
	close(c->fd);
	c->fd = -1;
	return -1;
}

static void conn_close(struct bench_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->connected = 0;
	c->in_len = 0;
	c->hdr_len = 0;
	c->body_len = 0;
	c->close_after = 0;
}

static void conn_retire(struct bench_thread *t, struct bench_conn *c)
{
	if (c->state == CS_RETIRED)
		return;
	conn_close(c);
	c->state = CS_RETIRED;
	t->live--;
}

static int in_window(const struct bench *b, int64_t now)
{
	return now >= b->measure_ns && now <= b->end_ns;
}

/* The request in flight (if any) failed for reason; reconnects. */
static void conn_fail(struct bench_thread *t, struct bench_conn *c,
                      const char *reason)
{
	int was_busy = c->state == CS_BUSY;

	if (was_busy) {
		c->measured = in_window(t->b, bench_now_ns());
		if (c->measured) {
			t->err[c->op]++;
			bench_count_code(t, c->op, reason, strlen(reason));
		}
		t->b->sc->done(t, c, 0, NULL, 0);
	}
	conn_close(c);
	c->state = CS_CLOSED;
	if (c->connect_failures >= LOOP_CONNECT_TRIES || conn_open(t, c)) {
		if (c->connect_failures >= LOOP_CONNECT_TRIES)
			fprintf(stderr, "ecs-bench: %s:%d: cannot connect\n",
			        t->b->cfg.host, t->b->cfg.port);
		conn_retire(t, c);
		return;
	}
	c->state = CS_IDLE;
	if (!c->queued)
		conn_ready(t, c);
}

static void conn_flush(struct bench_thread *t, struct bench_conn *c)
{
	while (c->connected && c->out_off < c->out.len) {
		ssize_t w = send(c->fd, c->out.p + c->out_off,
		                 c->out.len - c->out_off, MSG_NOSIGNAL);
		if (w > 0) {
			c->out_off += (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		conn_fail(t, c, "send");
		return;
	}
}

/* ---- requests ---- */

static void conn_issue(struct bench_thread *t, struct bench_conn *c,
                       int64_t intended)
{
	struct bench *b = t->b;
	int rc;

	if (b->cfg.max_requests &&
	    __atomic_fetch_add(&b->issued_total, 1, __ATOMIC_RELAXED) >= b->cfg.max_requests) {
		b->stop = 1;
		c->state = CS_IDLE;
		return;
	}
	buf_reset(&c->out);
	c->out.over = 0;
	c->out_off = 0;
	if (t->pre_next < t->pre_n) {      /* --presign: signed before the run */
		size_t i = t->pre_next++, from = i ? t->pre_end[i - 1] : 0;

		c->op = t->pre_op[i];
		rc = buf_add(&c->out, t->pre.p + from, t->pre_end[i] - from);
	} else if (b->cfg.presign && b->sc->needs_ids == 2) {
		rc = 1;                    /* every id was presigned */
	} else {
		arena_reset(&t->arena);
		rc = b->sc->next(t, c);
	}
	if (rc == 1) {
		conn_retire(t, c);
		return;
	}
	if (rc) {
		fprintf(stderr, "ecs-bench: cannot build a %s request\n",
		        bench_op_names[c->op]);
		b->stop = 1;
		conn_retire(t, c);
		return;
	}
	c->sent_ns = bench_now_ns();
	c->start_ns = intended ? intended : c->sent_ns;
	c->state = CS_BUSY;
	c->hdr_len = 0;
	c->body_len = 0;
	c->n++;
	t->issued++;
	conn_flush(t, c);
}

/* c is idle: start its next request now, or queue it for its due time. */
static void conn_ready(struct bench_thread *t, struct bench_conn *c)
{
	struct bench *b = t->b;
	int64_t now = bench_now_ns(), intended;

	c->state = CS_IDLE;
	if (b->stop || now >= b->end_ns)
		return;
	if (t->rate <= 0) {
		conn_issue(t, c, 0);
		return;
	}
	if (t->next_due_ns > now) {
		t->idle[t->nidle++] = (int)(c - t->conns);
		c->queued = 1;
		return;
	}
	intended = t->next_due_ns;
	t->next_due_ns += (int64_t)(1e9 / t->rate);
	conn_issue(t, c, intended);
}

/* ---- answers ---- */

static size_t parse_num(const char *p, const char *end, int *ok)
{
	size_t v = 0;
	int any = 0;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (size_t)(*p - '0');
		any = 1;
		if (v > BENCH_RESP_BYTES)
			break;
	}
	*ok = any;
	return v;
}

/* 1 when a whole answer is buffered, 0 when more is needed, -1 if bad. */
static int conn_parse(struct bench_conn *c)
{
	if (!c->hdr_len) {
		const char *h = c->in, *e = memmem(h, c->in_len, "\r\n\r\n", 4);
		const char *line, *eol;
		int ok;

		if (!e)
			return c->in_len > LOOP_HEAD_BYTES ? -1 : 0;
		c->hdr_len = (size_t)(e - h) + 4;
		if (c->hdr_len < 16 || memcmp(h, "HTTP/1.", 7) != 0)
			return -1;
		c->status = (int)parse_num(h + 8, h + 12, &ok);
		if (!ok)
			return -1;
		c->body_len = 0;
		for (line = (const char *)memchr(h, '\n', c->hdr_len) + 1; line < e;
		     line = eol + 1) {
			size_t n;

			eol = memchr(line, '\n', (size_t)(e + 2 - line));
			if (!eol)
				break;
			n = (size_t)(eol - line);
			if (n > 15 && strncasecmp(line, "content-length:", 15) == 0) {
				c->body_len = parse_num(line + 15, eol, &ok);
				if (!ok || c->body_len > BENCH_RESP_BYTES)
					return -1;
			} else if (n > 11 && strncasecmp(line, "connection:", 11) == 0) {
				if (memmem(line, n, "close", 5))
					c->close_after = 1;
			} else if (n > 18 && strncasecmp(line, "transfer-encoding:", 18) == 0) {
				return -1;  /* chunked answers are not supported */
			}
		}
	}
	return c->in_len >= c->hdr_len + c->body_len;
}

static void conn_complete(struct bench_thread *t, struct bench_conn *c)
{
	struct bench *b = t->b;
	int64_t now = bench_now_ns();
	const char *body = c->in + c->hdr_len;
	size_t used = c->hdr_len + c->body_len;

	c->measured = in_window(b, now);
	if (c->measured) {
		hist_add(&t->h[c->op], (uint64_t)(now - c->start_ns));
		t->completed++;
		t->last_done_ns = now;
		if (c->status >= 200 && c->status < 300) {
			t->ok[c->op]++;
		} else {
			t->err[c->op]++;
			count_answer_error(t, c, body, c->body_len);
		}
	}
	c->connect_failures = 0;
	b->sc->done(t, c, c->status, body, c->body_len);
	memmove(c->in, c->in + used, c->in_len - used);
	c->in_len -= used;
	c->hdr_len = 0;
	c->body_len = 0;
	c->state = CS_IDLE;
	if (c->close_after) {
		conn_close(c);
		if (conn_open(t, c)) {
			conn_retire(t, c);
			return;
		}
		t->reconnects++;
	}
	conn_ready(t, c);
}

static int conn_grow(struct bench_conn *c)
{
	size_t cap = c->in_cap ? c->in_cap * 2 : 4 * LOOP_READ_MIN;
	char *p;

	if (cap > (size_t)BENCH_RESP_BYTES + LOOP_HEAD_BYTES)
		return -1;
	p = realloc(c->in, cap);
	if (!p)
		return -1;
	c->in = p;
	c->in_cap = cap;
	return 0;
}

static void conn_read(struct bench_thread *t, struct bench_conn *c)
{
	while (c->fd >= 0) {
		ssize_t r;
		int rc;

		if (c->in_cap - c->in_len < LOOP_READ_MIN && conn_grow(c)) {
			conn_fail(t, c, "answer-too-large");
			return;
		}
		r = recv(c->fd, c->in + c->in_len, c->in_cap - c->in_len, 0);
		if (r == 0) {
			if (c->state == CS_BUSY)
				conn_fail(t, c, "closed-by-server");
			else
				conn_fail(t, c, "idle-close");
			return;
		}
		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				conn_fail(t, c, "recv");
			return;
		}
		t->bytes_in += (uint64_t)r;
		if (c->state != CS_BUSY) {   /* nothing asked: drop it */
			c->in_len = 0;
			continue;
		}
		c->in_len += (size_t)r;
		while (c->state == CS_BUSY && c->fd >= 0 &&
		       (rc = conn_parse(c)) != 0) {
			if (rc < 0) {
				conn_fail(t, c, "bad-answer");
				return;
			}
			conn_complete(t, c);
		}
	}
}

/* ---- threads ---- */

static void scan_timeouts(struct bench_thread *t, int64_t now)
{
	int64_t limit = (int64_t)(t->b->cfg.timeout_s * 1e9);

	for (int i = 0; i < t->nconns; i++) {
		struct bench_conn *c = &t->conns[i];

		if (c->state == CS_BUSY && now - c->sent_ns > limit)
			conn_fail(t, c, "timeout");
	}
}

static int busy_count(const struct bench_thread *t)
{
	int n = 0;

	for (int i = 0; i < t->nconns; i++)
		n += t->conns[i].state == CS_BUSY;
	return n;
}

/* epoll_pwait2 sleeps to the microsecond (rate mode needs it); kernels
 * before 5.11 fall back to epoll_wait's milliseconds. */
static int loop_wait(int ep, struct epoll_event *ev, int n, int64_t wait_ns)
{
	static int no_pwait2;

	if (wait_ns < 0)
		wait_ns = 0;
	if (!__atomic_load_n(&no_pwait2, __ATOMIC_RELAXED)) {
		struct timespec ts = { (time_t)(wait_ns / 1000000000),
		                       (long)(wait_ns % 1000000000) };
		int r = epoll_pwait2(ep, ev, n, &ts, NULL);

		if (r >= 0 || errno != ENOSYS)
			return r;
		__atomic_store_n(&no_pwait2, 1, __ATOMIC_RELAXED);
	}
	return epoll_wait(ep, ev, n, (int)((wait_ns + 999999) / 1000000));
}

static void *thread_main(void *arg)
{
	struct bench_thread *t = arg;
	struct bench *b = t->b;
	struct epoll_event ev[LOOP_EVENTS];
	int64_t last_scan = bench_now_ns(), drain_until = 0;
	int64_t step = t->rate > 0 ? (int64_t)(1e9 / t->rate) : 0;

	prctl(PR_SET_TIMERSLACK, 1UL);   /* wake at the due time, not 50 us late */
	for (int i = 0; i < t->nconns; i++) {
		struct bench_conn *c = &t->conns[i];

		if (conn_open(t, c)) {
			fprintf(stderr, "ecs-bench: connect %s:%d: %s\n", b->cfg.host,
			        b->cfg.port, strerror(errno));
			conn_retire(t, c);
			continue;
		}
		conn_ready(t, c);
	}
	while (t->live > 0) {
		int64_t now = bench_now_ns();
		int64_t wait_ns = LOOP_SCAN_NS;
		int n;

		if (b->stop || now >= b->end_ns) {
			if (!drain_until)
				drain_until = now + (int64_t)(b->cfg.timeout_s * 1e9);
			if (busy_count(t) == 0 || now > drain_until)
				break;
		} else if (t->rate > 0) {
			while (t->nidle > 0 && t->next_due_ns <= now) {
				struct bench_conn *c = &t->conns[t->idle[--t->nidle]];
				int64_t due = t->next_due_ns;

				c->queued = 0;
				t->next_due_ns += step;
				if (c->state == CS_IDLE && c->fd >= 0)
					conn_issue(t, c, due);
			}
			if (t->nidle > 0 && t->next_due_ns - now < wait_ns)
				wait_ns = t->next_due_ns - now;
		}
		if (b->end_ns > now && b->end_ns - now < wait_ns)
			wait_ns = b->end_ns - now;
		n = loop_wait(t->ep, ev, LOOP_EVENTS, wait_ns);
		for (int i = 0; i < n; i++) {
			struct bench_conn *c = ev[i].data.ptr;
			uint32_t e = ev[i].events;

			if (c->state == CS_RETIRED || c->fd < 0)
				continue;
			if (e & EPOLLERR) {
				if (!c->connected)
					c->connect_failures++;
				conn_fail(t, c, c->connected ? "socket-error" : "connect");
				continue;
			}
			if ((e & EPOLLOUT) && !c->connected) {
				int err = 0;
				socklen_t l = sizeof(err);

				if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &l) || err) {
					c->connect_failures++;
					conn_fail(t, c, "connect");
					continue;
				}
				c->connected = 1;
			}
			if ((e & EPOLLOUT) && c->state == CS_BUSY)
				conn_flush(t, c);
			if (c->fd >= 0 && (e & (EPOLLIN | EPOLLRDHUP | EPOLLHUP)))
				conn_read(t, c);
		}
		now = bench_now_ns();
		if (now - last_scan > LOOP_SCAN_NS) {
			scan_timeouts(t, now);
			last_scan = now;
		}
	}
	for (int i = 0; i < t->nconns; i++)
		conn_close(&t->conns[i]);
	return NULL;
}

/* Signs up to n requests of t's share before the clock starts. */
static int presign(struct bench_thread *t, uint64_t n)
{
	struct bench_conn *c = &t->conns[0];

	t->pre_end = calloc(n ? n : 1, sizeof(*t->pre_end));
	t->pre_op = calloc(n ? n : 1, 1);
	buf_init(&t->pre, BENCH_PRESIGN_BYTES / (size_t)t->b->nthreads);
	if (!t->pre_end || !t->pre_op)
		return -1;
	for (uint64_t i = 0; i < n; i++) {
		int rc;

		buf_reset(&c->out);
		arena_reset(&t->arena);
		rc = t->b->sc->next(t, c);
		if (rc == 1)
			break;
		if (rc || buf_add(&t->pre, c->out.p, c->out.len))
			return -1;
		t->pre_end[t->pre_n] = t->pre.len;
		t->pre_op[t->pre_n++] = (unsigned char)c->op;
	}
	return 0;
}

int loop_run(struct bench *b)
{
	const struct bench_cfg *cfg = &b->cfg;
	int nt = cfg->threads < cfg->conns ? cfg->threads : cfg->conns;
	uint64_t seed = (uint64_t)bench_now_ns() ^ (uint64_t)getpid() << 32;
	int k = 0;

	if (nt < 1)
		nt = 1;
	b->nthreads = nt;
	b->th = calloc((size_t)nt, sizeof(*b->th));
	if (!b->th)
		return -1;
	b->t0_ns = bench_now_ns();
	b->measure_ns = b->t0_ns + (int64_t)(cfg->warmup_s * 1e9);
	b->end_ns = cfg->duration_s > 0 ?
		b->measure_ns + (int64_t)(cfg->duration_s * 1e9) : INT64_MAX;
	for (int i = 0; i < nt; i++) {
		struct bench_thread *t = &b->th[i];
		int nc = cfg->conns / nt + (i < cfg->conns % nt);

		t->b = b;
		t->idx = i;
		t->nconns = nc;
		t->live = nc;
		t->conns = calloc((size_t)nc, sizeof(*t->conns));
		t->idle = calloc((size_t)nc, sizeof(*t->idle));
		t->ep = epoll_create1(EPOLL_CLOEXEC);
		t->rng = seed + 0x9E3779B97F4A7C15ULL * (uint64_t)(i + 1);
		t->rate = cfg->rate > 0 ? cfg->rate / nt : 0;
		t->next_due_ns = b->t0_ns;
		arena_init(&t->arena, BENCH_ARENA_BYTES);
		if (!t->conns || !t->idle || t->ep < 0)
			return -1;
		for (int j = 0; j < nc; j++) {
			t->conns[j].t = t;
			t->conns[j].fd = -1;
			buf_init(&t->conns[j].out, BENCH_REQ_BYTES);
		}
	}
	if (cfg->presign && b->sc->presignable) {
		for (int i = 0; i < nt; i++)
			if (presign(&b->th[i], cfg->presign / (uint64_t)nt + 1)) {
				fprintf(stderr, "ecs-bench: cannot presign requests\n");
				return -1;
			}
		b->t0_ns = bench_now_ns();
		b->measure_ns = b->t0_ns + (int64_t)(cfg->warmup_s * 1e9);
		b->end_ns = cfg->duration_s > 0 ?
			b->measure_ns + (int64_t)(cfg->duration_s * 1e9) : INT64_MAX;
		for (int i = 0; i < nt; i++)
			b->th[i].next_due_ns = b->t0_ns;
	}
	for (k = 0; k < nt; k++)
		if (pthread_create(&b->th[k].tid, NULL, thread_main, &b->th[k]))
			break;
	for (int i = 0; i < k; i++)
		pthread_join(b->th[i].tid, NULL);
	return k == nt ? 0 : -1;
}

void loop_free(struct bench *b)
{
	for (int i = 0; b->th && i < b->nthreads; i++) {
		struct bench_thread *t = &b->th[i];

		for (int j = 0; t->conns && j < t->nconns; j++) {
			buf_free(&t->conns[j].out);
			free(t->conns[j].in);
		}
		free(t->conns);
		free(t->idle);
		free(t->pre_end);
		free(t->pre_op);
		buf_free(&t->pre);
		if (t->ep >= 0)
			close(t->ep);
		arena_free(&t->arena);
	}
	free(b->th);
	b->th = NULL;
}
