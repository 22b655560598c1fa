/* tag.c - the tag rules of NETWORK.md D.6: key and value syntax, at most
 * TAG_MAX per resource, overwrite on an existing key, AND filters. */
#include "tag.h"
#include <stdio.h>
#include <string.h>

static int reserved(const char *s)
{
	return strncmp(s, "aliyun", 6) == 0 || strncmp(s, "acs:", 4) == 0 ||
	       strstr(s, "http://") != NULL || strstr(s, "https://") != NULL;
}

enum err_id tag_check(const char *key, const char *value)
{
	if (!key || !*key || strlen(key) > TAG_KEY_MAX || reserved(key))
		return ERR_INVALID_TAG_KEY_MALFORMED;
	if (value && (strlen(value) > TAG_VALUE_MAX || reserved(value)))
		return ERR_INVALID_TAG_VALUE_MALFORMED;
	return ERR_OK;
}

int tag_set_put(struct tag_set *s, const char *key, const char *value)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->t[i].key, key) == 0)
			break;
	if (i == s->n) {
		if (s->n == TAG_MAX)
			return -1;
		s->n++;
		snprintf(s->t[i].key, sizeof(s->t[i].key), "%s", key);
	}
	snprintf(s->t[i].value, sizeof(s->t[i].value), "%s", value ? value : "");
	return 0;
}

int tag_set_remove(struct tag_set *s, const char *key)
{
	for (int i = 0; i < s->n; i++) {
		if (strcmp(s->t[i].key, key) != 0)
			continue;
		memmove(&s->t[i], &s->t[i + 1], (size_t)(s->n - i - 1) * sizeof(s->t[0]));
		s->n--;
		return 1;
	}
	return 0;
}

int tag_match(const struct tag_set *s, const struct tag_filter *f)
{
	for (int k = 0; k < f->n; k++) {
		int hit = 0;

		for (int i = 0; i < s->n && !hit; i++)
			hit = strcmp(s->t[i].key, f->f[k].key) == 0 &&
			      (!f->f[k].value || strcmp(s->t[i].value, f->f[k].value) == 0);
		if (!hit)
			return 0;
	}
	return 1;
}
