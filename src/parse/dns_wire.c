#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "parse/dns_wire.h"
#include "util/i18n.h"
#include "util/xalloc.h"

/*
 * A cursor with a sticky error (OpenSMTPD unpack_dns.c): after the first
 * failure every read returns zeros, and the caller checks err once.
 */
struct cur {
	const unsigned char	*msg;
	size_t			 len;
	size_t			 off;
	const char		*err;
};

static uint8_t
get8(struct cur *c)
{
	if (c->err)
		return 0;
	if (c->off + 1 > c->len) {
		c->err = "message truncated";
		return 0;
	}
	return c->msg[c->off++];
}

static uint16_t
get16(struct cur *c)
{
	uint16_t v;

	if (c->err)
		return 0;
	if (c->off + 2 > c->len) {
		c->err = "message truncated";
		return 0;
	}
	v = (uint16_t)((c->msg[c->off] << 8) | c->msg[c->off + 1]);
	c->off += 2;
	return v;
}

static uint32_t
get32(struct cur *c)
{
	uint32_t hi = get16(c);

	return (hi << 16) | get16(c);
}

/*
 * Read a possibly compressed name at c->off into presentation form.
 * Pointers must point backwards (RFC 1035 §4.1.4 only ever produces such),
 * which rules out loops; the total wire length is capped at 255.
 */
static char *
getname(struct cur *c)
{
	char out[DNS_NAME_MAX + 8];
	size_t o = 0, off, wire = 0, i;
	size_t end = 0;
	int jumped = 0, jumps = 0;
	unsigned lab;
	unsigned char ch;

	if (c->err)
		return xstrdup("");
	off = c->off;
	for (;;) {
		if (off >= c->len) {
			c->err = "name runs past the message";
			return xstrdup("");
		}
		lab = c->msg[off];
		if ((lab & 0xc0) == 0xc0) {
			size_t ptr;

			if (off + 1 >= c->len) {
				c->err = "name runs past the message";
				return xstrdup("");
			}
			ptr = ((lab & 0x3f) << 8) | c->msg[off + 1];
			if (ptr >= off) {
				c->err = "forward or looping compression "
				    "pointer";
				return xstrdup("");
			}
			/*
			 * A name has at most 127 labels, so a legitimate one
			 * needs no more jumps than that; a chain of pointers
			 * to pointers would otherwise cost O(n) per name and
			 * O(n^2) per message.
			 */
			if (++jumps > 127) {
				c->err = "too many compression pointers in a "
				    "name";
				return xstrdup("");
			}
			if (!jumped)
				end = off + 2;
			jumped = 1;
			off = ptr;
			continue;
		}
		if ((lab & 0xc0) != 0) {
			c->err = "unsupported label type";
			return xstrdup("");
		}
		off++;
		wire += lab + 1;
		if (wire > 255) {
			c->err = "name longer than 255 octets";
			return xstrdup("");
		}
		if (lab == 0)
			break;
		if (off + lab > c->len) {
			c->err = "name runs past the message";
			return xstrdup("");
		}
		if (o > 0)
			out[o++] = '.';
		for (i = 0; i < lab; i++) {
			ch = c->msg[off + i];
			if (ch >= 'A' && ch <= 'Z')
				ch = (unsigned char)(ch - 'A' + 'a');
			if (ch == '.' || ch == '\\') {
				out[o++] = '\\';
				out[o++] = (char)ch;
			} else if (ch > ' ' && ch < 0x7f)
				out[o++] = (char)ch;
			else
				o += (size_t)snprintf(out + o, 5, "\\%03u",
				    ch);
		}
		off += lab;
	}
	c->off = jumped ? end : off;
	if (o == 0)
		out[o++] = '.';
	out[o] = '\0';
	return xstrdup(out);
}

static void
skip(struct cur *c, size_t n)
{
	if (c->err)
		return;
	if (c->off + n > c->len) {
		c->err = "record data runs past the message";
		return;
	}
	c->off += n;
}

