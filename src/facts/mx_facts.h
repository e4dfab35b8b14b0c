/*
 * mx_facts - a domain's exchangers as a sending MTA would try them
 * (RFC 5321 section 5.1): names, preferences, groups and addresses, and the
 * outcome of every question asked for them. Filled by probe/probe_mx.c.
 *
 * API:
 *	mx_set_free(set)		NULL is a no-op
 *	mx_sort(hosts, n)		stable sort by preference; sets group
 *	mx_host_probed(set, h)		1 when hosts[h] is an exchanger to
 *		talk to: a host name (not "." nor an address literal), listed
 *		for the first time (a name listed twice is probed once),
 *		within LIMIT_MX_HOSTS (over_limit; facts/limits.h)
 *
 * Equal preferences form one group (mx_host.group): a sender picks among
 * them at random (RFC 5321 section 5.1), so order inside a group means
 * nothing.
 */
#ifndef MXPROBE_MX_FACTS_H
#define MXPROBE_MX_FACTS_H

#include <stddef.h>
#include <stdint.h>

#include "facts/dns_facts.h"

struct mx_addr {
	int		 family;	/* AF_INET, AF_INET6 */
	unsigned char	 addr[16];
	char		 text[48];
	uint32_t	 ttl;
};

struct mx_host {
	char		*name;		/* as published in the MX RR */
	uint16_t	 pref;
	unsigned	 group;		/* 0 = most preferred group */
	int		 ip_literal;	/* the target is an address */
	enum dns_outcome a_out, aaaa_out;
	char		*canonical;	/* non-NULL: the target is a CNAME */
	size_t		 ncname;
	struct mx_addr	*addrs;
	size_t		 naddr;
	int		 ad;		/* both address answers authenticated */
	int		 over_limit;	/* past LIMIT_MX_HOSTS: not resolved */
	size_t		 naddr_over;	/* addresses past LIMIT_MX_ADDRS per
					 * family, dropped from addrs */
	char		*undotted;	/* the target does not exist but this
					 * name, the target without an origin
					 * appended, has an address: the zone
					 * lacks the trailing dot; or NULL */
};

/*
 * A broken DNSSEC chain: the resolver answered SERVFAIL for the MX, and
 * asking again with checking disabled (CD, RFC 4035 §3.2.2) got the
 * records. Then the signer's DS and DNSKEY are asked with CD too, so that
 * analyze can tell why validation fails: a DS that matches no DNSKEY, or
 * signatures outside their validity period (RFC 4035 §5.3.1).
 */
#define MX_BOGUS_MAX_TAGS	8

struct mx_bogus {
	int		 asked;		/* the MX was asked again with CD */
	enum dns_outcome out;		/* of that question */
	char		*records;	/* the answer under CD, as text */
	char		*signer;	/* zone of the first RRSIG, or NULL */
	int		 have_sig;	/* expiration/inception are read */
	uint32_t	 expiration, inception;	/* the MX RRSIG's */
	int64_t		 now;		/* wall clock at the CD answer */
	enum dns_outcome ds_out, dnskey_out;	/* of signer, with CD */
	uint16_t	 ds_tags[MX_BOGUS_MAX_TAGS];
	size_t		 nds;
	uint16_t	 key_tags[MX_BOGUS_MAX_TAGS];	/* SEP keys first */
	size_t		 nkey;
};

struct mx_set {
	char		*domain;
	enum dns_outcome outcome;	/* of the MX question */
	const char	*why;		/* static text for failures, or NULL */
	uint32_t	 ttl;		/* MX RRset TTL */
	int		 ad;		/* MX answer authenticated (AD) */
	int		 implicit;	/* no MX: the domain itself */
	int		 null_mx;	/* "0 ." present */
	size_t		 nnull;		/* how many "." targets */
	struct mx_host	*hosts;		/* sorted by preference */
	size_t		 nhost;
	size_t		 nover;		/* hosts with over_limit set */
	char		*wildcard_name;	/* random name asked */
	enum dns_outcome wildcard_out;
	char		*wildcard_target;  /* its first MX target, if any */
	uint64_t	 ms;		/* resolution time */
	struct mx_bogus	 bogus;		/* asked when outcome is SERVFAIL */
};

void		 mx_set_free(struct mx_set *);
void		 mx_sort(struct mx_host *, size_t);
int		 mx_host_probed(const struct mx_set *, size_t);

#endif
