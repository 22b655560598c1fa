/* state.h - the fixture document (GET/POST /_ecsd/state): field tables of
 * the model structs and their conversions to and from JSON. ctl/ only. */
#ifndef ECSD_CTL_STATE_H
#define ECSD_CTL_STATE_H
#include <jansson.h>
#include <stddef.h>
#include "../model/model.h"
#include "../store/store.h"

enum sfield_kind {
	FK_STR, FK_ID, FK_DTYPE, FK_ISTATUS, FK_CHARGE, FK_SSTATUS, FK_BOOL,
	FK_TIME, FK_FLAGS, FK_SIZE, FK_DAYS,
};

struct sfield {
	const char *name;       /* the model's field name; NULL ends a table */
	enum sfield_kind kind;
	size_t off, size;
	const char *pre;        /* FK_ID: the id prefix ("i-") */
};

/* Every field but account and seq (the document's AccountId and order). */
extern const struct sfield state_inst_fields[];
extern const struct sfield state_disk_fields[];
extern const struct sfield state_snap_fields[];

/* A new JSON object of row's fields, or NULL (out of memory). */
json_t *state_to_json(const void *row, const struct sfield *fields);
/* Fills row (zeroed by the caller) from o. 0, or -1 with the bad field's
 * path appended to path (which holds "Disks[3]") and *why set. */
int state_from_json(json_t *o, const struct sfield *fields, void *row,
                    char *path, size_t plen, const char **why);

/* A generic resource row as a new JSON object (doc shared), or NULL. */
json_t *state_res_json(const struct res *r);
/* Fills r (zeroed by the caller; r->doc borrowed from o) from o. 0, or -1
 * with the bad field's path appended to path and *why set. */
int state_res_from(json_t *o, struct res *r, char *path, size_t plen,
                   const char **why);

#endif
