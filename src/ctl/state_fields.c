/* state_fields.c - the fixture document's resource fields: one table per
 * model struct (name, kind, place), and the two conversions a table drives,
 * struct -> JSON object and JSON object -> struct with every value checked
 * against the model (the first bad field is named). No store here. */
#include "state.h"
#include "../model/regions.h"
#include <stdio.h>
#include <string.h>

#define F_S(T, f) { #f, FK_STR, offsetof(struct T, f), sizeof(((struct T *)0)->f), NULL }
#define F_ID(T, f, pre) { #f, FK_ID, offsetof(struct T, f), sizeof(((struct T *)0)->f), pre }
#define F_N(T, f, k) { #f, k, offsetof(struct T, f), sizeof(((struct T *)0)->f), NULL }

const struct sfield state_inst_fields[] = {
	F_ID(instance, id, "i-"), F_S(instance, region), F_S(instance, zone),
	F_S(instance, name), F_S(instance, description), F_S(instance, hostname),
	F_S(instance, instance_type), F_S(instance, image_id),
	F_S(instance, stopped_mode),
	F_N(instance, status, FK_ISTATUS), F_N(instance, p1_status, FK_ISTATUS),
	F_N(instance, p2_status, FK_ISTATUS), F_N(instance, p1_end_ms, FK_TIME),
	F_N(instance, p2_end_ms, FK_TIME), F_N(instance, charge, FK_CHARGE),
	F_N(instance, expired_ms, FK_TIME), F_N(instance, deletion_protection, FK_BOOL),
	F_N(instance, flags, FK_FLAGS), F_N(instance, created_ms, FK_TIME),
	F_N(instance, started_ms, FK_TIME), F_S(instance, key_pair_name),
	F_N(instance, auto_release_ms, FK_TIME),
	{ NULL, FK_STR, 0, 0, NULL },
};

const struct sfield state_disk_fields[] = {
	F_ID(disk, id, "d-"), F_S(disk, region), F_S(disk, zone),
	F_ID(disk, instance_id, "i-"), F_N(disk, type, FK_DTYPE), F_S(disk, category),
	F_N(disk, size_gb, FK_SIZE), F_S(disk, name), F_S(disk, description),
	F_S(disk, device), F_S(disk, image_id), F_ID(disk, source_snapshot_id, "s-"),
	F_N(disk, delete_with_instance, FK_BOOL), F_N(disk, delete_auto_snapshot, FK_BOOL),
	F_N(disk, enable_auto_snapshot, FK_BOOL), F_N(disk, portable, FK_BOOL),
	F_N(disk, charge, FK_CHARGE), F_N(disk, ever_attached, FK_BOOL),
	F_N(disk, created_ms, FK_TIME), F_N(disk, attached_ms, FK_TIME),
	F_N(disk, detached_ms, FK_TIME),
	{ NULL, FK_STR, 0, 0, NULL },
};

const struct sfield state_snap_fields[] = {
	F_ID(snapshot, id, "s-"), F_S(snapshot, region), F_S(snapshot, name),
	F_S(snapshot, description), F_N(snapshot, is_auto, FK_BOOL),
	F_ID(snapshot, source_disk_id, "d-"), F_N(snapshot, source_disk_size, FK_SIZE),
	F_N(snapshot, source_disk_type, FK_DTYPE), F_N(snapshot, status, FK_SSTATUS),
	F_N(snapshot, retention_days, FK_DAYS), F_N(snapshot, created_ms, FK_TIME),
	{ NULL, FK_STR, 0, 0, NULL },
};

static const char *const snap_status_names[] = { "progressing", "accomplished", "failed" };

static int get_int(const void *row, const struct sfield *f)
{
	int v;

	memcpy(&v, (const char *)row + f->off, sizeof(v));
	return v;
}

json_t *state_to_json(const void *row, const struct sfield *fields)
{
	json_t *o = json_object();

	for (const struct sfield *f = fields; o && f->name; f++) {
		const char *p = (const char *)row + f->off;
		json_t *v;
		int64_t t;
		uint32_t u;

		switch (f->kind) {
		case FK_STR: case FK_ID: case FK_DTYPE:
			v = json_string(p);
			break;
		case FK_ISTATUS:
			v = json_string(inst_status_name(get_int(row, f)));
			break;
		case FK_CHARGE:
			v = json_string(charge_name(get_int(row, f)));
			break;
		case FK_SSTATUS:
			v = json_string(snap_status_names[(unsigned)get_int(row, f) % 3]);
			break;
		case FK_BOOL:
			v = json_boolean(get_int(row, f));
			break;
		case FK_TIME:
			memcpy(&t, p, sizeof(t));
			v = json_integer((json_int_t)t);
			break;
		case FK_FLAGS:
			memcpy(&u, p, sizeof(u));
			v = json_integer((json_int_t)u);
			break;
		default:
			v = json_integer(get_int(row, f));
			break;
		}
		if (json_object_set_new(o, f->name, v)) {
			json_decref(o);
			o = NULL;
		}
	}
	return o;
}

