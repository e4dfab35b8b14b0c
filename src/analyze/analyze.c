/*
 * analyze - analyze_probe(): the order of the checks, and the joins across
 * facts: the authentication findings (analyze_auth) get the MX hosts and
 * whether their certificates validated (MTA-STS), and whether SPF and
 * DKIM are in place (DMARC's p=reject check). See analyze.h.
 */
#include <stdlib.h>

#include "analyze/analyze.h"
#include "analyze/analyze_cutover.h"
#include "facts/dns_facts.h"
#include "facts/probe_facts.h"
#include "analyze/findings.h"
#include "parse/dkim.h"
#include "parse/dmarc.h"
#include "parse/mtasts.h"
#include "parse/spf.h"
#include "facts/auth_facts.h"
#include "facts/spf_facts.h"
#include "facts/mx_facts.h"

void
analyze_probe(const struct probe_facts *f, const struct analyze_opts *o,
    struct findings *fs)
{
	if (f->mx == NULL) {
		findings_add(fs, F_MX_LOOKUP_FAILED, f->domain,
		    "The MX records of %s could not be read before the "
		    "deadline.", f->domain);
		analyze_auth(f->auth, f, fs);
		analyze_limits(f, fs);
		return;
	}
	analyze_mx(f->mx, o, fs);
	analyze_smtp(f, o, fs);
	analyze_dane(f, fs);
	if (o->cutover != NULL)
		analyze_cutover(f, o->cutover, fs);
	/* A domain that does not exist has no policy to judge:
	 * DOMAIN_NXDOMAIN says all there is to say. */
	if (f->mx->outcome != DNS_NXDOMAIN)
		analyze_auth(f->auth, f, fs);
	analyze_limits(f, fs);
}

void
analyze_auth(const struct auth_facts *a, const struct probe_facts *pf,
    struct findings *fs)
{
	struct dmarc_facts d;
	char perm[300];
	struct mtasts_facts m;
	struct mtasts_mx *mx;

	if (a == NULL)
		return;
	if (a->spf != NULL)
		analyze_spf(a->spf, a->domain, fs);
	else
		findings_add(fs, F_SPF_LOOKUP_FAILED, a->domain, "The SPF "
		    "policy of %s could not be read before the overall "
		    "deadline.", a->domain);
	analyze_spf_ip(a, fs);

	d = a->dmarc;
	if (a->spf == NULL || a->spf->root == NULL)
		d.spf = -1;
	else if (a->spf->root->status == SPF_NODE_TEMPERROR ||
	    a->spf->root->status == SPF_NODE_PENDING)
		d.spf = -1;
	else if ((d.spf_permerror = analyze_spf_permerror(a->spf, perm,
	    sizeof(perm))) != NULL)
		d.spf = 0;
	else	/* in place: one record receivers evaluate without permerror */
		d.spf = a->spf->root->status == SPF_NODE_OK;
	d.dkim = dkim_state(&a->dkim);
	analyze_dmarc(&d, fs);
	analyze_dkim(&a->dkim, fs);

	mx = analyze_mtasts_view(a, pf, &m);
	analyze_mtasts(&m, fs);
	free(mx);
	analyze_tlsrpt(&a->tlsrpt, fs);
}
