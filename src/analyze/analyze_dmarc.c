/* analyze_dmarc - the DMARC_* findings (RFC 7489); see analyze.h */
#include <stdio.h>
#include <strings.h>

#include "analyze/analyze.h"
#include "analyze/findings.h"
#include "parse/dmarc.h"

static void
check_external(const struct dmarc_facts *f, const struct dmarc_discovery *d,
    struct findings *fs)
{
	struct dmarc_target *t;
	const struct dmarc_ext *e;
	size_t n, i;

	n = dmarc_external_targets(d->rec, d->policy_domain, &t);
	for (i = 0; i < n; i++) {
		e = dmarc_facts_ext(f, t[i].host);
		if (e == NULL)
			continue;	/* not queried: no verdict */
		switch (dmarc_external_judge(e->lookup.outcome, e->lookup.txt,
		    e->lookup.ntxt)) {
		case DMARC_EXT_AUTHORIZED:
			break;
		case DMARC_EXT_UNAUTHORIZED:
			findings_add(fs, F_DMARC_EXTERNAL_UNAUTHORIZED,
			    t[i].host, "Reports for %s go to %s, another "
			    "organisation, which has not authorised them: "
			    "no \"v=DMARC1\" TXT record at %s (%s). Receivers "
			    "will not send reports there.", d->policy_domain,
			    t[i].host, t[i].qname,
			    dns_outcome_name(e->lookup.outcome));
			break;
		case DMARC_EXT_UNKNOWN:
			findings_add(fs, F_DMARC_LOOKUP_FAILED, t[i].qname,
			    "The report authorisation record %s could not "
			    "be read (%s).", t[i].qname,
			    dns_outcome_name(e->lookup.outcome));
			break;
		}
	}
	dmarc_targets_free(t, n);
}

/*
 * p=reject or quarantine while SPF or DKIM cannot pass (RFC 7489 §4.2: a
 * permerror is no SPF pass, as is no record at all; say which it is).
 */
static void
reject_without_auth(const struct dmarc_facts *f, const char *p,
    struct findings *fs)
{
	const char *pe = f->spf_permerror;

	if (f->spf == 0 && f->dkim == 0 && pe != NULL)
		findings_add(fs, F_DMARC_REJECT_WITHOUT_AUTH, f->domain,
		    "p=%s while the SPF policy ends in permerror (%s), so "
		    "SPF never passes, and no DKIM key was found: every "
		    "message fails DMARC and is rejected or quarantined.", p,
		    pe);
	else if (f->spf == 0 && f->dkim == 0)
		findings_add(fs, F_DMARC_REJECT_WITHOUT_AUTH, f->domain,
		    "p=%s while no SPF record is published and no DKIM key "
		    "was found: every message fails DMARC and is rejected or "
		    "quarantined.", p);
	else if (f->spf == 0 && pe != NULL)
		findings_add(fs, F_DMARC_REJECT_WITHOUT_AUTH, f->domain,
		    "p=%s while the SPF policy ends in permerror (%s), so "
		    "SPF never passes: mail that loses the remaining "
		    "mechanism (forwarding, mailing lists) fails DMARC.", p,
		    pe);
	else if (f->spf == 0)
		findings_add(fs, F_DMARC_REJECT_WITHOUT_AUTH, f->domain,
		    "p=%s while no SPF record is published: mail that loses "
		    "the remaining mechanism (forwarding, mailing lists) "
		    "fails DMARC.", p);
	else
		findings_add(fs, F_DMARC_REJECT_WITHOUT_AUTH, f->domain,
		    "p=%s while no DKIM key was found: mail that loses the "
		    "remaining mechanism (forwarding, mailing lists) fails "
		    "DMARC.", p);
}

void
analyze_dmarc(const struct dmarc_facts *f, struct findings *fs)
{
	struct dmarc_discovery d;
	const struct dmarc_record *r;
	enum dmarc_policy eff;
	char subj[300];		/* "_dmarc." and a name of up to 253 */

	dmarc_discover(f, &d);
	switch (d.state) {
	case DMARC_ST_FAILED:
		findings_add(fs, F_DMARC_LOOKUP_FAILED, f->domain,
		    "The DMARC record could not be read (%s).", d.why);
		goto done;
	case DMARC_ST_MISSING:
		if (f->org_queried && f->org_domain != NULL)
			findings_add(fs, F_DMARC_MISSING, f->domain,
			    "No DMARC record at _dmarc.%s nor at _dmarc.%s.",
			    f->domain, f->org_domain);
		else
			findings_add(fs, F_DMARC_MISSING, f->domain,
			    "No DMARC record at _dmarc.%s.", f->domain);
		findings_append(fs, "Receivers apply no policy and anyone "
		    "can send mail as %s.", f->domain);
		goto done;
	case DMARC_ST_MULTIPLE:
		snprintf(subj, sizeof(subj), "_dmarc.%s", d.policy_domain);
		findings_add(fs, F_DMARC_MULTIPLE_RECORDS, subj,
		    "%zu records starting with v=DMARC1 at %s: receivers "
		    "ignore them all (RFC 7489 §6.6.3).", d.count, subj);
		goto done;
	case DMARC_ST_INVALID:
		snprintf(subj, sizeof(subj), "_dmarc.%s", d.policy_domain);
		findings_add(fs, F_DMARC_SYNTAX_ERROR, subj,
		    "The DMARC record at %s is invalid at offset %zu: %s. "
		    "Record: \"%s\".", subj, d.erroff, d.why, d.text);
		goto done;
	case DMARC_ST_FOUND:
		break;
	}
	r = d.rec;
	eff = r->p;
	if (d.inherited) {
		if (r->sp != DMARC_P_UNSET)
			eff = r->sp;
		if (r->sp != DMARC_P_UNSET)
			findings_add(fs, F_DMARC_INHERITED, f->domain,
			    "%s has no DMARC record of its own; the "
			    "organisational domain's record at _dmarc.%s "
			    "applies: its subdomain policy sp=%s.", f->domain,
			    d.policy_domain, dmarc_policy_name(eff));
		else
			findings_add(fs, F_DMARC_INHERITED, f->domain,
			    "%s has no DMARC record of its own; the "
			    "organisational domain's record at _dmarc.%s "
			    "applies: it has no sp=, so its p=%s applies to "
			    "subdomains too.", f->domain, d.policy_domain,
			    dmarc_policy_name(eff));
	}
	if (eff == DMARC_P_NONE)
		findings_add(fs, F_DMARC_POLICY_NONE, f->domain,
		    "DMARC policy is none: monitoring only; receivers take no "
		    "action on mail that fails authentication.");
	else if (r->pct < 100)
		findings_add(fs, F_DMARC_PCT_PARTIAL, f->domain,
		    "pct=%u: the %s policy applies to only %u%% of failing "
		    "mail.", r->pct, dmarc_policy_name(eff), r->pct);
	if (r->nrua == 0)
		findings_add(fs, F_DMARC_NO_RUA, f->domain,
		    "No rua= address: you receive no aggregate reports and "
		    "cannot see who sends mail as %s.", d.policy_domain);
	check_external(f, &d, fs);
	if ((eff == DMARC_P_REJECT || eff == DMARC_P_QUARANTINE) &&
	    (f->spf == 0 || f->dkim == 0))
		reject_without_auth(f, dmarc_policy_name(eff), fs);
done:
	dmarc_discovery_clear(&d);
}
