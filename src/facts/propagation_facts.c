/*
 * propagation_facts - freeing the propagation facts; see
 * propagation_facts.h.
 */
#include <stdlib.h>

#include "facts/propagation_facts.h"

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
	for (i = 0; i < f->nns; i++)
		free(f->ns[i]);
	free(f->ns);
	free(f->domain);
	free(f->zone);
	free(f->ns_why);
	free(f);
}
