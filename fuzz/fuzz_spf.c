/*
 * fuzz_spf - TXT text into the SPF record parser, then every parsed
 * domain-spec through the macro expander. A record or a positioned error
 * with a reason; parsed specs expand, as a domain to the §7.3 cut of the
 * plain expansion, a DNS name or SPF_EXPAND_NONAME with a reason.
 */
#include <string.h>

#include "fuzz.h"
#include "util/buf.h"
#include "parse/spf.h"
#include "util/dname.h"

const char	fuzz_corpus[] = "spf";
const unsigned	fuzz_mutations = 20000;

/*
 * A parsed domain-spec expands; as a domain (§7.3) it is the longest
 * tail of the plain expansion (one final dot dropped) that starts a
 * label and fits DNAME_MAX octets, or the last label when none fits; 0
 * exactly when that is a DNS name, else SPF_EXPAND_NONAME with a reason.
 */
static int
expands(const char *spec, const struct spf_macro_ctx *ctx, struct buf *out,
    struct buf *why)
{
	struct buf *plain = buf_new(8192);
	const char *r, *o;
	size_t rlen, olen, cut, prev;
	int rc, good = 1;

	buf_reset(out);
	buf_reset(why);
	if (spf_macro_expand(spec, ctx, 0, plain, why) != 0) {
		buf_free(plain);
		return 0;
	}
	rc = spf_macro_expand(spec, ctx, SPF_MACRO_DOMAIN, out, why);
	r = buf_str(plain);
	rlen = buf_len(plain);
	if (rlen > 0 && r[rlen - 1] == '.')
		rlen--;
	o = buf_str(out);
	olen = buf_len(out);
	if (rc != 0 && rc != SPF_EXPAND_NONAME)
		good = 0;
	else if ((rc == 0) != spf_domain_valid(o, 0))
		good = 0;
	else if (rc == SPF_EXPAND_NONAME && buf_len(why) == 0)
		good = 0;
	else if (olen > rlen || memcmp(r + rlen - olen, o, olen) != 0)
		good = 0;		/* not a tail of the expansion */
	else if (olen < rlen) {
		cut = rlen - olen;	/* r[cut - 1] must be a dot ... */
		for (prev = cut - 1; prev > 0 && r[prev - 1] != '.'; prev--)
			;
		/* ... and the tail from the label before must not fit */
		if (r[cut - 1] != '.' || rlen - prev <= DNAME_MAX)
			good = 0;
	}
	if (good && olen > DNAME_MAX && memchr(o, '.', olen) != NULL)
		good = 0;		/* a cut that was possible not made */
	buf_free(plain);
	return good;
}

int
exercise(const uint8_t *p, size_t n)
{
	const char *s = (const char *)p;
	struct spf_record *r;
	struct buf *why = buf_new(BUF_WHY_MAX), *out = buf_new(8192);
	struct spf_macro_ctx ctx;
	struct spf_ip ip;
	size_t pos = 0, i;
	int good = 1;

	memset(&ctx, 0, sizeof(ctx));
	spf_ip_parse("2001:db8::1", &ip);
	ctx.sender = "a.b-c+d@ex.example.com";
	ctx.local = "a.b-c+d";
	ctx.sender_domain = ctx.domain = "ex.example.com";
	ctx.ip = &ip;
	ctx.helo = "h.example";
	r = spf_parse(s, n, &pos, why);
	if (r == NULL)
		good = pos >= 1 && pos <= n + 1 && buf_len(why) > 0;
	else {
		for (i = 0; i < r->nmech; i++)
			if (r->mech[i].domain != NULL &&
			    !expands(r->mech[i].domain, &ctx, out, why))
				good = 0;
		if (r->redirect != NULL &&
		    !expands(r->redirect, &ctx, out, why))
			good = 0;
		spf_record_free(r);
	}
	(void)spf_is_v1(s, n);
	buf_reset(why);
	(void)spf_explain_valid(s, n, why);
	buf_free(why);
	buf_free(out);
	return good;
}
