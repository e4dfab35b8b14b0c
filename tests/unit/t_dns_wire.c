/* Unit tests for src/parse/dns_wire.c: hand-built answers, good and hostile. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "parse/dns_wire.h"
#include "tap.h"

struct msg {
	unsigned char	b[4096];
	size_t		n;
};

static void
put8(struct msg *m, unsigned v)
{
	m->b[m->n++] = (unsigned char)v;
}

static void
put16(struct msg *m, unsigned v)
{
	put8(m, v >> 8);
	put8(m, v & 0xff);
}

static void
put32(struct msg *m, unsigned long v)
{
	put16(m, (unsigned)(v >> 16));
	put16(m, (unsigned)(v & 0xffff));
}

static void
putname(struct msg *m, const char *name)
{
	const char *p = name, *dot;
	size_t len;

	while (*p) {
		dot = strchr(p, '.');
		len = dot ? (size_t)(dot - p) : strlen(p);
		put8(m, (unsigned)len);
		memcpy(m->b + m->n, p, len);
		m->n += len;
		p += len;
		if (*p == '.')
			p++;
	}
	put8(m, 0);
}

static void
header(struct msg *m, unsigned flags, unsigned qd, unsigned an, unsigned ns)
{
	m->n = 0;
	put16(m, 0x1234);
	put16(m, flags);
	put16(m, qd);
	put16(m, an);
	put16(m, ns);
	put16(m, 0);
}

static void
test_mx_answer(void)
{
	struct msg m;
	struct dns_msg d;
	struct buf *why = buf_new(BUF_WHY_MAX);
	size_t rdpos;

	/* QR RD RA AD, NOERROR; question example.org MX; two MX answers,
	 * the second with a compressed owner and exchange. */
	header(&m, 0x81a0, 1, 3, 0);
	putname(&m, "Example.ORG");
	put16(&m, DNS_T_MX);
	put16(&m, 1);
	put16(&m, 0xc00c);		/* owner -> question name */
	put16(&m, DNS_T_MX);
	put16(&m, 1);
	put32(&m, 300);
	rdpos = m.n;
	put16(&m, 0);
	put16(&m, 10);
	putname(&m, "mx1.example.org");
	m.b[rdpos + 1] = (unsigned char)(m.n - rdpos - 2);
	put16(&m, 0xc00c);
	put16(&m, DNS_T_MX);
	put16(&m, 1);
	put32(&m, 60);
	put16(&m, 8);
	put16(&m, 20);
	put8(&m, 3); memcpy(m.b + m.n, "mx2", 3); m.n += 3;
	put16(&m, 0xc00c);
	/* An unknown type (HINFO-like 13) is counted and skipped. */
	put16(&m, 0xc00c);
	put16(&m, 13);
	put16(&m, 1);
	put32(&m, 60);
	put16(&m, 2);
	put16(&m, 0);
	if (!ok(dns_wire_parse(m.b, m.n, &d, why) == 0, "MX answer parses"))
		diag("  %s", buf_str(why));
	is_int(d.nrr, 2, "two MX kept");
	is_int(d.unknown, 1, "one unknown RR skipped");
	is_int(d.ad, 1, "AD bit");
	is_int(d.ra, 1, "RA bit");
	is_str(d.qname, "example.org", "question lower-cased");
	if (d.nrr == 2) {
		is_int(d.rr[0].u.mx.pref, 10, "first preference");
		is_str(d.rr[0].u.mx.host, "mx1.example.org", "first exchange");
		is_int(d.rr[0].ttl, 300, "first TTL");
		is_str(d.rr[1].u.mx.host, "mx2.example.org",
		    "compressed exchange");
		is_int(d.rr[1].ttl, 60, "second TTL");
	}
	dns_wire_free(&d);
	buf_free(why);
}

