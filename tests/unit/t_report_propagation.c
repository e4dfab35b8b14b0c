/*
 * Unit tests for src/report/report_propagation.c: "propagation" in JSON
 * (zone, ns, converged, servers[] with role, outcome, mx[], ttl and
 * serial null when unknown, agrees, smtp) and the "Propagation" text
 * (zone and name servers, each server's set, TTL, serial, flags, a
 * failed lookup, the --wait line); hostile names come out escaped.
 */
#include <stdio.h>

#include "facts/dns_facts.h"
#include "facts/propagation_facts.h"
#include "report/report.h"
#include "util/buf.h"
#include "report_check.h"

#define HOSTILE	"\x1b[2J\r\nOK|\xff\xc3("

static struct buf *b;

static const char *
text(const struct propagation_facts *f, const char **expect)
{
	buf_reset(b);
	propagation_text(f, expect, NULL, b);
	return buf_str(b);
}

static struct json_object *
json(const struct propagation_facts *f, const char **expect)
{
	struct json_object *o = json_object_new_object();

	propagation_json(f, expect, NULL, o);
	return o;
}

int
main(void)
{
	static char *ns[] = { "ns1.example.com", "ns2.example.net" };
	static const char *expect[] = { "mx1.example.com", NULL };
	struct propagation_mx set1[] = { { 10, "mx1.example.com", 0 } };
	struct propagation_mx set2[] = { { 10, "old.example.com", 0 },
	    { 20, "far.example.org", 1 } };
	struct propagation_mx evil[] = { { 10, "mx" HOSTILE, 0 } };
	struct propagation_server servers[] = {
		{ PROPAGATION_AUTHORITATIVE, "ns1.example.com", "192.0.2.53",
		    DNS_OK, 1, 0, set1, 1, 3600, 1, NULL, 2026120601, 1,
		    PROPAGATION_SMTP_PROBED_SET },
		{ PROPAGATION_AUTHORITATIVE, "ns2.example.net", NULL,
		    DNS_NXDOMAIN, 0, 0, NULL, 0, 0, 0, "no address", 0, 0,
		    PROPAGATION_SMTP_UNKNOWN },
		{ PROPAGATION_RESOLVER, "198.51.100.1", "198.51.100.1",
		    DNS_OK, 0, 1, set2, 2, 300, 1, NULL, 0, 0,
		    PROPAGATION_SMTP_DOWN },
		{ PROPAGATION_RESOLVER, "198.51.100.2", "198.51.100.2",
		    DNS_TIMEOUT, 0, 0, NULL, 0, 0, 0, NULL, 0, 0,
		    PROPAGATION_SMTP_UNKNOWN },
	};
	struct propagation_facts f = { "example.com", "example.com", DNS_OK,
	    NULL, ns, 2, 1, servers, 4, 0, 1, 0, NULL, 0 };
	struct propagation_facts nsfail = { "example.com", NULL,
	    DNS_SERVFAIL, "all servers failed", NULL, 0, 0, NULL, 0, 1, 3,
	    61000, NULL, 0 };
	struct json_object *o;
	const char *s;

	b = buf_new(REPORT_BUF_MAX);
	o = json(&f, expect);
	is_str(json_plain(json_object_object_get(json_object_object_get(o,
	    "propagation"), "servers")),
	    "[{\"role\":\"authoritative\",\"name\":\"ns1.example.com\",\""
	    "address\":\"192.0.2.53\",\"outcome\":\"ok\",\"aa\":true,\"re"
	    "ferral\":false,\"mx\":[{\"preference\":10,\"host\":\"mx1.exa"
	    "mple.com\"}],\"ttl\":3600,\"serial\":2026120601,\"agrees\":t"
	    "rue,\"why\":null,\"smtp\":\"probed-set\"},{\"role\":\"author"
	    "itative\",\"name\":\"ns2.example.net\",\"address\":null,\"ou"
	    "tcome\":\"nxdomain\",\"aa\":false,\"referral\":false,\"mx\":"
	    "[],\"ttl\":null,\"serial\":null,\"agrees\":null,\"why\":\"no"
	    " address\",\"smtp\":\"unknown\"},{\"role\":\"resolver\",\"na"
	    "me\":\"198.51.100.1\",\"address\":\"198.51.100.1\",\"outcome"
	    "\":\"ok\",\"aa\":false,\"referral\":true,\"mx\":[{\"preferen"
	    "ce\":10,\"host\":\"old.example.com\"},{\"preference\":20,\"h"
	    "ost\":\"far.example.org\",\"over_limit\":true}],\"ttl\":300,"
	    "\"serial\":null,\"agrees\":null,\"why\":null,\"smtp\":\"down"
	    "\"},{\"role\":\"resolver\",\"name\":\"198.51.100.2\",\"addre"
	    "ss\":\"198.51.100.2\",\"outcome\":\"timeout\",\"aa\":false,\""
	    "referral\":false,\"mx\":[],\"ttl\":null,\"serial\":null,\"ag"
	    "rees\":null,\"why\":null,\"smtp\":\"unknown\"}]",
	    "propagation json: servers");
	json_object_object_del(json_object_object_get(o, "propagation"),
	    "servers");
	check_json(o,
	    "{\"propagation\":{\"domain\":\"example.com\",\"zone\":\"exam"
	    "ple.com\",\"ns_lookup\":\"ok\",\"ns\":[\"ns1.example.com\",\""
	    "ns2.example.net\"],\"left_out\":1,\"converged\":false,\"time"
	    "d_out\":false,\"rounds\":1,\"waited_ms\":0}}",
	    "propagation json: the top members");
	check_json(json(&nsfail, NULL),
	    "{\"propagation\":{\"domain\":\"example.com\",\"zone\":null,\""
	    "ns_lookup\":\"servfail\",\"ns\":[],\"left_out\":0,\"converge"
	    "d\":false,\"timed_out\":true,\"rounds\":3,\"waited_ms\":6100"
	    "0,\"servers\":[]}}",
	    "propagation json: NS lookup failed, timed out");
	o = json_object_new_object();
	propagation_json(NULL, NULL, NULL, o);
	check_json(o, "{}", "propagation json: none, nothing added");

	is_str(text(&f, expect),
	    "\nPropagation\n  zone example.com, name servers: ns1.example"
	    ".com ns2.example.net (1 more left out)\n  authoritative ns1."
	    "example.com (192.0.2.53): 10 mx1.example.com, TTL 3600 s, SO"
	    "A serial 2026120601  [agrees]\n  authoritative ns2.example.n"
	    "et (no address): NXDOMAIN (no address)\n  resolver      "
	    "198.51.100.1: 10 old.example.com, 20 far.example.org, TTL "
	    "300 s, referral (no recursion), no exchanger answers on port"
	    " 25, 1 exchanger not probed (limit)\n  resolver      198.51."
	    "100.2: TIMEOUT\n",
	    "propagation text");
	is_str(text(&nsfail, NULL),
	    "\nPropagation\n  NS lookup: SERVFAIL (all servers failed)\n"
	    "  not yet everywhere after 3 checks in 61 s\n",
	    "propagation text: NS lookup failed, the --wait line");

	/* A hostile exchanger, zone, name server and server name. */
	servers[0].mx = evil;
	servers[2].name = "r" HOSTILE;
	ns[1] = "ns" HOSTILE;
	f.zone = "z" HOSTILE;
	s = text(&f, expect);
	ok(text_safe(s), "propagation text: hostile names, no control byte");
	is_str(s,
	    "\nPropagation\n  zone z\\x1b[2J\\x0d\\x0aOK|\\xff\\xc3(, nam"
	    "e servers: ns1.example.com ns\\x1b[2J\\x0d\\x0aOK|\\xff\\xc3"
	    "( (1 more left out)\n  authoritative ns1.example.com (192.0."
	    "2.53): 10 mx\\x1b[2J\\x0d\\x0aOK|\\xff\\xc3(, TTL 3600 s, "
	    "SOA serial 20261206"
	    "01  [differs]\n  authoritative ns2.example.net (no address):"
	    " NXDOMAIN (no address)\n  resolver      r\\x1b[2J\\x0d"
	    "\\x0aOK|\\xff\\xc3(: 10 old.example.com, 20 far.example.org,"
	    " TTL 300 s, referral (no recursion), no exchanger answers on"
	    " port 25, 1 exchanger not probed (limit)\n  resolver      19"
	    "8.51.100.2: TIMEOUT\n",
	    "propagation text: hostile names escaped");
	/* A name as dns_wire gives it (\DDD kept) is not escaped twice. */
	servers[2].name = "r\\046x.example";
	ns[1] = "ns\\032y.example";
	s = text(&f, expect);
	ok(strstr(s, "resolver      r\\046x.example: ") != NULL &&
	    strstr(s, " ns\\032y.example (1 more") != NULL,
	    "propagation text: DNS escapes kept, not doubled");
	servers[2].name = "r" HOSTILE;
	ns[1] = "ns" HOSTILE;
	o = json(&f, expect);
	ok(json_safe(o), "propagation json: hostile names, valid UTF-8");
	json_object_put(o);
	buf_free(b);
	return tap_done();
}
