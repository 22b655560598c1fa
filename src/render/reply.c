/* reply.c - streams a handler's fields as JSON or XML (see reply.h).
 * Knows the two formats' escaping and the service's list wrapping; knows
 * nothing of ECS resources. */
#include "reply.h"
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static void esc_json(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *run = p;

	buf_addc(b, '"');
	for (; *p; p++) {
		if (*p >= 0x20 && *p != '"' && *p != '\\')
			continue;
		buf_add(b, run, (size_t)(p - run));
		switch (*p) {
		case '"': buf_add(b, "\\\"", 2); break;
		case '\\': buf_add(b, "\\\\", 2); break;
		case '\n': buf_add(b, "\\n", 2); break;
		case '\r': buf_add(b, "\\r", 2); break;
		case '\t': buf_add(b, "\\t", 2); break;
		default: {
			char u[6] = { '\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15] };
			buf_add(b, u, 6);
		}
		}
		run = p + 1;
	}
	buf_add(b, run, (size_t)(p - run));
	buf_addc(b, '"');
}

static void esc_xml(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *run = p;

	for (; *p; p++) {
		const char *e = NULL;

		switch (*p) {
		case '&': e = "&amp;"; break;
		case '<': e = "&lt;"; break;
		case '>': e = "&gt;"; break;
		case '"': e = "&quot;"; break;
		case '\'': e = "&apos;"; break;
		case 0xEF:
			/* U+FFFE (EF BF BE) and U+FFFF (EF BF BF) are not XML 1.0
			 * characters, not even as references: U+FFFD instead. The
			 * parameter check refuses them; this keeps any stored
			 * before that check parseable. */
			if (p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF)) {
				e = "\xEF\xBF\xBD";
				buf_add(b, run, (size_t)(p - run));
				buf_adds(b, e);
				p += 2;
				run = p + 1;
			}
			continue;
		default:
			if (*p >= 0x20 || *p == '\t' || *p == '\n' || *p == '\r')
				continue;
			e = ""; /* not representable in XML 1.0: dropped */
		}
		buf_add(b, run, (size_t)(p - run));
		buf_adds(b, e);
		run = p + 1;
	}
	buf_add(b, run, (size_t)(p - run));
}

/* Opens a member: separator and key (JSON), start tag (XML). Returns the
 * XML element name used, to close it. */
static const char *member_open(struct reply *r, const char *key)
{
	int d = r->depth;
	int in_list = r->st[d].kind == 'l';
	const char *name = in_list ? r->st[d].item : key;

	if (r->json) {
		if (!r->st[d].first)
			buf_addc(&r->out, ',');
		if (!in_list) {
			esc_json(&r->out, key);
			buf_addc(&r->out, ':');
		}
	} else {
		buf_addc(&r->out, '<');
		buf_adds(&r->out, name);
		buf_addc(&r->out, '>');
	}
	r->st[d].first = 0;
	return name;
}

static void member_close(struct reply *r, const char *name)
{
	if (!r->json) {
		buf_add(&r->out, "</", 2);
		buf_adds(&r->out, name);
		buf_addc(&r->out, '>');
	}
}

static void push(struct reply *r, char kind, const char *name, const char *item)
{
	if (r->depth + 1 >= REPLY_DEPTH) {
		r->out.over = 1; /* a programming error surfaces as InternalError */
		return;
	}
	r->depth++;
	r->st[r->depth].kind = kind;
	r->st[r->depth].first = 1;
	r->st[r->depth].name = name;
	r->st[r->depth].item = item;
}

void reply_begin(struct reply *r, int json, const char *root, size_t limit)
{
	buf_init(&r->out, limit);
	r->json = json;
	r->depth = 0;
	r->st[0].kind = 'o';
	r->st[0].first = 1;
	r->st[0].name = root;
	r->st[0].item = NULL;
	if (json) {
		buf_addc(&r->out, '{');
	} else {
		buf_adds(&r->out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><");
		buf_adds(&r->out, root);
		buf_addc(&r->out, '>');
	}
}

int reply_end(struct reply *r)
{
	while (r->depth > 0) {
		if (r->st[r->depth].kind == 'l')
			reply_list_end(r);
		else
			reply_obj_end(r);
	}
	if (r->json)
		buf_addc(&r->out, '}');
	else
		member_close(r, r->st[0].name);
	return r->out.over ? -1 : 0;
}

void reply_str(struct reply *r, const char *key, const char *v)
{
	const char *name = member_open(r, key);

	if (r->json)
		esc_json(&r->out, v ? v : "");
	else
		esc_xml(&r->out, v ? v : "");
	member_close(r, name);
}

void reply_int(struct reply *r, const char *key, int64_t v)
{
	const char *name = member_open(r, key);

	buf_printf(&r->out, "%" PRId64, v);
	member_close(r, name);
}

void reply_num(struct reply *r, const char *key, double v)
{
	const char *name = member_open(r, key);

	buf_printf(&r->out, "%.15g", v);
	member_close(r, name);
}

void reply_bool(struct reply *r, const char *key, int v)
{
	const char *name = member_open(r, key);

	buf_adds(&r->out, v ? "true" : "false");
	member_close(r, name);
}

void reply_obj_begin(struct reply *r, const char *key)
{
	const char *name = member_open(r, key);

	if (r->json)
		buf_addc(&r->out, '{');
	push(r, 'o', name, NULL);
}

void reply_obj_end(struct reply *r)
{
	const char *name = r->st[r->depth].name;

	if (r->depth == 0)
		return;
	r->depth--;
	if (r->json)
		buf_addc(&r->out, '}');
	else
		member_close(r, name);
}

void reply_list_begin(struct reply *r, const char *container, const char *item)
{
	const char *name = member_open(r, container);

	if (r->json) {
		buf_addc(&r->out, '{');
		esc_json(&r->out, item);
		buf_add(&r->out, ":[", 2);
	}
	push(r, 'l', name, item);
}

void reply_list_end(struct reply *r)
{
	const char *name = r->st[r->depth].name;

	if (r->depth == 0)
		return;
	r->depth--;
	if (r->json)
		buf_add(&r->out, "]}", 2);
	else
		member_close(r, name);
}

int reply_error(struct reply *r, int json, size_t limit, const char *request_id,
                const char *host_id, const char *code, const char *message,
                const char *recommend)
{
	reply_begin(r, json, "Error", limit);
	reply_str(r, "RequestId", request_id);
	reply_str(r, "HostId", host_id);
	reply_str(r, "Code", code);
	reply_str(r, "Message", message);
	reply_str(r, "Recommend", recommend);
	return reply_end(r);
}

void reply_mark(const struct reply *r, struct reply_mark *m)
{
	m->len = r->out.len;
	m->depth = r->depth;
	m->first = r->st[r->depth].first;
	m->over = r->out.over;
}

void reply_rewind(struct reply *r, const struct reply_mark *m)
{
	if (r->out.p && m->len <= r->out.len) {
		r->out.len = m->len;
		r->out.p[m->len] = '\0';
	}
	r->out.over = m->over;
	r->depth = m->depth;
	r->st[r->depth].first = m->first;
}