/* The key tag of a DNSKEY RDATA (RFC 4034 Appendix B; algorithm 1 aside). */
static uint16_t
keytag(const unsigned char *rd, size_t len)
{
	uint32_t ac = 0;
	size_t i;

	for (i = 0; i < len; i++)
		ac += (i & 1) ? rd[i] : (uint32_t)rd[i] << 8;
	ac += (ac >> 16) & 0xffff;
	return ac & 0xffff;
}

static int
parse_rdata(struct cur *c, struct dns_rr *rr, size_t rdlen)
{
	size_t end = c->off + rdlen;
	struct buf *t;
	size_t n;

	if (end > c->len) {
		c->err = "record data runs past the message";
		return -1;
	}
	switch (rr->type) {
	case DNS_T_A:
	case DNS_T_AAAA:
		n = rr->type == DNS_T_A ? 4 : 16;
		if (rdlen != n) {
			c->err = "address record of the wrong length";
			return -1;
		}
		rr->u.a.family = rr->type == DNS_T_A ? AF_INET : AF_INET6;
		memcpy(rr->u.a.addr, c->msg + c->off, n);
		c->off += n;
		break;
	case DNS_T_MX:
		rr->u.mx.pref = get16(c);
		rr->u.mx.host = getname(c);
		break;
	case DNS_T_CNAME:
	case DNS_T_PTR:
	case DNS_T_NS:
		rr->u.name = getname(c);
		break;
	case DNS_T_TXT:
	case DNS_T_SPF:
		t = buf_new(65535);
		while (!c->err && c->off < end) {
			n = get8(c);
			if (c->off + n > end) {
				c->err = "TXT string runs past its record";
				break;
			}
			buf_append(t, c->msg + c->off, n);
			c->off += n;
			rr->u.txt.nstr++;
		}
		rr->u.txt.len = buf_len(t);
		rr->u.txt.data = xmalloc(rr->u.txt.len + 1);
		memcpy(rr->u.txt.data, buf_str(t), rr->u.txt.len + 1);
		buf_free(t);
		break;
	case DNS_T_TLSA:
		if (rdlen < 3) {
			c->err = "TLSA record too short";
			return -1;
		}
		rr->u.tlsa.usage = get8(c);
		rr->u.tlsa.selector = get8(c);
		rr->u.tlsa.mtype = get8(c);
		rr->u.tlsa.len = rdlen - 3;
		rr->u.tlsa.data = xmalloc(rr->u.tlsa.len + 1);
		memcpy(rr->u.tlsa.data, c->msg + c->off, rr->u.tlsa.len);
		c->off += rr->u.tlsa.len;
		break;
	case DNS_T_SOA:
		rr->u.soa.mname = getname(c);
		free(getname(c));
		rr->u.soa.serial = get32(c);
		get32(c);
		get32(c);
		get32(c);
		rr->u.soa.minimum = get32(c);
		break;
	case DNS_T_RRSIG:
		if (rdlen < 18) {
			c->err = "RRSIG record too short";
			return -1;
		}
		rr->u.rrsig.covered = get16(c);
		rr->u.rrsig.alg = get8(c);
		rr->u.rrsig.labels = get8(c);
		get32(c);	/* original TTL */
		rr->u.rrsig.expiration = get32(c);
		rr->u.rrsig.inception = get32(c);
		rr->u.rrsig.keytag = get16(c);
		rr->u.rrsig.signer = getname(c);
		if (!c->err && c->off > end)
			c->err = "RRSIG signer runs past its record";
		else if (!c->err)
			c->off = end;	/* the signature */
		break;
	case DNS_T_DS:
		if (rdlen < 4) {
			c->err = "DS record too short";
			return -1;
		}
		rr->u.ds.keytag = get16(c);
		rr->u.ds.alg = get8(c);
		rr->u.ds.dtype = get8(c);
		c->off = end;		/* the digest */
		break;
	case DNS_T_DNSKEY:
		if (rdlen < 4) {
			c->err = "DNSKEY record too short";
			return -1;
		}
		rr->u.dnskey.keytag = keytag(c->msg + c->off, rdlen);
		rr->u.dnskey.flags = get16(c);
		get8(c);	/* protocol, 3 */
		rr->u.dnskey.alg = get8(c);
		c->off = end;		/* the public key */
		break;
	default:
		return 1;
	}
	if (!c->err && c->off != end)
		c->err = "record data length does not match its contents";
	return c->err ? -1 : 0;
}

