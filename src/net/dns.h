/*
 * dns - asynchronous DNS over c-ares, driven by the evloop.
 *
 * Purpose: every DNS question mxprobe asks goes through dns_query(). The
 * answer comes back parsed (dns_wire) with the facts a diagnosis needs and
 * c-ares' convenience parsers drop: TTLs, the CNAME chain, the AD bit, the
 * answer size, and an outcome that keeps NXDOMAIN, NODATA, SERVFAIL,
 * REFUSED and timeout apart (RFC 2308; a timeout or SERVFAIL is UNKNOWN,
 * never a verdict).
 *
 * API:
 *	dns_new(loop, cfg, why)		channel over c-ares; cfg->servers is
 *		a list "ADDR[:PORT]" (IPv6 as [ADDR]:PORT), NULL = the
 *		system resolver configuration (/etc/resolv.conf)
 *	dns_new_fake(loop, fn, arg)	answers come from fn() instead of the
 *		network, delivered from a 0 ms timer (for unit tests and the
 *		SPF conformance harness)
 *	dns_fake_inline(d, on)		a fake answers inside dns_query()
 *		itself, before it returns NULL: what c-ares does when it
 *		fails at once, made the rule, so that tests prove every
 *		engine safe for a callback before its start returns
 *	dns_query(d, name, type, flags, cb, arg)  -> handle, or NULL when
 *		the callback already ran (c-ares failed at once)
 *	dns_cancel(q)			the callback will not be called
 *	dns_free(d)			pending callbacks are not called
 *	dns_queries_sent(d)
 *	dns_view_new(d, tally)		a handle on d's channel for one
 *		domain: its questions are counted in tally (the caller owns
 *		it and keeps it alive until every question is answered or
 *		cancelled); past tally->limit a question is not sent and gets
 *		DNS_ERROR ("question limit reached"), from a timer; cut
 *		answers and DNS_ERROR reasons are counted there too
 *	dns_view_free(v)		the view only, not the channel
 *	dns_view_trace_tag(v, tag)	the -v trace lines of v's questions
 *		start "[TAG] " (--batch: the domain); tag is copied
 *	dns_servers(d)	the servers asked, as c-ares holds them (from the
 *		config or resolv.conf): NULL-terminated "ADDR[:PORT]"
 *		strings; dns_servers_free(v)
 *
 * The result passed to cb is valid only during the call. CNAMEs are
 * followed (in the answer, and by asking again for the target when a
 * server returns the CNAME alone) up to DNS_MAX_CNAME links; a loop or a
 * longer chain is DNS_ERROR. result->rr holds only the RRs of the asked
 * type owned by the final name.
 *
 * Flags: DNS_Q_NORECURSE clears RD (asking an authoritative server
 * directly, for --propagation). DNS_Q_CD sets CD (RFC 4035 §3.2.2: a
 * validating resolver answers without validating, so that what a broken
 * chain hides can be read) and DO in the EDNS header (§3.2.1: the answer
 * carries the RRSIGs, in result->msg).
 *
 * BUGS: c-ares retries a truncated UDP answer over TCP by itself; we see
 * only the final answer (result->tc tells whether the UDP one was cut is
 * therefore unknown; result->size is the size of the answer we got).
 */
#ifndef MXPROBE_DNS_H
#define MXPROBE_DNS_H

#include <stddef.h>
#include <stdint.h>

#include "facts/dns_facts.h"
#include "parse/dns_wire.h"

struct evloop;
struct buf;
struct dns;
struct dns_query;

#define DNS_MAX_CNAME	8
/*
 * Queries handed to c-ares at once by one channel (views included);
 * more wait in a queue. --jobs divides it between the workers, so the
 * run's total stays this.
 */
#define DNS_MAX_INFLIGHT	256
#define DNS_Q_NORECURSE	0x01
#define DNS_Q_CD	0x02	/* checking disabled, and DO: RRSIGs */

struct dns_config {
	const char	**servers;	/* NULL-terminated, or NULL */
	unsigned	  timeout_ms;	/* per try; 0 = 2000 */
	unsigned	  tries;	/* 0 = 2 */
	unsigned	  max_inflight;	/* 0 = DNS_MAX_INFLIGHT */
};

struct dns_result {
	enum dns_outcome	 outcome;
	const char		*qname;
	int			 qtype;
	const struct dns_rr	*rr;
	size_t			 nrr;
	const char		*canonical;	/* final name after CNAMEs */
	size_t			 ncname;	/* CNAME links followed */
	int			 ad;		/* authenticated data */
	int			 aa;		/* authoritative answer */
	uint32_t		 ttl;		/* smallest TTL of rr[] */
	size_t			 size;		/* answer octets */
	uint64_t		 ms;		/* elapsed */
	const char		*why;		/* text for DNS_ERROR etc. */
	const struct dns_msg	*msg;		/* the last raw message */
};

typedef void dns_cb(const struct dns_result *, void *arg);

/*
 * A fake answers a question with an outcome and, for DNS_OK, the RRs of
 * the answer section (CNAMEs included, owners lower-case); the fake
 * allocates *rrs with malloc and the dns layer frees them.
 */
typedef enum dns_outcome dns_fake_fn(void *arg, const char *name, int type,
    struct dns_rr **rrs, size_t *nrr);

struct dns	*dns_new(struct evloop *, const struct dns_config *,
		    struct buf *);
struct dns	*dns_new_fake(struct evloop *, dns_fake_fn *, void *);
void		 dns_fake_inline(struct dns *, int);
void		 dns_free(struct dns *);
char		**dns_servers(struct dns *);
void		 dns_servers_free(char **);
struct dns_query *dns_query(struct dns *, const char *, int, int, dns_cb *,
		    void *);
void		 dns_cancel(struct dns_query *);
unsigned long	 dns_queries_sent(const struct dns *);
struct dns	*dns_view_new(struct dns *, struct dns_tally *);
void		 dns_view_trace_tag(struct dns *, const char *);
void		 dns_view_free(struct dns *);

#endif
