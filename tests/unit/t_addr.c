/* Unit tests for src/util/addr.c: parse, reverse name, prefix match,
 * socket address, classes. */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "util/addr.h"
#include "tap.h"

static const struct {
	const char	*name;
	const char	*in;
	int		 want;		/* AF_INET, AF_INET6, or -1 */
} literals[] = {
	{ "dotted quad", "192.0.2.1", AF_INET },
	{ "all zero", "0.0.0.0", AF_INET },
	{ "all 255", "255.255.255.255", AF_INET },
	{ "octet 256", "192.0.2.256", -1 },
	{ "leading zero", "192.0.2.01", -1 },
	{ "three octets", "192.0.2", -1 },
	{ "five octets", "192.0.2.1.5", -1 },
	{ "trailing dot", "192.0.2.1.", -1 },
	{ "empty octet", "192..2.1", -1 },
	{ "sign", "+1.2.3.4", -1 },
	{ "space after", "1.2.3.4 ", -1 },
	{ "hex octet", "0x7f.0.0.1", -1 },
	{ "four digits", "1.2.3.0004", -1 },
	{ "empty", "", -1 },
	{ "a name", "mail.example.com", -1 },
	{ "loopback v6", "::1", AF_INET6 },
	{ "unspecified", "::", AF_INET6 },
	{ "full form", "2001:db8:0:0:0:0:0:1", AF_INET6 },
	{ "upper-case hex", "2001:DB8::A", AF_INET6 },
	{ "gap at the end", "2001:db8::", AF_INET6 },
	{ "gap of one group", "1:2:3:4:5:6:7::", AF_INET6 },
	{ "gap with eight groups", "1:2:3:4:5:6:7::8", -1 },
	{ "nine groups", "1:2:3:4:5:6:7:8:9", -1 },
	{ "seven groups", "1:2:3:4:5:6:7", -1 },
	{ "two gaps", "1::2::3", -1 },
	{ "five hex digits", "12345::1", -1 },
	{ "leading single colon", ":1::2", -1 },
	{ "trailing single colon", "1::2:", -1 },
	{ "triple colon", "1:::2", -1 },
	{ "IPv4 tail", "::ffff:192.0.2.1", AF_INET6 },
	{ "IPv4 tail, full", "1:2:3:4:5:6:192.0.2.1", AF_INET6 },
	{ "IPv4 tail too late", "1:2:3:4:5:6:7:192.0.2.1", -1 },
	{ "bad IPv4 tail", "::ffff:192.0.2", -1 },
	{ "zone index", "fe80::1%eth0", -1 },
	{ "bracketed", "[::1]", -1 },
	{ "not hex", "2001:db8::g", -1 },
};

static void
test_parse(void)
{
	unsigned char a[16], b[16];
	size_t i;
	int fam, rc, pton;

	for (i = 0; i < sizeof(literals) / sizeof(literals[0]); i++) {
		fam = 0;
		rc = addr_parse(literals[i].in, &fam, a);
		ok(literals[i].want == -1 ? rc == -1 :
		    rc == 0 && fam == literals[i].want,
		    "parse: %s", literals[i].name);
		/* The one parser accepts what inet_pton accepts, with the
		 * same bytes: the SNI and curl checks used to ask it. */
		pton = inet_pton(AF_INET, literals[i].in, b) == 1 ? AF_INET :
		    inet_pton(AF_INET6, literals[i].in, b) == 1 ? AF_INET6 :
		    -1;
		ok(pton == literals[i].want && (pton == -1 ||
		    memcmp(a, b, pton == AF_INET ? 4 : 16) == 0),
		    "parse: %s: as inet_pton", literals[i].name);
	}
	ok(addr_parse_ip4("10.1.2.3/24", 8, a) == 0 && a[3] == 3,
	    "ip4: only the n bytes given are read");
	ok(addr_parse_ip6("::1/64", 3, a) == 0 && a[15] == 1,
	    "ip6: only the n bytes given are read");
}

static const struct {
	const char	*in;
	const char	*want;
} reverses[] = {
	{ "192.0.2.1", "1.2.0.192.in-addr.arpa" },
	{ "2001:db8::567:89ab", "b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0"
	    ".0.0.8.b.d.0.1.0.0.2.ip6.arpa" },		/* RFC 3596 §2.5 */
};

static void
test_reverse(void)
{
	unsigned char a[16];
	char out[ADDR_REVERSE_MAX], small[ADDR_REVERSE_MAX - 1];
	size_t i;
	int fam;

	for (i = 0; i < sizeof(reverses) / sizeof(reverses[0]); i++) {
		addr_parse(reverses[i].in, &fam, a);
		is_str(addr_reverse(fam, a, out, sizeof(out)), reverses[i].want,
		    reverses[i].in);
	}
	addr_parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", &fam, a);
	ok(strlen(addr_reverse(fam, a, out, sizeof(out))) ==
	    ADDR_REVERSE_MAX - 1, "the longest name fits ADDR_REVERSE_MAX");
	is_str(addr_reverse(fam, a, small, sizeof(small)), "",
	    "a buffer too small gets an empty name, not half of one");
}

