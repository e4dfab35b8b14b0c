/*
 * spf_check_host - asynchronous check_host() (RFC 7208 §4-§7) over dns.h.
 *
 * Purpose: answer "may this IP send mail as this sender?" the way a
 * receiver does, for --spf-ip. Every DNS question goes through
 * dns_query() on the event loop; nothing blocks.
 *
 * API:
 *	spf_check_host_start(dns, q, cb, arg)	starts check_host() for q; cb is
 *		called exactly once with the result, then the evaluation
 *		frees itself (do not cancel it from inside cb or after).
 *		Returns the handle, or NULL when the result was already
 *		delivered (cb ran before spf_check_host_start returned, e.g. for a
 *		malformed domain: result "none").
 *	spf_check_host_cancel(e)		cb will not be called; NULL is a no-op
 *	spf_check_host_result_text(r, out)	one line for the report, e.g.
 *		"fail (-all in example.com): Not authorized"
 *
 * The result passed to cb is valid only during the call.
 *
 * Identity (§2.3, §4.3): q->sender is the MAIL FROM; when it is NULL or
 * empty the HELO identity postmaster@<helo> is checked. A sender without
 * a local part uses "postmaster". q->domain overrides the domain taken
 * from the identity.
 *
 * State machine (one DNS question in flight at a time):
 *
 *	start -> RECORD --ok--> run terms --a/exists--> A/AAAA --+
 *	           ^               |  ^  \--mx--> MX -> MXHOST*--+
 *	           |               |  |   \--ptr or %{p}--> PTR -> PTRHOST*
 *	   include (push frame)    |  +-------- no match ---------+
 *	   redirect (replace) <----+--> match / no match at the end
 *	                                  --fail at top--> EXP -> done
 *
 * Limits (§4.6.4): more than 10 include/a/mx/ptr/exists/redirect terms,
 * more than 2 void lookups (NXDOMAIN or no answer for a, mx, ptr, exists),
 * or more than 10 MX records for one mx term give permerror; only the
 * first 10 PTR names are validated (§4.6.4, §5.5). A DNS timeout, SERVFAIL
 * or other error gives temperror (§4.4, §5), except in ptr validation
 * (the name is skipped) and exp= (no explanation).
 *
 * Target names that cannot be DNS names (empty label, label over 63
 * octets) make a mechanism not match, without a query (§4.8, the suite's
 * preferred reading). %{p} is computed with the §5.5 validation.
 *
 * BUGS: there is no overall time limit of its own (§4.6.4 suggests 20 s):
 * every query is bounded by the dns layer's timeout and the term limits
 * bound their number.
 */
#ifndef MXPROBE_SPF_CHECK_HOST_H
#define MXPROBE_SPF_CHECK_HOST_H

#include "parse/spf.h"

struct dns;
struct buf;
struct spf_check_host;

struct spf_query {
	struct spf_ip	 ip;		/* client address (spf_ip_parse) */
	const char	*sender;	/* MAIL FROM, NULL or "" = HELO */
	const char	*helo;		/* HELO/EHLO name */
	const char	*domain;	/* NULL = domain of the identity */
	const char	*receiver;	/* %{r}; NULL = "unknown" */
	long long	 now;		/* %{t}; 0 = the current time */
};

struct spf_check_host_result {
	enum spf_result	 result;
	const char	*domain;	/* domain checked (after redirects) */
	const char	*mechanism;	/* matching term as written, or NULL */
	const char	*explanation;	/* exp= text on fail, or NULL */
	const char	*reason;	/* why, for none/permerror/temperror */
	unsigned	 dns_terms;	/* DNS-querying terms evaluated */
	unsigned	 void_lookups;
};

typedef void spf_done_cb(const struct spf_check_host_result *, void *arg);

struct spf_check_host	*spf_check_host_start(struct dns *, const struct spf_query *,
		    spf_done_cb *, void *);
void		 spf_check_host_cancel(struct spf_check_host *);
void		 spf_check_host_result_text(const struct spf_check_host_result *,
		    struct buf *);

#endif
