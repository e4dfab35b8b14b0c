/*
 * Unit tests for src/report/report_mx.c: one exchanger as JSON (host,
 * preference, group, addresses, address_records, lookups, cname,
 * ip_literal, dnssec; the over-limit members only when set) and the "MX"
 * text section (TTL, null MX, implicit MX, failed lookup, addresses,
 * limits); hostile names come out escaped.
 */
#include <sys/socket.h>

#include <stdio.h>

#include "facts/dns_facts.h"
#include "facts/mx_facts.h"
#include "report/report.h"
#include "util/buf.h"
#include "report_check.h"

static struct buf *b;

static const char *
text(const struct mx_set *mx, report_ulabel_fn ul)
{
	buf_reset(b);
	report_mx_text(mx, ul, b);
	return buf_str(b);
}

/* A fake IDN converter: one known A-label. */
static const char *
ulabel(const char *name, char *u, size_t n)
{
	if (strcmp(name, "xn--bcher-kva.example") != 0)
		return NULL;
	snprintf(u, n, "b\xc3\xbc" "cher.example");
	return u;
}

int
main(void)
{
	struct mx_addr a1[] = {
		{ AF_INET, { 192, 0, 2, 1 }, "192.0.2.1", 300 },
		{ AF_INET6, { 0x20, 0x01, 0x0d, 0xb8 }, "2001:db8::1", 600 },
	};
	struct mx_host hosts[] = {
		{ "mx1.example.com", 10, 0, 0, DNS_OK, DNS_OK, NULL, 0, a1, 2,
		    1, 0, 0, NULL },
		{ "alias.example.com", 20, 1, 0, DNS_NXDOMAIN, DNS_NODATA,
		    "real.example.net", 1, NULL, 0, 0, 0, 3, NULL },
		{ "xn--bcher-kva.example", 30, 2, 0, DNS_OK, DNS_OK, NULL, 0,
		    NULL, 0, 0, 1, 0, NULL },
		{ ".", 0, 3, 0, DNS_OK, DNS_OK, NULL, 0, NULL, 0, 0, 0, 0,
		    NULL },
	};
	struct mx_host evil[] = {
		{ "mx\x1b[2J\r\n|\xff.example.com", 10, 0, 0, DNS_SERVFAIL,
		    DNS_TIMEOUT, "c\x1b\r\n|\xc3(", 1, NULL, 0, 0, 0, 0, NULL },
	};
	struct mx_set mx = { "example.com", DNS_OK, NULL, 3600, 1, 0, 0, 1,
	    hosts, 4, 1, NULL, DNS_OK, NULL, 0, { 0 } };
	struct mx_set imp = { "example.com", DNS_NODATA, NULL, 0, 0, 1, 0, 0,
	    NULL, 0, 0, NULL, DNS_OK, NULL, 0, { 0 } };
	struct mx_set fail = { "example.com", DNS_SERVFAIL, NULL, 0, 0, 0, 0,
	    0, NULL, 0, 0, NULL, DNS_OK, NULL, 0, { 0 } };
	struct mx_set bad = { "example.com", DNS_OK, NULL, 60, 0, 0, 0, 0,
	    evil, 1, 0, NULL, DNS_OK, NULL, 0, { 0 } };
	struct json_object *o;
	const char *s;

	b = buf_new(REPORT_BUF_MAX);
	check_json(report_mx_host_json(&hosts[0]),
	    "{\"host\":\"mx1.example.com\",\"preference\":10,\"group\":0,"
	    "\"addresses\":[\"192.0.2.1\",\"2001:db8::1\"],\"address_reco"
	    "rds\":[{\"address\":\"192.0.2.1\",\"family\":4,\"ttl\":300},"
	    "{\"address\":\"2001:db8::1\",\"family\":6,\"ttl\":600}],\"a_"
	    "lookup\":\"ok\",\"aaaa_lookup\":\"ok\",\"cname\":null,\"ip_l"
	    "iteral\":false,\"dnssec\":true}",
	    "mx json: resolved");
	check_json(report_mx_host_json(&hosts[1]),
	    "{\"host\":\"alias.example.com\",\"preference\":20,\"group\":"
	    "1,\"addresses_over_limit\":3,\"addresses\":[],\"address_reco"
	    "rds\":[],\"a_lookup\":\"nxdomain\",\"aaaa_lookup\":\"nodata\""
	    ",\"cname\":\"real.example.net\",\"ip_literal\":false,\"dnsse"
	    "c\":false}",
	    "mx json: CNAME, no address, over the address limit");
	check_json(report_mx_host_json(&hosts[2]),
	    "{\"host\":\"xn--bcher-kva.example\",\"preference\":30,\"grou"
	    "p\":2,\"over_limit\":true,\"addresses\":[],\"address_records"
	    "\":[],\"a_lookup\":\"ok\",\"aaaa_lookup\":\"ok\",\"cname\":n"
	    "ull,\"ip_literal\":false,\"dnssec\":false}",
	    "mx json: over the host limit");

	is_str(text(&mx, NULL),
	    "\nMX\n  TTL 3600 s, DNSSEC-authenticated\n     10 mx1.exampl"
	    "e.com\n          192.0.2.1\n          2001:db8::1\n     20 a"
	    "lias.example.com  (CNAME -> real.example.net)\n          (3 "
	    "more addresses not probed)\n          no address (A NXDOMAIN"
	    ", AAAA NODATA)\n     30 xn--bcher-kva.example\n          not"
	    " resolved (past the exchangers probed)\n      0 .  (null MX)"
	    "\n",
	    "mx text: TTL, hosts, limits, null MX");
	is_str(text(&mx, ulabel),
	    "\nMX\n  TTL 3600 s, DNSSEC-authenticated\n     10 mx1.exampl"
	    "e.com\n          192.0.2.1\n          2001:db8::1\n     20 a"
	    "lias.example.com  (CNAME -> real.example.net)\n          (3 "
	    "more addresses not probed)\n          no address (A NXDOMAIN"
	    ", AAAA NODATA)\n     30 bücher.example\n          not resol"
	    "ved (past the exchangers probed)\n      0 .  (null MX)\n",
	    "mx text: U-labels");
	is_str(text(&imp, NULL),
	    "\nMX\n  no MX record: senders use the domain's own address ("
	    "implicit MX)\n",
	    "mx text: implicit MX");
	is_str(text(&fail, NULL), "\nMX\n  MX lookup: SERVFAIL\n",
	    "mx text: lookup failed");
	is_str(text(NULL, NULL), "\nMX\n  MX lookup did not finish in time\n",
	    "mx text: not finished");

	s = text(&bad, NULL);
	ok(text_safe(s), "mx text: hostile names, no control byte");
	is_str(s, "\nMX\n  TTL 60 s\n     10 mx\\x1b[2J\\x0d\\x0a|\\xff.example"
	    ".com  (CNAME -> c\\x1b\\x0d\\x0a|\\xc3()\n          no addre"
	    "ss (A SERVFAIL, AAAA TIMEOUT)\n",
	    "mx text: hostile names escaped");
	o = report_mx_host_json(&evil[0]);
	ok(json_safe(o), "mx json: hostile names, valid UTF-8");
	check_json(o,
	    "{\"host\":\"mx\\\\x1b[2J\\\\x0d\\\\x0a|\\\\xff.example.com\""
	    ",\"preference\":10,\"group\":0,\"addresses\":[],\"address_re"
	    "cords\":[],\"a_lookup\":\"servfail\",\"aaaa_lookup\":\"timeo"
	    "ut\",\"cname\":\"c\\\\x1b\\\\x0d\\\\x0a|\\\\xc3(\",\"ip_lite"
	    "ral\":false,\"dnssec\":false}",
	    "mx json: hostile names escaped");
	buf_free(b);
	return tap_done();
}
