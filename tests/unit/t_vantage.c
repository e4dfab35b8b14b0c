/* Unit tests for src/net/vantage.c: the route check of each address
 * family. Loopback destinations are routed on every host; the global
 * check's answer depends on the host, so only its consistency is
 * asserted here (the lab's netns scenarios prove the no-route case). */
#include <sys/socket.h>
#include <errno.h>
#include <string.h>

#include "net/vantage.h"
#include "tap.h"

static void
consistent(const struct vantage_family *v, const char *name)
{
	if (v->route == VANTAGE_ROUTE)
		ok(v->source[0] != '\0' && v->sys_errno == 0, "%s: a route, "
		    "with a source address (%s)", name, v->source);
	else
		ok(v->route == VANTAGE_NO_ROUTE && v->source[0] == '\0' &&
		    v->sys_errno != 0, "%s: no route, with why (%s)", name,
		    strerror(v->sys_errno));
}

int
main(void)
{
	static const unsigned char lo4[4] = { 127, 0, 0, 1 };
	static const unsigned char lo6[16] = { [15] = 1 };
	struct vantage_family f;
	struct vantage v;

	vantage_route(AF_INET, lo4, &f);
	is_int(f.route, VANTAGE_ROUTE, "127.0.0.1 is routed");
	is_str(f.source, "127.0.0.1", "from 127.0.0.1");
	vantage_route(AF_INET6, lo6, &f);
	if (f.route == VANTAGE_NO_ROUTE && f.sys_errno == EAFNOSUPPORT)
		ok(1, "::1 # SKIP IPv6 is not supported by this kernel");
	else {
		is_int(f.route, VANTAGE_ROUTE, "::1 is routed");
		is_str(f.source, "::1", "from ::1");
	}

	/* Once per run: a family already checked is not asked again. */
	memset(&v, 0, sizeof(v));
	v.v4.route = VANTAGE_NO_ROUTE;
	v.v4.sys_errno = ENETUNREACH;
	vantage_check(&v);
	is_int(v.v4.route, VANTAGE_NO_ROUTE, "a checked family is kept");
	is_int(v.v4.sys_errno, ENETUNREACH, "with its why");
	ok(v.v6.route != VANTAGE_NOT_CHECKED, "the other is checked (%s)",
	    vantage_route_name(v.v6.route));
	consistent(&v.v6, "IPv6 to the internet");
	memset(&v, 0, sizeof(v));
	vantage_check(&v);
	consistent(&v.v4, "IPv4 to the internet");
	consistent(&v.v6, "IPv6 to the internet");
	is_str(vantage_route_name(VANTAGE_NO_ROUTE), "NO_ROUTE", "name");
	is_str(vantage_route_name(VANTAGE_ROUTE), "ROUTE", "name");
	is_str(vantage_route_name(VANTAGE_NOT_CHECKED), "NOT_CHECKED",
	    "name");
	return tap_done();
}
