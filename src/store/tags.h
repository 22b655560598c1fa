/* tags.h - where every product keeps resource tags: one generic resource
 * row (kind "tags") per tagged resource, id "tag-" + the resource's store
 * id, parent = that id, ref = the API ResourceType. Built on store_res_*,
 * so it works on every backend and commits with the caller's changes. */
#ifndef ECSD_STORE_TAGS_H
#define ECSD_STORE_TAGS_H
#include "store.h"
#include "../model/tag.h"

#define TAGS_KIND "tags"

/* The tags of rid (empty set when it has none). 0 or a store error. */
int store_tags_get(struct store_tx *tx, const char *account, const char *rid,
                   struct tag_set *out);
/* Replaces the tags of rid (rtype: "instance", "disk", ...; api_id: the id
 * the API shows, rid itself except for key pairs, whose API id is the
 * name). An empty set removes the row. 0 or a store error. */
int store_tags_put(struct store_tx *tx, const char *account, const char *region,
                   const char *rtype, const char *rid, const char *api_id,
                   const struct tag_set *s);
/* Drops every tag of rid: call it wherever the resource is deleted. */
int store_tags_drop(struct store_tx *tx, const char *account, const char *rid);

/* Walks the tagged resources of account (of rtype, region, when not NULL)
 * in tagging order; cb gets the API id, the store id and the set. A
 * non-zero return of cb stops the walk and is returned. */
typedef int (*tags_cb)(void *arg, const char *api_id, const char *rid,
                       const char *rtype, const struct tag_set *s);
int store_tags_walk(struct store_tx *tx, const char *account, const char *rtype,
                    const char *region, tags_cb cb, void *arg);

#endif
