/*
 * vantage - this host's route to the internet per family; see vantage.h.
 */
#include <sys/socket.h>
#include <netinet/in.h>

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
	const unsigned char *src;
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
	if (getsockname(fd, (struct sockaddr *)&me, &ml) == -1) {
		out->sys_errno = errno;
		close(fd);
		return;
	}
	close(fd);
	src = family == AF_INET ?
	    (const unsigned char *)&((struct sockaddr_in *)&me)->sin_addr :
	    (const unsigned char *)&((struct sockaddr_in6 *)&me)->sin6_addr;
	/* A route without an address to send from (0.0.0.0: a route but
	 * no IPv4 address) or with only a link-local one (fe80::, the
	 * router's advertisement without a global prefix) reaches nothing
	 * on the internet. */
	if (addr_classify(family, src) == ADDR_LINKLOCAL ||
	    memcmp(src, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
	    family == AF_INET ? 4 : 16) == 0) {
		out->sys_errno = EADDRNOTAVAIL;
		return;
	}
	out->route = VANTAGE_ROUTE;
	addr_text(family, src, out->source, sizeof(out->source));
}

void
vantage_check(struct vantage *v)
{
	if (v->v4.route == VANTAGE_NOT_CHECKED)
		vantage_route(AF_INET, root4, &v->v4);
	if (v->v6.route == VANTAGE_NOT_CHECKED)
		vantage_route(AF_INET6, root6, &v->v6);
}
