/*
 * analyze_auth - the authentication and transport-policy findings of a
 * probe (analyze.h): SPF (RFC 7208), the --spf-ip answers, DMARC
 * (RFC 7489), DKIM keys (RFC 6376), MTA-STS (RFC 8461) and TLS-RPT
 * (RFC 8460). Pure: it hands the gathered records (probe_auth.h) to each
 * module's analyzer, after adding what only the rest of the probe knows:
 * the MX hosts and whether their certificates validated (MTA-STS), and
 * whether SPF and DKIM are in place (DMARC's p=reject check).
 */
#include <stdlib.h>
#include <string.h>

#include "analyze/analyze.h"
#include "parse/dkim.h"
#include "parse/dmarc.h"
#include "net/dns.h"
#include "facts/probe_facts.h"
#include "analyze/findings.h"
#include "parse/mtasts.h"
#include "facts/mx_facts.h"
#include "facts/auth_facts.h"
#include "facts/smtp_facts.h"
#include "parse/spf.h"
#include "probe/spf_walk.h"
#include "parse/tlsrpt.h"
#include "util/xalloc.h"
#include "util/dname.h"

/*
 * RFC 8461 §4.2: a policy-compliant sender needs a certificate that
 * chains to a trusted root and names the MX host. 1 when every address of
 * host h that completed TLS showed one, 0 when any failed (or its
 * handshake did), -1 when none got that far (not probed, --dns-only, no
 * STARTTLS).
 */
static int
cert_valid(const struct probe_facts *pf, size_t h)
{
	const struct smtp_result *r;
	size_t i;
	int v = -1;

	for (i = 0; i < pf->ntargets; i++) {
		if (pf->targets[i].host != h || pf->targets[i].smtp == NULL)
			continue;
		r = pf->targets[i].smtp;
		if (r->outcome == SMTP_TLS_FAILED)
			return 0;
		if (!r->tls_done)
			continue;
		if (!r->tls.verify_ok || !r->tls.name_ok)
			return 0;
		v = 1;
	}
	return v;
}

size_t
analyze_auth_mx(const struct probe_facts *pf, struct mtasts_mx **out)
{
	const struct mx_set *mx = pf != NULL ? pf->mx : NULL;
	struct mtasts_mx *m;
	size_t h, j, n = 0;

	*out = NULL;
	if (mx == NULL || (mx->outcome != DNS_OK) || mx->implicit)
		return 0;
	m = xcalloc(mx->nhost ? mx->nhost : 1, sizeof(*m));
	for (h = 0; h < mx->nhost; h++) {
		if (strcmp(mx->hosts[h].name, ".") == 0)
			continue;
		for (j = 0; j < n; j++)
			if (dname_equal(m[j].host, mx->hosts[h].name))
				break;
		if (j < n)
			continue;
		m[n].host = mx->hosts[h].name;
		m[n].cert_valid = cert_valid(pf, h);
		n++;
	}
	*out = m;
	return n;
}

static void
spf_ip_findings(const struct auth_facts *a, struct findings *fs)
{
	const struct auth_spf_eval *e;
	size_t i;

	for (i = 0; i < a->nevals; i++) {
		e = &a->evals[i];
		switch (e->result) {
		case SPF_PASS:
			break;
		case SPF_FAIL:
		case SPF_SOFTFAIL:
		case SPF_NEUTRAL:
		case SPF_NONE:
			findings_add(fs, F_SPF_IP_NOT_AUTHORIZED, e->ip,
			    "Mail from %s as %s gets SPF %s (%s): the SPF "
			    "record of %s does not list this host, so "
			    "receivers %s.", e->ip, e->sender,
			    spf_result_name(e->result), e->text ? e->text :
			    "", e->domain ? e->domain : a->domain,
			    e->result == SPF_FAIL ? "may reject it" :
			    e->result == SPF_SOFTFAIL ? "are likely to junk "
			    "it" : "do not treat it as authenticated");
			break;
		case SPF_PERMERROR:
			findings_add(fs, F_SPF_IP_PERMERROR, e->ip,
			    "Mail from %s as %s gets SPF permerror: %s.",
			    e->ip, e->sender, e->reason ? e->reason :
			    "the record cannot be evaluated");
			break;
		case SPF_TEMPERROR:
			findings_add(fs, F_SPF_IP_TEMPERROR, e->ip,
			    "SPF for mail from %s as %s could not be "
			    "evaluated: %s.", e->ip, e->sender,
			    e->reason ? e->reason : "temperror");
			break;
		}
	}
}

void
auth_analyze(const struct auth_facts *a, const struct probe_facts *pf,
    struct findings *fs)
{
	struct dmarc_facts d;
	struct mtasts_facts m;
	struct mtasts_mx *mx;

	if (a == NULL)
		return;
	if (a->spf != NULL)
		spf_analyze(a->spf, a->domain, fs);
	else
		findings_add(fs, F_SPF_LOOKUP_FAILED, a->domain, "The SPF "
		    "policy of %s could not be read before the overall "
		    "deadline.", a->domain);
	spf_ip_findings(a, fs);

	d = a->dmarc;
	if (a->spf == NULL || a->spf->root == NULL)
		d.spf = -1;
	else if (a->spf->root->status == SPF_NODE_TEMPERROR ||
	    a->spf->root->status == SPF_NODE_PENDING)
		d.spf = -1;
	else	/* in place: one record receivers evaluate without permerror */
		d.spf = a->spf->root->status == SPF_NODE_OK &&
		    a->spf->lookups <= SPF_LOOKUP_LIMIT &&
		    a->spf->void_lookups <= SPF_VOID_LIMIT;
	d.dkim = dkim_state(&a->dkim);
	dmarc_analyze(&d, fs);
	dkim_analyze(&a->dkim, fs);

	m = a->mtasts;
	m.nmx = analyze_auth_mx(pf, &mx);
	m.mx = mx;
	mtasts_analyze(&m, fs);
	free(mx);
	tlsrpt_analyze(&a->tlsrpt, fs);
}
