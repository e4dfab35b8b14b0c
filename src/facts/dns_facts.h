/*
 * dns_facts - what a DNS answer says, before anyone judges it: record
 * types, resource records, parsed messages and the outcome of a question.
 *
 * Purpose: the plain types shared by the wire parser (parse/dns_wire.c),
 * the resolver (net/dns.c), the engines that ask (probe/) and the pure
 * column that reads the answers (analyze/, report/). No library types.
 *
 * API:
 *	dns_outcome_name(o)	"NXDOMAIN", ... (stable strings for reports)
 *	dns_outcome_failed(o)	1 when the question got no verdict: SERVFAIL,
 *		REFUSED, TIMEOUT or ERROR. OK, NODATA and NXDOMAIN are
 *		answers (RFC 2308); a failure is UNKNOWN, never "absent".
 *	dns_type_name(type)	"MX", "TLSA", or "TYPE123" (static buffer
 *		for unknown types)
 *	dns_type_from_name(s)	DNS_T_* of "mx", "TLSA", ...; -1 if unknown
 *	dns_rr_free(rr)		frees one RR's storage (not rr itself)
 *	dns_rr_copy(dst, src)	deep copy
 *	dns_tally_clear(t)	frees t's reasons, zeroes the counts
 *
 * A dns_tally counts what one domain's questions cost and what went
 * wrong with their answers (net/dns.c dns_view_new fills it): the limit
 * of questions (LIMIT_DNS_QUERIES) and the questions refused past it,
 * answers cut at DNS_WIRE_MAX_RR records, and DNS_ERROR outcomes with
 * the first DNS_TALLY_WHY reasons ("NAME/TYPE: why"), so that no reason
 * is dropped without a trace.
 */
#ifndef MXPROBE_DNS_FACTS_H
#define MXPROBE_DNS_FACTS_H

#include <stddef.h>
#include <stdint.h>

#define DNS_T_A		1
#define DNS_T_NS	2
#define DNS_T_CNAME	5
#define DNS_T_SOA	6
#define DNS_T_PTR	12
#define DNS_T_MX	15
#define DNS_T_TXT	16
#define DNS_T_AAAA	28
#define DNS_T_OPT	41
#define DNS_T_DS	43
#define DNS_T_RRSIG	46
#define DNS_T_DNSKEY	48
#define DNS_T_TLSA	52
#define DNS_T_SPF	99

enum dns_outcome {
	DNS_OK,		/* records of the asked type */
	DNS_NODATA,	/* the name exists, no records of that type */
	DNS_NXDOMAIN,
	DNS_SERVFAIL,
	DNS_REFUSED,
	DNS_TIMEOUT,
	DNS_ERROR	/* malformed answer, CNAME loop, resolver error */
};

struct dns_rr {
	char		*owner;
	uint16_t	 type;
	uint16_t	 class;
	uint32_t	 ttl;
	int		 section;	/* 1 answer, 2 authority */
	union {
		struct {
			int		family;	/* AF_INET or AF_INET6 */
			unsigned char	addr[16];
		} a;			/* A, AAAA */
		struct {
			uint16_t	pref;
			char		*host;
		} mx;
		char	*name;		/* CNAME, PTR, NS */
		struct {
			char		*data;	/* strings concatenated, NUL
						 * terminated; may hold NULs */
			size_t		 len;
			size_t		 nstr;	/* character-strings */
		} txt;			/* TXT, SPF */
		struct {
			uint8_t		 usage, selector, mtype;
			unsigned char	*data;
			size_t		 len;
		} tlsa;
		struct {
			char		*mname;
			uint32_t	 serial, minimum;
		} soa;
		struct {
			uint16_t	 covered;	/* type signed */
			uint8_t		 alg, labels;
			uint32_t	 expiration, inception; /* RFC 4034
							 * §3.1.5 */
			uint16_t	 keytag;
			char		*signer;
		} rrsig;		/* RRSIG (the signature is skipped) */
		struct {
			uint16_t	 keytag;
			uint8_t		 alg, dtype;
		} ds;			/* DS (the digest is skipped) */
		struct {
			uint16_t	 flags, keytag;	/* keytag computed,
							 * RFC 4034 App. B */
			uint8_t		 alg;
		} dnskey;		/* DNSKEY (the key is skipped) */
	} u;
};

struct dns_msg {
	uint16_t	 id;
	int		 rcode;
	int		 qr, aa, tc, rd, ra, ad, cd;
	char		*qname;
	uint16_t	 qtype;
	struct dns_rr	*rr;
	size_t		 nrr;
	size_t		 unknown;	/* RRs of types we do not parse */
	int		 cut;		/* more than DNS_WIRE_MAX_RR */
	size_t		 size;		/* message octets */
};

#define DNS_TALLY_WHY	4

struct dns_tally {
	unsigned long	 limit;		/* questions allowed; 0 = no limit */
	unsigned long	 asked;
	unsigned long	 refused;	/* not asked: the limit was reached */
	unsigned long	 cut;		/* answers cut at DNS_WIRE_MAX_RR */
	unsigned long	 errors;	/* DNS_ERROR outcomes */
	char		*why[DNS_TALLY_WHY];
	size_t		 nwhy;
};

const char	*dns_outcome_name(enum dns_outcome);
int		 dns_outcome_failed(enum dns_outcome);
const char	*dns_type_name(int);
int		 dns_type_from_name(const char *);
void		 dns_rr_free(struct dns_rr *);
void		 dns_rr_copy(struct dns_rr *, const struct dns_rr *);
void		 dns_tally_clear(struct dns_tally *);

#endif
