/*
 * facts - everything a probe of one domain found, before judging it.
 *
 * Filled by probe/probe.c (the engines do the I/O for a domain), read by
 * analyze/, score.c and the reports. Owned by the probe's caller:
 * probe_facts_free() releases all of it. The parts have their own facts
 * headers beside this one: mx_facts.h, smtp_facts.h (with tls_facts.h),
 * auth_facts.h (with spf_facts.h), dns_facts.h.
 */
#ifndef MXPROBE_FACTS_H
#define MXPROBE_FACTS_H

#include <stddef.h>
#include <stdint.h>

#include "facts/dns_facts.h"
#include "facts/mx_facts.h"
#include "facts/vantage_facts.h"

struct auth_facts;
struct mx_set;
struct smtp_result;

/*
 * Why an address was not probed. Keep in step with the table in
 * probe_facts.c: probe_skip_name() gives the English text (the JSON's
 * "skipped", stable; NULL for PROBE_SKIP_NONE), an N_() msgid the text
 * report translates with _().
 */
/* Addresses named in the per-address queueing finding. */
#define PROBE_ADDR_QUEUED_MAX	4

enum probe_skip {
	PROBE_SKIP_NONE,		/* probed (or not finished) */
	PROBE_SKIP_UNROUTABLE,		/* not a routable address */
	PROBE_SKIP_DNS_ONLY,		/* --dns-only */
	PROBE_SKIP_FAMILY_4,		/* -4 given, an IPv6 address */
	PROBE_SKIP_FAMILY_6,		/* -6 given, an IPv4 address */
	PROBE_SKIP_CDN,			/* a CDN/proxy edge: no SMTP there */
	PROBE_SKIP_DEADLINE,		/* the overall deadline came first */
	PROBE_SKIP_NO_FD,		/* no file descriptor free */
	PROBE_SKIP_NO_ROUTE_4,		/* this host has no IPv4 route */
	PROBE_SKIP_NO_ROUTE_6,		/* this host has no IPv6 route */
	PROBE_SKIP_ADDR_CAP,		/* the overall deadline came after
					 * it waited for the per-address
					 * cap (--per-address), in line or
					 * in the session it then began */
	PROBE_SKIP_COUNT
};

/*
 * One exchanger address: the unit the SMTP probe works on. A name with an
 * A and an AAAA record is two targets; two MX names on one address are two
 * targets probed one after the other (never two connections at once to
 * one address).
 */
struct probe_target {
	size_t			 host;		/* index in mx->hosts */
	size_t			 addr;		/* index in its addrs */
	enum probe_skip		 skipped;	/* why not probed, or
						 * PROBE_SKIP_NONE */
	struct smtp_result	*smtp;		/* NULL: not probed/finished */
	int			 smtp_shared;	/* smtp from the run's share
						 * table (probe/share.h), with
						 * a reference of our own */
	uint64_t		 start_ms;	/* since the probe began */
	uint64_t		 end_ms;
	enum dns_outcome	 ptr_out;	/* PTR of the address */
	char			*ptr;		/* first PTR name, or NULL */
	int			 fcrdns;	/* the PTR name resolves back */
};

/*
 * An old exchanger named with --old-mx: is it still answering? Or, with
 * from_propagation set, an exchanger of an MX set some --propagation
 * server gave that is not in the domain's own set (at most
 * LIMIT_MX_HOSTS of them, LIMIT_MX_ADDRS addresses per family): do the
 * senders that get that set find it answering?
 */
struct probe_old {
	char			*name;
	int			 from_propagation; /* 0: named with --old-mx */
	int			 resolved;	/* both address answers in */
	int			 addr_failed;	/* an address question failed
						 * (SERVFAIL, timeout): no
						 * address says nothing */
	struct mx_addr		*addrs;
	size_t			 naddr;
	size_t			 naddr_over;	/* a propagation set's host:
						 * addresses past
						 * LIMIT_MX_ADDRS per family,
						 * not kept nor probed */
	int			*answers;	/* per address: greeted 220 */
	int			*probed;	/* per address */
	int			*decided;	/* per address: the session
						 * ended on the server's
						 * account (not the deadline,
						 * not a missing route here) */
};

/*
 * The TLSA answer of one exchanger: _25._tcp.HOST (RFC 7672 section 2.2).
 * Indexed like mx->hosts; a host not asked (an IP literal, ".", a name
 * listed twice: see its first listing) has asked == 0.
 */
struct probe_tlsa {
	int			 asked;
	char			*qname;		/* _25._tcp.HOST */
	enum dns_outcome	 out;		/* DNS_TIMEOUT until answered */
	int			 ad;		/* answer authenticated (AD) */
	struct dns_rr		*rr;		/* TLSA RRs, owned */
	size_t			 nrr;
	uint64_t		 ms;		/* answer time since start */
};

struct probe_facts {
	char			*domain;
	struct mx_set		*mx;
	struct probe_target	*targets;
	size_t			 ntargets;
	int			 smtp_probed;	/* 0 with --dns-only */
	const char		**assume_down;	/* borrowed, NULL-terminated */
	struct probe_old	*old;
	size_t			 nold;
	uint64_t		 ms;		/* wall time of the probe */
	int64_t			 checked_at;	/* seconds since the epoch
						 * (UTC) at the probe's start,
						 * set by app/; 0: unknown */
	struct auth_facts	*auth;		/* SPF, DMARC, DKIM, MTA-STS,
						 * TLS-RPT (probe_auth.h) */
	struct probe_tlsa	*tlsa;		/* per mx->hosts, or NULL */
	size_t			 ntlsa;
	struct dns_tally	 dns;		/* every question of the domain */
	struct vantage		 vantage;	/* this host's routes, as the
						 * run found them before the
						 * first connection; NOT_CHECKED
						 * when none was due */
	unsigned long		 smtp_queued;	/* sessions that waited for a
						 * socket (LIMIT_SOCKETS_DOMAIN
						 * or the per-run cap) */
	unsigned long		 smtp_addr_queued;  /* sessions that waited
						 * for the per-address cap */
	unsigned		 addr_cap;	/* that cap (--per-address) */
	char			 addr_queued[PROBE_ADDR_QUEUED_MAX][48];
	size_t			 naddr_queued;	/* those addresses, the
						 * first few (text) */
};

void	probe_facts_free(struct probe_facts *);
const char *probe_skip_name(enum probe_skip);
int	 probe_skip_no_route(enum probe_skip);	/* not tried: no route
						 * from this host */

#endif
