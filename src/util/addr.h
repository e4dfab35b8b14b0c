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
 *	addr_class_name(c)		"public", "private", ...
 *	addr_cdn(family, bytes)		operator name, or NULL
 *	addr_same_net(f, a, b)		same /24 (IPv4) or /48 (IPv6)
 *	addr_text(f, bytes, out, len)	inet_ntop
 *	addr_parse(text, family*, bytes) 0 or -1
 *	addr_usable(f, bytes, allow_loopback)  1 when a sender on the
 *		internet could connect: a public address, or loopback when
 *		allowed (labs)
 * Limits: IPv4-mapped IPv6 addresses are classified as their IPv4 address.
 */
#ifndef MXPROBE_ADDR_H
#define MXPROBE_ADDR_H

#include <stddef.h>

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
int		 addr_prefix_match(int, const unsigned char *,
		    const unsigned char *, unsigned);
int		 addr_usable(int, const unsigned char *, int);

#endif
