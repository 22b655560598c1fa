/* catalog.h - what can be bought: instance types, public images, disk
 * categories (documented in docs/catalog.md). Data and pattern checks. */
#ifndef ECSD_CATALOG_H
#define ECSD_CATALOG_H

/* Parses "ecs.<family>.<size>" into vCPUs and MiB; 0 if not a known shape. */
int catalog_instance_type(const char *type, int *cpu, int *memory_mib,
                          char family[32]);
/* 1 if id names a public image ("<os>_..._alibase_<date>.vhd") or a custom
 * image ("m-..."). */
int catalog_image_ok(const char *id);
/* 1 if category is a cloud disk category ecsd offers. */
int catalog_disk_category_ok(const char *category);
/* OS name and type for an image id. */
void catalog_image_os(const char *id, const char **os_name, const char **os_type);

#endif