static const struct {
	const char	*name;
	const char	*a, *b;
	unsigned	 len;
	int		 want;
} prefixes[] = {
	{ "/24 same", "192.0.2.1", "192.0.2.200", 24, 1 },
	{ "/25 differs", "192.0.2.1", "192.0.2.200", 25, 0 },
	{ "/0 any", "192.0.2.1", "10.0.0.1", 0, 1 },
	{ "/32 same", "192.0.2.1", "192.0.2.1", 32, 1 },
	{ "/33 too long", "192.0.2.1", "192.0.2.1", 33, 0 },
	{ "/12 inside the byte", "172.31.0.1", "172.16.0.0", 12, 1 },
	{ "/12 outside", "172.32.0.1", "172.16.0.0", 12, 0 },
	{ "v6 /32", "2001:db8::1", "2001:db8:ffff::", 32, 1 },
	{ "v6 /48 differs", "2001:db8:1::1", "2001:db8:2::", 48, 0 },
	{ "v6 /128", "::1", "::1", 128, 1 },
	{ "v6 /129 too long", "::1", "::1", 129, 0 },
};

static void
test_prefix(void)
{
	unsigned char a[16], b[16];
	size_t i;
	int fa, fb;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		addr_parse(prefixes[i].a, &fa, a);
		addr_parse(prefixes[i].b, &fb, b);
		is_int(addr_prefix_match(fa, a, b, prefixes[i].len),
		    prefixes[i].want, prefixes[i].name);
	}
}

static void
test_sockaddr(void)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	unsigned char a[16];
	socklen_t sl;
	int fam;

	addr_parse("127.0.0.2", &fam, a);
	addr_sockaddr(fam, a, 2525, &ss, &sl);
	ok(sl == sizeof(*s4) && s4->sin_family == AF_INET &&
	    ntohs(s4->sin_port) == 2525 &&
	    memcmp(&s4->sin_addr, a, 4) == 0, "sockaddr: IPv4");
	addr_parse("::1", &fam, a);
	addr_sockaddr(fam, a, 25, &ss, &sl);
	ok(sl == sizeof(*s6) && s6->sin6_family == AF_INET6 &&
	    ntohs(s6->sin6_port) == 25 &&
	    memcmp(&s6->sin6_addr, a, 16) == 0 && s6->sin6_scope_id == 0,
	    "sockaddr: IPv6");
}

static const struct {
	const char	*in;
	enum addr_class	 want;
} classes[] = {
	{ "8.8.8.8", ADDR_PUBLIC },
	{ "10.9.8.7", ADDR_PRIVATE },
	{ "127.0.0.1", ADDR_LOOPBACK },
	{ "169.254.3.3", ADDR_LINKLOCAL },
	{ "100.64.1.1", ADDR_SHARED },
	{ "192.0.2.1", ADDR_DOCUMENTATION },
	{ "240.0.0.1", ADDR_RESERVED },
	{ "::ffff:192.168.1.1", ADDR_PRIVATE },
	{ "::1", ADDR_LOOPBACK },
	{ "fe80::1", ADDR_LINKLOCAL },
	{ "2001:db8::1", ADDR_DOCUMENTATION },
	{ "2a00:1450::1", ADDR_PUBLIC },
	{ "4000::1", ADDR_RESERVED },
};

static void
test_classes(void)
{
	unsigned char a[16];
	size_t i;
	int fam;

	for (i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
		addr_parse(classes[i].in, &fam, a);
		is_str(addr_class_name(addr_classify(fam, a)),
		    addr_class_name(classes[i].want), classes[i].in);
	}
	addr_parse("8.8.8.8", &fam, a);
	ok(addr_cdn(fam, a) == NULL, "8.8.8.8 is in no CDN range");
}

/* Who a sender could connect to, and what the lab options add. */
static const struct {
	const char	*in;
	int		 allow;
	int		 want;
} usable[] = {
	{ "8.8.8.8", 0, 1 },
	{ "2001:4860:4860::8888", 0, 1 },
	{ "127.0.0.1", 0, 0 },
	{ "127.0.0.1", ADDR_ALLOW_LOOPBACK, 1 },
	{ "::1", ADDR_ALLOW_LOOPBACK, 1 },
	{ "127.0.0.1", ADDR_ALLOW_DOCUMENTATION, 0 },
	{ "2001:db8::25", 0, 0 },
	{ "2001:db8::25", ADDR_ALLOW_LOOPBACK, 0 },
	{ "2001:db8::25", ADDR_ALLOW_DOCUMENTATION, 1 },
	{ "192.0.2.25", ADDR_ALLOW_DOCUMENTATION, 1 },
	{ "10.0.0.1", ADDR_ALLOW_LOOPBACK | ADDR_ALLOW_DOCUMENTATION, 0 },
	{ "fe80::1", ADDR_ALLOW_LOOPBACK | ADDR_ALLOW_DOCUMENTATION, 0 },
};

static void
test_usable(void)
{
	unsigned char a[16];
	size_t i;
	int fam;

	for (i = 0; i < sizeof(usable) / sizeof(usable[0]); i++) {
		addr_parse(usable[i].in, &fam, a);
		ok(addr_usable(fam, a, usable[i].allow) == usable[i].want,
		    "%s with allow %d: %s", usable[i].in, usable[i].allow,
		    usable[i].want ? "usable" : "not usable");
	}
}

int
main(void)
{
	test_usable();
	test_parse();
	test_reverse();
	test_prefix();
	test_sockaddr();
	test_classes();
	return tap_done();
}
