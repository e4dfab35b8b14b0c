/*
 * mx - the domain's exchangers in the order a sending MTA tries them
 * (RFC 5321 §5.1), with every address of every exchanger.
 *
 * Purpose: drives dns: asks MX for the domain and, at the same time, MX for
 * a random label under it (a wildcard MX answers that too); then A and AAAA
 * of every exchanger, all in flight at once. With no MX (NODATA) it asks
 * A/AAAA of the domain itself: the implicit MX. A lone "0 ." is a null MX
 * (RFC 7505). Reports facts only; analyze.c judges them.
 *
 * API:
 *	mx_resolve(dns, domain, cb, arg)  -> handle; cb(set, arg) once
 *	mx_resolve_cancel(h)
 *	mx_set_free(set)		the caller owns the set after cb
 *	mx_sort(hosts, n)		stable sort by preference (pure)
 *	mx_host_probed(set, h)		1 when hosts[h] is an exchanger to
 *		talk to: a host name (not "." nor an address literal), listed
 *		for the first time (a name listed twice is probed once)
 *
 * Equal preferences form one group (mx_host.group): a sender picks among
 * them at random (RFC 5321 §5.1), so order inside a group means nothing.
 *
 * BUGS: MX targets are not re-resolved through CNAMEs beyond what the dns
 * layer follows (DNS_MAX_CNAME links).
 */
#ifndef MXPROBE_MX_H
#define MXPROBE_MX_H

#include <stddef.h>
#include <stdint.h>

#include "net/dns.h"

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
	char		*wildcard_name;	/* random name asked */
	enum dns_outcome wildcard_out;
	char		*wildcard_target;  /* its first MX target, if any */
	uint64_t	 ms;		/* resolution time */
};

struct mx_resolve;
typedef void mx_done_cb(struct mx_set *, void *arg);

struct mx_resolve *mx_resolve(struct dns *, const char *, mx_done_cb *,
		    void *);
void		 mx_resolve_cancel(struct mx_resolve *);
void		 mx_set_free(struct mx_set *);
void		 mx_sort(struct mx_host *, size_t);
int		 mx_host_probed(const struct mx_set *, size_t);

#endif
