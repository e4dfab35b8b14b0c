/*
 * probe_auth - gather a domain's sender-policy records: SPF (analysis and
 * --spf-ip evaluations), DMARC, DKIM keys, MTA-STS (TXT and policy file)
 * and TLS-RPT, all at once on the event loop.
 *
 * Purpose: the I/O half of the authentication checks. It asks the
 * questions the pure modules (spf_walk, spf_check_host, dmarc, dkim, mtasts,
 * tlsrpt) need answered and keeps the answers in struct auth_facts; it
 * never judges (analyze/analyze.c does) nor prints (report_auth.c does).
 *
 * What is asked, concurrently:
 *	SPF	spf_walk_start(domain) (RFC 7208 §4.5, §4.6.4) and one
 *		spf_check_host_start() per --spf-ip (check_host(), §4): sender
 *		default postmaster@<domain>, HELO default <domain>
 *	DMARC	TXT _dmarc.<domain>; when that holds no record (and did not
 *		fail), TXT _dmarc.<org domain> (RFC 7489 §6.6.3); then the
 *		§7.1 authorisation names of the applicable record's external
 *		report destinations (dmarc_external_targets())
 *	DKIM	TXT <sel>._domainkey.<domain> for each selector: the
 *		--dkim-selector names when given (dkim_facts.named = 1, as
 *		dkim.h defines it: named selectors are judged strictly),
 *		else dkim_default_selectors[] (RFC 6376 §3.6.2.1)
 *	MTA-STS	TXT _mta-sts.<domain> (RFC 8461 §3.1); A and AAAA of
 *		mta-sts.<domain> through our own resolver, then the policy
 *		https://mta-sts.<domain>/.well-known/mta-sts.txt (§3.3) over
 *		those addresses (https.h). The policy is fetched even when the
 *		TXT is missing: that is how a policy without its TXT is found.
 *		It is DNS-level policy, so --dns-only fetches it too.
 *	TLS-RPT	TXT _smtp._tls.<domain> (RFC 8460 §3)
 *
 * API:
 *	probe_auth_start(loop, dns, cfg, cb, arg)	-> handle. cb(facts,
 *		arg) runs exactly once, always later from the loop (never
 *		inside probe_auth_start); the caller owns facts from then on
 *		and frees them with auth_facts_free(). The handle is dead
 *		once cb has run.
 *	probe_auth_cancel(ap)	the overall deadline: abandon what is still
 *		in flight and run cb now, before returning, with the facts
 *		as far as they got. NULL is a no-op; not from inside cb.
 *	auth_facts_free(f)	NULL is a no-op (facts/auth_facts.h)
 *
 * Unfinished work is never reported as absent: a DNS question that did
 * not come back is DNS_TIMEOUT (UNKNOWN to the analyzers), an SPF
 * analysis that did not finish leaves spf NULL and spf_state "deadline",
 * an evaluation that did not finish is temperror, a policy fetch that did
 * not finish is MTASTS_FETCH_NOT_TRIED with the reason in fetch_detail.
 *
 * The pure facts structs (dmarc, dkim, mtasts, tlsrpt) borrow pointers
 * into storage kept in struct auth_facts; mtasts.mx is left empty here
 * (the MX hosts and their certificates are the SMTP probe's facts:
 * analyze_mtasts.c fills them from struct probe_facts).
 *
 * Limits: AUTH_MAX_SELECTORS selectors, AUTH_MAX_SPF_IPS evaluations,
 * HTTPS_MAX_ADDRS addresses for the policy host.
 * BUGS: the MTA-STS policy host's addresses come from one A and one AAAA
 * question; a CNAME is followed by the dns layer, as a sender's resolver
 * would.
 */
#ifndef MXPROBE_PROBE_AUTH_H
#define MXPROBE_PROBE_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "facts/auth_facts.h"
#include "parse/dkim.h"
#include "parse/dmarc.h"
#include "net/dns.h"
#include "parse/mtasts.h"
#include "parse/spf.h"
#include "parse/taglist.h"
#include "parse/tlsrpt.h"

struct evloop;
struct spf_analysis;
struct probe_auth;

#define AUTH_MAX_SELECTORS	64
#define AUTH_MAX_SPF_IPS	16

struct auth_config {
	const char	 *domain;
	const char	**dkim_selectors;	/* NULL-terminated; NULL or
						 * empty: the built-in list */
	const char	**spf_ips;		/* NULL-terminated "ADDR" */
	const char	 *spf_sender;		/* NULL: postmaster@domain */
	const char	 *helo;			/* NULL: the domain */
	unsigned	  https_port;		/* 0: 443 (labs set it) */
	const char	 *ca_file;		/* NULL: system trust */
	unsigned	  https_timeout_ms;	/* 0: HTTPS_TIMEOUT_MS */
};

typedef void auth_done_cb(struct auth_facts *, void *arg);

struct probe_auth	*probe_auth_start(struct evloop *, struct dns *,
			    const struct auth_config *, auth_done_cb *,
			    void *);
void			 probe_auth_cancel(struct probe_auth *);

#endif
