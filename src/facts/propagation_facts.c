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

/* A set senders can get: what analyze_propagation.c calls judgeable. */
static int
set_seen(const struct propagation_server *s)
{
	if (s->address == NULL || s->outcome != DNS_OK)
		return 0;
	if (s->role == PROPAGATION_AUTHORITATIVE)
		return s->aa;
	return !s->referral;
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
		if (!set_seen(&f->servers[i]))
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
