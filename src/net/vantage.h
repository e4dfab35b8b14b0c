/*
 * vantage - does this host have a route to the internet, per address
 * family? Asked once per run, before the first connection: an AAAA
 * address on a host without IPv6 is then "not tested from here", not
 * an exchanger that does not answer.
 *
 * How: connect(2) of a UDP socket to a global unicast address (the
 * a.root-servers.net addresses, 198.41.0.4 and 2001:503:ba3e::2:30, port
 * 53). For a datagram socket connect() only fixes the default peer: the
 * kernel looks the destination up in the routing table and picks the
 * source address (Linux: ip4_datagram_connect -> ip_route_connect,
 * ip6_datagram_connect -> ip6_dst_lookup_flow), and fails with
 * ENETUNREACH when there is no route (EADDRNOTAVAIL when there is no
 * source address for it). No datagram is sent: nothing is sent before a
 * send call, and this module makes none (strace shows socket, connect,
 * getsockname, close and nothing else; doc/verdicts.md). Blocking-free:
 * a UDP connect returns at once.
 *
 * API:
 *	vantage_check(v)	fills each family of v still NOT_CHECKED;
 *		a family already checked is left as it is (once per run:
 *		the caller keeps v for the run)
 *	vantage_route(af, dest, out)	the same question for one
 *		destination (4 or 16 bytes): ROUTE with out->source, or
 *		NO_ROUTE with out->sys_errno; a route whose source address
 *		would be unspecified (0.0.0.0, ::) or link-local (fe80::/10)
 *		is NO_ROUTE, EADDRNOTAVAIL: nothing on the internet answers
 *		such a source
 * Limits: a route is not connectivity: a default route to a network that
 * drops everything still says ROUTE (the connections then time out, as
 * they would for any sender there). A more specific route may reach an
 * address the default does not: the connect to each exchanger is the
 * final word (smtp_result.no_route).
 */
#ifndef MXPROBE_VANTAGE_H
#define MXPROBE_VANTAGE_H

#include "facts/vantage_facts.h"

void	vantage_check(struct vantage *);
void	vantage_route(int, const unsigned char *, struct vantage_family *);

#endif
