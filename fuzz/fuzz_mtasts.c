/*
 * fuzz_mtasts - the same bytes into the MTA-STS TXT record parser and the
 * policy file parser (RFC 8461 §3.1, §3.2), and each parsed MX pattern
 * into the matcher. A result, or an error with a reason (the policy
 * error position is a line number, so only the TXT offset is bounded).
 */
#include "fuzz.h"
#include "util/buf.h"
#include "parse/mtasts.h"

const char	fuzz_corpus[] = "mtasts";
const unsigned	fuzz_mutations = 20000;

int
exercise(const uint8_t *p, size_t n)
{
	const char *s = (const char *)p;
	struct mtasts_txt *t = NULL;
	struct mtasts_policy *pol = NULL;
	struct buf *why = buf_new(BUF_WHY_MAX);
	size_t off = 0, i;
	int good = 1;

	if (mtasts_txt_parse(s, n, &t, &off, why) == MTASTS_OK)
		good = t != NULL;
	else if (off > n || buf_len(why) == 0 || t != NULL)
		good = 0;
	mtasts_txt_free(t);
	buf_reset(why);
	if (mtasts_policy_parse(s, n, &pol, &off, why) == MTASTS_OK) {
		if (pol == NULL)
			good = 0;
		else
			for (i = 0; i < pol->nmx; i++) {
				if (pol->mx[i] == NULL)
					good = 0;
				else
					(void)mtasts_mx_match(pol->mx[i],
					    "mail.example.com");
			}
	} else if (buf_len(why) == 0 || pol != NULL)
		good = 0;
	mtasts_policy_free(pol);
	buf_free(why);
	return good;
}
