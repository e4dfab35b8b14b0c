/*
 * analyze_dane - judge DNSSEC and DANE for SMTP (RFC 7672, RFC 4035).
 * Pure: reads facts (the MX answer's AD bit, the TLSA answers, the
 * handshakes' DANE results), writes findings.
 *
 * What a DANE sender does (RFC 7672 section 2.2): it uses the TLSA
 * records of _25._tcp.MXHOST only when the MX answer, the host's address
 * answers and the TLSA answer are all authenticated; then the server's
 * chain must match one usable record (DANE-TA or DANE-EE; PKIX-TA and
 * PKIX-EE are unusable for SMTP, section 3.1.3), or the mail waits. A
 * TLSA lookup that fails (rather than being denied) in a signed zone
 * makes it defer too (section 2.1.1).
 *
 * Findings: DNSSEC_UNSIGNED (domain), DANE_MISSING (domain),
 * DANE_TLSA_WITHOUT_DNSSEC, DANE_USAGE_NOT_FOR_SMTP, DANE_MISMATCH and
 * DANE_LOOKUP_FAILED (one per exchanger host, subject the host name).
 *
 * BUGS: the TLSA base domain is the MX name as published; a sender that
 * follows a secure CNAME first asks the canonical name (RFC 7672 section
 * 2.2.2), which is not asked here.
 */
#include <stdio.h>
#include <string.h>

#include "analyze/analyze.h"
#include "util/buf.h"
#include "facts/dns_facts.h"
#include "facts/probe_facts.h"
#include "analyze/findings.h"
#include "facts/mx_facts.h"
#include "facts/smtp_facts.h"

#define LIST_MAX	1024

static size_t
count_pkix(const struct probe_tlsa *t)
{
	size_t i, n = 0;

	for (i = 0; i < t->nrr; i++)
		if (t->rr[i].u.tlsa.usage < 2)
			n++;
	return n;
}

/* The addresses of host h whose handshake failed DANE, with reasons. */
static int
mismatches(const struct probe_facts *f, size_t h, struct buf *out)
{
	const struct probe_target *t;
	const struct tls_facts *tf;
	size_t i;
	int n = 0;

	for (i = 0; i < f->ntargets; i++) {
		t = &f->targets[i];
		if (t->host != h || t->smtp == NULL || !t->smtp->tls_done)
			continue;
		tf = &t->smtp->tls;
		if (!tf->dane_checked || tf->dane_ok)
			continue;
		buf_printf(out, "%s%s (%s)", n ? ", " : "",
		    f->mx->hosts[h].addrs[t->addr].text,
		    tf->dane_why ? tf->dane_why : "no match");
		n++;
	}
	return n;
}

static void
host_tlsa(const struct probe_facts *f, size_t h, struct findings *fs)
{
	const struct mx_set *mx = f->mx;
	const struct mx_host *host = &mx->hosts[h];
	const struct probe_tlsa *t = &f->tlsa[h];
	struct buf *b;
	size_t pkix;

	pkix = count_pkix(t);
	if (pkix > 0)
		findings_add(fs, F_DANE_USAGE_NOT_FOR_SMTP, host->name,
		    "%s: %zu of %zu TLSA records at %s have usage PKIX-TA(0) "
		    "or PKIX-EE(1)%s.", host->name, pkix, t->nrr, t->qname,
		    pkix == t->nrr ? "; with no usable record left, DANE "
		    "senders only insist on TLS, without authentication" :
		    "; senders ignore those");
	if (!t->ad || !mx->ad || !host->ad) {
		findings_add(fs, F_DANE_TLSA_WITHOUT_DNSSEC, host->name,
		    "%s: TLSA records are published at %s, but %s is not "
		    "DNSSEC-authenticated, so senders ignore them.",
		    host->name, t->qname, !t->ad ? "the TLSA answer" :
		    !mx->ad ? "the domain's MX answer" :
		    "the exchanger's address answer");
		return;
	}
	b = buf_new(LIST_MAX);
	if (mismatches(f, h, b) > 0)
		findings_add(fs, F_DANE_MISMATCH, host->name,
		    "%s: the certificate presented at %s matches none of the "
		    "%zu authenticated TLSA records at %s; DANE senders will "
		    "not deliver there.", host->name, buf_str(b), t->nrr,
		    t->qname);
	buf_free(b);
}

void
analyze_dane(const struct probe_facts *f, struct findings *fs)
{
	const struct mx_set *mx = f->mx;
	const struct probe_tlsa *t;
	struct buf *missing;
	size_t h, nmissing = 0;

	if (mx == NULL || (mx->outcome != DNS_OK &&
	    mx->outcome != DNS_NODATA))
		return;
	/* A null MX receives nothing: nothing to protect. */
	if (mx->null_mx && mx->nnull == mx->nhost)
		return;
	if (!mx->ad)
		findings_add(fs, F_DNSSEC_UNSIGNED, f->domain,
		    "The %s answer for %s is not DNSSEC-authenticated (no AD "
		    "bit): the zone is unsigned, or the resolver does not "
		    "validate.", mx->implicit ? "address" : "MX", f->domain);
	missing = buf_new(LIST_MAX);
	for (h = 0; h < mx->nhost && h < f->ntlsa; h++) {
		t = &f->tlsa[h];
		if (!t->asked)
			continue;
		switch (t->out) {
		case DNS_OK:
			if (t->nrr > 0) {
				host_tlsa(f, h, fs);
				break;
			}
			/* FALLTHROUGH */
		case DNS_NODATA:
		case DNS_NXDOMAIN:
			buf_printf(missing, "%s%s", nmissing ? ", " : "",
			    mx->hosts[h].name);
			nmissing++;
			break;
		default:
			findings_add(fs, F_DANE_LOOKUP_FAILED,
			    mx->hosts[h].name, "%s: the TLSA question %s got "
			    "%s%s.", mx->hosts[h].name, t->qname,
			    dns_outcome_name(t->out), mx->ad ? "; the domain "
			    "is signed, so DANE senders defer mail to this "
			    "exchanger until it answers" : "");
			break;
		}
	}
	if (mx->ad && nmissing > 0)
		findings_add(fs, F_DANE_MISSING, f->domain,
		    "%s is DNSSEC-signed, but %s publish%s no TLSA record "
		    "(_25._tcp.<host>): senders cannot authenticate %s.",
		    f->domain, buf_str(missing), nmissing > 1 ? "" : "es",
		    nmissing > 1 ? "them" : "it");
	buf_free(missing);
}
