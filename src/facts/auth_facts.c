/*
 * auth_facts - freeing the sender-policy facts; see auth_facts.h.
 */
#include <stdlib.h>
#include <string.h>

#include "facts/auth_facts.h"
#include "facts/spf_facts.h"

void
auth_txt_clear(struct auth_txt *t)
{
	size_t i;

	for (i = 0; i < t->ntxt; i++)
		free((char *)t->txt[i].data);
	free(t->txt);
	free(t->qname);
	memset(t, 0, sizeof(*t));
}

void
auth_facts_free(struct auth_facts *f)
{
	size_t i;

	if (f == NULL)
		return;
	spf_analysis_free(f->spf);
	for (i = 0; i < f->nevals; i++) {
		free(f->evals[i].ip);
		free(f->evals[i].sender);
		free(f->evals[i].helo);
		free(f->evals[i].domain);
		free(f->evals[i].mechanism);
		free(f->evals[i].explanation);
		free(f->evals[i].reason);
		free(f->evals[i].text);
	}
	free(f->evals);
	auth_txt_clear(&f->dmarc_own);
	auth_txt_clear(&f->dmarc_org);
	for (i = 0; i < f->next_targets; i++)
		auth_txt_clear(&f->ext_txt[i]);
	free(f->ext_txt);
	free(f->ext);
	dmarc_targets_free(f->ext_targets, f->next_targets);
	for (i = 0; i < f->ndkim; i++) {
		dkim_selector_clear(&f->dkim_sel[i]);
		auth_txt_clear(&f->dkim_txt[i]);
		free((char *)f->dkim_sel[i].selector);
	}
	free(f->dkim_txt);
	free(f->dkim_sel);
	auth_txt_clear(&f->mtasts_txt);
	free(f->mtasts_host);
	for (i = 0; i < f->nmtasts_addrs; i++)
		free(f->mtasts_addrs[i]);
	free(f->mtasts_addrs);
	free(f->mtasts_url);
	free(f->mtasts_detail);
	free(f->mtasts_body);
	auth_txt_clear(&f->tlsrpt_txt);
	free(f->org_domain);
	free(f->domain);
	free(f);
}
