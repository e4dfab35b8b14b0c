/*
 * analyze_verdict - the per-section verdicts of the JSON report
 * (analyze_verdict.h).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "facts/dns_facts.h"
#include "facts/probe_facts.h"
#include "facts/spf_facts.h"
#include "analyze/analyze.h"
#include "analyze/analyze_verdict.h"
#include "analyze/findings.h"
#include "parse/dkim.h"
#include "parse/dmarc.h"
#include "parse/mtasts.h"

const char *
verdict_spf(const struct spf_analysis *a, const struct findings *fs)
{
	char why[256];

	if (findings_has(fs, F_SPF_MISSING))
		return "none";
	if (analyze_spf_permerror(a, why, sizeof(why)) != NULL ||
	    findings_has(fs, F_SPF_MULTIPLE_RECORDS) ||
	    findings_has(fs, F_SPF_SYNTAX_ERROR) ||
	    findings_has(fs, F_SPF_INCLUDE_LOOP) ||
	    findings_has(fs, F_SPF_INCLUDE_UNRESOLVED) ||
	    findings_has(fs, F_SPF_TOO_MANY_LOOKUPS) ||
	    findings_has(fs, F_SPF_TOO_MANY_VOID_LOOKUPS))
		return "permerror";
	if (a == NULL || a->root == NULL ||
	    findings_has(fs, F_SPF_LOOKUP_FAILED))
		return "temperror";
	return "valid";
}

const char *
verdict_spf_policy(const struct spf_analysis *a, const char *verdict)
{
	if (a == NULL || verdict == NULL || strcmp(verdict, "valid") != 0)
		return NULL;
	switch (a->all_qual) {
	case '-':
		return "fail";
	case '~':
		return "softfail";
	case '?':
		return "neutral";
	case '+':
		return "pass";
	}
	return "none";
}

const char *
verdict_dmarc(const struct dmarc_facts *f, const struct findings *fs)
{
	struct dmarc_discovery d;
	const char *v = "invalid";

	if (findings_has(fs, F_DMARC_LOOKUP_FAILED))
		return "temperror";
	if (findings_has(fs, F_DMARC_MISSING))
		return "none";
	if (findings_has(fs, F_DMARC_MULTIPLE_RECORDS) ||
	    findings_has(fs, F_DMARC_SYNTAX_ERROR) || f == NULL)
		return "invalid";
	dmarc_discover(f, &d);
	if (d.state == DMARC_ST_FOUND && d.rec != NULL)
		switch (d.rec->p) {
		case DMARC_P_NONE:
			v = "monitoring";
			break;
		case DMARC_P_QUARANTINE:
			v = "quarantine";
			break;
		case DMARC_P_REJECT:
			v = "reject";
			break;
		case DMARC_P_UNSET:
			break;
		}
	else if (d.state == DMARC_ST_MISSING)
		v = "none";
	else if (d.state == DMARC_ST_FAILED)
		v = "temperror";
	dmarc_discovery_clear(&d);
	return v;
}

const char *
verdict_dkim(const struct dkim_facts *f, const struct findings *fs)
{
	struct dkim_view all;
	size_t i;

	memset(&all, 0, sizeof(all));
	for (i = 0; f != NULL && i < f->nsel; i++)
		if (!dns_outcome_failed(f->sel[i].outcome))
			dkim_selector_view(f, &f->sel[i], &all);
	if (all.usable > 0)
		return findings_has(fs, F_DKIM_KEY_WEAK) &&
		    all.ed_usable == 0 ? "weak-key" : "valid";
	if (findings_has(fs, F_DKIM_LOOKUP_FAILED))
		return "temperror";
	if (all.nkeys > 0)
		return "invalid";
	return "none-found";
}

const char *
verdict_mtasts(const struct mtasts_facts *f, const struct findings *fs)
{
	if (findings_has(fs, F_MTASTS_LOOKUP_FAILED))
		return "temperror";
	if (findings_has(fs, F_MTASTS_MISSING))
		return "none";
	if (findings_has(fs, F_MTASTS_TXT_SYNTAX) ||
	    findings_has(fs, F_MTASTS_POLICY_WITHOUT_TXT))
		return "invalid-record";
	if (f == NULL || f->fetch == MTASTS_FETCH_NOT_TRIED)
		return "not-checked";
	if (findings_has(fs, F_MTASTS_POLICY_FETCH_FAILED) ||
	    f->fetch != MTASTS_FETCH_OK)
		return "policy-unreachable";
	if (findings_has(fs, F_MTASTS_POLICY_SYNTAX))
		return "invalid-policy";
	if (findings_has(fs, F_MTASTS_MODE_NONE))
		return "disabled";
	if (findings_has(fs, F_MTASTS_TESTING))
		return "testing";
	return "enforce";
}

const char *
verdict_tlsrpt(const struct findings *fs)
{
	if (findings_has(fs, F_TLSRPT_LOOKUP_FAILED))
		return "temperror";
	if (findings_has(fs, F_TLSRPT_MISSING))
		return "none";
	if (findings_has(fs, F_TLSRPT_MULTIPLE) ||
	    findings_has(fs, F_TLSRPT_SYNTAX))
		return "invalid";
	return "valid";
}

const char *
verdict_dane(const struct probe_facts *pf, const struct findings *fs)
{
	size_t i;
	int any = 0;

	if (findings_has(fs, F_DANE_LOOKUP_FAILED))
		return "temperror";
	for (i = 0; pf != NULL && i < pf->ntlsa; i++)
		if (pf->tlsa[i].asked && pf->tlsa[i].out == DNS_OK &&
		    pf->tlsa[i].nrr > 0)
			any = 1;
	if (!any)
		return "none";
	if (findings_has(fs, F_DANE_MISMATCH))
		return "mismatch";
	if (findings_has(fs, F_DANE_TLSA_WITHOUT_DNSSEC))
		return "unsigned";
	if (!pf->smtp_probed)
		return "not-checked";
	return "valid";
}

const char *
verdict_smtp_mx(enum delivery_mx_state s, int probed)
{
	if (!probed)
		return "not-probed";
	switch (s) {
	case DELIVERY_MX_ACCEPTS:
		return "accepted";
	case DELIVERY_MX_TEMPFAIL:
		return "deferred";
	case DELIVERY_MX_REFUSES:
		return "refused";
	case DELIVERY_MX_DOWN:
		return "unreachable";
	case DELIVERY_MX_UNKNOWN:
		break;
	}
	return "cut-short";
}

/* The order of preference: what a sender would rather meet. */
static int
smtp_rank(enum delivery_mx_state s)
{
	switch (s) {
	case DELIVERY_MX_ACCEPTS:
		return 0;
	case DELIVERY_MX_TEMPFAIL:
		return 1;
	case DELIVERY_MX_UNKNOWN:
		return 2;
	case DELIVERY_MX_REFUSES:
		return 3;
	case DELIVERY_MX_DOWN:
		break;
	}
	return 4;
}

const char *
verdict_smtp(const struct delivery_facts *df, int probed)
{
	size_t i, best = 0;

	if (!probed || df == NULL || df->nmx == 0)
		return "not-probed";
	for (i = 1; i < df->nmx; i++)
		if (smtp_rank(df->mx[i].state) < smtp_rank(df->mx[best].state))
			best = i;
	return verdict_smtp_host(&df->mx[best], probed);
}

const char *
verdict_smtp_host(const struct delivery_mx *m, int probed)
{
	if (probed && m->state == DELIVERY_MX_UNKNOWN && m->untested_here)
		return "not-tested-here";
	return verdict_smtp_mx(m->state, probed);
}
