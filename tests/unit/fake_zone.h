/*
 * A zone as a table for the fake resolver (dns_new_fake, see
 * src/net/dns.h): NAME TYPE VALUE, one RR a line. Used by t_spf_walk,
 * t_spf_check_host, t_probe_auth, t_probe and t_probe_mx, whose fakes
 * count or log the questions and then answer from a table.
 *
 * Values: an address for A and AAAA, the text for TXT (one string), a
 * name for CNAME, PTR and NS, "PREF HOST" or just "HOST" (preference 10)
 * for MX. A line of type ZONE_SERVFAIL or ZONE_TIMEOUT makes every
 * question for its name fail so; a line with a NULL value only makes
 * its name exist.
 */
#ifndef T_FAKE_ZONE_H
#define T_FAKE_ZONE_H

#include <sys/socket.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/dns.h"
#include "util/dname.h"
#include "util/xalloc.h"

#define ZONE_SERVFAIL	-1
#define ZONE_TIMEOUT	-2

struct zrr {
	const char	*name;
	int		 type;
	const char	*value;
};

/* One RR of z owned by owner, TTL 300, into *rr. */
static void __attribute__((unused))
zone_rr(struct dns_rr *rr, const char *owner, const struct zrr *z)
{
	char host[256];
	unsigned pref;

	memset(rr, 0, sizeof(*rr));
	rr->owner = xstrdup(owner);
	rr->type = (uint16_t)z->type;
	rr->class = 1;
	rr->ttl = 300;
	switch (z->type) {
	case DNS_T_A:
		rr->u.a.family = AF_INET;
		inet_pton(AF_INET, z->value, rr->u.a.addr);
		break;
	case DNS_T_AAAA:
		rr->u.a.family = AF_INET6;
		inet_pton(AF_INET6, z->value, rr->u.a.addr);
		break;
	case DNS_T_TXT:
		rr->u.txt.data = xstrdup(z->value);
		rr->u.txt.len = strlen(z->value);
		rr->u.txt.nstr = 1;
		break;
	case DNS_T_MX:
		if (sscanf(z->value, "%u %255s", &pref, host) == 2) {
			rr->u.mx.pref = (uint16_t)pref;
			rr->u.mx.host = xstrdup(host);
		} else {
			rr->u.mx.pref = 10;
			rr->u.mx.host = xstrdup(z->value);
		}
		break;
	default:		/* CNAME, PTR, NS */
		rr->u.name = xstrdup(z->value);
		break;
	}
}

/* Appends one RR of z owned by owner to *rrs (*n of them so far). */
static void __attribute__((unused))
zone_add(struct dns_rr **rrs, size_t *n, const char *owner,
    const struct zrr *z)
{
	*rrs = xreallocarray(*rrs, *n + 1, sizeof(**rrs));
	zone_rr(&(*rrs)[(*n)++], owner, z);
}

/*
 * The answer of the first nz lines of zone (or of those before a line
 * with a NULL name) to name/type: the error of a ZONE_SERVFAIL or
 * ZONE_TIMEOUT line for name, else its RRs of the type, else NODATA
 * when name has any line, else NXDOMAIN. No CNAME is followed.
 */
static enum dns_outcome __attribute__((unused))
zone_answer(const struct zrr *zone, size_t nz, const char *name, int type,
    struct dns_rr **rrs, size_t *nrr)
{
	size_t i;
	int exists = 0;

	*rrs = NULL;
	*nrr = 0;
	for (i = 0; i < nz && zone[i].name != NULL; i++) {
		if (!dname_equal(zone[i].name, name))
			continue;
		exists = 1;
		if (zone[i].type == ZONE_SERVFAIL)
			return DNS_SERVFAIL;
		if (zone[i].type == ZONE_TIMEOUT)
			return DNS_TIMEOUT;
	}
	for (i = 0; i < nz && zone[i].name != NULL; i++)
		if (zone[i].type == type && zone[i].value != NULL &&
		    dname_equal(zone[i].name, name))
			zone_add(rrs, nrr, name, &zone[i]);
	if (*nrr == 0)
		return exists ? DNS_NODATA : DNS_NXDOMAIN;
	return DNS_OK;
}

#endif
