/*
 * dns_wire - pure parser of DNS response messages (RFC 1035 §4).
 *
 * Purpose: c-ares 1.18 has no ares_dns_parse and its ares_parse_*_reply
 * helpers drop TTLs, the AD bit and CNAME chains, so mxprobe asks c-ares for
 * the raw answer (ares_send) and parses it here. Pure: no sockets, no clock.
 *
 * API:
 *	dns_wire_parse(msg, len, out, why)	fills out with the header
 *		flags and every answer/authority RR whose type we know;
 *		unknown types are counted and skipped.
 *	dns_wire_free(out)			frees what parse allocated
 *	dns_wire_rr_free(rr)			frees one RR's storage
 *	dns_type_name(type)			"MX", "TLSA", or "TYPE123"
 * Returns: 0, or -1 with a reason in why (truncated or malformed message,
 *	compression loop, name longer than 255 octets).
 * Limits: at most DNS_WIRE_MAX_RR answer RRs are kept (a hostile answer
 *	with thousands is cut, and says so in out->cut).
 * Names are returned lower-cased, without the trailing dot, "." for root;
 *	octets outside [!-~] are escaped as \DDD (RFC 1035 §5.1).
 * BUGS: only the answer and authority sections are read.
 */
#ifndef MXPROBE_DNS_WIRE_H
#define MXPROBE_DNS_WIRE_H

#include <stddef.h>
#include <stdint.h>

struct buf;

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

#define DNS_RCODE_NOERROR	0
#define DNS_RCODE_FORMERR	1
#define DNS_RCODE_SERVFAIL	2
#define DNS_RCODE_NXDOMAIN	3
#define DNS_RCODE_NOTIMP	4
#define DNS_RCODE_REFUSED	5

#define DNS_WIRE_MAX_RR		512
#define DNS_NAME_MAX		1024	/* escaped presentation form */

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

int		 dns_wire_parse(const unsigned char *, size_t, struct dns_msg *,
		    struct buf *);
void		 dns_wire_free(struct dns_msg *);
void		 dns_wire_rr_free(struct dns_rr *);
void		 dns_wire_rr_copy(struct dns_rr *, const struct dns_rr *);
const char	*dns_type_name(int);
int		 dns_type_from_name(const char *);

#endif
