/* test_page_token.c - NextToken encryption (auth/page_token.c), as a table:
 * round trips, and every alteration that must not decode. */
#include "t.h"
#include "../../src/auth/page_token.h"
#include <string.h>

#define T_OK(cond, what) T_CHECK((cond), "%s", (what))

int main(void)
{
	static const int64_t seqs[] = { 1, 2, 10, 255, 256, 65536, (int64_t)1 << 40, INT64_MAX };
	char tok[PAGE_TOKEN_LEN + 1], bad[PAGE_TOKEN_LEN + 2];
	int64_t got;

	for (size_t i = 0; i < sizeof(seqs) / sizeof(seqs[0]); i++) {
		T_OK(page_token_encode("s3cret", "1001", "DescribeInstances", seqs[i], tok) == 0, "encodes");
		T_OK(strlen(tok) == PAGE_TOKEN_LEN && strncmp(tok, "ecsd2", 5) == 0 &&
		     strspn(tok + 5, "0123456789abcdef") == 32, "prefix and 32 lower-case hex digits");
		got = 0;
		T_OK(page_token_decode("s3cret", "1001", "DescribeInstances", tok, &got) == 0 &&
		     got == seqs[i], "round trip");
		T_OK(page_token_decode("s3cret", "1002", "DescribeInstances", tok, &got) != 0, "other account");
		T_OK(page_token_decode("s3cret", "1001", "DescribeDisks", tok, &got) != 0, "other Action");
		T_OK(page_token_decode("other", "1001", "DescribeInstances", tok, &got) != 0, "other secret");
		for (size_t k = 5; k < PAGE_TOKEN_LEN; k++) {
			memcpy(bad, tok, sizeof(tok));
			bad[k] = bad[k] == '0' ? '1' : '0';
			T_OK(page_token_decode("s3cret", "1001", "DescribeInstances", bad, &got) != 0, "one digit changed");
		}
		memcpy(bad, tok, sizeof(tok));
		bad[7] = (char)(bad[7] >= 'a' ? bad[7] - 'a' + 'A' : bad[7]);
		if (bad[7] != tok[7])
			T_OK(page_token_decode("s3cret", "1001", "DescribeInstances", bad, &got) != 0, "upper case");
	}
	T_OK(page_token_encode("s3cret", "1001", "DescribeInstances", 0, tok) != 0, "seq 0 refused");
	T_OK(page_token_encode("s3cret", "1001", "DescribeInstances", 7, tok) == 0, "seq 7");
	{
		char t2[PAGE_TOKEN_LEN + 1];
		T_OK(page_token_encode("s3cret", "1001", "DescribeInstances", 8, t2) == 0 &&
		     strcmp(tok, t2) != 0 && strncmp(tok + 5, t2 + 5, 8) != 0,
		     "neighbouring positions share no visible prefix");
	}
	for (const char *const *s = (const char *const[]){ "", "ecsd2", "ecsd1 0", "ecsd1+0", "ecsd10x0", "ecsd10",
	          "ecsd2 0000000000000000000000000000000", NULL }; *s; s++)
		T_OK(page_token_decode("s3cret", "1001", "DescribeInstances", *s, &got) != 0, *s);
	return t_done("page_token");
}
