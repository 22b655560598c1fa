/* test_reply.c - both renderers against every class of code point (issue 11
 * row 11): each value is rendered as a JSON and as an XML document; the JSON
 * is parsed by jansson and must give the value back byte for byte; the XML
 * is parsed by expat (python3's xml.parsers.expat) and must give back the
 * value, or what XML 1.0 can carry of it (C0 controls dropped, U+FFFE and
 * U+FFFF as U+FFFD). A table of rows, one per class. */
#include "t.h"
#include "../../src/render/reply.h"
#include "../../src/common/utf8.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct row {
	const char *what;
	const char *in;        /* UTF-8 value */
	const char *xml_out;   /* what an XML parser must read back */
	int param_ok;          /* utf8_xml_text: accepted at the parameter check */
};

static const struct row rows[] = {
	{ "ASCII printable", "abc XYZ 019 ~", "abc XYZ 019 ~", 1 },
	{ "XML specials", "<a href=\"x\">&'</a>", "<a href=\"x\">&'</a>", 1 },
	{ "tab, LF, CR", "a\tb\nc\rd", "a\tb\nc\nd", 1 },  /* XML normalises CR to LF */
	{ "C0 control U+0001", "a\x01z", "az", 0 },
	{ "C0 control U+001F", "a\x1fz", "az", 0 },
	{ "DEL U+007F", "a\x7fz", "a\x7fz", 1 },
	{ "C1 control U+0085", "a\xc2\x85z", "a\xc2\x85z", 1 },
	{ "Latin-1 U+00E9", "caf\xc3\xa9", "caf\xc3\xa9", 1 },
	{ "last before surrogates U+D7FF", "\xed\x9f\xbf", "\xed\x9f\xbf", 1 },
	{ "first after surrogates U+E000", "\xee\x80\x80", "\xee\x80\x80", 1 },
	{ "U+FFFD", "\xef\xbf\xbd", "\xef\xbf\xbd", 1 },
	{ "U+FFFE", "a\xef\xbf\xbez", "a\xef\xbf\xbdz", 0 },
	{ "U+FFFF", "a\xef\xbf\xbfz", "a\xef\xbf\xbdz", 0 },
	{ "U+FFFE twice", "\xef\xbf\xbe\xef\xbf\xbe", "\xef\xbf\xbd\xef\xbf\xbd", 0 },
	{ "first astral U+10000", "\xf0\x90\x80\x80", "\xf0\x90\x80\x80", 1 },
	{ "emoji U+1F600", "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80", 1 },
	{ "last U+10FFFF", "\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf", 1 },
	{ "line separator U+2028", "a\xe2\x80\xa8z", "a\xe2\x80\xa8z", 1 },
	{ "U+EFBF (EF BE BF, not FFFF)", "\xee\xbe\xbf", "\xee\xbe\xbf", 1 },
};

static char *render(const char *v, int json)
{
	struct reply r;
	char *out;

	reply_begin(&r, json, "TestResponse", 1 << 16);
	reply_str(&r, "V", v);
	if (reply_end(&r) != 0) {
		buf_free(&r.out);
		return NULL;
	}
	out = strdup(buf_cstr(&r.out));
	buf_free(&r.out);
	return out;
}

/* Parses doc with expat; returns the text of <V> (malloc'd), or NULL when
 * the document is not well-formed. */
static char *expat_value(const char *doc)
{
	static const char prog[] =
		"import sys, xml.parsers.expat\n"
		"d = sys.stdin.buffer.read(); v = []; cur = [None]\n"
		"p = xml.parsers.expat.ParserCreate('UTF-8')\n"
		"p.StartElementHandler = lambda n, a: cur.__setitem__(0, n)\n"
		"p.EndElementHandler = lambda n: cur.__setitem__(0, None)\n"
		"p.CharacterDataHandler = lambda s: v.append(s) if cur[0] == 'V' else None\n"
		"try:\n  p.Parse(d, True)\nexcept Exception:\n  sys.exit(3)\n"
		"sys.stdout.buffer.write(''.join(v).encode('utf-8', 'surrogatepass'))\n";
	char in_path[] = "/tmp/ecsd-test-reply-XXXXXX";
	char cmd[256], *out = malloc(4096);
	int fd = mkstemp(in_path), st;
	size_t n = 0;
	FILE *f;

	if (fd < 0 || !out || write(fd, doc, strlen(doc)) != (ssize_t)strlen(doc)) {
		if (fd >= 0)
			close(fd);
		free(out);
		return NULL;
	}
	close(fd);
	snprintf(cmd, sizeof(cmd), "python3 -c \"$ECSD_T_PROG\" < %s", in_path);
	setenv("ECSD_T_PROG", prog, 1);
	f = popen(cmd, "r");
	if (f) {
		n = fread(out, 1, 4095, f);
		st = pclose(f);
	} else {
		st = -1;
	}
	unlink(in_path);
	if (st != 0) {
		free(out);
		return NULL;
	}
	out[n] = '\0';
	return out;
}

int main(void)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *w = &rows[i];
		char *js = render(w->in, 1), *xml = render(w->in, 0), *got;
		json_error_t je;
		json_t *doc = js ? json_loads(js, 0, &je) : NULL;
		const char *v = doc ? json_string_value(json_object_get(doc, "V")) : NULL;

		T_CHECK(doc && v && strcmp(v, w->in) == 0, "%s: JSON parses and gives the value back", w->what);
		json_decref(doc);
		T_CHECK(xml && utf8_valid(xml, strlen(xml)), "%s: XML reply is UTF-8", w->what);
		got = xml ? expat_value(xml) : NULL;
		T_CHECK(got != NULL, "%s: expat parses the XML reply", w->what);
		if (got)
			T_CHECK(strcmp(got, w->xml_out) == 0, "%s: XML value read back as expected", w->what);
		T_CHECK(utf8_xml_text(w->in, strlen(w->in)) == w->param_ok,
		        "%s: the parameter check %s it", w->what, w->param_ok ? "accepts" : "refuses");
		free(got);
		free(js);
		free(xml);
	}
	/* malformed UTF-8 is refused by both checks */
	static const char *const bad[] = { "\xff", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
	                                   "\xe2\x82", "\x80", "\xf8\x88\x80\x80\x80" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		T_CHECK(!utf8_valid(bad[i], strlen(bad[i])) && !utf8_xml_text(bad[i], strlen(bad[i])),
		        "malformed sequence %zu refused", i);
	T_CHECK(!utf8_valid("a\0b", 3), "NUL refused");
	return t_done("reply");
}
