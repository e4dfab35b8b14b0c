/* Unit tests for src/facts/spf_facts.c: the walk's tree and its totals. */
#include <stdlib.h>
#include <string.h>

#include "facts/spf_facts.h"
#include "util/xalloc.h"
#include "tap.h"

static struct spf_node *
node(struct spf_node *parent, const char *domain, const char *via,
    unsigned lookups, unsigned voids, char all)
{
	struct spf_node *n;

	n = spf_node_new(parent, domain, via);
	n->status = SPF_NODE_OK;
	n->own_lookups = lookups;
	n->own_void = voids;
	n->all_qual = all;
	return n;
}

static void
test_tree(void)
{
	struct spf_analysis *a;
	struct spf_node *r, *c, *g;

	a = xcalloc(1, sizeof(*a));
	a->domain = xstrdup("example.com");
	r = a->root = node(NULL, "example.com", NULL, 3, 1, 0);
	r->has_redirect = 1;
	c = node(r, "inc.example", "include:inc.example", 2, 0, '-');
	g = node(c, "deep.example", "include:deep.example", 4, 2, '~');
	g->has_ptr = 1;
	c = node(r, "target.example", "redirect=target.example", 1, 0, '?');
	c->via_redirect = 1;
	ok(r->nchild == 2 && r->child[0]->parent == r && g->depth == 2,
	    "children linked, depth counted");
	ok(spf_node_final(r) == c, "final: redirect= followed");
	ok(spf_node_final(g) == g, "final: a record with all is itself");
	spf_analysis_totals(a);
	is_int(a->lookups, 10, "lookups summed over the tree");
	is_int(a->void_lookups, 3, "void lookups summed");
	is_int(r->child[0]->lookups, 6, "a branch's total");
	ok(a->ptr_used, "ptr below the root is seen");
	ok(a->all_qual == '?', "effective all from the redirect target");
	is_str(a->redirect, "target.example", "the root's redirect=");

	c->status = SPF_NODE_NONE;
	spf_analysis_totals(a);
	ok(a->all_qual == 0, "no effective all when the target has none");
	spf_analysis_free(a);
	spf_analysis_free(NULL);
	ok(1, "spf_analysis_free(NULL) is a no-op");
}

static void
test_names(void)
{
	is_str(spf_node_status_name(SPF_NODE_OK), "ok", "ok");
	is_str(spf_node_status_name(SPF_NODE_TEMPERROR), "temperror",
	    "temperror");
	is_str(spf_node_status_name(SPF_NODE_INVALID), "invalid", "invalid");
	is_str(spf_node_status_name((enum spf_node_status)99), "?",
	    "out of range");
}

int
main(void)
{
	test_tree();
	test_names();
	return tap_done();
}
