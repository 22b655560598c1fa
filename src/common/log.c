/* log.c - one-line log records to stderr with a UTC timestamp, and the
 * wall clock. Callers never pass secrets. */
#include "log.h"
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

static int log_level_global = 1;

void log_set_level(int level)
{
	log_level_global = level;
}

int64_t ecsd_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void log_msg(int level, const char *fmt, ...)
{
	static const char *names[] = { "error", "info", "debug" };
	char line[1024], ts[32];
	time_t now = time(NULL);
	struct tm tm;
	va_list ap;

	if (level > log_level_global)
		return;
	gmtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s ecsd %s: %s\n", ts, names[level < 0 ? 0 : level > 2 ? 2 : level], line);
}
