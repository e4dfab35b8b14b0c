/*
 * mx_facts - the exchanger set's helpers; see mx_facts.h.
 */
#include <stdlib.h>
#include <string.h>

#include "facts/mx_facts.h"
#include "util/dname.h"

void
mx_set_free(struct mx_set *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nhost; i++) {
		free(s->hosts[i].name);
		free(s->hosts[i].canonical);
		free(s->hosts[i].undotted);
		free(s->hosts[i].addrs);
	}
	free(s->bogus.records);
	free(s->bogus.signer);
	free(s->hosts);
	free(s->domain);
	free(s->wildcard_name);
	free(s->wildcard_target);
	free(s);
}

static int
cmp_pref(const void *a, const void *b)
{
	const struct mx_host *x = a, *y = b;

	return (int)x->pref - (int)y->pref;
}

void
mx_sort(struct mx_host *h, size_t n)
{
	size_t i, j;
	struct mx_host t;
	unsigned g = 0;

	/* Insertion sort: stable, and n is small. */
	for (i = 1; i < n; i++) {
		t = h[i];
		for (j = i; j > 0 && cmp_pref(&h[j - 1], &t) > 0; j--)
			h[j] = h[j - 1];
		h[j] = t;
	}
	for (i = 0; i < n; i++) {
		if (i > 0 && h[i].pref != h[i - 1].pref)
			g++;
		h[i].group = g;
	}
}

int
mx_host_probed(const struct mx_set *s, size_t h)
{
	size_t j;

	if (s->hosts[h].ip_literal || s->hosts[h].over_limit ||
	    strcmp(s->hosts[h].name, ".") == 0)
		return 0;
	for (j = 0; j < h; j++)
		if (dname_equal(s->hosts[j].name, s->hosts[h].name))
			return 0;
	return 1;
}
