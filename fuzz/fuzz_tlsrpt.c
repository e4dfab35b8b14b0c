/*
 * fuzz_tlsrpt - TXT text into the TLS-RPT record parser (RFC 8460 §3).
 * A record, or a positioned error with a reason.
 */
#include "fuzz.h"
#include "util/buf.h"
#include "parse/tlsrpt.h"

const char	fuzz_corpus[] = "tlsrpt";
const unsigned	fuzz_mutations = 20000;

int
exercise(const uint8_t *p, size_t n)
{
	struct tlsrpt_record *r = NULL;
	struct buf *why = buf_new(BUF_WHY_MAX);
	size_t off = 0;
	int good = 1;

	if (tlsrpt_parse((const char *)p, n, &r, &off, why) == TLSRPT_OK)
		good = r != NULL;
	else if (off > n || buf_len(why) == 0 || r != NULL)
		good = 0;
	tlsrpt_record_free(r);
	buf_free(why);
	return good;
}
