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

#include "facts/dns_facts.h"

struct buf;

#define DNS_RCODE_NOERROR	0
#define DNS_RCODE_FORMERR	1
#define DNS_RCODE_SERVFAIL	2
#define DNS_RCODE_NXDOMAIN	3
#define DNS_RCODE_NOTIMP	4
#define DNS_RCODE_REFUSED	5

#define DNS_WIRE_MAX_RR		512
#define DNS_NAME_MAX		1024	/* escaped presentation form */

int		 dns_wire_parse(const unsigned char *, size_t, struct dns_msg *,
		    struct buf *);
void		 dns_wire_free(struct dns_msg *);

#endif
