/*
 * probe_facts - freeing a probe's facts, the names of the skip reasons;
 * see probe_facts.h.
 */
#include <stdlib.h>

#include "facts/auth_facts.h"
#include "facts/dns_facts.h"
#include "facts/mx_facts.h"
#include "facts/probe_facts.h"
#include "facts/smtp_facts.h"
#include "util/i18n.h"

static const char *const skip_names[PROBE_SKIP_COUNT] = {
	[PROBE_SKIP_NONE] = NULL,
	[PROBE_SKIP_UNROUTABLE] = N_("not a routable address"),
	[PROBE_SKIP_DNS_ONLY] = N_("--dns-only"),
	[PROBE_SKIP_FAMILY_4] = N_("-4 given"),
	[PROBE_SKIP_FAMILY_6] = N_("-6 given"),
	[PROBE_SKIP_CDN] = N_("CDN/proxy address"),
	[PROBE_SKIP_DEADLINE] = N_("overall deadline"),
	[PROBE_SKIP_NO_FD] = N_("no file descriptor free on this host"),
	[PROBE_SKIP_NO_ROUTE_4] = N_("no IPv4 route from this host"),
	[PROBE_SKIP_NO_ROUTE_6] = N_("no IPv6 route from this host"),
	[PROBE_SKIP_ADDR_CAP] = N_("overall deadline, after waiting for "
	    "the per-address cap"),
};

const char *
probe_skip_name(enum probe_skip s)
{
	if ((int)s < 0 || s >= PROBE_SKIP_COUNT)
		return NULL;
	return skip_names[s];
}

int
probe_skip_no_route(enum probe_skip s)
{
	return s == PROBE_SKIP_NO_ROUTE_4 || s == PROBE_SKIP_NO_ROUTE_6;
}

void
probe_facts_free(struct probe_facts *f)
{
	size_t i, k;

	if (f == NULL)
		return;
	for (i = 0; i < f->ntargets; i++) {
		smtp_result_free(f->targets[i].smtp);	/* shared: our ref */
		free(f->targets[i].ptr);
	}
	free(f->targets);
	for (i = 0; i < f->nold; i++) {
		free(f->old[i].name);
		free(f->old[i].addrs);
		free(f->old[i].answers);
		free(f->old[i].probed);
		free(f->old[i].decided);
	}
	free(f->old);
	dns_tally_clear(&f->dns);
	auth_facts_free(f->auth);
	for (i = 0; i < f->ntlsa; i++) {
		for (k = 0; k < f->tlsa[i].nrr; k++)
			dns_rr_free(&f->tlsa[i].rr[k]);
		free(f->tlsa[i].rr);
		free(f->tlsa[i].qname);
	}
	free(f->tlsa);
	mx_set_free(f->mx);
	free(f->domain);
	free(f);
}
