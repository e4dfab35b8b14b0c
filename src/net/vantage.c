/*
 * vantage - this host's route to the internet per family; see vantage.h.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "net/vantage.h"
#include "util/addr.h"

/* a.root-servers.net (RFC 7720 keeps the root servers' addresses
 * stable): global unicast, and nobody's private network. */
static const unsigned char root4[4] = { 198, 41, 0, 4 };
static const unsigned char root6[16] = {
	0x20, 0x01, 0x05, 0x03, 0xba, 0x3e, 0, 0, 0, 0, 0, 0, 0, 0x02, 0,
	0x30
};

void
vantage_route(int family, const unsigned char *dest,
    struct vantage_family *out)
{
	struct sockaddr_storage ss, me;
	socklen_t sl, ml = sizeof(me);
	int fd;

	memset(out, 0, sizeof(*out));
	out->route = VANTAGE_NO_ROUTE;
	fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		out->sys_errno = errno;	/* EAFNOSUPPORT: no IPv6 at all */
		return;
	}
	addr_sockaddr(family, dest, 53, &ss, &sl);
	if (connect(fd, (struct sockaddr *)&ss, sl) == -1) {
		out->sys_errno = errno;
		close(fd);
		return;
	}
	out->route = VANTAGE_ROUTE;
	if (getsockname(fd, (struct sockaddr *)&me, &ml) == 0) {
		if (family == AF_INET)
			inet_ntop(AF_INET,
			    &((struct sockaddr_in *)&me)->sin_addr,
			    out->source, sizeof(out->source));
		else
			inet_ntop(AF_INET6,
			    &((struct sockaddr_in6 *)&me)->sin6_addr,
			    out->source, sizeof(out->source));
	}
	close(fd);
}

void
vantage_check(struct vantage *v)
{
	if (v->v4.route == VANTAGE_NOT_CHECKED)
		vantage_route(AF_INET, root4, &v->v4);
	if (v->v6.route == VANTAGE_NOT_CHECKED)
		vantage_route(AF_INET6, root6, &v->v6);
}
