/*
 * spf_facts - the SPF walk's data model: one node per record fetched
 * (the domain's own, every include: and redirect= target below it), with
 * what was found there and what it costs a receiver, and the totals over
 * the tree (RFC 7208 section 4.6.4). Filled by probe/spf_walk.c, judged by
 * analyze/analyze_spf.c; unit tests build literal trees.
 *
 * API:
 *	spf_node_new(parent, domain, via)	a node, added to parent's
 *		children (parent NULL: a root)
 *	spf_node_free(n)			n and its subtree
 *	spf_node_status_name(s)			"ok", "none", ...
 *	spf_node_final(n)			the record whose "all" decides:
 *		redirect= followed from n (at most SPF_ANALYSIS_MAX_DEPTH hops)
 *	spf_analysis_totals(a)			sums lookups, void lookups
 *		and ptr use over the tree; the effective all and redirect
 *	spf_analysis_free(a)			a finished analysis (walk NULL);
 *		a pending one is released with spf_walk_free() (spf_walk.h)
 */
#ifndef MXPROBE_SPF_FACTS_H
#define MXPROBE_SPF_FACTS_H

#include <stddef.h>

struct spf_record;
struct spf_walk;

#define SPF_ANALYSIS_MAX_DEPTH	12
#define SPF_ANALYSIS_MAX_NODES	64
#define SPF_UDP_NEAR		450	/* TXT answer octets (of 512) */

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
	SPF_NODE_MACRO,		/* target has a macro of the sender,
				   the client or its HELO: not followed */
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
	unsigned		 queries;	/* sent by the walk */
	unsigned		 queries_cut;	/* not sent: LIMIT_SPF_WALK_
						 * QUERIES reached */
	struct spf_walk		*walk;		/* private, while pending */
};

const char	*spf_node_status_name(enum spf_node_status);
struct spf_node	*spf_node_new(struct spf_node *, const char *, const char *);
void		 spf_node_free(struct spf_node *);
const struct spf_node *spf_node_final(const struct spf_node *);
void		 spf_analysis_totals(struct spf_analysis *);
void		 spf_analysis_free(struct spf_analysis *);

#endif
