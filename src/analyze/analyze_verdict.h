/*
 * analyze_verdict - one word per section of the report for programs: the
 * JSON's spf.verdict, spf.policy, dmarc.verdict, dkim.verdict,
 * mta_sts.verdict, tls_rpt.verdict, dane.verdict and smtp.verdict (and
 * per exchanger). Pure. Each is decided from the same findings and facts
 * the report shows, so a verdict never contradicts a finding; the
 * vocabularies are in doc/verdicts.md and doc/json-schema.json.
 *
 * API (every name returned is static text):
 *	verdict_spf(a, fs)	"none" (SPF_MISSING), "permerror" (what makes
 *		receivers return permerror: two records, a syntax error, a
 *		loop, a target without a record, over 10 lookups or 2 void
 *		lookups), "temperror" (a lookup failed or the walk did not
 *		finish), else "valid"
 *	verdict_spf_policy(a, v)  when v is "valid", what the final all
 *		says (redirect= followed): "fail" (-all), "softfail" (~all),
 *		"neutral" (?all), "pass" (+all), "none" (no all: the
 *		default result is neutral, RFC 7208 section 4.7); else NULL
 *	verdict_dmarc(f, fs)	"temperror", "none", "invalid" (several
 *		records, a syntax error), else the policy that applies:
 *		"monitoring" (p=none), "quarantine", "reject"
 *	verdict_dkim(f, fs)	"valid" (a usable key), "weak-key" (usable,
 *		but only with RSA under 2048 bits), "temperror", "invalid"
 *		(key records, none usable), "none-found"
 *	verdict_mtasts(f, fs)	"temperror", "none", "invalid-record" (a
 *		TXT syntax error, or a policy without the TXT record),
 *		"not-checked" (the policy was not fetched), "policy-unreachable",
 *		"invalid-policy", "disabled" (mode none), "testing", "enforce"
 *	verdict_tlsrpt(fs)	"temperror", "none", "invalid", "valid"
 *	verdict_dane(pf, fs)	"temperror", "none" (no TLSA), "mismatch",
 *		"unsigned" (TLSA without DNSSEC), "not-checked" (no handshake:
 *		--dns-only), "valid"
 *	verdict_smtp_mx(state, probed)	one exchanger: "accepted",
 *		"deferred" (4xx), "refused" (5xx), "unreachable", "cut-short"
 *		(the deadline came first), "not-probed"
 *	verdict_smtp_host(m, probed)	as verdict_smtp_mx, and
 *		"not-tested-here" for an exchanger unknown because this host
 *		has no route to any of its addresses
 *	verdict_smtp(df, probed)  the best of the exchangers (the domain
 *		takes mail if one does), "not-probed" when df is NULL or has
 *		none
 */
#ifndef MXPROBE_ANALYZE_VERDICT_H
#define MXPROBE_ANALYZE_VERDICT_H

#include "analyze/analyze_delivery.h"

struct dkim_facts;
struct dmarc_facts;
struct findings;
struct mtasts_facts;
struct probe_facts;
struct spf_analysis;

const char	*verdict_spf(const struct spf_analysis *,
		    const struct findings *);
const char	*verdict_spf_policy(const struct spf_analysis *,
		    const char *);
const char	*verdict_dmarc(const struct dmarc_facts *,
		    const struct findings *);
const char	*verdict_dkim(const struct dkim_facts *,
		    const struct findings *);
const char	*verdict_mtasts(const struct mtasts_facts *,
		    const struct findings *);
const char	*verdict_tlsrpt(const struct findings *);
const char	*verdict_dane(const struct probe_facts *,
		    const struct findings *);
const char	*verdict_smtp_mx(enum delivery_mx_state, int);
const char	*verdict_smtp(const struct delivery_facts *, int);
const char	*verdict_smtp_host(const struct delivery_mx *, int);

#endif
