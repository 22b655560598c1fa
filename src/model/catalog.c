/* catalog.c - the fixed catalog: instance types of the g6/g7/g8i, c6/c7,
 * r6/r7 and t5/t6 families, public (system) images, disk categories.
 * Real ids; the same answer in every region and zone. No state. */
#include "catalog.h"
#include <stdio.h>
#include <string.h>

#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Four sizes per enterprise family: large, xlarge, 2xlarge, 4xlarge. */
#define SIZES(f, gib_per_core, lvl) \
	{ "ecs." f ".large", "ecs." f, 2, 2.0 * (gib_per_core), 3, 6, lvl, 0, 0 }, \
	{ "ecs." f ".xlarge", "ecs." f, 4, 4.0 * (gib_per_core), 4, 15, lvl, 0, 0 }, \
	{ "ecs." f ".2xlarge", "ecs." f, 8, 8.0 * (gib_per_core), 4, 15, lvl, 0, 0 }, \
	{ "ecs." f ".4xlarge", "ecs." f, 16, 16.0 * (gib_per_core), 8, 30, lvl, 0, 0 }

static const struct cat_type types[] = {
	SIZES("g6", 4, "EnterpriseLevel"),
	SIZES("g7", 4, "EnterpriseLevel"),
	SIZES("g8i", 4, "EnterpriseLevel"),
	SIZES("c6", 2, "EnterpriseLevel"),
	SIZES("c7", 2, "EnterpriseLevel"),
	SIZES("r6", 8, "EnterpriseLevel"),
	SIZES("r7", 8, "EnterpriseLevel"),
	{ "ecs.t5-lc2m1.nano", "ecs.t5", 1, 0.5, 1, 2, "CreditEntryLevel", 30, 10 },
	{ "ecs.t5-lc1m1.small", "ecs.t5", 1, 1, 1, 2, "CreditEntryLevel", 30, 10 },
	{ "ecs.t5-lc1m2.small", "ecs.t5", 1, 2, 1, 2, "CreditEntryLevel", 30, 10 },
	{ "ecs.t5-lc1m2.large", "ecs.t5", 2, 4, 1, 2, "CreditEntryLevel", 60, 20 },
	{ "ecs.t5-lc1m4.large", "ecs.t5", 2, 8, 1, 2, "CreditEntryLevel", 60, 20 },
	{ "ecs.t6-c4m1.large", "ecs.t6", 2, 0.5, 2, 2, "CreditEntryLevel", 30, 10 },
	{ "ecs.t6-c2m1.large", "ecs.t6", 2, 1, 2, 2, "CreditEntryLevel", 30, 10 },
	{ "ecs.t6-c1m1.large", "ecs.t6", 2, 2, 2, 2, "CreditEntryLevel", 60, 20 },
	{ "ecs.t6-c1m2.large", "ecs.t6", 2, 4, 2, 2, "CreditEntryLevel", 60, 20 },
	{ "ecs.t6-c1m4.large", "ecs.t6", 2, 8, 2, 2, "CreditEntryLevel", 60, 20 },
};

static const struct cat_family families[] = {
	{ "ecs.g6", "ecs-4", "General-purpose" },
	{ "ecs.g7", "ecs-5", "General-purpose" },
	{ "ecs.g8i", "ecs-6", "General-purpose" },
	{ "ecs.c6", "ecs-4", "Compute-optimized" },
	{ "ecs.c7", "ecs-5", "Compute-optimized" },
	{ "ecs.r6", "ecs-4", "Memory-optimized" },
	{ "ecs.r7", "ecs-5", "Memory-optimized" },
	{ "ecs.t5", "ecs-3", "Shared" },
	{ "ecs.t6", "ecs-4", "Shared" },
};