static int set_int(void *row, const struct sfield *f, int v)
{
	memcpy((char *)row + f->off, &v, sizeof(v));
	return 0;
}

/* One value; 0, or -1 with *why set. */
static int field_from(void *row, const struct sfield *f, json_t *v, const char **why)
{
	const char *s = json_string_value(v);
	json_int_t n = json_integer_value(v);
	char *p = (char *)row + f->off;
	int k;

	switch (f->kind) {
	case FK_STR: case FK_ID: case FK_DTYPE:
		if (!s || json_string_length(v) >= f->size || strlen(s) != json_string_length(v))
			return *why = "a string of fewer characters", -1;
		if (f->kind == FK_ID && *s && !model_id_valid(s, f->pre))
			return *why = "not a resource id of this kind", -1;
		if (f->kind == FK_DTYPE && strcmp(s, "system") && strcmp(s, "data"))
			return *why = "system or data", -1;
		memcpy(p, s, json_string_length(v) + 1);
		return 0;
	case FK_ISTATUS:
		if (!s || (k = inst_status_parse(s)) < 0)
			return *why = "an instance status (Pending, Starting, Running, Stopping, Stopped)", -1;
		return set_int(row, f, k);
	case FK_CHARGE:
		if (!s || (k = charge_parse(s)) < 0)
			return *why = "PrePaid or PostPaid", -1;
		return set_int(row, f, k);
	case FK_SSTATUS:
		for (k = 0; s && k < 3 && strcmp(s, snap_status_names[k]); k++)
			;
		if (!s || k == 3)
			return *why = "progressing, accomplished or failed", -1;
		return set_int(row, f, k);
	case FK_BOOL:
		if (!json_is_boolean(v))
			return *why = "true or false", -1;
		return set_int(row, f, json_is_true(v));
	case FK_TIME:
		if (!json_is_integer(v) || n < 0) /* epoch ms */
			return *why = "epoch milliseconds (an integer >= 0)", -1;
		memcpy(p, &(int64_t){ (int64_t)n }, sizeof(int64_t));
		return 0;
	case FK_FLAGS:
		if (!json_is_integer(v) || n < 0 || n > 0xff)
			return *why = "an integer of control flags (0..255)", -1;
		memcpy(p, &(uint32_t){ (uint32_t)n }, sizeof(uint32_t));
		return 0;
	case FK_SIZE:
		if (!json_is_integer(v) || n < 1 || n > 65536)
			return *why = "a size in GiB (1..65536)", -1;
		return set_int(row, f, (int)n);
	case FK_DAYS:
		if (!json_is_integer(v) || n < 0 || n > 65536)
			return *why = "a number of days (0..65536)", -1;
		return set_int(row, f, (int)n);
	}
	return *why = "unsupported", -1;
}

int state_from_json(json_t *o, const struct sfield *fields, void *row,
                    char *path, size_t plen, const char **why)
{
	size_t base = strlen(path);
	const char *key;
	json_t *v;

	*why = "must be an object";
	if (!json_is_object(o))
		return -1;
	json_object_foreach(o, key, v) {
		const struct sfield *f;

		for (f = fields; f->name && strcmp(f->name, key) != 0; f++)
			;
		*why = "unknown field";
		if (!f->name || field_from(row, f, v, why)) {
			snprintf(path + base, plen - base, ".%s", key);
			return -1;
		}
	}
	key = !json_object_get(o, "id") ? "id" : !json_object_get(o, "region") ? "region" : NULL;
	if (key) {
		*why = "required";
		snprintf(path + base, plen - base, ".%s", key);
		return -1;
	}
	if (!region_find(json_string_value(json_object_get(o, "region")))) {
		*why = "not a known RegionId";
		snprintf(path + base, plen - base, ".region");
		return -1;
	}
	return 0;
}
