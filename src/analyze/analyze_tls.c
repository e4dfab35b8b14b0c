/*
 * analyze_tls - judge transport security per exchanger address: STARTTLS
 * offered and accepted, the handshake, the certificate's dates, trust and
 * name, the protocol version (RFC 3207, RFC 6125, RFC 8996; TLS_*). Pure:
 * reads facts, writes findings; see analyze.h.
 */
#include <stdio.h>
#include <string.h>

#include "analyze/analyze.h"
#include "facts/probe_facts.h"
#include "analyze/findings.h"
#include "facts/mx_facts.h"
#include "facts/smtp_facts.h"

void
analyze_tls_target(const struct probe_facts *f, const struct probe_target *t,
    const struct analyze_opts *o, struct findings *fs)
{
	const struct smtp_result *r = t->smtp;
	const struct tls_facts *tf;
	const struct mx_host *h = &f->mx->hosts[t->host];
	const char *why;
	char s[600];
	int expired, warn_days;

	if (!analyze_target_answers(t))
		return;		/* also a target not probed: smtp NULL */
	tf = &r->tls;
	/* The session always says why a handshake failed; "-" if not. */
	why = r->why != NULL && r->why[0] ? r->why : "-";
	analyze_target_subject(f, t, s, sizeof(s));
	if (r->outcome == SMTP_STARTTLS_NOT_OFFERED) {
		if (r->helo_fallback)
			findings_add(fs, F_TLS_NO_STARTTLS, s, "%s does not "
			    "offer STARTTLS (it speaks only HELO): mail to it "
			    "travels in clear.", s);
		else
			findings_add(fs, F_TLS_NO_STARTTLS, s, "%s does not "
			    "offer STARTTLS: mail to it travels in clear.", s);
		return;
	}
	if (r->outcome == SMTP_STARTTLS_REJECTED) {
		findings_add(fs, F_TLS_STARTTLS_REJECTED, s, "%s offers "
		    "STARTTLS but answers it with %d.", s, r->starttls_code);
		return;
	}
	if (r->outcome == SMTP_TLS_FAILED && r->legacy != NULL &&
	    r->legacy->tls_done) {
		findings_add(fs, F_TLS_LEGACY_ONLY, s, "%s speaks only "
		    "TLS 1.0/1.1: a handshake offering TLS 1.2 and 1.3 fails "
		    "(%s); one that allows TLS 1.0/1.1 completes with %s %s. "
		    "Senders with current TLS settings deliver in clear or "
		    "defer; enable TLS 1.2.", s, why, r->legacy->tls.version,
		    r->legacy->tls.cipher);
		return;
	}
	if (r->outcome == SMTP_TLS_FAILED && r->legacy != NULL)
		findings_add(fs, F_TLS_HANDSHAKE_FAILED, s, "The TLS "
		    "handshake with %s fails: %s (and with TLS 1.0/1.1 "
		    "allowed too). Most senders then deliver in clear; "
		    "MTA-STS and DANE senders defer.", s, why);
	else if (r->outcome == SMTP_TLS_FAILED)
		findings_add(fs, F_TLS_HANDSHAKE_FAILED, s, "The TLS "
		    "handshake with %s fails: %s. Most senders then deliver "
		    "in clear; MTA-STS and DANE senders defer.", s, why);
	if (r->outcome == SMTP_TLS_FAILED)
		return;
	if (!r->tls_done)
		return;
	expired = tf->nchain > 0 && tf->chain[0].days_left < 0;
	if (expired)
		findings_add(fs, F_TLS_CERT_EXPIRED, s, "The certificate of "
		    "%s expired on %s. Opportunistic senders still deliver "
		    "over TLS; MTA-STS and DANE senders will not.", s,
		    tf->chain[0].not_after);
	else if (!tf->verify_ok && tf->dane_ok &&
	    analyze_dane_target(f, t, NULL) == DANE_SENDERS_DELIVER)
		;	/* RFC 7672 section 3.1.1, 3.1.2: the authenticated
			 * TLSA record is the trust anchor; no public CA
			 * is needed (MTA-STS judges its own senders) */
	else if (!tf->verify_ok && tf->verify_issuer_unknown &&
	    tf->nchain == 1 && !tf->chain[0].self_signed &&
	    strcmp(tf->chain[0].issuer, tf->chain[0].subject) != 0)
		findings_add(fs, F_TLS_CHAIN_INCOMPLETE, s, "%s sends only "
		    "its leaf certificate, issued by %s, and not the "
		    "intermediate certificate that links it to a trusted CA: "
		    "add the intermediate to the server's certificate file. "
		    "Opportunistic senders still deliver over TLS; MTA-STS "
		    "senders will not.", s, tf->chain[0].issuer);
	else if (!tf->verify_ok && tf->verify_error_str != NULL)
		findings_add(fs, F_TLS_CERT_UNTRUSTED, s, "The certificate of "
		    "%s does not verify: %s. Opportunistic senders still "
		    "deliver over TLS; MTA-STS senders will not.", s,
		    tf->verify_error_str);
	else if (!tf->verify_ok)
		findings_add(fs, F_TLS_CERT_UNTRUSTED, s, "The certificate of "
		    "%s does not verify. Opportunistic senders still deliver "
		    "over TLS; MTA-STS senders will not.", s);
	if (!tf->name_ok && tf->nchain > 0)
		findings_add(fs, F_TLS_CERT_NAME_MISMATCH, s, "The "
		    "certificate of %s is not valid for %s (it names %s).", s,
		    h->name, tf->chain[0].nsan_dns > 0 ?
		    tf->chain[0].san_dns[0] : tf->chain[0].subject);
	else if (!tf->name_ok)
		findings_add(fs, F_TLS_CERT_NAME_MISMATCH, s, "The "
		    "certificate of %s is not valid for %s (it names "
		    "nothing).", s, h->name);
	warn_days = o == NULL || o->cert_warn_days == 0 ?
	    ANALYZE_CERT_WARN_DAYS : o->cert_warn_days;
	if (!expired && tf->nchain > 0 && warn_days > 0 &&
	    tf->chain[0].days_left < warn_days)
		findings_add(fs, F_TLS_CERT_EXPIRES_SOON, s, "The certificate "
		    "of %s expires in %ld day(s), on %s.", s,
		    tf->chain[0].days_left, tf->chain[0].not_after);
	if (tf->version != NULL && (strcmp(tf->version, "TLSv1") == 0 ||
	    strcmp(tf->version, "TLSv1.1") == 0 ||
	    strncmp(tf->version, "SSL", 3) == 0))
		findings_add(fs, F_TLS_OLD_VERSION, s, "%s negotiates %s.", s,
		    tf->version);
}
