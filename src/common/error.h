/* error.h - the API error list as an enum and a table (rows in errors.def).
 * The client-facing error of a request is set once from here. */
#ifndef ECSD_ERROR_H
#define ECSD_ERROR_H

enum err_id {
	ERR_OK = 0,
#define ERR(id, status, code, msg) ERR_##id,
#include "errors.def"
#undef ERR
	ERR__COUNT
};

struct err_row {
	int status;
	const char *code;
	const char *message; /* may hold one %s */
	const char *ident;   /* "INVALID_PARAMETER", for tests and logs */
};

/* Row for id (ERR_OK has a placeholder row). Never NULL for id < ERR__COUNT. */
const struct err_row *err_row(enum err_id id);
/* Finds the row whose Code matches (first of several), or ERR_OK. */
enum err_id err_by_code(const char *code);

#endif
