#include <string.h>

#include "buf.h"
#include "dns.h"
#include "facts.h"
#include "findings.h"
#include "mx.h"
#include "report.h"

static void
mx_section(const struct mx_set *mx, struct buf *out)
{
	const struct mx_host *h;
	size_t i, j;

	buf_printf(out, "\nMX\n");
	if (mx == NULL) {
		buf_printf(out, "  MX lookup did not finish in time\n");
		return;
	}
	if (mx->outcome != DNS_OK && mx->outcome != DNS_NODATA) {
		buf_printf(out, "  MX lookup: %s\n",
		    dns_outcome_name(mx->outcome));
		return;
	}
	if (mx->implicit)
		buf_printf(out, "  no MX record: senders use the domain's "
		    "own address (implicit MX)\n");
	else
		buf_printf(out, "  TTL %u s%s\n", mx->ttl,
		    mx->ad ? ", DNSSEC-authenticated" : "");
	for (i = 0; i < mx->nhost; i++) {
		h = &mx->hosts[i];
		if (strcmp(h->name, ".") == 0) {
			buf_printf(out, "  %5u .  (null MX)\n", h->pref);
			continue;
		}
		buf_printf(out, "  %5u %s", h->pref, h->name);
		if (h->canonical)
			buf_printf(out, "  (CNAME -> %s)", h->canonical);
		buf_printf(out, "\n");
		for (j = 0; j < h->naddr; j++)
			buf_printf(out, "          %s\n", h->addrs[j].text);
		if (h->naddr == 0 && !h->ip_literal)
			buf_printf(out, "          no address (A %s, AAAA "
			    "%s)\n", dns_outcome_name(h->a_out),
			    dns_outcome_name(h->aaaa_out));
	}
}

static void
findings_section(const struct findings *fs, struct buf *out)
{
	const struct finding *f;
	const struct finding_def *d;
	size_t i;
	int sev;

	buf_printf(out, "\nFindings\n");
	if (findings_count(fs) == 0) {
		buf_printf(out, "  none\n");
		return;
	}
	/* Worst first. */
	for (sev = SEV_CRITICAL; sev >= SEV_INFO; sev--) {
		for (i = 0; i < findings_count(fs); i++) {
			f = findings_get(fs, i);
			d = finding_def(f->code);
			if ((int)d->sev != sev && !(sev == SEV_CRITICAL &&
			    d->sev == SEV_UNKNOWN))
				continue;
			buf_printf(out, "  [%s] %s\n      %s\n      fix: %s"
			    " (%s)\n", finding_sev_name(d->sev), d->code,
			    f->message, d->remedy, d->ref);
		}
	}
}

void
report_text(const struct probe_facts *f, const struct findings *fs,
    int status, struct buf *out)
{
	buf_printf(out, "mxprobe report for %s: %s\n", f->domain,
	    findings_status_name(status));
	mx_section(f->mx, out);
	findings_section(fs, out);
}
