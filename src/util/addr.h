/*
 * addr - what kind of address an exchanger resolves to.
 *
 * Purpose: an MX host whose addresses are private, loopback, link-local or
 * otherwise reserved (RFC 6890 special-purpose registries) cannot receive
 * mail from the internet; one inside a CDN/HTTP-proxy range
 * (data/cdn-ranges.txt, compiled in) does not speak SMTP. Pure.
 *
 * API:
 *	addr_classify(family, bytes)	-> enum addr_class
 *	addr_class_name(c)		"public", "private", ... in the run's
 *					language (i18n_reason: for messages)
 *	addr_cdn(family, bytes)		operator name, or NULL
 *	addr_same_net(f, a, b)		same /24 (IPv4) or /48 (IPv6)
 *	addr_text(f, bytes, out, len)	inet_ntop
 *	addr_parse(text, family*, bytes) an IPv4 or IPv6 literal (the two
 *		below; ':' decides which); 0 and AF_INET with 4 bytes or
 *		AF_INET6 with 16, or -1
 *	addr_parse_ip4(s, n, bytes)	the n bytes at s as a dotted quad:
 *		four decimal numbers 0-255 without leading zeros (RFC 7208
 *		ip4-network, and what inet_pton accepts); 0 or -1
 *	addr_parse_ip6(s, n, bytes)	RFC 4291 §2.2 text form, with "::"
 *		and an optional dotted IPv4 tail; 0 or -1
 *	addr_prefix_match(f, a, p, len)	1 when the first len bits agree
 *		(0 when len is longer than the address)
 *	addr_reverse(f, bytes, out, len) the PTR name (in-addr.arpa /
 *		ip6.arpa, RFC 3596 §2.5); "" when len < ADDR_REVERSE_MAX
 *	addr_sockaddr(f, bytes, port, ss, sl)	the socket address to
 *		connect to
 *	addr_usable(f, bytes, allow)  1 when a sender on the
 *		internet could connect: a public address, or loopback
 *		(allow & ADDR_ALLOW_LOOPBACK) or documentation
 *		(allow & ADDR_ALLOW_DOCUMENTATION) addresses when allowed
 *		(labs)
 * Pure: no resolver, no socket is opened.
 * Limits: IPv4-mapped IPv6 addresses are classified as their IPv4 address.
 */
#ifndef MXPROBE_ADDR_H
#define MXPROBE_ADDR_H

#include <sys/socket.h>
#include <stddef.h>

/* 32 nibbles, each with a dot, "ip6.arpa" and the NUL. */
#define ADDR_REVERSE_MAX	73

enum addr_class {
	ADDR_PUBLIC,
	ADDR_PRIVATE,		/* RFC 1918, fc00::/7 */
	ADDR_LOOPBACK,		/* 127/8, ::1 */
	ADDR_LINKLOCAL,		/* 169.254/16, fe80::/10 */
	ADDR_SHARED,		/* 100.64/10 carrier-grade NAT */
	ADDR_DOCUMENTATION,	/* 192.0.2/24 etc., 2001:db8::/32 */
	ADDR_RESERVED		/* 0/8, 240/4, multicast, unspecified, ... */
};

enum addr_class	 addr_classify(int, const unsigned char *);
const char	*addr_class_name(enum addr_class);
const char	*addr_cdn(int, const unsigned char *);
int		 addr_same_net(int, const unsigned char *,
		    const unsigned char *);
const char	*addr_text(int, const unsigned char *, char *, size_t);
int		 addr_parse(const char *, int *, unsigned char *);
int		 addr_parse_ip4(const char *, size_t, unsigned char *);
int		 addr_parse_ip6(const char *, size_t, unsigned char *);
const char	*addr_reverse(int, const unsigned char *, char *, size_t);
void		 addr_sockaddr(int, const unsigned char *, int,
		    struct sockaddr_storage *, socklen_t *);
int		 addr_prefix_match(int, const unsigned char *,
		    const unsigned char *, unsigned);
/* addr_usable()'s allow: --allow-loopback, --allow-documentation. */
#define ADDR_ALLOW_LOOPBACK		1
#define ADDR_ALLOW_DOCUMENTATION	2
int		 addr_usable(int, const unsigned char *, int);

#endif
