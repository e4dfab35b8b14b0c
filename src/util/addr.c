#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util/addr.h"
#include "util/i18n.h"

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
		N_("public"), N_("private"), N_("loopback"), N_("link-local"),
		N_("shared (CGNAT)"), N_("documentation"), N_("reserved")
	};

	return i18n_reason((unsigned)c < sizeof(names) / sizeof(names[0]) ?
	    names[c] : names[ADDR_RESERVED]);
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

/* ip4-network: qnum "." qnum "." qnum "." qnum, no leading zeros. */
int
addr_parse_ip4(const char *s, size_t n, unsigned char *out)
{
	size_t i = 0, k, start;
	unsigned v;

	for (k = 0; k < 4; k++) {
		if (k > 0) {
			if (i >= n || s[i] != '.')
				return -1;
			i++;
		}
		start = i;
		v = 0;
		while (i < n && isdigit((unsigned char)s[i]) && i - start < 4)
			v = v * 10 + (unsigned)(s[i++] - '0');
		if (i == start || i - start > 3 || v > 255 ||
		    (s[start] == '0' && i - start > 1))
			return -1;
		out[k] = (unsigned char)v;
	}
	return i == n ? 0 : -1;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* RFC 4291 §2.2 text form, with an optional dotted IPv4 tail. */
int
addr_parse_ip6(const char *s, size_t n, unsigned char *out)
{
	unsigned w[8];
	unsigned char v4[4];
	size_t i = 0, j, k;
	int nw = 0, gap = -1, moved;
	unsigned v;

	if (n >= 2 && s[0] == ':' && s[1] == ':') {
		gap = 0;
		i = 2;
	} else if (n == 0 || s[0] == ':')
		return -1;
	while (i < n) {
		j = i;
		while (j < n && hexval((unsigned char)s[j]) >= 0)
			j++;
		if (j < n && s[j] == '.') {
			if (nw > 6 || addr_parse_ip4(s + i, n - i, v4) == -1)
				return -1;
			w[nw++] = (unsigned)v4[0] << 8 | v4[1];
			w[nw++] = (unsigned)v4[2] << 8 | v4[3];
			i = n;
			break;
		}
		if (j == i || j - i > 4 || nw >= 8)
			return -1;
		for (v = 0, k = i; k < j; k++)
			v = v << 4 | (unsigned)hexval((unsigned char)s[k]);
		w[nw++] = v;
		i = j;
		if (i == n)
			break;
		if (s[i] != ':')
			return -1;
		i++;
		if (i < n && s[i] == ':') {
			if (gap >= 0)
				return -1;
			gap = nw;
			i++;
		} else if (i == n)
			return -1;
	}
	if (gap >= 0) {
		if (nw >= 8)
			return -1;
		moved = nw - gap;
		for (k = 0; k < (size_t)moved; k++)
			w[7 - k] = w[nw - 1 - k];
		for (k = (size_t)gap; k < (size_t)(8 - moved); k++)
			w[k] = 0;
	} else if (nw != 8)
		return -1;
	for (k = 0; k < 8; k++) {
		out[2 * k] = (unsigned char)(w[k] >> 8);
		out[2 * k + 1] = (unsigned char)(w[k] & 0xff);
	}
	return 0;
}

int
addr_parse(const char *s, int *family, unsigned char *out)
{
	size_t n = strlen(s);

	if (memchr(s, ':', n) != NULL) {
		if (addr_parse_ip6(s, n, out) == -1)
			return -1;
		*family = AF_INET6;
		return 0;
	}
	if (addr_parse_ip4(s, n, out) == -1)
		return -1;
	*family = AF_INET;
	return 0;
}

const char *
addr_reverse(int family, const unsigned char *a, char *out, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, o = 0;

	if (len < ADDR_REVERSE_MAX) {
		if (len > 0)
			out[0] = '\0';
		return out;
	}
	if (family == AF_INET) {
		snprintf(out, len, "%u.%u.%u.%u.in-addr.arpa", a[3], a[2],
		    a[1], a[0]);
		return out;
	}
	for (i = 16; i-- > 0;) {
		out[o++] = hex[a[i] & 0xf];
		out[o++] = '.';
		out[o++] = hex[a[i] >> 4];
		out[o++] = '.';
	}
	snprintf(out + o, len - o, "ip6.arpa");
	return out;
}

void
addr_sockaddr(int family, const unsigned char *a, int port,
    struct sockaddr_storage *ss, socklen_t *sl)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		memcpy(&s4->sin_addr, a, 4);
		s4->sin_port = htons((uint16_t)port);
		*sl = sizeof(*s4);
	} else {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		memcpy(&s6->sin6_addr, a, 16);
		s6->sin6_port = htons((uint16_t)port);
		*sl = sizeof(*s6);
	}
}

int
addr_usable(int family, const unsigned char *a, int allow)
{
	enum addr_class c = addr_classify(family, a);

	if (c == ADDR_PUBLIC)
		return 1;
	if (c == ADDR_DOCUMENTATION)
		return (allow & ADDR_ALLOW_DOCUMENTATION) != 0;
	return c == ADDR_LOOPBACK && (allow & ADDR_ALLOW_LOOPBACK) != 0;
}
