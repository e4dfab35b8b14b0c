/*
 * propagation_facts - freeing the propagation facts and collecting the
 * exchangers of every MX set seen; see propagation_facts.h.
 */
#include <stdlib.h>
#include <string.h>

#include "facts/propagation_facts.h"
#include "util/dname.h"
#include "util/xalloc.h"

void
propagation_facts_free(struct propagation_facts *f)
{
	struct propagation_server *s;
	size_t i, j;

	if (f == NULL)
		return;
	for (i = 0; i < f->nservers; i++) {
		s = &f->servers[i];
		free(s->name);
		free(s->address);
		free(s->why);
		for (j = 0; j < s->nmx; j++)
			free(s->mx[j].host);
		free(s->mx);
	}
	free(f->servers);
	for (i = 0; i < f->nhosts; i++)
		free(f->hosts[i]);
	free(f->hosts);
	for (i = 0; i < f->nns; i++)
		free(f->ns[i]);
	free(f->ns);
	free(f->domain);
	free(f->zone);
	free(f->ns_why);
	free(f);
}

int
propagation_facts_answered(const struct propagation_server *s)
{
	return s->outcome == DNS_OK || s->outcome == DNS_NODATA ||
	    s->outcome == DNS_NXDOMAIN;
}

int
propagation_facts_judgeable(const struct propagation_server *s)
{
	if (s->address == NULL || !propagation_facts_answered(s))
		return 0;
	if (s->role == PROPAGATION_AUTHORITATIVE)
		return s->aa;
	return !s->referral;
}

int
propagation_facts_serves_set(const struct propagation_server *s)
{
	return propagation_facts_judgeable(s) && s->outcome == DNS_OK;
}

void
propagation_facts_hosts(struct propagation_facts *f)
{
	const char *h;
	size_t i, j, k;

	for (i = 0; i < f->nhosts; i++)
		free(f->hosts[i]);
	free(f->hosts);
	f->hosts = xcalloc(PROPAGATION_MAX_HOSTS + 1, sizeof(*f->hosts));
	f->nhosts = 0;
	for (i = 0; i < f->nservers; i++) {
		if (!propagation_facts_serves_set(&f->servers[i]))
			continue;
		for (j = 0; j < f->servers[i].nmx; j++) {
			h = f->servers[i].mx[j].host;
			if (h == NULL || *h == '\0' || strcmp(h, ".") == 0)
				continue;	/* null MX (RFC 7505) */
			for (k = 0; k < f->nhosts; k++)
				if (dname_equal(f->hosts[k], h))
					break;
			if (k < f->nhosts || f->nhosts ==
			    PROPAGATION_MAX_HOSTS)
				continue;
			f->hosts[f->nhosts++] = xstrdup(h);
		}
	}
}
