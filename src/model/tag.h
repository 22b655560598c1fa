/* tag.h - resource tags as every product sees them (ECS TagResources, VPC
 * TagResources, Tag.N on creates and Describes): a resource's tag set, the
 * documented limits, key/value rules, filters. Pure: storage is
 * store/tags.c. */
#ifndef ECSD_TAG_H
#define ECSD_TAG_H
#include "../common/error.h"

#define TAG_MAX 20           /* tags per resource (QuotaExceed.Tags) */
#define TAG_KEY_MAX 128
#define TAG_VALUE_MAX 128
#define TAG_FILTER_MAX 20

struct tag {
	char key[TAG_KEY_MAX + 1];
	char value[TAG_VALUE_MAX + 1];
};

struct tag_set {
	int n;
	struct tag t[TAG_MAX];
};

/* Tag.N.Key/Value as a Describe filter: AND across entries; an entry
 * without a value matches any value of its key. */
struct tag_filter {
	int n;
	struct {
		const char *key, *value; /* value NULL: any */
	} f[TAG_FILTER_MAX];
};

/* ERR_OK, ERR_INVALID_TAG_KEY_MALFORMED (empty, too long, starts with
 * "aliyun" or "acs:", contains "http://" or "https://") or
 * ERR_INVALID_TAG_VALUE_MALFORMED (too long, "http(s)://", starts with
 * "aliyun" or "acs:"). */
enum err_id tag_check(const char *key, const char *value);
/* Sets key to value (overwrites an existing key). -1 when the set is full. */
int tag_set_put(struct tag_set *s, const char *key, const char *value);
/* Removes key; 1 if it was there. */
int tag_set_remove(struct tag_set *s, const char *key);
/* 1 if s satisfies every entry of f. */
int tag_match(const struct tag_set *s, const struct tag_filter *f);

#endif
