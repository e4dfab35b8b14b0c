/*
 * fuzz_dns_wire - DNS answers into dns_wire_parse(). What parses keeps
 * the promises of dns_wire.h (owners and MX hosts set, names within
 * DNS_NAME_MAX, TXT data NUL-terminated, at most DNS_WIRE_MAX_RR kept);
 * what does not comes with a reason.
 */
#include <string.h>

#include "fuzz.h"
#include "util/buf.h"
#include "parse/dns_wire.h"

const char	fuzz_corpus[] = "dns_wire";
const unsigned	fuzz_mutations = 30000;

int
exercise(const uint8_t *p, size_t n)
{
	struct dns_msg m;
	struct buf *why = buf_new(BUF_WHY_MAX);
	size_t i;
	int good = 1;

	if (dns_wire_parse(p, n, &m, why) != 0) {
		good = buf_len(why) > 0;
		buf_free(why);
		return good;
	}
	if (m.nrr > DNS_WIRE_MAX_RR || m.size > n)
		good = 0;
	for (i = 0; i < m.nrr; i++) {
		if (m.rr[i].owner == NULL ||
		    strlen(m.rr[i].owner) > DNS_NAME_MAX)
			good = 0;
		else if ((m.rr[i].type == DNS_T_TXT ||
		    m.rr[i].type == DNS_T_SPF) &&
		    m.rr[i].u.txt.data[m.rr[i].u.txt.len] != '\0')
			good = 0;
		else if (m.rr[i].type == DNS_T_MX &&
		    m.rr[i].u.mx.host == NULL)
			good = 0;
	}
	dns_wire_free(&m);
	buf_free(why);
	return good;
}
