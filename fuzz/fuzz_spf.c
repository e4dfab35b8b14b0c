/*
 * fuzz_spf - TXT text into the SPF record parser, then every parsed
 * domain-spec through the macro expander. A record or a positioned error
 * with a reason; parsed specs expand, and a result with dots is cut to
 * DNAME_MAX octets.
 */
#include <string.h>

#include "fuzz.h"
#include "util/buf.h"
#include "parse/spf.h"
#include "util/dname.h"

const char	fuzz_corpus[] = "spf";
const unsigned	fuzz_mutations = 20000;

static int
expands(const char *spec, const struct spf_macro_ctx *ctx, struct buf *out,
    struct buf *why)
{
	buf_reset(out);
	if (spf_macro_expand(spec, ctx, SPF_MACRO_DOMAIN, out, why) != 0)
		return 0;
	return buf_len(out) <= DNAME_MAX ||
	    strchr(buf_str(out), '.') == NULL;
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
