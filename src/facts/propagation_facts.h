/*
 * propagation_facts - what every authoritative server and every resolver
 * answered for a domain's MX records (--propagation, --wait): one entry
 * per server address, with its answer, the AA bit and the TTL left.
 * Filled by probe/propagation.c, judged by analyze/analyze_propagation.c.
 *
 * API:
 *	propagation_facts_free(f)	NULL is a no-op
 */
#ifndef MXPROBE_PROPAGATION_FACTS_H
#define MXPROBE_PROPAGATION_FACTS_H

#include <stddef.h>
#include <stdint.h>

#include "facts/dns_facts.h"

enum propagation_role {
	PROPAGATION_AUTHORITATIVE,
	PROPAGATION_RESOLVER
};

struct propagation_mx {
	uint16_t	 pref;
	char		*host;
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
};

void	propagation_facts_free(struct propagation_facts *);

#endif
