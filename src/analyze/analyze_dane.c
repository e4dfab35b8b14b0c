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
 * A DANE sender that cannot satisfy an exchanger's records moves on to
 * the next one, as after any failure to deliver; when none is left it
 * queues the mail (section 2.2): analyze_dane_delivery_host() is where
 * it delivers, and no such exchanger is an outage for every DANE sender.
 *
 * Findings: DNSSEC_UNSIGNED (domain), DANE_MISSING (domain),
 * DANE_TLSA_WITHOUT_DNSSEC, DANE_USAGE_NOT_FOR_SMTP, DANE_MISMATCH and
 * DANE_LOOKUP_FAILED (one per exchanger host, subject the host name),
 * DANE_SENDERS_DEFER (domain: exchangers answer, but none that a DANE
 * sender would deliver to).
 *
 * BUGS: the TLSA base domain is the MX name as published; a sender that
 * follows a secure CNAME first asks the canonical name (RFC 7672 section
 * 2.2.2), which is not asked here.
 */
#include <stdio.h>
#include <string.h>

#include "analyze/analyze.h"
#include "util/buf.h"
#include "util/i18n.h"
#include "facts/dns_facts.h"
#include "facts/probe_facts.h"
#include "analyze/findings.h"
#include "facts/mx_facts.h"
#include "facts/smtp_facts.h"
#include "facts/tls_facts.h"

#define LIST_MAX	1024

/* How DANE applies to host h (RFC 7672 sections 2.1.1, 2.2). */
enum host_dane {
	HD_NONE,	/* no authenticated TLSA records: DANE is off */
	HD_USABLE,	/* authenticated records, some DANE-TA/DANE-EE */
	HD_UNUSABLE,	/* authenticated records, none usable: TLS is
			 * required, authentication is not */
	HD_FAILED	/* the TLSA lookup failed for a secure host */
};

static const char *const senders_names[] = {
	[DANE_SENDERS_NA] = "n/a",
	[DANE_SENDERS_DELIVER] = "deliver",
	[DANE_SENDERS_DEFER] = "defer",
	[DANE_SENDERS_UNKNOWN] = "unknown",
};

const char *
analyze_dane_senders_name(enum dane_senders v)
{
	if ((int)v < 0 || v > DANE_SENDERS_UNKNOWN)
		return "?";
	return senders_names[v];
}

static enum host_dane
host_dane(const struct probe_facts *f, size_t h)
{
	const struct mx_set *mx = f->mx;
	const struct probe_tlsa *t;
	size_t i;

	if (mx == NULL || h >= mx->nhost || h >= f->ntlsa || f->tlsa == NULL)
		return HD_NONE;
	t = &f->tlsa[h];
	/* Secure MX and address answers are where DANE starts. */
	if (!t->asked || !mx->ad || !mx->hosts[h].ad)
		return HD_NONE;
	switch (t->out) {
	case DNS_OK:
		if (t->nrr == 0 || !t->ad)
			return HD_NONE;
		for (i = 0; i < t->nrr; i++)
			if (t->rr[i].u.tlsa.usage == TLS_TLSA_DANE_TA ||
			    t->rr[i].u.tlsa.usage == TLS_TLSA_DANE_EE)
				return HD_USABLE;
		return HD_UNUSABLE;
	case DNS_NODATA:
	case DNS_NXDOMAIN:
		return HD_NONE;
	default:
		return HD_FAILED;
	}
}

enum dane_senders
analyze_dane_target(const struct probe_facts *f, const struct probe_target *t,
    const char **why)
{
	const struct smtp_result *r = t->smtp;
	enum host_dane st;
	const char *dummy;

	if (why == NULL)
		why = &dummy;
	st = host_dane(f, t->host);
	switch (st) {
	case HD_NONE:
		*why = N_("no authenticated TLSA records");
		return DANE_SENDERS_NA;
	case HD_FAILED:
		if (!analyze_target_answers(t))
			break;
		*why = N_("the TLSA lookup failed in a signed zone");
		return DANE_SENDERS_DEFER;
	case HD_UNUSABLE:
	case HD_USABLE:
		if (!analyze_target_answers(t))
			break;
		if (!r->tls_done) {
			*why = N_("no TLS session, which DANE requires");
			return DANE_SENDERS_DEFER;
		}
		if (st == HD_USABLE && r->tls.dane_ok) {
			*why = N_("the certificate matches a TLSA record");
			return DANE_SENDERS_DELIVER;
		}
		/* Records of a usage for SMTP that the library could not
		 * use (selector, matching type) are unusable to a sender
		 * too: TLS is required, authentication is not. */
		if (st == HD_USABLE && (r->tls.dane_checked ||
		    r->tls.dane_usable > 0)) {
			*why = N_("the certificate matches no TLSA record");
			return DANE_SENDERS_DEFER;
		}
		*why = N_("TLS without authentication (no usable TLSA record)");
		return DANE_SENDERS_DELIVER;
	}
	*why = N_("it does not answer");
	return DANE_SENDERS_UNKNOWN;
}

enum dane_senders
analyze_dane_host(const struct probe_facts *f, size_t h)
{
	enum dane_senders v, best = DANE_SENDERS_UNKNOWN;
	size_t i;

	if (host_dane(f, h) == HD_NONE)
		return DANE_SENDERS_NA;
	for (i = 0; i < f->ntargets; i++) {
		if (f->targets[i].host != h)
			continue;
		v = analyze_dane_target(f, &f->targets[i], NULL);
		if (v == DANE_SENDERS_DELIVER)
			return v;
		if (v == DANE_SENDERS_DEFER)
			best = v;
	}
	return best;
}

