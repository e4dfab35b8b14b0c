/*
 * dns_facts - DNS types and their name tables; see dns_facts.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "facts/dns_facts.h"
#include "util/xalloc.h"

const char *
dns_outcome_name(enum dns_outcome o)
{
	static const char *names[] = {
		"OK", "NODATA", "NXDOMAIN", "SERVFAIL", "REFUSED", "TIMEOUT",
		"ERROR"
	};

	if ((unsigned)o < sizeof(names) / sizeof(names[0]))
		return names[o];
	return "ERROR";
}

int
dns_outcome_failed(enum dns_outcome o)
{
	return o != DNS_OK && o != DNS_NODATA && o != DNS_NXDOMAIN;
}

static const struct {
	int		 type;
	const char	*name;
} types[] = {
	{ DNS_T_A, "A" }, { DNS_T_NS, "NS" }, { DNS_T_CNAME, "CNAME" },
	{ DNS_T_SOA, "SOA" }, { DNS_T_PTR, "PTR" }, { DNS_T_MX, "MX" },
	{ DNS_T_TXT, "TXT" }, { DNS_T_AAAA, "AAAA" }, { DNS_T_DS, "DS" },
	{ DNS_T_TLSA, "TLSA" }, { DNS_T_SPF, "SPF" },
	{ DNS_T_DNSKEY, "DNSKEY" }, { DNS_T_RRSIG, "RRSIG" },
};

const char *
dns_type_name(int type)
{
	static char other[16];
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (types[i].type == type)
			return types[i].name;
	snprintf(other, sizeof(other), "TYPE%d", type);
	return other;
}

int
dns_type_from_name(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcasecmp(types[i].name, s) == 0)
			return types[i].type;
	return -1;
}

void
dns_rr_free(struct dns_rr *rr)
{
	free(rr->owner);
	switch (rr->type) {
	case DNS_T_MX:
		free(rr->u.mx.host);
		break;
	case DNS_T_CNAME: case DNS_T_PTR: case DNS_T_NS:
		free(rr->u.name);
		break;
	case DNS_T_TXT: case DNS_T_SPF:
		free(rr->u.txt.data);
		break;
	case DNS_T_TLSA:
		free(rr->u.tlsa.data);
		break;
	case DNS_T_SOA:
		free(rr->u.soa.mname);
		break;
	case DNS_T_RRSIG:
		free(rr->u.rrsig.signer);
		break;
	}
	memset(rr, 0, sizeof(*rr));
}

void
dns_rr_copy(struct dns_rr *dst, const struct dns_rr *src)
{
	*dst = *src;
	dst->owner = xstrdup(src->owner);
	switch (src->type) {
	case DNS_T_MX:
		dst->u.mx.host = xstrdup(src->u.mx.host);
		break;
	case DNS_T_CNAME: case DNS_T_PTR: case DNS_T_NS:
		dst->u.name = xstrdup(src->u.name);
		break;
	case DNS_T_TXT: case DNS_T_SPF:
		dst->u.txt.data = xmalloc(src->u.txt.len + 1);
		memcpy(dst->u.txt.data, src->u.txt.data, src->u.txt.len + 1);
		break;
	case DNS_T_TLSA:
		dst->u.tlsa.data = xmalloc(src->u.tlsa.len + 1);
		memcpy(dst->u.tlsa.data, src->u.tlsa.data, src->u.tlsa.len);
		break;
	case DNS_T_SOA:
		dst->u.soa.mname = xstrdup(src->u.soa.mname);
		break;
	case DNS_T_RRSIG:
		dst->u.rrsig.signer = xstrdup(src->u.rrsig.signer);
		break;
	}
}

void
dns_tally_clear(struct dns_tally *t)
{
	size_t i;

	for (i = 0; i < t->nwhy; i++)
		free(t->why[i]);
	memset(t, 0, sizeof(*t));
}
