/* cidr.h - IPv4 addresses and CIDR blocks: parsing, printing, containment,
 * overlap, the ranges VPC refuses and the addresses a vSwitch reserves.
 * Pure; no I/O. */
#ifndef ECSD_CIDR_H
#define ECSD_CIDR_H
#include <stdint.h>

struct cidr {
	uint32_t addr;  /* network address, host order */
	int mask;       /* prefix length 0..32 */
};

/* "a.b.c.d" in canonical dotted decimal (no leading zeros, no spaces).
 * 0 or -1. */
int cidr_ip_parse(const char *s, uint32_t *out);
/* Writes "a.b.c.d" (16 bytes suffice). */
void cidr_ip_fmt(uint32_t ip, char out[16]);
/* "a.b.c.d/m" whose host bits are zero. 0 or -1. */
int cidr_parse(const char *s, struct cidr *out);
void cidr_fmt(const struct cidr *c, char out[20]);
/* 1 if inner lies entirely within outer. */
int cidr_contains(const struct cidr *outer, const struct cidr *inner);
int cidr_overlaps(const struct cidr *a, const struct cidr *b);
int cidr_has_ip(const struct cidr *c, uint32_t ip);
/* 1 if c touches a range no VPC may use: 100.64.0.0/10, 224.0.0.0/4,
 * 127.0.0.0/8, 169.254.0.0/16 (NETWORK.md E.1). */
int cidr_reserved(const struct cidr *c);
/* Addresses of a vSwitch instances may take: the block minus its first
 * address and its last three (NETWORK.md E.2). */
int64_t cidr_usable(const struct cidr *c);
/* 1 if ip is one of those usable addresses of c. */
int cidr_ip_usable(const struct cidr *c, uint32_t ip);
/* The n-th usable address (0-based) of c. */
uint32_t cidr_nth_usable(const struct cidr *c, int64_t n);

#endif
