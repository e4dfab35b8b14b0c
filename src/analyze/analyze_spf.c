/*
 * analyze_spf - the SPF_* findings of the include/redirect tree and of
 * the --spf-ip answers; the tree's totals (see analyze.h, spf_walk.h).
 * No DNS, no sockets: unit tests feed literal trees.
 */
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "analyze/analyze.h"
#include "analyze/findings.h"
#include "parse/spf.h"
#include "probe/probe_auth.h"
#include "probe/spf_walk.h"
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

/* The record whose all decides: follow redirect= from the root. */
static const struct spf_node *
final_node(const struct spf_node *n)
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
	f = final_node(a->root);
	a->all_qual = f != NULL && f->status == SPF_NODE_OK ? f->all_qual : 0;
	a->redirect = NULL;
	for (i = 0; i < a->root->nchild; i++)
		if (a->root->child[i]->via_redirect)
			a->redirect = a->root->child[i]->domain;
}

static void
analyze_node(const struct spf_node *n, struct findings *fs, int *ptr_seen)
{
	size_t i;

	switch (n->status) {
	case SPF_NODE_SYNTAX:
		findings_add(fs, F_SPF_SYNTAX_ERROR, n->domain,
		    "The SPF record of %s has a syntax error at position "
		    "%zu: %s", n->domain, n->errpos,
		    n->error ? n->error : "?");
		break;
	case SPF_NODE_MULTIPLE:
		if (n->parent != NULL)
			findings_add(fs, F_SPF_MULTIPLE_RECORDS, n->domain,
			    "%s (reached by %s) publishes %zu SPF records; "
			    "receivers give permerror", n->domain, n->via,
			    n->records_found);
		break;
	case SPF_NODE_NONE:
	case SPF_NODE_NXDOMAIN:
	case SPF_NODE_INVALID:
		if (n->parent != NULL)
			findings_add(fs, F_SPF_INCLUDE_UNRESOLVED, n->domain,
			    "%s in the record of %s finds no SPF record: %s",
			    n->via, n->parent->domain,
			    n->error ? n->error : "none");
		break;
	case SPF_NODE_TEMPERROR:
		if (n->parent != NULL)
			findings_add(fs, F_SPF_LOOKUP_FAILED, n->domain,
			    "%s in the record of %s could not be read: %s",
			    n->via, n->parent->domain,
			    n->error ? n->error : "?");
		break;
	case SPF_NODE_LOOP:
		findings_add(fs, F_SPF_INCLUDE_LOOP, n->domain,
		    "%s in the record of %s leads back to a record that "
		    "includes it", n->via, n->parent ? n->parent->domain : "?");
		break;
	default:
		break;
	}
	if (n->txt_size > SPF_UDP_NEAR)
		findings_add(fs, F_SPF_RECORD_NEAR_UDP_LIMIT, n->domain,
		    "The TXT answer for %s is %zu octets; over 512 it is "
		    "truncated on UDP and needs TCP", n->domain, n->txt_size);
	if (n->has_ptr && !*ptr_seen) {
		*ptr_seen = 1;
		findings_add(fs, F_SPF_PTR_USED, n->domain,
		    "The SPF record of %s uses the ptr mechanism", n->domain);
	}
	for (i = 0; i < n->nchild; i++)
		analyze_node(n->child[i], fs, ptr_seen);
}

static void
void_list(const struct spf_node *n, struct buf *b, int *count)
{
	size_t i;

	for (i = 0; i < n->nvoid_terms; i++) {
		if ((*count)++ < 5)
			buf_printf(b, "%s%s in %s", *count > 1 ? ", " : "",
			    n->void_terms[i], n->domain);
		else if (*count == 6)
			buf_printf(b, ", ...");
	}
	for (i = 0; i < n->nchild; i++)
		void_list(n->child[i], b, count);
}

void
analyze_spf(const struct spf_analysis *a, const char *domain,
    struct findings *fs)
{
	const struct spf_node *r = a->root, *c, *worst = NULL;
	struct buf *b;
	size_t i;
	int ptr_seen = 0, count = 0;

	if (domain == NULL)
		domain = a->domain;
	if (r == NULL)
		return;
	switch (r->status) {
	case SPF_NODE_NONE:
	case SPF_NODE_NXDOMAIN:
	case SPF_NODE_INVALID:
		findings_add(fs, F_SPF_MISSING, domain, "%s publishes no SPF "
		    "record (%s)", domain, r->error ? r->error : "none");
		return;
	case SPF_NODE_TEMPERROR:
		findings_add(fs, F_SPF_LOOKUP_FAILED, domain, "The SPF record "
		    "of %s could not be read: %s", domain,
		    r->error ? r->error : "?");
		return;
	case SPF_NODE_MULTIPLE:
		findings_add(fs, F_SPF_MULTIPLE_RECORDS, domain, "%s "
		    "publishes %zu SPF records; receivers give permerror",
		    domain, r->records_found);
		return;
	case SPF_NODE_PENDING:
		return;
	default:
		break;
	}
	analyze_node(r, fs, &ptr_seen);
	if (r->status != SPF_NODE_OK)
		return;
	if (a->lookups > SPF_LOOKUP_LIMIT) {
		b = buf_new(BUF_WHY_MAX);
		for (i = 0; i < r->nchild; i++) {
			c = r->child[i];
			if (worst == NULL || c->lookups > worst->lookups)
				worst = c;
		}
		if (worst != NULL && worst->lookups + 1 > r->own_lookups)
			buf_printf(b, "; %s costs the most: %u", worst->via,
			    worst->lookups + 1);
		else
			buf_printf(b, "; the record itself has %u",
			    r->own_lookups);
		findings_add(fs, F_SPF_TOO_MANY_LOOKUPS, domain, "Evaluating "
		    "the SPF policy of %s takes %u DNS-querying terms (limit "
		    "%d): receivers give permerror%s", domain, a->lookups,
		    SPF_LOOKUP_LIMIT, buf_str(b));
		buf_free(b);
	}
	if (a->void_lookups > SPF_VOID_LIMIT) {
		b = buf_new(BUF_WHY_MAX);
		void_list(r, b, &count);
		findings_add(fs, F_SPF_TOO_MANY_VOID_LOOKUPS, domain, "%u "
		    "terms of the SPF policy of %s look up names with no "
		    "records (limit %d): %s", a->void_lookups, domain,
		    SPF_VOID_LIMIT, buf_str(b));
		buf_free(b);
	}
	switch (a->all_qual) {
	case '+':
		findings_add(fs, F_SPF_PASS_ALL, domain, "The SPF policy of "
		    "%s ends with +all: every host on the Internet may send "
		    "as %s", domain, domain);
		break;
	case '?':
		findings_add(fs, F_SPF_NEUTRAL_ALL, domain, "The SPF policy "
		    "of %s ends with ?all: other hosts get neutral", domain);
		break;
	case '~':
		findings_add(fs, F_SPF_SOFTFAIL_ALL, domain, "The SPF policy "
		    "of %s ends with ~all: other hosts get softfail", domain);
		break;
	case '-':
		break;
	default:
		if (final_node(r)->status == SPF_NODE_OK)
			findings_add(fs, F_SPF_NO_ALL, domain, "The SPF "
			    "policy of %s%s%s has no all: other hosts get "
			    "neutral", domain, a->redirect ? " (after "
			    "redirect=" : "", a->redirect ? ")" : "");
	}
}

void
analyze_spf_ip(const struct auth_facts *a, struct findings *fs)
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