static void
test_txt_and_escapes(void)
{
	struct msg m;
	struct dns_msg d;
	struct buf *why = buf_new(BUF_WHY_MAX);

	header(&m, 0x8180, 1, 1, 0);
	putname(&m, "a.example");
	put16(&m, DNS_T_TXT);
	put16(&m, 1);
	put16(&m, 0xc00c);
	put16(&m, DNS_T_TXT);
	put16(&m, 1);
	put32(&m, 5);
	put16(&m, 1 + 7 + 1 + 4 + 1);
	put8(&m, 7); memcpy(m.b + m.n, "v=spf1 ", 7); m.n += 7;
	put8(&m, 4); memcpy(m.b + m.n, "-all", 4); m.n += 4;
	put8(&m, 0);
	ok(dns_wire_parse(m.b, m.n, &d, why) == 0, "TXT parses");
	if (d.nrr == 1) {
		is_str(d.rr[0].u.txt.data, "v=spf1 -all",
		    "strings concatenated without separator");
		is_int(d.rr[0].u.txt.nstr, 3, "three character-strings");
	} else
		ok(0, "one TXT RR");
	dns_wire_free(&d);

	/* A label with a dot and a control byte is escaped. */
	header(&m, 0x8180, 1, 0, 0);
	put8(&m, 3); memcpy(m.b + m.n, "a.\001", 3); m.n += 3;
	put8(&m, 0);
	put16(&m, DNS_T_A);
	put16(&m, 1);
	ok(dns_wire_parse(m.b, m.n, &d, why) == 0, "escaped name parses");
	is_str(d.qname, "a\\.\\001", "dot and control byte escaped");
	dns_wire_free(&d);
	buf_free(why);
}

static void
test_hostile(void)
{
	struct msg m;
	struct dns_msg d;
	struct buf *why = buf_new(BUF_WHY_MAX);
	size_t i;

	/* Compression pointer to itself. */
	header(&m, 0x8180, 1, 0, 0);
	put16(&m, 0xc00c);
	put16(&m, 1);
	put16(&m, 1);
	ok(dns_wire_parse(m.b, m.n, &d, why) == -1, "self pointer rejected");
	ok(strstr(buf_str(why), "pointer") != NULL, "reason names pointer: %s",
	    buf_str(why));
	buf_reset(why);

	/* Header only, claiming an answer. */
	header(&m, 0x8180, 0, 1, 0);
	ok(dns_wire_parse(m.b, m.n, &d, why) == -1, "missing answer rejected");
	buf_reset(why);

	/* Too short for a header. */
	ok(dns_wire_parse(m.b, 5, &d, why) == -1, "5-octet message rejected");
	buf_reset(why);

	/* A name over 255 octets. */
	header(&m, 0x8180, 1, 0, 0);
	for (i = 0; i < 5; i++) {
		put8(&m, 63);
		memset(m.b + m.n, 'a', 63);
		m.n += 63;
	}
	put8(&m, 0);
	put16(&m, 1);
	put16(&m, 1);
	ok(dns_wire_parse(m.b, m.n, &d, why) == -1, "long name rejected");
	buf_reset(why);

	/* A record of 4 octets claiming to be AAAA. */
	header(&m, 0x8180, 1, 1, 0);
	putname(&m, "x");
	put16(&m, DNS_T_AAAA);
	put16(&m, 1);
	put16(&m, 0xc00c);
	put16(&m, DNS_T_AAAA);
	put16(&m, 1);
	put32(&m, 1);
	put16(&m, 4);
	put32(&m, 0x7f000001);
	ok(dns_wire_parse(m.b, m.n, &d, why) == -1, "short AAAA rejected");
	buf_reset(why);

	/* TXT string longer than its record. */
	header(&m, 0x8180, 1, 1, 0);
	putname(&m, "x");
	put16(&m, DNS_T_TXT);
	put16(&m, 1);
	put16(&m, 0xc00c);
	put16(&m, DNS_T_TXT);
	put16(&m, 1);
	put32(&m, 1);
	put16(&m, 3);
	put8(&m, 9);
	put8(&m, 'a');
	put8(&m, 'b');
	put16(&m, 0);
	put16(&m, 0);
	put16(&m, 0);
	ok(dns_wire_parse(m.b, m.n, &d, why) == -1, "overlong TXT rejected");
	buf_free(why);
}

int
main(void)
{
	test_mx_answer();
	test_txt_and_escapes();
	test_hostile();
	is_str(dns_type_name(DNS_T_TLSA), "TLSA", "type name");
	is_str(dns_type_name(4242), "TYPE4242", "unknown type name");
	is_int(dns_type_from_name("mx"), DNS_T_MX, "type from name");
	return tap_done();
}
