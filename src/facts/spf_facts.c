/*
 * spf_facts - the SPF walk's tree: nodes, totals; see spf_facts.h.
 */
#include <stdlib.h>
#include <string.h>

#include "facts/spf_facts.h"
#include "parse/spf.h"		/* spf_record_free */
#include "util/xalloc.h"

const char *
spf_node_status_name(enum spf_node_status s)
{
	static const char *names[] = {
		"pending", "ok", "none", "nxdomain", "multiple", "syntax",
		"temperror", "loop", "limit", "macro", "invalid"
	};

	if ((unsigned)s < sizeof(names) / sizeof(names[0]))
		return names[s];
	return "?";
}

struct spf_node *
spf_node_new(struct spf_node *parent, const char *domain, const char *via)
{
	struct spf_node *n;

	n = xcalloc(1, sizeof(*n));
	n->domain = xstrdup(domain);
	n->via = via ? xstrdup(via) : NULL;
	n->parent = parent;
	n->depth = parent ? parent->depth + 1 : 0;
	if (parent != NULL) {
		parent->child = xreallocarray(parent->child,
		    parent->nchild + 1, sizeof(*parent->child));
		parent->child[parent->nchild++] = n;
	}
	return n;
}

void
spf_node_free(struct spf_node *n)
{
	size_t i;

	if (n == NULL)
		return;
	for (i = 0; i < n->nchild; i++)
		spf_node_free(n->child[i]);
	for (i = 0; i < n->nvoid_terms; i++)
		free(n->void_terms[i]);
	free(n->void_terms);
	free(n->child);
	free(n->domain);
	free(n->via);
	free(n->record);
	free(n->error);
	spf_record_free(n->rec);
	free(n);
}

static void
node_totals(struct spf_node *n, int *ptr)
{
	size_t i;

	n->lookups = n->own_lookups;
	n->void_lookups = n->own_void;
	if (n->has_ptr)
		*ptr = 1;
	for (i = 0; i < n->nchild; i++) {
		node_totals(n->child[i], ptr);
		n->lookups += n->child[i]->lookups;
		n->void_lookups += n->child[i]->void_lookups;
	}
}

const struct spf_node *
spf_node_final(const struct spf_node *n)
{
	size_t i;
	int hops;

	for (hops = 0; n != NULL && hops <= SPF_ANALYSIS_MAX_DEPTH; hops++) {
		if (n->status != SPF_NODE_OK || n->all_qual != 0 ||
		    !n->has_redirect)
			return n;
		for (i = 0; i < n->nchild; i++)
			if (n->child[i]->via_redirect)
				break;
		if (i == n->nchild)
			return n;
		n = n->child[i];
	}
	return n;
}

void
spf_analysis_totals(struct spf_analysis *a)
{
	const struct spf_node *f;
	size_t i;
	int ptr = 0;

	if (a->root == NULL)
		return;
	node_totals(a->root, &ptr);
	a->lookups = a->root->lookups;
	a->void_lookups = a->root->void_lookups;
	a->ptr_used = ptr;
	f = spf_node_final(a->root);
	a->all_qual = f != NULL && f->status == SPF_NODE_OK ? f->all_qual : 0;
	a->redirect = NULL;
	for (i = 0; i < a->root->nchild; i++)
		if (a->root->child[i]->via_redirect)
			a->redirect = a->root->child[i]->domain;
}

void
spf_analysis_free(struct spf_analysis *a)
{
	if (a == NULL)
		return;
	spf_node_free(a->root);
	free(a->domain);
	free(a);
}
