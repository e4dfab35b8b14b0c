/*
 * propagation_facts - what every authoritative server and every resolver
 * answered for a domain's MX records (--propagation, --wait): one entry
 * per server address, with its answer, the AA bit and the TTL left.
 * Filled by probe/propagation.c, judged by analyze/analyze_propagation.c.
 *
 * API:
 *	propagation_facts_free(f)	NULL is a no-op
 *	propagation_facts_answered(s)	1 when the server's answer says
 *		what it holds: an MX set, NODATA or NXDOMAIN (RFC 2308:
 *		negative answers are answers too), not a timeout,
 *		SERVFAIL, REFUSED or broken reply
 *	propagation_facts_judgeable(s)	1 when that answer can be compared
 *		with the others: the server has an address and answered,
 *		an authoritative server with the AA bit, a resolver that
 *		recursed (no referral)
 *	propagation_facts_serves_set(s)	1 when the server serves an MX
 *		set senders can get: judgeable, and the answer holds
 *		records (not NODATA or NXDOMAIN)
 *	propagation_facts_hosts(f)	fill f->hosts: every exchanger of
 *		every MX set a server answered with (authoritative with the
 *		AA bit, or a recursing resolver), each name once, in server
 *		and preference order, at most PROPAGATION_MAX_HOSTS; the
 *		null MX "." left out (propagation.c calls it at the end)
 */
#ifndef MXPROBE_PROPAGATION_FACTS_H
#define MXPROBE_PROPAGATION_FACTS_H

#include <stddef.h>
#include <stdint.h>

#include "facts/dns_facts.h"

/* At most this many distinct exchangers are collected in hosts. */
#define PROPAGATION_MAX_HOSTS	64

/*
 * Port 25 behind one server's MX set (analyze/analyze_propagation.c,
 * propagation_join): the set the main run probed, some exchanger of
 * it greets with 220, none of them answers, or not known (no answer,
 * no MX, --dns-only, a check cut short by the deadline, a host past
 * the limit).
 */
enum propagation_smtp {
	PROPAGATION_SMTP_UNKNOWN = 0,
	PROPAGATION_SMTP_PROBED_SET,
	PROPAGATION_SMTP_ANSWERS,
	PROPAGATION_SMTP_DOWN
};

enum propagation_role {
	PROPAGATION_AUTHORITATIVE,
	PROPAGATION_RESOLVER
};

struct propagation_mx {
	uint16_t	 pref;
	char		*host;
	int		 over_limit;	/* set by propagation_join(): outside
					 * the domain's own set and past the
					 * exchangers probed per domain
					 * (LIMIT_MX_HOSTS of the run's other
					 * sets, PROPAGATION_MAX_HOSTS
					 * collected): not probed on port 25 */
};

struct propagation_server {
	enum propagation_role	 role;
	char			*name;	/* NS name, or the resolver address */
	char			*address;	/* asked; NULL: NS had none */
	enum dns_outcome	 outcome;	/* of the MX question (or of
						 * the address lookup when
						 * address is NULL) */
	int			 aa;
	int			 referral;	/* a resolver that does not
						 * recurse answered with NS */
	struct propagation_mx	*mx;	/* sorted by preference, host */
	size_t			 nmx;
	uint32_t		 ttl;	/* smallest TTL of the MX RRset; of a
					 * negative answer its SOA's
					 * (RFC 2308 §5) */
	int			 ttl_known;
	char			*why;	/* outcome text, or NULL */
	uint32_t		 serial;	/* the zone's SOA serial there,
						 * which tells old from new */
	int			 serial_known;
	enum propagation_smtp	 smtp;	/* set by propagation_join() */
};

struct propagation_facts {
	char			*domain;
	char			*zone;		/* where the NS set was found */
	enum dns_outcome	 ns_outcome;	/* DNS_OK when NS were found */
	char			*ns_why;
	char			**ns;		/* NS names */
	size_t			 nns;
	size_t			 ns_cut;	/* names/addresses left out */
	struct propagation_server *servers;	/* authoritative first */
	size_t			 nservers;
	int			 timed_out;	/* --wait ran out */
	unsigned		 rounds;	/* checks made (--wait) */
	uint64_t		 waited_ms;
	char			**hosts;	/* propagation_facts_hosts():
						 * NULL-terminated, or NULL */
	size_t			 nhosts;
};

void	propagation_facts_free(struct propagation_facts *);
void	propagation_facts_hosts(struct propagation_facts *);
int	propagation_facts_answered(const struct propagation_server *);
int	propagation_facts_judgeable(const struct propagation_server *);
int	propagation_facts_serves_set(const struct propagation_server *);

#endif