#define AL3 "Alibaba Cloud Linux  3.2104 LTS 64位", "Alibaba Cloud Linux  3.2104 LTS 64 bit", "Aliyun"
static const struct cat_image images[] = {
	{ "aliyun_3_x64_20G_alibase_20240819.vhd", "acs:alibaba_cloud_linux_3_2104_lts_x64",
	  AL3, "linux", 20, "2024-08-21T06:29:51Z" },
	{ "aliyun_3_x64_20G_alibase_20240528.vhd", "acs:alibaba_cloud_linux_3_2104_lts_x64",
	  AL3, "linux", 20, "2024-05-30T03:12:20Z" },
	{ "aliyun_2_1903_x64_20G_alibase_20240628.vhd", "acs:alibaba_cloud_linux_2_1903_x64",
	  "Alibaba Cloud Linux  2.1903 LTS 64位", "Alibaba Cloud Linux  2.1903 LTS 64 bit", "Aliyun",
	  "linux", 20, "2024-07-01T02:40:05Z" },
	{ "ubuntu_24_04_x64_20G_alibase_20240812.vhd", "acs:ubuntu_24_04_x64",
	  "Ubuntu  24.04 64位", "Ubuntu  24.04 64 bit", "Ubuntu", "linux", 20, "2024-08-13T09:15:31Z" },
	{ "ubuntu_22_04_x64_20G_alibase_20240812.vhd", "acs:ubuntu_22_04_x64",
	  "Ubuntu  22.04 64位", "Ubuntu  22.04 64 bit", "Ubuntu", "linux", 20, "2024-08-13T08:51:12Z" },
	{ "ubuntu_20_04_x64_20G_alibase_20240812.vhd", "acs:ubuntu_20_04_x64",
	  "Ubuntu  20.04 64位", "Ubuntu  20.04 64 bit", "Ubuntu", "linux", 20, "2024-08-13T08:40:44Z" },
	{ "centos_7_9_x64_20G_alibase_20240628.vhd", "acs:centos_7_9_x64",
	  "CentOS  7.9 64位", "CentOS  7.9 64 bit", "CentOS", "linux", 20, "2024-07-01T07:25:18Z" },
	{ "centos_8_5_x64_20G_alibase_20240528.vhd", "acs:centos_8_5_x64",
	  "CentOS  8.5 64位", "CentOS  8.5 64 bit", "CentOS", "linux", 20, "2024-05-29T11:02:47Z" },
	{ "debian_12_6_x64_20G_alibase_20240717.vhd", "acs:debian_12_x64",
	  "Debian  12.6 64位", "Debian  12.6 64 bit", "Debian", "linux", 20, "2024-07-18T04:10:33Z" },
	{ "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd", "acs:windows_server_2019_zh-cn",
	  "Windows Server  2019 数据中心版 64位中文版", "Windows Server  2019 Data Center Edition 64bit Chinese Edition",
	  "Windows Server 2019", "windows", 40, "2023-08-14T02:33:10Z" },
	{ "win2022_21H2_x64_dtc_en-us_40G_alibase_20240816.vhd", "acs:windows_server_2022_en-us",
	  "Windows Server  2022 数据中心版 64位英文版", "Windows Server  2022 Data Center Edition 64bit English Edition",
	  "Windows Server 2022", "windows", 40, "2024-08-19T01:48:26Z" },
};

static const struct cat_disk disks[] = {
	{ "cloud", 1, 20, 2000 },
	{ "cloud_efficiency", 1, 20, 32768 },
	{ "cloud_ssd", 1, 20, 32768 },
	{ "cloud_essd", 1, 20, 32768 },
	{ "cloud_auto", 1, 20, 32768 },
	{ "cloud_essd_entry", 1, 20, 32768 },
};

const struct cat_type *catalog_types(int *n) { *n = N_OF(types); return types; }
const struct cat_family *catalog_families(int *n) { *n = N_OF(families); return families; }
const struct cat_image *catalog_images(int *n) { *n = N_OF(images); return images; }
const struct cat_disk *catalog_disks(int *n) { *n = N_OF(disks); return disks; }

const struct cat_type *catalog_type_find(const char *id)
{
	for (int i = 0; id && i < N_OF(types); i++)
		if (strcmp(types[i].id, id) == 0)
			return &types[i];
	return NULL;
}

const struct cat_family *catalog_family_find(const char *id)
{
	for (int i = 0; id && i < N_OF(families); i++)
		if (strcmp(families[i].id, id) == 0)
			return &families[i];
	return NULL;
}

const struct cat_image *catalog_image_find(const char *id)
{
	for (int i = 0; id && i < N_OF(images); i++)
		if (strcmp(images[i].id, id) == 0)
			return &images[i];
	return NULL;
}

const struct cat_disk *catalog_disk_find(const char *c)
{
	for (int i = 0; c && i < N_OF(disks); i++)
		if (strcmp(disks[i].category, c) == 0)
			return &disks[i];
	return NULL;
}

int catalog_zone_sells_type(const char *zone, const char *type)
{
	return zone && catalog_type_find(type) != NULL;
}

int catalog_zone_sells_disk(const char *zone, const char *category)
{
	return zone && catalog_disk_find(category) != NULL;
}

int catalog_instance_type(const char *type, int *cpu, int *memory_mib,
                          char family[32])
{
	const struct cat_type *t = catalog_type_find(type);

	if (!t)
		return 0;
	*cpu = t->cores;
	*memory_mib = (int)(t->memory_gib * 1024);
	snprintf(family, 32, "%s", t->family);
	return 1;
}

int catalog_image_ok(const char *id)
{
	return catalog_image_find(id) != NULL;
}

int catalog_disk_category_ok(const char *c)
{
	return catalog_disk_find(c) != NULL;
}

void catalog_image_os(const char *id, const char **os_name, const char **os_type)
{
	const struct cat_image *im = catalog_image_find(id);

	*os_name = im ? im->os_name : "";
	*os_type = im ? im->os_type : "linux";
}
