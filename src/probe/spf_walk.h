/*
 * spf_analysis - what a domain's SPF policy costs a receiver and where it
 * breaks, without a client IP (RFC 7208 §4.5, §4.6.4, §5.2, §6.1).
 *
 * Purpose: the report's SPF section. spf_analysis_start() fetches the
 * domain's record and, concurrently, every include: and redirect= target
 * below it (recursively), plus the lookups of the a/mx/exists terms that
 * decide the void-lookup count. The result is a tree of struct spf_node;
 * analyze_spf() (pure) turns it into findings; report_spf_json() and
 * report_spf_text() render it.
 *
 * API:
 *	spf_analysis_start(dns, domain, cb, arg)  -> the pending
 *		analysis; cb(a, arg) runs once when every branch is known
 *		and from then on a belongs to cb's side, which frees it with
 *		spf_analysis_free() (cb may do so at once). Returns NULL when
 *		cb already ran inside spf_analysis_start (an invalid name, or
 *		a resolver that answered at once). spf_analysis_free() on a
 *		pending analysis cancels it: cb is then not called.
 *	spf_analysis_free(a)		NULL is a no-op
 *	(analyze_spf() in analyze.h, report_spf_json/_text() in report.h)
 *	spf_node_status_name(s)		"ok", "none", ...
 *
 * Counting, as a receiver evaluating a non-matching address would
 * (§4.6.4): lookups = include, a, mx, ptr, exists terms, plus redirect=
 * when the record has no "all" (a receiver never reaches it otherwise),
 * summed over the branches followed. void_lookups = a/mx/exists terms
 * whose target (macro-free) answers NXDOMAIN or no records: "a" and
 * "exists" are probed with an A query (as for an IPv4 client), "mx" with
 * an MX query. Terms with macros depend on the sender and are counted as
 * lookups but neither followed nor probed.
 *
 * Limits: a branch that includes one of its ancestors is a loop and is
 * not followed (SPF_NODE_LOOP); at most SPF_ANALYSIS_MAX_DEPTH levels and
 * SPF_ANALYSIS_MAX_NODES records are fetched (SPF_NODE_LIMIT beyond).
 * BUGS: the void count assumes an IPv4 client; ptr terms are not probed
 * (they depend on the client address).
 */
#ifndef MXPROBE_SPF_ANALYSIS_H
#define MXPROBE_SPF_ANALYSIS_H

#include <stddef.h>

struct dns;
struct buf;
struct findings;
struct json_object;
struct spf_walk;
struct spf_record;

#define SPF_ANALYSIS_MAX_DEPTH	12
#define SPF_ANALYSIS_MAX_NODES	64
#define SPF_UDP_NEAR		450	/* TXT answer octets (of 512) */
#define SPF_LOOKUP_LIMIT	10
#define SPF_VOID_LIMIT		2

enum spf_node_status {
	SPF_NODE_PENDING,
	SPF_NODE_OK,		/* one record, parsed */
	SPF_NODE_NONE,		/* the name has no v=spf1 record */
	SPF_NODE_NXDOMAIN,	/* the name does not exist */
	SPF_NODE_MULTIPLE,	/* more than one v=spf1 record */
	SPF_NODE_SYNTAX,	/* the record does not parse */
	SPF_NODE_TEMPERROR,	/* timeout, SERVFAIL, ... */
	SPF_NODE_LOOP,		/* includes an ancestor: not followed */
	SPF_NODE_LIMIT,		/* depth or size cap: not followed */
	SPF_NODE_MACRO,		/* target has macros: not followed */
	SPF_NODE_INVALID	/* target is not a domain name */
};

struct spf_node {
	char			*domain;
	char			*via;		/* parent's term, or NULL */
	int			 via_redirect;
	enum spf_node_status	 status;
	char			*record;	/* printable copy, or NULL */
	size_t			 records_found;	/* v=spf1 records */
	size_t			 txt_size;	/* TXT answer octets */
	size_t			 errpos;	/* SYNTAX: 1-based position */
	char			*error;		/* why, for status != OK */
	unsigned		 own_lookups;
	unsigned		 lookups;	/* own + branches below */
	unsigned		 own_void;
	unsigned		 void_lookups;	/* own + branches below */
	char			**void_terms;	/* terms with void lookups */
	size_t			 nvoid_terms;
	char			 all_qual;	/* '+' '-' '~' '?' or 0 */
	int			 has_redirect;
	int			 has_ptr;
	struct spf_node		*parent;
	struct spf_node		**child;
	size_t			 nchild;
	int			 depth;
	struct spf_record	*rec;		/* parsed record (OK only) */
};

struct spf_analysis {
	char			*domain;
	struct spf_node		*root;
	int			 done;
	unsigned		 lookups;	/* as a receiver counts them */
	unsigned		 void_lookups;
	char			 all_qual;	/* effective final all, or 0 */
	const char		*redirect;	/* root's redirect= target */
	int			 ptr_used;
	size_t			 nnodes;
	struct spf_walk		*walk;		/* private, while pending */
};

typedef void spf_analysis_cb(struct spf_analysis *, void *);

struct spf_analysis *spf_analysis_start(struct dns *, const char *,
		    spf_analysis_cb *, void *);
void		 spf_analysis_free(struct spf_analysis *);
void		 spf_analysis_totals(struct spf_analysis *);
const char	*spf_node_status_name(enum spf_node_status);
struct spf_node	*spf_node_new(struct spf_node *, const char *, const char *);
void		 spf_node_free(struct spf_node *);

#endif
