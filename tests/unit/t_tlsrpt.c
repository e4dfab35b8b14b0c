/* Unit tests for src/parse/tlsrpt.c: _smtp._tls records and analyzer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "analyze/findings.h"
#include "parse/tlsrpt.h"
#include "analyze/analyze.h"
#include "report/report.h"
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

#define TXT1(s)	(const struct taglist_txt[]){ { s, sizeof(s) - 1 } }, 1

static const struct taglist_txt two[] = {
	{ "v=TLSRPTv1; rua=mailto:a@b.example", 34 },
	{ "v=TLSRPTv1; rua=mailto:c@b.example", 34 },
};

static const struct {
	const char		*name;
	struct tlsrpt_facts	 f;
	const char		*want;
} acases[] = {
	{ "good", { "example.com", DNS_OK,
	    TXT1("v=TLSRPTv1; rua=mailto:a@example.com") }, "" },
	{ "missing", { "example.com", DNS_NXDOMAIN, NULL, 0 },
	    "TLSRPT_MISSING" },
	{ "only other TXT", { "example.com", DNS_OK, TXT1("hello") },
	    "TLSRPT_MISSING" },
	{ "syntax", { "example.com", DNS_OK, TXT1("v=TLSRPTv1; rua=ftp://x") },
	    "TLSRPT_SYNTAX" },
	{ "multiple", { "example.com", DNS_OK, two, 2 }, "TLSRPT_MULTIPLE" },
	{ "lookup failed", { "example.com", DNS_SERVFAIL, NULL, 0 },
	    "TLSRPT_LOOKUP_FAILED" },
};

int
main(void)
{
	struct tlsrpt_record *r;
	struct findings *fs;
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

	for (i = 0; i < sizeof(acases) / sizeof(acases[0]); i++) {
		fs = findings_new();
		analyze_tlsrpt(&acases[i].f, fs);
		buf_reset(b);
		for (k = 0; k < findings_count(fs); k++)
			buf_printf(b, "%s%s", k ? " " : "",
			    finding_def(findings_get(fs, k)->code)->code);
		is_str(buf_str(b), acases[i].want, acases[i].name);
		findings_free(fs);
	}
	buf_reset(b);
	report_tlsrpt_text(&acases[0].f, b);
	is_str(buf_str(b), "TLS-RPT: mailto:a@example.com\n", "text");
	buf_reset(b);
	report_tlsrpt_text(&acases[1].f, b);
	is_str(buf_str(b), "TLS-RPT: no record\n", "text: none");
	buf_free(b);
	buf_free(why);
	return tap_done();
}
