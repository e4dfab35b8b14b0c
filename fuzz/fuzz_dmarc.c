/*
 * fuzz_dmarc - TXT text into the DMARC record parser (with and without
 * the p= requirement of an organizational record), and each reporting
 * URI into the external-destination checks. A record, or a positioned
 * error with a reason.
 */
#include "fuzz.h"
#include "util/buf.h"
#include "parse/dmarc.h"

const char	fuzz_corpus[] = "dmarc";
const unsigned	fuzz_mutations = 20000;

static int
one(const char *s, size_t n, int flags)
{
	struct dmarc_record *r = NULL;
	struct buf *why = buf_new(BUF_WHY_MAX);
	size_t off = 0;
	int good = 1;

	if (dmarc_parse(s, n, flags, &r, &off, why) == DMARC_OK) {
		if (r == NULL || r->pct > 100 ||
		    (r->adkim != 'r' && r->adkim != 's') ||
		    (r->aspf != 'r' && r->aspf != 's'))
			good = 0;
	} else if (off > n || buf_len(why) == 0 || r != NULL)
		good = 0;
	dmarc_record_free(r);
	buf_free(why);
	return good;
}

int
exercise(const uint8_t *p, size_t n)
{
	const char *s = (const char *)p;
	int good;

	good = one(s, n, DMARC_NEED_P);
	good &= one(s, n, 0);
	(void)dmarc_is_record(s, n);
	return good;
}
