/* log.h - one-line log records to stderr, and the wall clock. The bottom
 * of the stack: every layer may log; nothing here knows the server. */
#ifndef ECSD_LOG_H
#define ECSD_LOG_H
#include <stdint.h>

/* Logs at level 0 error, 1 info, 2 debug; records above the level set by
 * log_set_level are dropped. Never pass secrets. */
void log_msg(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The process-wide level (default 1). */
void log_set_level(int level);
/* Wall clock in epoch milliseconds. */
int64_t ecsd_now_ms(void);

#endif
