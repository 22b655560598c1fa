/* autorelease.c - the AutoReleaseTime format and window of NETWORK.md C.3:
 * UTC, seconds truncated to the minute, 30 minutes to 3 years ahead. */
#include "autorelease.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

int autorelease_parse(const char *s, int64_t now_ms, int64_t *ms)
{
	struct tm tm;
	int y, mo, d, h, mi, sec = 0, used = 0;
	size_t n = strlen(s);
	time_t t;

	if (n == 20) {
		if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &mo, &d, &h, &mi, &sec, &used) != 6)
			return -1;
	} else if (n == 17) {
		if (sscanf(s, "%4d-%2d-%2dT%2d:%2dZ%n", &y, &mo, &d, &h, &mi, &used) != 5)
			return -1;
	} else {
		return -1;
	}
	if ((size_t)used != n || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi > 59 || sec > 59 || y < 1970 || y > 9999)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	t = timegm(&tm);
	if (t == (time_t)-1 || tm.tm_mday != d)   /* 31 February and the like */
		return -1;
	if ((int64_t)t * 1000 + sec * 1000LL < now_ms + AR_MIN_AHEAD_MS ||
	    (int64_t)t * 1000 > now_ms + AR_MAX_AHEAD_MS)
		return -1;
	*ms = (int64_t)t * 1000;   /* seconds truncated to the minute */
	return 0;
}
