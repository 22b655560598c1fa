/* utf8.h - what a text value may hold before ecsd stores or echoes it:
 * well-formed UTF-8 and, for anything an XML reply may carry, only the
 * characters XML 1.0 allows. No allocation, no protocol knowledge here. */
#ifndef ECSD_UTF8_H
#define ECSD_UTF8_H
#include <stddef.h>

/* 1 when s[0..len) is well-formed UTF-8 (shortest forms, no surrogates,
 * nothing above U+10FFFF) without a NUL byte; 0 otherwise. */
int utf8_valid(const char *s, size_t len);

/* utf8_valid, and every code point is an XML 1.0 Char: tab, LF, CR,
 * U+0020..U+D7FF, U+E000..U+FFFD, U+10000..U+10FFFF. U+FFFE, U+FFFF and the
 * other C0 controls are refused: no XML document can carry them, not even
 * as character references. */
int utf8_xml_text(const char *s, size_t len);

/* Decodes one code point at s (n bytes available): returns its length in
 * bytes and sets *cp, or 0 when the bytes there are not well-formed. */
size_t utf8_decode(const unsigned char *s, size_t n, unsigned *cp);

/* 1 when code point cp is an XML 1.0 Char. */
int utf8_xml_char(unsigned cp);

#endif
