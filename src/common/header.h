/* header.h - one HTTP request header as the layers pass it around (the
 * transport fills it, the signature code reads it). Data only. */
#ifndef ECSD_HEADER_H
#define ECSD_HEADER_H

struct http_header {
	const char *name;  /* lower-case */
	const char *value; /* as received; trimmed by the V3 canonicaliser */
};

#endif
