/* analyze_tlsrpt - the TLSRPT_* findings (RFC 8460 §3); see analyze.h */
#include <stdio.h>

#include "facts/dns_facts.h"
#include "analyze/analyze.h"
#include "analyze/findings.h"
#include "parse/tlsrpt.h"
#include "util/buf.h"

void
analyze_tlsrpt(const struct tlsrpt_facts *f, struct findings *fs)
{
	struct tlsrpt_record *r;
	struct buf *why;
	char subj[300];
	size_t n, idx = 0, off;

	snprintf(subj, sizeof(subj), "_smtp._tls.%s", f->domain);
	if (dns_outcome_failed(f->outcome)) {
		findings_add(fs, F_TLSRPT_LOOKUP_FAILED, subj,
		    "The TLS-RPT record %s could not be read (%s).", subj,
		    dns_outcome_name(f->outcome));
		return;
	}
	n = f->outcome == DNS_OK ? tlsrpt_select(f->txt, f->ntxt, &idx) : 0;
	if (n == 0) {
		findings_add(fs, F_TLSRPT_MISSING, f->domain,
		    "No TLS-RPT record at %s: you are not told when senders "
		    "fail to deliver to you over TLS.", subj);
		return;
	}
	if (n > 1) {
		findings_add(fs, F_TLSRPT_MULTIPLE, subj,
		    "%zu records start with v=TLSRPTv1 at %s: senders then "
		    "send no reports (RFC 8460 §3).", n, subj);
		return;
	}
	why = buf_new(BUF_WHY_MAX);
	if (tlsrpt_parse(f->txt[idx].data, f->txt[idx].len, &r, &off, why) !=
	    TLSRPT_OK)
		findings_add(fs, F_TLSRPT_SYNTAX, subj,
		    "The TLS-RPT record at %s is invalid at offset %zu: %s.",
		    subj, off, buf_str(why));
	tlsrpt_record_free(r);
	buf_free(why);
}
