/*
 * spf_walk - what a domain's SPF policy costs a receiver and where it
 * breaks, without a client IP (RFC 7208 §4.5, §4.6.4, §5.2, §6.1).
 *
 * Purpose: the report's SPF section. spf_walk_start() fetches the
 * domain's record and, concurrently, every include: and redirect= target
 * below it (recursively), plus the lookups of the a/mx/exists terms that
 * decide the void-lookup count. The result is a tree of struct spf_node
 * (facts/spf_facts.h); spf_analyze() (pure) turns it into findings;
 * analyze_spf() (analyze.h) judges it; report_spf_json() and
 * report_spf_text() (report.h) render it.
 *
 * API:
 *	spf_walk_start(dns, domain, cb, arg)  -> the pending analysis;
 *		cb(a, arg) runs once when every branch is known and from
 *		then on a belongs to cb's side, which frees it with
 *		spf_analysis_free() (cb may do so at once). Returns NULL when
 *		cb already ran inside spf_walk_start (an invalid name, or
 *		a resolver that answered at once).
 *	spf_walk_free(a)		a pending analysis: cancels it (cb is
 *		then not called) and frees it; NULL is a no-op
 *	spf_analyze(a, domain, fs)	pure: raise the SPF_* findings
 *
 * Counting, as a receiver evaluating a non-matching address would
 * (§4.6.4): lookups = include, a, mx, ptr, exists terms, plus redirect=
 * when the record has no "all" (a receiver never reaches it otherwise),
 * summed over the branches followed. void_lookups = a/mx/exists terms
 * whose target (macro-free) answers NXDOMAIN or no records: "a" and
 * "exists" are probed with an A query (as for an IPv4 client), "mx" with
 * an MX query. A target is expanded as a receiver expands it (§7.3) with
 * %{d} the domain of the record holding the term and %{o} the walked
 * domain (the sender's domain of mail from it); "%%", "%_" and "%-" are
 * literals. A term with a macro of the sender's local-part (s, l), the
 * client's address (i, p, v) or its HELO name (h) depends on the sender:
 * counted as a lookup but neither followed nor probed.
 *
 * Limits: a branch that includes one of its ancestors is a loop and is
 * not followed (SPF_NODE_LOOP); at most SPF_ANALYSIS_MAX_DEPTH levels and
 * SPF_ANALYSIS_MAX_NODES records are fetched (SPF_NODE_LIMIT beyond).
 * BUGS: the void count assumes an IPv4 client; ptr terms are not probed
 * (they depend on the client address).
 */
#ifndef MXPROBE_SPF_WALK_H
#define MXPROBE_SPF_WALK_H

#include <stddef.h>

#include "facts/spf_facts.h"

struct dns;
struct buf;
struct findings;
struct json_object;

typedef void spf_analysis_cb(struct spf_analysis *, void *);

struct spf_analysis *spf_walk_start(struct dns *, const char *,
		    spf_analysis_cb *, void *);
void		 spf_walk_free(struct spf_analysis *);

#endif
