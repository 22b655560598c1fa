/* autorelease.h - scheduled release (ModifyInstanceAutoReleaseTime,
 * RunInstances AutoReleaseTime; NETWORK.md C.3): the time format and its
 * window. Pure. The schedule itself is docs/auto-release.md. */
#ifndef ECSD_AUTORELEASE_H
#define ECSD_AUTORELEASE_H
#include <stdint.h>

#define AR_MIN_AHEAD_MS (30LL * 60 * 1000)          /* >= 30 minutes ahead */
#define AR_MAX_AHEAD_MS (3LL * 366 * 24 * 3600 * 1000) /* <= 3 years ahead */

/* Parses "yyyy-MM-ddTHH:mm:ssZ" (or "yyyy-MM-ddTHH:mmZ"), truncates to the
 * minute and checks the window against now_ms. 0 with *ms set, or -1
 * (malformed or outside the window: InvalidAutoReleaseTime.Malformed). */
int autorelease_parse(const char *s, int64_t now_ms, int64_t *ms);

#endif
