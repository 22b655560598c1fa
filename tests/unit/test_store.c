/* test_store.c - the store conformance suite, written only against the
 * store_*() wrappers so every backend runs it: ECSD_TEST_STORE (a
 * postgresql:// URI) or a fresh temporary SQLite dir. Ids and accounts are
 * random per run, so a shared database is fine. The cases live in
 * store_cases_*.h. No ECS rules here. */
#include "store_fixture.h"
#include "store_cases_rows.h"
#include "store_cases_tx.h"
#include "store_cases_res.h"
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- setup ---- */

static void rm_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[PATH_MAX + 256];

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

int main(void)
{
	const char *uri = getenv("ECSD_TEST_STORE");
	char err[256] = "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	rand_tag();
	if (uri && *uri) {
		g_opts.uri = uri;
	} else {
		snprintf(g_dir, sizeof(g_dir), "/tmp/ecsd-store-XXXXXX");
		if (!mkdtemp(g_dir)) {
			perror("mkdtemp");
			return 1;
		}
		/* a subdirectory the backend must create itself */
		{
			size_t n = strlen(g_dir);

			snprintf(g_dir + n, sizeof(g_dir) - n, "/data");
		}
		g_opts.uri = g_dir;
	}
	g_opts.durable = 1;
	if (store_open(&g_opts, &g_s, err, sizeof(err)) != 0) {
		printf("not ok: store_open: %s\n", err);
		return 1;
	}
	printf("# backend %s, tag %s\n", store_backend_name(g_s), g_tag);

	test_crud();
	test_inst_list();
	test_status_at();
	test_disk_list();
	test_snap_list();
	test_tokens();
	test_res();
	test_rollback();
	test_read_only();
	test_read_not_blocked();
	test_nonce();
	test_restart();
	test_sqlite_schema();

	store_close(g_s);
	if (g_dir[0]) {
		char *slash;

		rm_dir(g_dir);
		slash = strrchr(g_dir, '/');
		if (slash)
			*slash = '\0';
		rmdir(g_dir);
	}
	return t_done("store");
}
