/* buf.h - growable byte buffer with a ceiling set at init (curl dynbuf).
 * No protocol knowledge here. */
#ifndef ECSD_BUF_H
#define ECSD_BUF_H
#include <stddef.h>
#include <stdarg.h>

struct buf {
	char *p;       /* always NUL-terminated when non-NULL */
	size_t len;
	size_t cap;
	size_t limit;  /* hard ceiling on len */
	int over;      /* set once an append hit the limit or malloc failed */
};

void buf_init(struct buf *b, size_t limit);
/* Appenders return 0, or -1 when the limit (or memory) is hit; b->over stays set. */
int buf_add(struct buf *b, const void *p, size_t n);
int buf_adds(struct buf *b, const char *s);
int buf_addc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
const char *buf_cstr(const struct buf *b); /* "" when empty; owned by b */
void buf_reset(struct buf *b);             /* len = 0, keeps memory */
void buf_free(struct buf *b);

#endif
