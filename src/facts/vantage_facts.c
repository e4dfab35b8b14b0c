/*
 * vantage_facts - the name table of the probe's vantage; see
 * vantage_facts.h.
 */
#include <sys/socket.h>

#include "facts/vantage_facts.h"

const char *
vantage_route_name(enum vantage_route r)
{
	static const char *names[] = { "NOT_CHECKED", "ROUTE", "NO_ROUTE" };

	if ((unsigned)r < sizeof(names) / sizeof(names[0]))
		return names[r];
	return "NOT_CHECKED";
}

const struct vantage_family *
vantage_family(const struct vantage *v, int family)
{
	return family == AF_INET6 ? &v->v6 : &v->v4;
}
