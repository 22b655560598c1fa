/* web_files.h - the console's files (web/console/), compiled into the
 * binary by scripts/embed.sh from the Makefile: nothing to install. */
#ifndef ECSD_WEB_FILES_H
#define ECSD_WEB_FILES_H
#include <stddef.h>

struct web_file {
	const char *path;          /* "/console/index.html" */
	const char *type;          /* Content-Type */
	const unsigned char *data;
	size_t len;
};

extern const struct web_file web_files[];
extern const size_t web_nfiles;

#endif
