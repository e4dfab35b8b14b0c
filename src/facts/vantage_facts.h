/*
 * vantage_facts - where the probe stands: whether this host has a route
 * to the internet for each address family, found once per run before the
 * first connection (net/vantage.c), and the address a connection would
 * leave from. Plain types; read by the analysis (an address of a family
 * without a route is not tested from here, never the server's fault) and
 * the reports (the vantage section, JSON "vantage").
 *
 * API:
 *	vantage_route_name(r)	"NOT_CHECKED", "ROUTE", "NO_ROUTE"
 *	vantage_family(v, af)	the member for AF_INET or AF_INET6
 */
#ifndef MXPROBE_VANTAGE_FACTS_H
#define MXPROBE_VANTAGE_FACTS_H

#include <netinet/in.h>

enum vantage_route {
	VANTAGE_NOT_CHECKED,	/* no connection was due (--dns-only, no
				 * exchanger) or no check was asked for */
	VANTAGE_ROUTE,		/* the routing table has a route to the
				 * internet for this family */
	VANTAGE_NO_ROUTE	/* none: a UDP connect failed, net/vantage.h
				 * (ENETUNREACH, EADDRNOTAVAIL, the family
				 * not supported) */
};

struct vantage_family {
	enum vantage_route route;
	char		 source[INET6_ADDRSTRLEN]; /* with a route: the
					 * address the kernel chose to leave
					 * from (getsockname); else "" */
	int		 sys_errno;	/* without one: why; else 0 */
};

struct vantage {
	struct vantage_family v4;
	struct vantage_family v6;
};

const char		*vantage_route_name(enum vantage_route);
const struct vantage_family *vantage_family(const struct vantage *, int);

#endif
