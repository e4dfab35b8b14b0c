/*
 * fuzz_tlsa - bytes as the RDATA of one TLSA answer (RFC 6698 §2.1):
 * wrapped in a DNS message for dns_wire_parse(), then each parsed record
 * handed to OpenSSL's DANE through tls_conn_dane() on a connection that
 * never connects (SSL_dane_tlsa_add decodes full certificates and public
 * keys of matching type 0). The parse keeps usage, selector, matching
 * type and the n - 3 octets of data; DANE setup returns 0 or -1 with a
 * reason.
 */
#include <string.h>

#include "fuzz.h"
#include "util/buf.h"
#include "parse/dns_wire.h"
#include "net/tls.h"

const char	fuzz_corpus[] = "tlsa";
const unsigned	fuzz_mutations = 20000;

/* "_25._tcp.mx.example." TLSA IN, one answer pointing at the question. */
static const uint8_t head[] = {
	0x12, 0x34, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0,
	3, '_', '2', '5', 4, '_', 't', 'c', 'p', 2, 'm', 'x',
	7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0, 0, 52, 0, 1,
	0xc0, 0x0c, 0, 52, 0, 1, 0, 0, 0x0e, 0x10
};

static struct tls_ctx *ctx;

static int
dane(const struct dns_rr *rr)
{
	struct tls_tlsa rec;
	struct tls_conn *c;
	struct buf *why = buf_new(BUF_WHY_MAX);
	int good = 1, rv;

	if (ctx == NULL && (ctx = tls_ctx_new(NULL, why)) == NULL) {
		buf_free(why);
		return 0;
	}
	if ((c = tls_conn_new(ctx, -1, "mx.example", why)) == NULL) {
		buf_free(why);
		return 0;
	}
	rec.usage = rr->u.tlsa.usage;
	rec.selector = rr->u.tlsa.selector;
	rec.mtype = rr->u.tlsa.mtype;
	rec.data = rr->u.tlsa.data;
	rec.len = rr->u.tlsa.len;
	rv = tls_conn_dane(c, "mx.example", &rec, 1, 1, why);
	if (rv != 0 && (rv != -1 || buf_len(why) == 0))
		good = 0;
	tls_conn_free(c);
	buf_free(why);
	return good;
}

int
exercise(const uint8_t *p, size_t n)
{
	static uint8_t msg[sizeof(head) + 2 + 65535];
	struct dns_msg m;
	struct buf *why;
	size_t i;
	int good = 1;

	if (n > 65535)
		n = 65535;
	memcpy(msg, head, sizeof(head));
	msg[sizeof(head)] = (uint8_t)(n >> 8);
	msg[sizeof(head) + 1] = (uint8_t)n;
	memcpy(msg + sizeof(head) + 2, p, n);
	why = buf_new(BUF_WHY_MAX);
	if (dns_wire_parse(msg, sizeof(head) + 2 + n, &m, why) != 0) {
		/* Only RDATA too short for the three octets may fail. */
		good = n < 3 && buf_len(why) > 0;
		buf_free(why);
		return good;
	}
	if (m.nrr != 1 || m.rr[0].type != DNS_T_TLSA ||
	    m.rr[0].u.tlsa.len != n - 3 ||
	    m.rr[0].u.tlsa.usage != p[0] ||
	    m.rr[0].u.tlsa.selector != p[1] ||
	    m.rr[0].u.tlsa.mtype != p[2] ||
	    memcmp(m.rr[0].u.tlsa.data, p + 3, n - 3) != 0)
		good = 0;
	for (i = 0; good && i < m.nrr; i++)
		good = dane(&m.rr[i]);
	dns_wire_free(&m);
	buf_free(why);
	return good;
}
