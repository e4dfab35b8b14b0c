/*
 * propagation - has a change of MX records reached every authoritative
 * server and every resolver? (--propagation, --wait)
 *
 * Purpose: during an MX cutover the zone is edited on the primary; the
 * secondaries pick it up by zone transfer, and recursive resolvers keep
 * serving their cached copy until its TTL runs out (RFC 1035 §3.2.1,
 * RFC 2308 for the cached "no such data"). One lookup through one
 * resolver shows one of these copies. This module asks them all:
 *
 *   1. the zone's authoritative servers: NS of the domain through the
 *      normal resolver. A recursive resolver answers in the answer
 *      section; an authoritative server of a parent zone answers with a
 *      referral (NS in the authority section, RFC 1034 §4.3.1, §5.3.3):
 *      both are read. On NODATA or NXDOMAIN the SOA in the authority
 *      section names the enclosing zone (RFC 2308 §2.1, §2.2), whose NS
 *      set is asked for next; without one, one label is removed.
 *   2. A and AAAA of every NS name through the resolver;
 *   3. MX of the domain from every NS address, directly and without
 *      recursion (RD clear: an iterative question, RFC 1034 §4.3.1), with
 *      the AA bit noted: an answer without it, or REFUSED, is lame;
 *   4. MX of the domain from every --resolver, each asked on its own
 *      (recursion desired); the TTL it returns is what is left of its
 *      cached copy.
 *   Steps 1-3 and step 4 run concurrently; so do the queries of one step.
 *
 * One check (propagation.c):
 *
 *   WALK --NS found (answer or referral)--> ADDR --all NS names--> DONE
 *    | ^                                      (each address: ask MX)  |
 *    +-+ NODATA/NXDOMAIN: SOA owner, or one label up                  |
 *    +--SERVFAIL/timeout/nothing up to the last label----------------+
 *   DONE and nothing pending (or the deadline: pending = TIMEOUT)
 *   --0 ms timer--> cb(facts)
 *
 * The wait driver:
 *
 *   CHECK --converged--> cb(facts, 1)
 *     |  not yet: PAUSE (2, 4, 8, 16, 30, 30 ... s, cut at the limit)
 *     +<-------+
 *   time limit (in CHECK: the running check is abandoned) --> cb(last, 0)
 *
 * API (engine, does I/O; propagation.c):
 *	propagation_start(loop, resolver, cfg, cb, arg)	-> handle; cb(facts,
 *		arg) is called once, from the loop, never from inside
 *		propagation_start(); the callee owns facts and frees them
 *		with propagation_facts_free(). The handle is gone once cb
 *		runs.
 *	propagation_cancel(p)		before cb: cb is not called
 *	propagation_facts_free(f)	(facts/propagation_facts.h)
 *
 * API (pure; propagation_analyze.c):
 *	propagation_analyze(facts, expect_mx, old_mx, fs)	findings:
 *		PROPAGATION_DISAGREE, _STALE, _LAME, _NO_ANSWER, _NS_FAILED,
 *		_NOT_RECURSIVE, _WAIT_TIMEOUT, _SET_DOWN (after
 *		propagation_join); nothing when all agree
 *	propagation_converged(facts, expect_mx, old_mx)	1 when every
 *		authoritative server and resolver serves the expected set
 *	propagation_server_agrees(facts, i, expect_mx, old_mx)	1, 0, or
 *		-1 when it cannot be judged (no answer, lame, referral)
 *	propagation_set_text(server, out)	"10 a.example, 20 b.example",
 *		NXDOMAIN, or "no MX record" in the user's language (the
 *		text report)
 *	propagation_join(facts, probe_facts)	each server's smtp: the set
 *		the main run probed, ANSWERS (an exchanger of its set greets
 *		220), DOWN (none answers: PROPAGATION_SET_DOWN), or UNKNOWN
 *		(no set, --dns-only, cut short, past the limit); app/ calls
 *		it once the domain's probe is in
 *
 * API (reports; report_propagation.c):
 *	propagation_json(facts, expect_mx, old_mx, obj)	adds "propagation"
 *	propagation_text(facts, expect_mx, old_mx, out)
 *
 * The exchangers of every set seen (facts->hosts) go to the domain's
 * probe (probe_config.prop_mx): those outside its own MX set are probed
 * on port 25 as the --old-mx hosts are (probe_smtp.c), at most
 * LIMIT_MX_HOSTS of them.
 *
 * The expected set: --expect-mx (the host names, preferences ignored, as
 * cutover.c does) and no --old-mx host. Without --expect-mx, the set all
 * answering authoritative servers agree on is what the resolvers are held
 * to.
 *
 * Limits: at most PROPAGATION_MAX_NS NS names, PROPAGATION_MAX_ADDR
 * server addresses and PROPAGATION_MAX_RESOLVERS resolvers (the rest is
 * counted in ns_cut); at most PROPAGATION_MAX_WALK names asked for NS.
 * cfg->ns_port is a lab knob: the port the authoritative servers are
 * asked on (0 = 53); the real world only ever uses 53.
 *
 * BUGS: NS names are resolved through the resolver only; glue in the
 * additional section of a referral is not read (dns_wire does not parse
 * it), so an in-zone NS name needs a resolver that recurses. A server that
 * times out keeps --wait from succeeding: its copy cannot be known.
 */
#ifndef MXPROBE_PROPAGATION_H
#define MXPROBE_PROPAGATION_H

#include <stddef.h>
#include <stdint.h>

#include "facts/propagation_facts.h"
#include "net/dns.h"

struct buf;
struct evloop;
struct findings;
struct json_object;

#define PROPAGATION_MAX_NS		16
#define PROPAGATION_MAX_ADDR		32
#define PROPAGATION_MAX_RESOLVERS	16
#define PROPAGATION_MAX_WALK		16
#define PROPAGATION_MAX_MX		64

struct propagation_config {
	const char	 *domain;
	const char	**resolvers;	/* NULL-terminated "ADDR[:PORT]";
					 * NULL or empty: the resolver
					 * channel itself is asked */
	int		  ns_port;	/* lab knob; 0 = 53 */
	unsigned	  timeout_ms;	/* per try; 0 = 2000 */
	unsigned	  tries;	/* 0 = 2 */
	unsigned	  deadline_ms;	/* one check; 0 = 20000 */
};

struct propagation;

typedef void	propagation_done_cb(struct propagation_facts *, void *);

struct propagation *propagation_start(struct evloop *, struct dns *,
		    const struct propagation_config *,
		    propagation_done_cb *, void *);
void		 propagation_cancel(struct propagation *);


#endif
