/*
 * fuzz_dkim - TXT text into the DKIM key record parser, which also
 * decodes the key (base64, then OpenSSL's DER reader for RSA, 32 raw
 * octets for Ed25519). A key, or a positioned error with a reason.
 */
#include "fuzz.h"
#include "util/buf.h"
#include "parse/dkim.h"

const char	fuzz_corpus[] = "dkim";
const unsigned	fuzz_mutations = 20000;

int
exercise(const uint8_t *p, size_t n)
{
	const char *s = (const char *)p;
	struct dkim_key *k = NULL;
	struct buf *why = buf_new(BUF_WHY_MAX);
	size_t off = 0;
	int good = 1;

	if (dkim_parse(s, n, &k, &off, why) == DKIM_OK) {
		if (k == NULL || (k->revoked && k->bits != 0))
			good = 0;
		else
			(void)dkim_key_usable(k);
	} else if (off > n || buf_len(why) == 0 || k != NULL)
		good = 0;
	dkim_key_free(k);
	(void)dkim_is_key_record(s, n);
	buf_free(why);
	return good;
}
