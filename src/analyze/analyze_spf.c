/*
 * analyze_spf - the SPF_* findings of the include/redirect tree and of
 * the --spf-ip answers; the tree's totals (see analyze.h, spf_walk.h).
 * No DNS, no sockets: unit tests feed literal trees.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/i18n.h"
#include "facts/limits.h"
#include "analyze/analyze.h"
#include "analyze/findings.h"
#include "facts/spf_facts.h"
#include "parse/spf.h"
#include "facts/auth_facts.h"
#include "facts/spf_facts.h"
#include "util/xalloc.h"

static void
analyze_node(const struct spf_node *n, struct findings *fs, int *ptr_seen)
{
	size_t i;

	switch (n->status) {
	case SPF_NODE_SYNTAX:
		if (n->parent != NULL)
			findings_add(fs, F_SPF_SYNTAX_ERROR, n->domain,
			    "The SPF record of %s (reached by %s in the record "
			    "of %s) has a syntax error at position %zu: %s; "
			    "receivers give permerror when evaluation reaches "
			    "it", n->domain, n->via, n->parent->domain,
			    n->errpos, n->error ? n->error : "?");
		else
			findings_add(fs, F_SPF_SYNTAX_ERROR, n->domain,
			    "The SPF record of %s has a syntax error at "
			    "position %zu: %s; receivers give permerror",
			    n->domain, n->errpos, n->error ? n->error : "?");
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
		/* RFC 7208 §5.2: include of a name without a record is
		 * permerror, as is a redirect= to one (§6.1). */
		if (n->parent != NULL && n->error != NULL)
			findings_add(fs, F_SPF_INCLUDE_UNRESOLVED, n->domain,
			    "%s in the record of %s finds no SPF record (%s): "
			    "receivers give permerror when evaluation reaches "
			    "it", n->via, n->parent->domain, n->error);
		else if (n->parent != NULL)
			findings_add(fs, F_SPF_INCLUDE_UNRESOLVED, n->domain,
			    "%s in the record of %s finds no SPF record: "
			    "receivers give permerror when evaluation reaches "
			    "it", n->via, n->parent->domain);
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
		    "includes it: receivers give permerror", n->via,
		    n->parent ? n->parent->domain : "?");
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
			buf_printf(b, "%s%s (%s)", *count > 1 ? ", " : "",
			    n->void_terms[i], n->domain);
		else if (*count == 6)
			buf_printf(b, ", ...");
	}
	for (i = 0; i < n->nchild; i++)
		void_list(n->child[i], b, count);
}

/* The first node below n whose record makes evaluation end in
 * permerror when it is reached (RFC 7208 §4.6, §5.2, §6.1). */
static const struct spf_node *
broken_node(const struct spf_node *n)
{
	const struct spf_node *b;
	size_t i;

	switch (n->status) {
	case SPF_NODE_SYNTAX:
	case SPF_NODE_MULTIPLE:
	case SPF_NODE_LOOP:
		return n;
	case SPF_NODE_NONE:
	case SPF_NODE_NXDOMAIN:
	case SPF_NODE_INVALID:
		return n->parent != NULL ? n : NULL;
	default:
		break;
	}
	for (i = 0; i < n->nchild; i++)
		if ((b = broken_node(n->child[i])) != NULL)
			return b;
	return NULL;
}

const char *
analyze_spf_permerror(const struct spf_analysis *a, char *out, size_t len)
{
	const struct spf_node *b;

	if (a == NULL || a->root == NULL)
		return NULL;
	b = broken_node(a->root);
	if (b == a->root && b->status == SPF_NODE_MULTIPLE)
		snprintf(out, len, R_("%zu SPF records"), b->records_found);
	else if (b == a->root)
		snprintf(out, len, "%s", R_("a syntax error"));
	else if (b != NULL && b->status == SPF_NODE_LOOP)
		snprintf(out, len, R_("%s loops"), b->via ? b->via : b->domain);
	else if (b != NULL && b->status == SPF_NODE_SYNTAX)
		snprintf(out, len, R_("%s has a syntax error"),
		    b->via ? b->via : b->domain);
	else if (b != NULL && b->status == SPF_NODE_MULTIPLE)
		snprintf(out, len, R_("%s has two records"),
		    b->via ? b->via : b->domain);
	else if (b != NULL)
		snprintf(out, len, R_("%s finds no record"),
		    b->via ? b->via : b->domain);
	else if (a->root->status != SPF_NODE_OK)
		return NULL;
	else if (a->lookups > SPF_LOOKUP_LIMIT)
		snprintf(out, len, R_("%u DNS lookups, over the limit of %d"),
		    a->lookups, SPF_LOOKUP_LIMIT);
	else if (a->void_lookups > SPF_VOID_LIMIT)
		snprintf(out, len, R_("%u void lookups, over the limit of %d"),
		    a->void_lookups, SPF_VOID_LIMIT);
	else
		return NULL;
	return out;
}

static size_t
limit_nodes(const struct spf_node *n)
{
	size_t i, k = n->status == SPF_NODE_LIMIT;

	for (i = 0; i < n->nchild; i++)
		k += limit_nodes(n->child[i]);
	return k;
}

