/* catalog.c - instance types by shape, image ids by pattern, disk
 * categories by list. No state. */
#include "catalog.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int catalog_instance_type(const char *type, int *cpu, int *memory_mib,
                          char family[32])
{
	const char *dot1, *dot2, *sz;
	int n = 1, per_cpu_gib;
	size_t flen;

	if (strncmp(type, "ecs.", 4) != 0)
		return 0;
	dot1 = type + 3;
	dot2 = strchr(dot1 + 1, '.');
	if (!dot2 || strchr(dot2 + 1, '.'))
		return 0;
	flen = (size_t)(dot2 - type);
	if (flen >= 32 || dot2 == dot1 + 1)
		return 0;
	memcpy(family, type, flen);
	family[flen] = '\0';
	sz = dot2 + 1;
	if (strcmp(sz, "small") == 0)
		n = 1;
	else if (strcmp(sz, "large") == 0)
		n = 2;
	else if (strcmp(sz, "xlarge") == 0)
		n = 4;
	else {
		char *end;
		long k = strtol(sz, &end, 10);
		if (k < 2 || k > 64 || strcmp(end, "xlarge") != 0)
			return 0;
		n = (int)k * 4;
	}
	switch (dot1[1]) {
	case 'c': per_cpu_gib = 2; break;
	case 'r': per_cpu_gib = 8; break;
	case 't': per_cpu_gib = 1; break;
	case 'g': case 'h': case 'e': case 's': case 'u': per_cpu_gib = 4; break;
	default: return 0;
	}
	*cpu = n;
	*memory_mib = n * per_cpu_gib * 1024;
	return 1;
}

int catalog_image_ok(const char *id)
{
	size_t n = strlen(id);

	if (n < 3 || n > 127)
		return 0;
	if (strncmp(id, "m-", 2) == 0)
		return 1;
	return n > 4 && strcmp(id + n - 4, ".vhd") == 0 && strstr(id, "_") != NULL;
}

int catalog_disk_category_ok(const char *c)
{
	static const char *const ok[] = {
		"cloud", "cloud_efficiency", "cloud_ssd", "cloud_essd",
		"cloud_auto", "cloud_essd_entry",
	};

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (strcmp(ok[i], c) == 0)
			return 1;
	return 0;
}

void catalog_image_os(const char *id, const char **os_name, const char **os_type)
{
	if (strncmp(id, "win", 3) == 0) {
		*os_name = "Windows Server 2019";
		*os_type = "windows";
	} else if (strncmp(id, "ubuntu", 6) == 0) {
		*os_name = "Ubuntu";
		*os_type = "linux";
	} else if (strncmp(id, "centos", 6) == 0) {
		*os_name = "CentOS";
		*os_type = "linux";
	} else {
		*os_name = "Alibaba Cloud Linux";
		*os_type = "linux";
	}
}
