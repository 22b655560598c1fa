/* page_token.h - NextToken as an opaque, authenticated value: the position
 * of the last row a page returned, encrypted under a key derived from the
 * caller's AccessKey secret and bound to its account and Action. A token
 * reveals nothing (not even the caller's own row numbers, whose gaps would
 * count other accounts' activity); a forged, altered or other account's
 * token does not decode. No request or store knowledge here. */
#ifndef ECSD_PAGE_TOKEN_H
#define ECSD_PAGE_TOKEN_H
#include <stdint.h>

#define PAGE_TOKEN_PREFIX "ecsd2"
#define PAGE_TOKEN_LEN    (5 + 32)   /* prefix + hex of one AES block */

/* Writes the token of position seq (> 0) into out. Returns 0, or -1 when
 * the crypto library fails (out is then ""). */
int page_token_encode(const char *secret, const char *account,
                      const char *action, int64_t seq,
                      char out[PAGE_TOKEN_LEN + 1]);
/* Parses a token strictly (prefix, exactly 32 lower-case hex digits) and
 * checks that it was made by page_token_encode with the same secret,
 * account and Action. Returns 0 with *seq set, or -1. */
int page_token_decode(const char *secret, const char *account,
                      const char *action, const char *token, int64_t *seq);

#endif
