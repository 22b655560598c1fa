/* output.c - what ecs prints: the JSON answer pretty-printed, the
 * --output cols=/rows= table (aliyun's tabwriter layout), and errors on
 * stderr as Code / Message / RequestId. Never sends anything. */
#include "ecs.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OUT_SNIPPET_BYTES 512  /* of a non-JSON error body */
#define OUT_MAX_COLS      64

/* Writes s with control characters (but not \n, \t) shown as '?'. */
static void out_clean(FILE *f, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		fputc(c < 0x20 && c != '\n' && c != '\t' ? '?' :
		      c == 0x7f ? '?' : c, f);
	}
}

/* Display width: UTF-8 code points (what Go's tabwriter counts). */
static size_t out_width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}

/* aliyun's detectArrayPath: first {"X":{"Y":[...]}} member -> "X.Y[]". */
static const char *out_default_rows(struct arena *a, json_t *body)
{
	const char *k, *k2;
	json_t *v, *v2;

	json_object_foreach(body, k, v) {
		if (!json_is_object(v))
			continue;
		json_object_foreach(v, k2, v2)
			if (json_is_array(v2))
				return arena_printf(a, "%s.%s[]", k, k2);
	}
	return NULL;
}

/* Cell text; columns after the first start with a space ("%v\t %v"). */
static const char *out_cell(struct arena *a, size_t col, const char *text)
{
	return col ? arena_printf(a, " %s", text) : text;
}

static int out_table(const struct ecs_opts *o, json_t *body)
{
	struct arena a;
	const char *rows_expr, *colv[OUT_MAX_COLS], **cells = NULL, *c;
	size_t ncol = 0, nrow, r, k, w[OUT_MAX_COLS];
	char *cols, *save = NULL, *tok;
	json_t *rows, *row, *v;
	int bad, rc = -1;

	arena_init(&a, ECS_ARENA_BYTES);
	cols = arena_strdup(&a, o->output_cols);
	for (tok = cols ? strtok_r(cols, ",", &save) : NULL; tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (ncol == OUT_MAX_COLS) {
			fprintf(stderr, "ERROR: --output: more than %d cols\n",
			        OUT_MAX_COLS);
			goto out;
		}
		colv[ncol++] = tok;
	}
	rows_expr = o->output_rows ? o->output_rows
	                           : out_default_rows(&a, body);
	if (ncol == 0 || !rows_expr) {
		fprintf(stderr, "ERROR: --output: %s\n", ncol ? "no list in "
		        "the answer; give rows=PATH" : "cols= is empty");
		goto out;
	}
	rows = ecs_jpath(body, rows_expr, &bad);
	if (json_is_object(rows)) { /* one object (rows=@): a one-row table */
		json_t *one = json_array();

		if (!one) {
			json_decref(rows);
			goto out;
		}
		if (json_array_append_new(one, rows)) { /* takes rows either way */
			json_decref(one);
			goto out;
		}
		rows = one;
	}
	if (!json_is_array(rows)) {
		fprintf(stderr, "ERROR: --output rows=%s: %s\n", rows_expr,
		        bad ? "bad expression" : "not a list in the answer");
		json_decref(rows);
		goto out;
	}
	nrow = json_array_size(rows) + 2; /* header and dashes */
	cells = arena_alloc(&a, nrow * ncol * sizeof(*cells));
	if (!cells) {
		json_decref(rows);
		goto out;
	}
	for (k = 0; k < ncol; k++) {
		char *dash = arena_alloc(&a, strlen(colv[k]) + 1);

		if (!dash) {
			json_decref(rows);
			goto out;
		}
		memset(dash, '-', strlen(colv[k]));
		cells[k] = out_cell(&a, k, colv[k]);
		cells[ncol + k] = out_cell(&a, k, dash);
	}
	json_array_foreach(rows, r, row) {
		for (k = 0; k < ncol; k++) {
			v = ecs_jpath(row, colv[k], &bad);
			cells[(r + 2) * ncol + k] =
				out_cell(&a, k, ecs_jpath_text(&a, v));
			json_decref(v);
		}
	}
	json_decref(rows);
	for (k = 0; k < ncol; k++) {
		w[k] = 0;
		for (r = 0; r < nrow; r++) {
			c = cells[r * ncol + k];
			if (c && out_width(c) > w[k])
				w[k] = out_width(c);
		}
		w[k] += 1; /* tabwriter padding */
	}
	for (r = 0; r < nrow; r++) {
		for (k = 0; k < ncol; k++) {
			c = cells[r * ncol + k] ? cells[r * ncol + k] : "";
			fputs(c, stdout);
			if (k + 1 < ncol)
				printf("%*s|", (int)(w[k] - out_width(c)), "");
		}
		putchar('\n');
	}
	rc = 0;
out:
	arena_free(&a);
	return rc;
}

int ecs_out_success(const struct ecs_opts *o, json_t *body)
{
	char *s;

	if (o->quiet)
		return 0;
	if (o->output_set)
		return out_table(o, body);
	s = json_dumps(body, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
	if (!s)
		return -1;
	puts(s);
	free(s);
	return 0;
}

static void out_field(const char *label, json_t *body, const char *key)
{
	const char *s = json_string_value(json_object_get(body, key));

	if (!s)
		return;
	fprintf(stderr, "%s: ", label);
	out_clean(stderr, s, strlen(s));
	fputc('\n', stderr);
}

static void out_snippet(const struct ecs_resp *r)
{
	size_t n = r->body.len < OUT_SNIPPET_BYTES ? r->body.len
	                                           : OUT_SNIPPET_BYTES;

	if (n == 0)
		return;
	fputs("Body: ", stderr);
	out_clean(stderr, r->body.p, n);
	fputs(n < r->body.len ? "...\n" : "\n", stderr);
}

int ecs_out_error(const struct ecs_resp *r, enum ecs_rc rc)
{
	const char *code;

	switch (rc) {
	case ECS_RC_OK:
		return ECS_EXIT_OK;
	case ECS_RC_NET:
		fputs("ERROR: network: ", stderr);
		out_clean(stderr, r->errmsg, strlen(r->errmsg));
		fputc('\n', stderr);
		return ECS_EXIT_NET;
	case ECS_RC_LOCAL:
		fprintf(stderr, "ERROR: %s\n", r->errmsg);
		return ECS_EXIT_USAGE;
	case ECS_RC_BADBODY:
		fprintf(stderr, "ERROR: HTTP %ld answer is not a JSON object\n",
		        r->status);
		out_snippet(r);
		return ECS_EXIT_API;
	case ECS_RC_API:
		break;
	}
	code = json_string_value(json_object_get(r->json, "Code"));
	fprintf(stderr, "ERROR: %s (HTTP %ld)\n", code ? "API error"
	        : "unexpected answer", r->status);
	if (!code) {
		out_snippet(r);
		return ECS_EXIT_API;
	}
	out_field("Code", r->json, "Code");
	out_field("Message", r->json, "Message");
	out_field("RequestId", r->json, "RequestId");
	out_field("Recommend", r->json, "Recommend");
	return ECS_EXIT_API;
}

int ecs_out_usage(const char *msg)
{
	fprintf(stderr, "ecs: %s\nRun 'ecs help' for usage.\n", msg);
	return ECS_EXIT_USAGE;
}
