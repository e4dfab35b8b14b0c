/*
 * Robustness of the DMARC, DKIM, MTA-STS and TLS-RPT parsers: valid
 * records mutated with a fixed-seed PRNG (byte flips, insertions,
 * deletions, truncation, duplication). Every call must return OK or a
 * syntax error with an in-range offset and a reason; crashes, leaks and
 * undefined behaviour are caught when run under ASan/UBSan.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "parse/dkim.h"
#include "parse/dmarc.h"
#include "parse/mtasts.h"
#include "parse/tlsrpt.h"
#include "tap.h"

#define ROUNDS	4000
#define MAXLEN	2048

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

/* sizeof, not strlen: the list holds a NUL. */
static const char interesting[] = ";=:,!*. \t\r\n\0\x7f\xff-_@/";

static size_t
mutate(const char *seed, char *out)
{
	size_t len = strlen(seed), i, n, at;

	memcpy(out, seed, len);
	n = 1 + rnd(4);
	while (n-- > 0) {
		at = len ? rnd((unsigned)len) : 0;
		switch (rnd(6)) {
		case 0:		/* flip a byte */
			if (len)
				out[at] = (char)rnd(256);
			break;
		case 1:		/* insert a syntax character */
			if (len + 1 < MAXLEN) {
				memmove(out + at + 1, out + at, len - at);
				out[at] = interesting[rnd(
				    sizeof(interesting) - 1)];
				len++;
			}
			break;
		case 2:		/* delete a run */
			i = rnd(8);
			if (at + i > len)
				i = len - at;
			memmove(out + at, out + at + i, len - at - i);
			len -= i;
			break;
		case 3:		/* truncate */
			len = at;
			break;
		case 4:		/* duplicate the tail */
			i = len - at;
			if (len + i < MAXLEN) {
				memcpy(out + len, out + at, i);
				len += i;
			}
			break;
		default:	/* replace with a digit run */
			for (i = 0; i < 12 && at + i < len; i++)
				out[at + i] = (char)('0' + rnd(10));
			break;
		}
	}
	return len;
}

static const char *dmarc_seeds[] = {
	"v=DMARC1; p=reject; sp=none; pct=50; adkim=s; aspf=r; fo=1:d; "
	    "rf=afrf; ri=3600; rua=mailto:a@example.com!10m,"
	    "mailto:b@x.example; ruf=mailto:c@y.example",
	"v=DMARC1; p=none",
};
static const char *dkim_seeds[] = {
	"v=DKIM1; k=rsa; h=sha256; t=y:s; s=email; n=x; p=MFwwDQYJKoZIhvcNAQE"
	    "BBQADSwAwSAJBAMgIuZvDEqrVuWI3zo/ZzZUsUZB+2OE/6QQTIb9LOV9dZhNLacE"
	    "PFaDL00qZ81SNNQM4fmJb4/wH1hfCHtBHC5MCAwEAAQ==",
	"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
};
static const char *sts_seeds[] = {
	"v=STSv1; id=20240101T000000; ext=1",
};
static const char *policy_seeds[] = {
	"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\n"
	    "mx: *.example.net\r\nmax_age: 604800\r\n",
};
static const char *tlsrpt_seeds[] = {
	"v=TLSRPTv1; rua=mailto:a@example.com, https://r.example/x; e=1",
};

#define NSEEDS(a)	(sizeof(a) / sizeof(a[0]))

int
main(void)
{
	char *in;
	struct buf *why;
	size_t len, off, i;
	int bad[5] = { 0 }, okc[5] = { 0 };
	struct dmarc_record *dr;
	struct dkim_key *dk;
	struct mtasts_txt *mt;
	struct mtasts_policy *mp;
	struct tlsrpt_record *tr;

	in = malloc(MAXLEN * 2);
	why = buf_new(BUF_WHY_MAX);
	for (i = 0; i < ROUNDS; i++) {
		len = mutate(dmarc_seeds[rnd(NSEEDS(dmarc_seeds))], in);
		buf_reset(why);
		if (dmarc_parse(in, len, DMARC_NEED_P, &dr, &off, why) ==
		    DMARC_OK)
			okc[0]++;
		else if (off > len || buf_len(why) == 0 || dr != NULL)
			bad[0]++;
		dmarc_record_free(dr);

		len = mutate(dkim_seeds[rnd(NSEEDS(dkim_seeds))], in);
		buf_reset(why);
		if (dkim_parse(in, len, &dk, &off, why) == DKIM_OK)
			okc[1]++;
		else if (off > len || buf_len(why) == 0 || dk != NULL)
			bad[1]++;
		dkim_key_free(dk);
		(void)dkim_is_key_record(in, len);

		len = mutate(sts_seeds[0], in);
		buf_reset(why);
		if (mtasts_txt_parse(in, len, &mt, &off, why) == MTASTS_OK)
			okc[2]++;
		else if (off > len || buf_len(why) == 0 || mt != NULL)
			bad[2]++;
		mtasts_txt_free(mt);

		len = mutate(policy_seeds[0], in);
		buf_reset(why);
		if (mtasts_policy_parse(in, len, &mp, &off, why) == MTASTS_OK) {
			okc[3]++;
			if (mp->nmx > 0)
				(void)mtasts_mx_match(mp->mx[0],
				    "mail.example.com");
		} else if (buf_len(why) == 0 || mp != NULL)
			bad[3]++;
		mtasts_policy_free(mp);

		len = mutate(tlsrpt_seeds[0], in);
		buf_reset(why);
		if (tlsrpt_parse(in, len, &tr, &off, why) == TLSRPT_OK)
			okc[4]++;
		else if (off > len || buf_len(why) == 0 || tr != NULL)
			bad[4]++;
		tlsrpt_record_free(tr);
	}
	is_int(bad[0], 0, "dmarc_parse: errors well-formed");
	is_int(bad[1], 0, "dkim_parse: errors well-formed");
	is_int(bad[2], 0, "mtasts_txt_parse: errors well-formed");
	is_int(bad[3], 0, "mtasts_policy_parse: errors well-formed");
	is_int(bad[4], 0, "tlsrpt_parse: errors well-formed");
	for (i = 0; i < 5; i++)
		ok(okc[i] > 0 && okc[i] < ROUNDS,
		    "parser %zu saw both outcomes (%d of %d accepted)", i,
		    okc[i], ROUNDS);
	free(in);
	buf_free(why);
	return tap_done();
}
