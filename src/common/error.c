/* error.c - the error table built from errors.def. */
#include "error.h"
#include <string.h>

static const struct err_row rows[] = {
	{ 200, "OK", "", "OK" },
#define ERR(id, status, code, msg) { status, code, msg, #id },
#include "errors.def"
#undef ERR
};

const struct err_row *err_row(enum err_id id)
{
	if ((unsigned)id >= ERR__COUNT)
		id = ERR_INTERNAL_ERROR;
	return &rows[id];
}

enum err_id err_by_code(const char *code)
{
	for (int i = 1; i < ERR__COUNT; i++)
		if (strcmp(rows[i].code, code) == 0)
			return (enum err_id)i;
	return ERR_OK;
}
