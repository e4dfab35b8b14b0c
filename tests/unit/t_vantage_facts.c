/*
 * t_vantage_facts - src/facts/vantage_facts.c: the route names (JSON
 * "vantage", stable) and vantage_family() picking the member of an
 * address family. net/vantage.c, which fills the facts, is t_vantage.c.
 */
#include <sys/socket.h>
#include <string.h>

#include "facts/vantage_facts.h"
#include "tap.h"

int
main(void)
{
	struct vantage v;

	is_str(vantage_route_name(VANTAGE_NOT_CHECKED), "NOT_CHECKED",
	    "NOT_CHECKED");
	is_str(vantage_route_name(VANTAGE_ROUTE), "ROUTE", "ROUTE");
	is_str(vantage_route_name(VANTAGE_NO_ROUTE), "NO_ROUTE", "NO_ROUTE");
	is_str(vantage_route_name((enum vantage_route)3), "NOT_CHECKED",
	    "past the table: NOT_CHECKED, never NULL");
	is_str(vantage_route_name((enum vantage_route)-1), "NOT_CHECKED",
	    "negative: NOT_CHECKED");

	memset(&v, 0, sizeof(v));
	ok(v.v4.route == VANTAGE_NOT_CHECKED && v.v6.route ==
	    VANTAGE_NOT_CHECKED, "zeroed facts: NOT_CHECKED (the default)");
	v.v4.route = VANTAGE_ROUTE;
	strcpy(v.v4.source, "192.0.2.10");
	v.v6.route = VANTAGE_NO_ROUTE;
	v.v6.sys_errno = 101;
	ok(vantage_family(&v, AF_INET) == &v.v4, "AF_INET: the v4 member");
	ok(vantage_family(&v, AF_INET6) == &v.v6, "AF_INET6: the v6 member");
	is_str(vantage_family(&v, AF_INET)->source, "192.0.2.10",
	    "  its source");
	is_int(vantage_family(&v, AF_INET6)->sys_errno, 101, "  its why");
	ok(vantage_family(&v, AF_UNSPEC) == &v.v4,
	    "any other family: the v4 member");
	return tap_done();
}
