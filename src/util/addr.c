#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "util/addr.h"

struct cdn_range {
	const char	*prefix;
	int		 len;
	const char	*name;
};

static const struct cdn_range cdn[] = {
#include "util/cdn_ranges.h"
};

struct special {
	const char	*prefix;
	unsigned	 len;
	enum addr_class	 cls;
};

/* RFC 6890 and its updates; longest-prefix order does not matter since
 * no two entries overlap with different classes. */
static const struct special special4[] = {
	{ "0.0.0.0", 8, ADDR_RESERVED },
	{ "10.0.0.0", 8, ADDR_PRIVATE },
	{ "100.64.0.0", 10, ADDR_SHARED },
	{ "127.0.0.0", 8, ADDR_LOOPBACK },
	{ "169.254.0.0", 16, ADDR_LINKLOCAL },
	{ "172.16.0.0", 12, ADDR_PRIVATE },
	{ "192.0.0.0", 24, ADDR_RESERVED },
	{ "192.0.2.0", 24, ADDR_DOCUMENTATION },
	{ "192.88.99.0", 24, ADDR_RESERVED },
	{ "192.168.0.0", 16, ADDR_PRIVATE },
	{ "198.18.0.0", 15, ADDR_RESERVED },
	{ "198.51.100.0", 24, ADDR_DOCUMENTATION },
	{ "203.0.113.0", 24, ADDR_DOCUMENTATION },
	{ "224.0.0.0", 4, ADDR_RESERVED },
	{ "240.0.0.0", 4, ADDR_RESERVED },
};

static const struct special special6[] = {
	{ "::", 128, ADDR_RESERVED },
	{ "::1", 128, ADDR_LOOPBACK },
	{ "64:ff9b:1::", 48, ADDR_RESERVED },
	{ "100::", 64, ADDR_RESERVED },
	{ "2001::", 23, ADDR_RESERVED },
	{ "2001:db8::", 32, ADDR_DOCUMENTATION },
	{ "3fff::", 20, ADDR_DOCUMENTATION },
	{ "fc00::", 7, ADDR_PRIVATE },
	{ "fe80::", 10, ADDR_LINKLOCAL },
	{ "fec0::", 10, ADDR_RESERVED },
	{ "ff00::", 8, ADDR_RESERVED },
};

int
addr_prefix_match(int family, const unsigned char *a, const unsigned char *p,
    unsigned len)
{
	unsigned full = len / 8, rest = len % 8;
	unsigned char mask;

	if (len > (family == AF_INET ? 32u : 128u))
		return 0;
	if (memcmp(a, p, full) != 0)
		return 0;
	if (rest == 0)
		return 1;
	mask = (unsigned char)(0xff << (8 - rest));
	return (a[full] & mask) == (p[full] & mask);
}

static int
mapped4(const unsigned char *a)
{
	static const unsigned char pfx[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0xff, 0xff };

	return memcmp(a, pfx, 12) == 0;
}

enum addr_class
addr_classify(int family, const unsigned char *a)
{
	unsigned char p[16];
	size_t i;

	if (family == AF_INET6 && mapped4(a))
		return addr_classify(AF_INET, a + 12);
	if (family == AF_INET) {
		for (i = 0; i < sizeof(special4) / sizeof(special4[0]); i++) {
			inet_pton(AF_INET, special4[i].prefix, p);
			if (addr_prefix_match(AF_INET, a, p, special4[i].len))
				return special4[i].cls;
		}
		return ADDR_PUBLIC;
	}
	for (i = 0; i < sizeof(special6) / sizeof(special6[0]); i++) {
		inet_pton(AF_INET6, special6[i].prefix, p);
		if (addr_prefix_match(AF_INET6, a, p, special6[i].len))
			return special6[i].cls;
	}
	/* Only 2000::/3 is global unicast today. */
	if ((a[0] & 0xe0) != 0x20)
		return ADDR_RESERVED;
	return ADDR_PUBLIC;
}

const char *
addr_class_name(enum addr_class c)
{
	static const char *names[] = {
		"public", "private", "loopback", "link-local",
		"shared (CGNAT)", "documentation", "reserved"
	};

	return (unsigned)c < sizeof(names) / sizeof(names[0]) ?
	    names[c] : "reserved";
}

const char *
addr_cdn(int family, const unsigned char *a)
{
	unsigned char p[16];
	size_t i;
	int f;

	if (family == AF_INET6 && mapped4(a))
		return addr_cdn(AF_INET, a + 12);
	for (i = 0; i < sizeof(cdn) / sizeof(cdn[0]); i++) {
		f = strchr(cdn[i].prefix, ':') ? AF_INET6 : AF_INET;
		if (f != family || inet_pton(f, cdn[i].prefix, p) != 1)
			continue;
		if (addr_prefix_match(f, a, p, (unsigned)cdn[i].len))
			return cdn[i].name;
	}
	return NULL;
}

int
addr_same_net(int family, const unsigned char *a, const unsigned char *b)
{
	return addr_prefix_match(family, a, b, family == AF_INET ? 24 : 48);
}

const char *
addr_text(int family, const unsigned char *a, char *out, size_t len)
{
	if (inet_ntop(family, a, out, (socklen_t)len) == NULL)
		out[0] = '\0';
	return out;
}

int
addr_parse(const char *s, int *family, unsigned char *out)
{
	if (inet_pton(AF_INET, s, out) == 1) {
		*family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, out) == 1) {
		*family = AF_INET6;
		return 0;
	}
	return -1;
}

int
addr_usable(int family, const unsigned char *a, int allow_loopback)
{
	enum addr_class c = addr_classify(family, a);

	if (c == ADDR_PUBLIC)
		return 1;
	return c == ADDR_LOOPBACK && allow_loopback;
}
