/*
 * Unit tests for src/analyze/analyze_tlsrpt.c (the TLS-RPT findings) and
 * the text its facts render to (src/report/report_tlsrpt.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "analyze/findings.h"
#include "parse/tlsrpt.h"
#include "analyze/analyze.h"
#include "report/report.h"
#include "tap.h"

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
	struct findings *fs;
	struct buf *b;
	size_t i, k;

	b = buf_new(4096);
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
	return tap_done();
}
