/* regions.c - the fixed region and zone table (real ids, documented in
 * docs/regions.md). No rules beyond membership. */
#include "regions.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const struct region regions[] = {
	{ "cn-hangzhou", "华东1（杭州）", "ecs-cn-hangzhou.aliyuncs.com",
	  { "cn-hangzhou-g", "cn-hangzhou-h", "cn-hangzhou-i", "cn-hangzhou-j", "cn-hangzhou-k", NULL } },
	{ "cn-shanghai", "华东2（上海）", "ecs.cn-shanghai.aliyuncs.com",
	  { "cn-shanghai-e", "cn-shanghai-f", "cn-shanghai-g", "cn-shanghai-l", NULL } },
	{ "cn-beijing", "华北2（北京）", "ecs.cn-beijing.aliyuncs.com",
	  { "cn-beijing-f", "cn-beijing-g", "cn-beijing-h", "cn-beijing-i", "cn-beijing-k", NULL } },
	{ "cn-shenzhen", "华南1（深圳）", "ecs.cn-shenzhen.aliyuncs.com",
	  { "cn-shenzhen-d", "cn-shenzhen-e", "cn-shenzhen-f", NULL } },
	{ "cn-hongkong", "中国香港", "ecs.cn-hongkong.aliyuncs.com",
	  { "cn-hongkong-b", "cn-hongkong-c", "cn-hongkong-d", NULL } },
	{ "ap-southeast-1", "新加坡", "ecs.ap-southeast-1.aliyuncs.com",
	  { "ap-southeast-1a", "ap-southeast-1b", "ap-southeast-1c", NULL } },
	{ "us-west-1", "美国（硅谷）", "ecs.us-west-1.aliyuncs.com",
	  { "us-west-1a", "us-west-1b", NULL } },
	{ "eu-central-1", "德国（法兰克福）", "ecs.eu-central-1.aliyuncs.com",
	  { "eu-central-1a", "eu-central-1b", NULL } },
};

const struct region *regions_all(int *n)
{
	*n = (int)(sizeof(regions) / sizeof(regions[0]));
	return regions;
}

const struct region *region_find(const char *id)
{
	int n;
	const struct region *r = regions_all(&n);

	if (!id)
		return NULL;
	for (int i = 0; i < n; i++)
		if (strcmp(r[i].id, id) == 0)
			return &r[i];
	return NULL;
}

int region_has_zone(const struct region *r, const char *zone)
{
	for (int i = 0; r->zones[i]; i++)
		if (strcmp(r->zones[i], zone) == 0)
			return 1;
	return 0;
}

void region_zone_local_name(const struct region *r, const char *zone, int zh,
                            char *out, size_t n)
{
	size_t zl = strlen(zone);
	char letter = zl ? (char)toupper((unsigned char)zone[zl - 1]) : '?';

	if (zh)
		snprintf(out, n, "%s 可用区%c", r->local_name, letter);
	else
		snprintf(out, n, "%s Zone %c", r->id, letter);
}
