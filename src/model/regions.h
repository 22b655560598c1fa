/* regions.h - the fixed list of real region and zone ids ecsd serves
 * (docs/regions.md). Data only. */
#ifndef ECSD_REGIONS_H
#define ECSD_REGIONS_H
#include <stddef.h>

struct region {
	const char *id;
	const char *local_name;
	const char *endpoint;
	const char *zones[6]; /* NULL-terminated */
};

const struct region *regions_all(int *n);
const struct region *region_find(const char *id);
/* 1 if zone belongs to region. */
int region_has_zone(const struct region *r, const char *zone);

/* LocalName of a zone: "<region name> 可用区X" (zh) or "<region> Zone X". */
void region_zone_local_name(const struct region *r, const char *zone, int zh,
                            char *out, size_t n);

#endif
