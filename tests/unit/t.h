/* t.h - the unit-test harness: table rows checked one by one, a TAP-like
 * line per check, and a closing "name: N passed, N failed" line. */
#ifndef ECSD_T_H
#define ECSD_T_H
#include <stdio.h>
#include <string.h>

static int t_pass, t_fail;

#define T_CHECK(cond, ...) do { \
	if (cond) { t_pass++; } else { t_fail++; \
		printf("not ok %s:%d: ", __FILE__, __LINE__); \
		printf(__VA_ARGS__); printf("\n"); } } while (0)

#define T_STREQ(got, want, what) do { \
	const char *t_g = (got), *t_w = (want); \
	T_CHECK(t_g && t_w && strcmp(t_g, t_w) == 0, "%s: got \"%s\" want \"%s\"", \
		(what), t_g ? t_g : "(null)", t_w ? t_w : "(null)"); } while (0)

#define T_INTEQ(got, want, what) do { \
	long long t_g = (long long)(got), t_w = (long long)(want); \
	T_CHECK(t_g == t_w, "%s: got %lld want %lld", (what), t_g, t_w); } while (0)

/* Line-buffered output so a sanitizer report cannot swallow the lines. */
__attribute__((constructor)) static void t_init(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
}

static inline int t_done(const char *name)
{
	printf("unit %s: %d passed, %d failed\n", name, t_pass, t_fail);
	return t_fail ? 1 : 0;
}

#endif
