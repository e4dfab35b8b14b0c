/*
 * probe_facts - freeing a probe's facts; see probe_facts.h.
 */
#include <stdlib.h>

#include "facts/auth_facts.h"
#include "facts/dns_facts.h"
#include "facts/mx_facts.h"
#include "facts/probe_facts.h"
#include "facts/smtp_facts.h"

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