int
analyze_dane_applies(const struct probe_facts *f)
{
	size_t h;

	for (h = 0; f->mx != NULL && h < f->mx->nhost; h++)
		if (host_dane(f, h) != HD_NONE)
			return 1;
	return 0;
}

long
analyze_dane_delivery_host(const struct probe_facts *f)
{
	const struct mx_set *mx = f->mx;
	enum dane_senders v;
	size_t h;

	for (h = 0; mx != NULL && h < mx->nhost; h++) {
		if (!mx_host_probed(mx, h))
			continue;
		v = analyze_dane_host(f, h);
		if (v == DANE_SENDERS_DELIVER ||
		    (v == DANE_SENDERS_NA && analyze_host_answers(f, h) == 1))
			return (long)h;
	}
	return -1;
}

/* No exchanger a DANE sender would deliver to, though some answer. */
static void
senders_defer(const struct probe_facts *f, struct findings *fs)
{
	const struct probe_target *t;
	const char *why;
	struct buf *b;
	size_t i;
	int n = 0;

	if (!f->smtp_probed || !analyze_dane_applies(f) ||
	    analyze_delivery_host(f, 0) < 0 ||
	    analyze_dane_delivery_host(f) >= 0)
		return;
	b = buf_new(LIST_MAX);
	for (i = 0; i < f->ntargets; i++) {
		t = &f->targets[i];
		if (analyze_dane_target(f, t, &why) != DANE_SENDERS_DEFER)
			continue;
		buf_printf(b, "%s%s [%s]: %s", n ? "; " : "",
		    f->mx->hosts[t->host].name,
		    f->mx->hosts[t->host].addrs[t->addr].text,
		    i18n_reason(why));
		n++;
	}
	findings_add(fs, F_DANE_SENDERS_DEFER, f->domain, "Every exchanger "
	    "of %s that answers fails DANE (%s): DANE-validating senders "
	    "defer all mail to the domain, and bounce it when their queue "
	    "lifetime ends.", f->domain, buf_str(b));
	buf_free(b);
}

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
		    tf->dane_why ? tf->dane_why : R_("no match"));
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
	if (pkix > 0 && pkix == t->nrr)
		findings_add(fs, F_DANE_USAGE_NOT_FOR_SMTP, host->name,
		    "%s: all %zu TLSA records at %s have usage PKIX-TA(0) or "
		    "PKIX-EE(1); with no usable record left, DANE senders "
		    "only insist on TLS, without authentication.", host->name,
		    t->nrr, t->qname);
	else if (pkix > 0)
		findings_add(fs, F_DANE_USAGE_NOT_FOR_SMTP, host->name,
		    "%s: %zu of %zu TLSA records at %s have usage PKIX-TA(0) "
		    "or PKIX-EE(1); senders ignore those.", host->name, pkix,
		    t->nrr, t->qname);
	if (!t->ad) {
		findings_add(fs, F_DANE_TLSA_WITHOUT_DNSSEC, host->name,
		    "%s: TLSA records are published at %s, but the TLSA "
		    "answer is not DNSSEC-authenticated, so senders ignore "
		    "them.", host->name, t->qname);
		return;
	}
	if (!mx->ad) {
		findings_add(fs, F_DANE_TLSA_WITHOUT_DNSSEC, host->name,
		    "%s: TLSA records are published at %s, but the domain's "
		    "MX answer is not DNSSEC-authenticated, so senders ignore "
		    "them.", host->name, t->qname);
		return;
	}
	if (!host->ad) {
		findings_add(fs, F_DANE_TLSA_WITHOUT_DNSSEC, host->name,
		    "%s: TLSA records are published at %s, but the "
		    "exchanger's address answer is not DNSSEC-authenticated, "
		    "so senders ignore them.", host->name, t->qname);
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
	if (!mx->ad && mx->implicit)
		findings_add(fs, F_DNSSEC_UNSIGNED, f->domain,
		    "The address answer for %s is not DNSSEC-authenticated "
		    "(no AD bit): the zone is unsigned, or the resolver does "
		    "not validate.", f->domain);
	else if (!mx->ad)
		findings_add(fs, F_DNSSEC_UNSIGNED, f->domain,
		    "The MX answer for %s is not DNSSEC-authenticated (no AD "
		    "bit): the zone is unsigned, or the resolver does not "
		    "validate.", f->domain);
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
			if (mx->ad)
				findings_add(fs, F_DANE_LOOKUP_FAILED,
				    mx->hosts[h].name, "%s: the TLSA question "
				    "%s got %s; the domain is signed, so DANE "
				    "senders defer mail to this exchanger "
				    "until it answers.", mx->hosts[h].name,
				    t->qname, dns_outcome_name(t->out));
			else
				findings_add(fs, F_DANE_LOOKUP_FAILED,
				    mx->hosts[h].name, "%s: the TLSA question "
				    "%s got %s.", mx->hosts[h].name, t->qname,
				    dns_outcome_name(t->out));
			break;
		}
	}
	if (mx->ad && nmissing > 1)
		findings_add(fs, F_DANE_MISSING, f->domain,
		    "%s is DNSSEC-signed, but %s publish no TLSA record "
		    "(_25._tcp.<host>): senders cannot authenticate them.",
		    f->domain, buf_str(missing));
	else if (mx->ad && nmissing > 0)
		findings_add(fs, F_DANE_MISSING, f->domain,
		    "%s is DNSSEC-signed, but %s publishes no TLSA record "
		    "(_25._tcp.<host>): senders cannot authenticate it.",
		    f->domain, buf_str(missing));
	buf_free(missing);
	senders_defer(f, fs);
}
