/* Unit tests for src/parse/tlsrpt.c: _smtp._tls records. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "parse/tlsrpt.h"
#include "tap.h"

struct pcase {
	const char	*name;
	const char	*in;
	const char	*want;	/* URIs joined by "|", or "ERR@<offset>" */
};

static const struct pcase pcases[] = {
	{ "mailto", "v=TLSRPTv1; rua=mailto:reports@example.com",
	    "mailto:reports@example.com" },
	{ "https", "v=TLSRPTv1;rua=https://reporting.example.com/v1/tlsrpt",
	    "https://reporting.example.com/v1/tlsrpt" },
	{ "two URIs with spaces", "v=TLSRPTv1; rua=mailto:a@example.com , "
	    "https://r.example/x", "mailto:a@example.com|https://r.example/x" },
	{ "trailing separator", "v=TLSRPTv1; rua=mailto:a@b.example;",
	    "mailto:a@b.example" },
	{ "extension ignored", "v=TLSRPTv1; ext=1; rua=mailto:a@b.example",
	    "mailto:a@b.example" },

	{ "missing rua", "v=TLSRPTv1;", "ERR@11" },
	{ "wrong version", "v=TLSRPTv2; rua=mailto:a@b.example", "ERR@0" },
	{ "version not first", "rua=mailto:a@b.example; v=TLSRPTv1",
	    "ERR@0" },
	{ "http scheme", "v=TLSRPTv1; rua=http://r.example/", "ERR@16" },
	{ "mailto without at", "v=TLSRPTv1; rua=mailto:reports", "ERR@16" },
	{ "https without host", "v=TLSRPTv1; rua=https:///x", "ERR@16" },
	{ "empty URI", "v=TLSRPTv1; rua=mailto:a@b.example,,", "ERR@35" },
	{ "rua twice", "v=TLSRPTv1; rua=mailto:a@b.example; "
	    "rua=mailto:c@d.example", "ERR@40" },
	{ "space inside URI", "v=TLSRPTv1; rua=mailto:a b@c.example",
	    "ERR@24" },
	{ "no separator", "v=TLSRPTv1 rua=mailto:a@b.example", "ERR@11" },
	{ "empty", "", "ERR@0" },
};

int
main(void)
{
	struct tlsrpt_record *r;
	struct buf *b, *why;
	size_t i, k, off;
	char *big;

	b = buf_new(4096);
	why = buf_new(BUF_WHY_MAX);
	for (i = 0; i < sizeof(pcases) / sizeof(pcases[0]); i++) {
		buf_reset(b);
		buf_reset(why);
		if (tlsrpt_parse(pcases[i].in, strlen(pcases[i].in), &r, &off,
		    why) == TLSRPT_OK) {
			for (k = 0; k < r->nrua; k++)
				buf_printf(b, "%s%s", k ? "|" : "", r->rua[k]);
			tlsrpt_record_free(r);
		} else {
			if (buf_len(why) == 0)
				diag("%s: no reason", pcases[i].name);
			buf_printf(b, "ERR@%zu", off);
		}
		is_str(buf_str(b), pcases[i].want, pcases[i].name);
	}
	big = malloc(4096);
	strcpy(big, "v=TLSRPTv1; rua=");
	for (i = 0; i <= TLSRPT_MAX_URIS; i++)
		strcat(big, i ? ",mailto:a@b.example" : "mailto:a@b.example");
	buf_reset(why);
	ok(tlsrpt_parse(big, strlen(big), &r, &off, why) == TLSRPT_SYNTAX,
	    "more than %d URIs refused", TLSRPT_MAX_URIS);
	free(big);
	tlsrpt_record_free(NULL);

	buf_free(b);
	buf_free(why);
	return tap_done();
}
