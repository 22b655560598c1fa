/* utf8.c - UTF-8 well-formedness and the XML 1.0 character set (see utf8.h). */
#include "utf8.h"

size_t utf8_decode(const unsigned char *s, size_t n, unsigned *cp)
{
	unsigned c = s[0], min;
	size_t len;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if ((c & 0xE0) == 0xC0) { len = 2; min = 0x80; c &= 0x1F; }
	else if ((c & 0xF0) == 0xE0) { len = 3; min = 0x800; c &= 0x0F; }
	else if ((c & 0xF8) == 0xF0) { len = 4; min = 0x10000; c &= 0x07; }
	else return 0;
	if (len > n)
		return 0;
	for (size_t k = 1; k < len; k++) {
		if ((s[k] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[k] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

int utf8_xml_char(unsigned cp)
{
	if (cp < 0x20)
		return cp == 0x09 || cp == 0x0A || cp == 0x0D;
	if (cp <= 0xD7FF)
		return 1;
	if (cp < 0xE000)
		return 0;
	if (cp <= 0xFFFD)
		return 1;
	return cp >= 0x10000 && cp <= 0x10FFFF;
}

static int utf8_scan(const char *s, size_t len, int xml)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		unsigned cp;
		size_t n = utf8_decode(p + i, len - i, &cp);

		if (n == 0 || cp == 0 || (xml && !utf8_xml_char(cp)))
			return 0;
		i += n;
	}
	return 1;
}

int utf8_valid(const char *s, size_t len)
{
	return utf8_scan(s, len, 0);
}

int utf8_xml_text(const char *s, size_t len)
{
	return utf8_scan(s, len, 1);
}
