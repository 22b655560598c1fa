/* cidr.c - IPv4 and CIDR arithmetic for the VPC rules (cidr.h). Pure. */
#include "cidr.h"
#include <stdio.h>
#include <string.h>

static uint32_t cidr_netmask(int mask)
{
	return mask <= 0 ? 0 : mask >= 32 ? 0xFFFFFFFFu : ~(0xFFFFFFFFu >> mask);
}

/* One decimal number 0..max without leading zeros; advances *s. */
static int cidr_num(const char **s, int max, int *out)
{
	const char *p = *s;
	int v = 0, n = 0;

	while (*p >= '0' && *p <= '9' && n < 4) {
		v = v * 10 + (*p - '0');
		p++;
		n++;
	}
	if (n == 0 || n > 3 || (n > 1 && **s == '0') || v > max)
		return -1;
	*s = p;
	*out = v;
	return 0;
}

static int cidr_ip_scan(const char **s, uint32_t *out)
{
	uint32_t ip = 0;
	int part;

	for (int i = 0; i < 4; i++) {
		if (i && *(*s)++ != '.')
			return -1;
		if (cidr_num(s, 255, &part))
			return -1;
		ip = (ip << 8) | (uint32_t)part;
	}
	*out = ip;
	return 0;
}

int cidr_ip_parse(const char *s, uint32_t *out)
{
	if (!s || cidr_ip_scan(&s, out))
		return -1;
	return *s ? -1 : 0;
}

void cidr_ip_fmt(uint32_t ip, char out[16])
{
	snprintf(out, 16, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255,
	         (ip >> 8) & 255, ip & 255);
}

int cidr_parse(const char *s, struct cidr *out)
{
	uint32_t ip;
	int m;

	if (!s || cidr_ip_scan(&s, &ip) || *s++ != '/' || cidr_num(&s, 32, &m) || *s)
		return -1;
	if (ip & ~cidr_netmask(m))
		return -1;
	out->addr = ip;
	out->mask = m;
	return 0;
}

void cidr_fmt(const struct cidr *c, char out[20])
{
	char ip[16];

	cidr_ip_fmt(c->addr, ip);
	snprintf(out, 20, "%s/%d", ip, c->mask);
}

int cidr_has_ip(const struct cidr *c, uint32_t ip)
{
	return (ip & cidr_netmask(c->mask)) == c->addr;
}

int cidr_contains(const struct cidr *outer, const struct cidr *inner)
{
	return inner->mask >= outer->mask && cidr_has_ip(outer, inner->addr);
}

int cidr_overlaps(const struct cidr *a, const struct cidr *b)
{
	return cidr_contains(a, b) || cidr_contains(b, a);
}

int cidr_reserved(const struct cidr *c)
{
	static const struct cidr bad[] = {
		{ 0x64400000u, 10 },  /* 100.64.0.0/10 */
		{ 0xE0000000u, 4 },   /* 224.0.0.0/4 */
		{ 0x7F000000u, 8 },   /* 127.0.0.0/8 */
		{ 0xA9FE0000u, 16 },  /* 169.254.0.0/16 */
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (cidr_overlaps(&bad[i], c))
			return 1;
	return 0;
}

int64_t cidr_usable(const struct cidr *c)
{
	int64_t n = (int64_t)1 << (32 - c->mask);

	return n > 4 ? n - 4 : 0;
}

int cidr_ip_usable(const struct cidr *c, uint32_t ip)
{
	uint32_t off;

	if (!cidr_has_ip(c, ip))
		return 0;
	off = ip - c->addr;
	return off >= 1 && (int64_t)off < cidr_usable(c) + 1;
}

uint32_t cidr_nth_usable(const struct cidr *c, int64_t n)
{
	return c->addr + 1u + (uint32_t)n;
}