static int
known(uint16_t type)
{
	switch (type) {
	case DNS_T_A: case DNS_T_AAAA: case DNS_T_MX: case DNS_T_CNAME:
	case DNS_T_PTR: case DNS_T_NS: case DNS_T_TXT: case DNS_T_SPF:
	case DNS_T_TLSA: case DNS_T_SOA: case DNS_T_RRSIG: case DNS_T_DS:
	case DNS_T_DNSKEY:
		return 1;
	}
	return 0;
}

int
dns_wire_parse(const unsigned char *msg, size_t len, struct dns_msg *m,
    struct buf *why)
{
	struct cur c = { msg, len, 0, NULL };
	uint16_t flags, qd, an, ns;
	size_t i, total, rdlen;
	struct dns_rr rr;
	char *owner;

	memset(m, 0, sizeof(*m));
	m->size = len;
	m->id = get16(&c);
	flags = get16(&c);
	qd = get16(&c);
	an = get16(&c);
	ns = get16(&c);
	get16(&c);
	if (c.err)
		goto fail;
	m->qr = (flags >> 15) & 1;
	m->aa = (flags >> 10) & 1;
	m->tc = (flags >> 9) & 1;
	m->rd = (flags >> 8) & 1;
	m->ra = (flags >> 7) & 1;
	m->ad = (flags >> 5) & 1;
	m->cd = (flags >> 4) & 1;
	m->rcode = flags & 0xf;
	/*
	 * QDCOUNT is the peer's word: stop at the first error rather than
	 * go on 65,535 times allocating empty names past the end.
	 */
	for (i = 0; i < qd && c.err == NULL; i++) {
		owner = getname(&c);
		if (i == 0) {
			m->qname = owner;
			m->qtype = get16(&c);
		} else {
			free(owner);
			get16(&c);
		}
		get16(&c);
	}
	if (c.err)
		goto fail;
	total = (size_t)an + ns;
	for (i = 0; i < total; i++) {
		memset(&rr, 0, sizeof(rr));
		rr.owner = getname(&c);
		rr.type = get16(&c);
		rr.class = get16(&c);
		rr.ttl = get32(&c);
		rdlen = get16(&c);
		rr.section = i < an ? 1 : 2;
		if (c.err) {
			free(rr.owner);
			goto fail;
		}
		if (!known(rr.type) || m->nrr >= DNS_WIRE_MAX_RR) {
			if (known(rr.type))
				m->cut = 1;
			else
				m->unknown++;
			free(rr.owner);
			skip(&c, rdlen);
			if (c.err)
				goto fail;
			continue;
		}
		if (parse_rdata(&c, &rr, rdlen) != 0) {
			dns_rr_free(&rr);
			goto fail;
		}
		/* Capacity doubles: it is nrr whenever nrr is 0 or a power
		 * of two, so 512 answers cost 10 reallocations, not 512. */
		if ((m->nrr & (m->nrr - 1)) == 0)
			m->rr = xreallocarray(m->rr,
			    m->nrr == 0 ? 1 : m->nrr * 2, sizeof(*m->rr));
		m->rr[m->nrr++] = rr;
	}
	return 0;
fail:
	if (why != NULL)
		buf_printf(why, R_("malformed DNS answer: %s"), c.err);
	dns_wire_free(m);
	return -1;
}

void
dns_wire_free(struct dns_msg *m)
{
	size_t i;

	for (i = 0; i < m->nrr; i++)
		dns_rr_free(&m->rr[i]);
	free(m->rr);
	free(m->qname);
	memset(m, 0, sizeof(*m));
}
