/* reply.h - the small reply API handlers emit fields through (redis'
 * addReply*). Streams straight to JSON or XML; only render/ knows the
 * format. Handlers never write bytes themselves. */
#ifndef ECSD_REPLY_H
#define ECSD_REPLY_H
#include <stdint.h>
#include "../common/buf.h"

#define REPLY_DEPTH 16

struct reply {
	struct buf out;
	int json;                 /* 1 JSON, 0 XML */
	int depth;
	struct {
		char kind;        /* 'o' object, 'l' list */
		int first;        /* no member written yet */
		const char *name; /* XML element name to close */
		const char *item; /* list: element name of each item */
	} st[REPLY_DEPTH];
};

/* Starts the document: JSON '{', XML <?xml?><Root>. */
void reply_begin(struct reply *r, int json, const char *root, size_t limit);
/* Ends it; returns 0, or -1 if the buffer limit was hit (the document is
 * then incomplete and must not be sent). */
int reply_end(struct reply *r) __attribute__((warn_unused_result));

/* Members. key is ignored (may be NULL) inside a list. */
void reply_str(struct reply *r, const char *key, const char *v);
void reply_int(struct reply *r, const char *key, int64_t v);
void reply_bool(struct reply *r, const char *key, int v);
/* A JSON number that may be fractional (0.5, 16); shortest exact form. */
void reply_num(struct reply *r, const char *key, double v);
void reply_obj_begin(struct reply *r, const char *key);
void reply_obj_end(struct reply *r);
/* A wrapped list, as the real service wraps them:
 * JSON "Container":{"Item":[...]}, XML <Container><Item>..</Item></Container> */
void reply_list_begin(struct reply *r, const char *container, const char *item);
void reply_list_end(struct reply *r);

/* A point in the document to come back to: reply_rewind drops everything
 * written after reply_mark (the store's re-run of a transaction). */
struct reply_mark {
	size_t len;
	int depth;
	int first;                /* st[depth].first at the mark */
	int over;                 /* the buffer's overflow flag at the mark */
};
void reply_mark(const struct reply *r, struct reply_mark *m);
void reply_rewind(struct reply *r, const struct reply_mark *m);

/* A whole error document (Code, Message, RequestId, HostId, Recommend) in a
 * buffer of ceiling limit. Returns 0, or -1 when it did not fit (r->out is
 * then incomplete and must not be sent). */
int reply_error(struct reply *r, int json, size_t limit, const char *request_id,
                const char *host_id, const char *code, const char *message,
                const char *recommend) __attribute__((warn_unused_result));

#endif
