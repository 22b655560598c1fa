/* catalog.h - what can be bought: instance types and their families,
 * public images, disk categories (one fixed catalog, the same in every
 * region and zone; documented in docs/catalog.md). Data and lookups only. */
#ifndef ECSD_CATALOG_H
#define ECSD_CATALOG_H

struct cat_type {
	const char *id;          /* "ecs.g7.large" */
	const char *family;      /* "ecs.g7" */
	int cores;
	double memory_gib;
	int eni;                 /* EniQuantity */
	int eni_ips;             /* EniPrivateIpAddressQuantity */
	const char *level;       /* InstanceFamilyLevel */
	int initial_credit, baseline_credit; /* burstable (t5/t6); 0 otherwise */
};

struct cat_family {
	const char *id;          /* "ecs.g7" */
	const char *generation;  /* "ecs-5" */
	const char *category;    /* InstanceCategory */
};

struct cat_image {
	const char *id;
	const char *family;      /* ImageFamily */
	const char *os_name, *os_name_en, *platform;
	const char *os_type;     /* linux | windows */
	int size_gb;
	const char *created;     /* CreationTime, RFC 3339 */
};

struct cat_disk {
	const char *category;
	int system;              /* usable as a system disk */
	int min_gb, max_gb;      /* data-disk size range */
};

enum { CAT_SYS_MIN_GB = 20, CAT_SYS_MAX_GB = 2048 };

/* The whole tables (static storage; never freed). */
const struct cat_type *catalog_types(int *n);
const struct cat_family *catalog_families(int *n);
const struct cat_image *catalog_images(int *n);
const struct cat_disk *catalog_disks(int *n);

/* Lookups by id; NULL when not in the catalog. */
const struct cat_type *catalog_type_find(const char *id);
const struct cat_family *catalog_family_find(const char *id);
const struct cat_image *catalog_image_find(const char *id);
const struct cat_disk *catalog_disk_find(const char *category);

/* 1 if zone (of region) sells instance type / disk category: the catalog
 * is the same in every zone, so this is membership in the tables. */
int catalog_zone_sells_type(const char *zone, const char *type);
int catalog_zone_sells_disk(const char *zone, const char *category);

/* Compatibility wrappers for the instance renderer and the create path. */
int catalog_instance_type(const char *type, int *cpu, int *memory_mib,
                          char family[32]);
int catalog_image_ok(const char *id);
int catalog_disk_category_ok(const char *category);
void catalog_image_os(const char *id, const char **os_name, const char **os_type);

#endif