/* The walk stopped somewhere (depth, records or questions): say so, so
 * that totals below read as "at least". */
static void
walk_limit(const struct spf_analysis *a, const char *domain,
    struct findings *fs)
{
	size_t n = limit_nodes(a->root);

	if (n == 0 && a->queries_cut == 0)
		return;
	findings_add(fs, F_SPF_WALK_LIMIT, domain, "The SPF tree of %s was "
	    "not read to its end: %zu include/redirect target(s) not "
	    "followed and %u question(s) not sent (limits: depth %d, %d "
	    "records, %d questions); the lookup totals are lower bounds",
	    domain, n, a->queries_cut, SPF_ANALYSIS_MAX_DEPTH,
	    SPF_ANALYSIS_MAX_NODES, LIMIT_SPF_WALK_QUERIES);
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
		if (r->error != NULL)
			findings_add(fs, F_SPF_MISSING, domain, "%s publishes "
			    "no SPF record (%s)", domain, r->error);
		else
			findings_add(fs, F_SPF_MISSING, domain, "%s publishes "
			    "no SPF record", domain);
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
	walk_limit(a, domain, fs);
	if (r->status != SPF_NODE_OK)
		return;
	if (a->lookups > SPF_LOOKUP_LIMIT) {
		for (i = 0; i < r->nchild; i++) {
			c = r->child[i];
			if (worst == NULL || c->lookups > worst->lookups)
				worst = c;
		}
		findings_add(fs, F_SPF_TOO_MANY_LOOKUPS, domain, "Evaluating "
		    "the SPF policy of %s takes %u DNS-querying terms (limit "
		    "%d): receivers give permerror.", domain, a->lookups,
		    SPF_LOOKUP_LIMIT);
		if (worst != NULL && worst->lookups + 1 > r->own_lookups)
			findings_append(fs, "%s costs the most: %u.",
			    worst->via, worst->lookups + 1);
		else
			findings_append(fs, "The record itself has %u.",
			    r->own_lookups);
	}
	if (a->void_lookups > SPF_VOID_LIMIT) {
		b = buf_new(BUF_WHY_MAX);
		void_list(r, b, &count);
		findings_add(fs, F_SPF_TOO_MANY_VOID_LOOKUPS, domain, "%u "
		    "terms of the SPF policy of %s look up names with no "
		    "records (limit %d): receivers give permerror: %s",
		    a->void_lookups, domain, SPF_VOID_LIMIT, buf_str(b));
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
		if (spf_node_final(r)->status == SPF_NODE_OK && a->redirect)
			findings_add(fs, F_SPF_NO_ALL, domain, "The SPF "
			    "policy of %s (after redirect=) has no all: other "
			    "hosts get neutral", domain);
		else if (spf_node_final(r)->status == SPF_NODE_OK)
			findings_add(fs, F_SPF_NO_ALL, domain, "The SPF "
			    "policy of %s has no all: other hosts get neutral",
			    domain);
	}
}

/* --spf-ip: the host is not listed; what receivers do follows the result. */
static void
ip_not_authorized(const struct auth_facts *a, const struct auth_spf_eval *e,
    struct findings *fs)
{
	const char *d = e->domain ? e->domain : a->domain;
	const char *r = spf_result_name(e->result);
	const char *t = e->text ? e->text : "";

	if (e->result == SPF_FAIL)
		findings_add(fs, F_SPF_IP_NOT_AUTHORIZED, e->ip, "Mail from "
		    "%s as %s gets SPF %s (%s): the SPF record of %s does not "
		    "list this host, so receivers may reject it.", e->ip,
		    e->sender, r, t, d);
	else if (e->result == SPF_SOFTFAIL)
		findings_add(fs, F_SPF_IP_NOT_AUTHORIZED, e->ip, "Mail from "
		    "%s as %s gets SPF %s (%s): the SPF record of %s does not "
		    "list this host, so receivers are likely to junk it.",
		    e->ip, e->sender, r, t, d);
	else
		findings_add(fs, F_SPF_IP_NOT_AUTHORIZED, e->ip, "Mail from "
		    "%s as %s gets SPF %s (%s): the SPF record of %s does not "
		    "list this host, so receivers do not treat it as "
		    "authenticated.", e->ip, e->sender, r, t, d);
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
			ip_not_authorized(a, e, fs);
			break;
		case SPF_PERMERROR:
			findings_add(fs, F_SPF_IP_PERMERROR, e->ip,
			    "Mail from %s as %s gets SPF permerror: %s.",
			    e->ip, e->sender, e->reason ? e->reason :
			    R_("the record cannot be evaluated"));
			break;
		case SPF_TEMPERROR:
			findings_add(fs, F_SPF_IP_TEMPERROR, e->ip,
			    "SPF for mail from %s as %s could not be "
			    "evaluated: %s.", e->ip, e->sender, e->reason ?
			    e->reason : R_("a temporary error (temperror)"));
			break;
		}
	}
}
