/*
 * Unit tests for src/analyze/analyze_mx.c over literal facts: an MX set
 * as probe_mx would leave it (hosts, their addresses and lookups, the
 * null MX, the wildcard probe, the CD retry of a bogus answer) and the
 * MX_*, DOMAIN_*, DNSSEC_BOGUS findings of analyze_mx(); the DNS and
 * socket limits of analyze_limits(); analyze_missing_dot() and
 * analyze_addr_usable().
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/analyze.h"
#include "analyze/findings.h"
#include "facts/dns_facts.h"
#include "facts/mx_facts.h"
#include "facts/probe_facts.h"
#include "util/buf.h"
#include "findings_codes.h"
#include "tap.h"

#define NH	24

static struct mx_host hosts[NH];
static struct mx_addr addrs[NH][2];
static struct mx_set mx;

static void
setup(void)
{
	memset(hosts, 0, sizeof(hosts));
	memset(addrs, 0, sizeof(addrs));
	memset(&mx, 0, sizeof(mx));
	mx.domain = "ex.test";
	mx.outcome = DNS_OK;
	mx.hosts = hosts;
}

static void
set_addr(struct mx_addr *a, const char *text)
{
	a->family = strchr(text, ':') != NULL ? AF_INET6 : AF_INET;
	if (inet_pton(a->family, text, a->addr) != 1)
		ok(0, "bad address %s in a test", text);
	snprintf(a->text, sizeof(a->text), "%s", text);
}

/* One more exchanger with up to two addresses (NULL: none). */
static struct mx_host *
host(const char *name, unsigned pref, const char *a1, const char *a2)
{
	struct mx_host *h = &hosts[mx.nhost];

	h->name = (char *)name;
	h->pref = (uint16_t)pref;
	h->group = (unsigned)mx.nhost;
	h->a_out = a1 != NULL ? DNS_OK : DNS_NODATA;
	h->aaaa_out = DNS_NODATA;
	h->addrs = addrs[mx.nhost];
	if (a1 != NULL)
		set_addr(&h->addrs[h->naddr++], a1);
	if (a2 != NULL)
		set_addr(&h->addrs[h->naddr++], a2);
	mx.nhost++;
	return h;
}

/* A healthy two-exchanger set, on two public networks. */
static void
setup_good(void)
{
	setup();
	host("mx1.ex.test", 10, "94.130.1.1", NULL);
	host("mx2.ex.test", 20, "95.216.1.1", NULL);
}

/* Runs analyze_mx; finding k has subject and says text (NULL: no check). */
static void
check(const struct analyze_opts *o, const char *want, size_t k,
    const char *subject, const char *text, const char *name)
{
	struct findings *fs = findings_new();
	struct buf *b = buf_new(512);
	const struct finding *f;

	analyze_mx(&mx, o, fs);
	codes(fs, b);
	is_str(buf_str(b), want, name);
	if (text != NULL) {
		if (k < findings_count(fs)) {
			f = findings_get(fs, k);
			is_str(f->subject, subject, name);
			if (!ok(strstr(finding_message(f, 0), text) != NULL,
			    "%s: says \"%s\"", name, text))
				diag("  message: %s", finding_message(f, 0));
		} else
			ok(0, "%s: no finding %zu", name, k);
	}
	buf_free(b);
	findings_free(fs);
}

static void
test_answer(void)
{
	setup_good();
	check(NULL, "", 0, NULL, NULL, "two exchangers, two networks: none");

	setup();
	mx.outcome = DNS_NXDOMAIN;
	check(NULL, "DOMAIN_NXDOMAIN", 0, "ex.test", "ex.test does not exist "
	    "in the DNS (NXDOMAIN).", "NXDOMAIN");

	setup();
	mx.outcome = DNS_SERVFAIL;
	check(NULL, "MX_LOOKUP_FAILED", 0, "ex.test", "The MX records of "
	    "ex.test could not be read: SERVFAIL.", "SERVFAIL");
	setup();
	mx.outcome = DNS_TIMEOUT;
	mx.why = "no answer from 192.0.2.53";
	check(NULL, "MX_LOOKUP_FAILED", 0, "ex.test", "could not be read: "
	    "TIMEOUT, no answer from 192.0.2.53.", "timeout with a reason");

	setup();
	mx.outcome = DNS_SERVFAIL;
	mx.bogus.asked = 1;
	mx.bogus.out = DNS_SERVFAIL;
	check(NULL, "MX_LOOKUP_FAILED", 0, NULL, NULL, "SERVFAIL under CD "
	    "too: not bogus");
}

static void
test_bogus(void)
{
	setup();
	mx.outcome = DNS_SERVFAIL;
	mx.bogus.asked = 1;
	mx.bogus.out = DNS_OK;
	mx.bogus.records = "10 mx.ex.test.";
	check(NULL, "DNSSEC_BOGUS", 0, "ex.test", "the DNSSEC chain is broken "
	    "(bogus), and every sender behind a validating resolver cannot "
	    "find the exchangers. Under CD the records say: MX 10 "
	    "mx.ex.test.. Why could not be told from the DS, the DNSKEY and "
	    "the signatures' dates (a wrong signature or algorithm, or a "
	    "broken chain above ex.test).", "bogus, why unknown");

	mx.bogus.records = NULL;
	mx.bogus.out = DNS_NXDOMAIN;
	check(NULL, "DNSSEC_BOGUS", 0, "ex.test", "Under CD the name does not "
	    "exist (NXDOMAIN).", "bogus, NXDOMAIN under CD");
	mx.bogus.out = DNS_NODATA;
	check(NULL, "DNSSEC_BOGUS", 0, "ex.test", "Under CD there is no MX "
	    "record (NODATA).", "bogus, NODATA under CD");

	mx.bogus.out = DNS_OK;
	mx.bogus.signer = "ex.test";
	mx.bogus.ds_out = DNS_OK;
	mx.bogus.ds_tags[0] = 11111;
	mx.bogus.nds = 1;
	mx.bogus.dnskey_out = DNS_OK;
	mx.bogus.key_tags[0] = 22222;
	mx.bogus.key_tags[1] = 33333;
	mx.bogus.nkey = 2;
	check(NULL, "DNSSEC_BOGUS", 0, "ex.test", "Under CD the records say: "
	    "MX ?. Why: the DS record of ex.test at its parent names key tag "
	    "11111, but the zone's DNSKEY records have key tag 22222, 33333: "
	    "the DS does not match the DNSKEY.", "bogus: DS mismatch");

	mx.bogus.key_tags[1] = 11111;	/* the DS matches: dates next */
	mx.bogus.have_sig = 1;
	mx.bogus.now = 1800000000;
	mx.bogus.inception = 1700000000;
	mx.bogus.expiration = 1790000000;
	check(NULL, "DNSSEC_BOGUS", 0, "ex.test", "Why: the signatures (RRSIG) "
	    "of ex.test expired on 2026-09-21 ", "bogus: expired");

	mx.bogus.signer = NULL;
	mx.bogus.inception = 1810000000;
	mx.bogus.expiration = 1900000000;
	check(NULL, "DNSSEC_BOGUS", 0, "ex.test", "Why: the signatures (RRSIG) "
	    "of ex.test are not valid before 2027-05-11 01:46:40 UTC.",
	    "bogus: not yet valid, no signer: the domain");
}

static void
test_null_implicit(void)
{
	setup();
	mx.null_mx = 1;
	mx.nnull = 1;
	host(".", 0, NULL, NULL);
	check(NULL, "MX_NULL", 0, "ex.test", "ex.test publishes a null MX "
	    "(\"0 .\"): it declares that it accepts no mail.", "null MX");

	setup();
	mx.null_mx = 1;
	mx.nnull = 1;
	host(".", 0, NULL, NULL);
	host("mx1.ex.test", 10, "94.130.1.1", NULL);
	check(NULL, "MX_NULL_MIXED", 0, "ex.test", "publishes a null MX "
	    "next to 1 other MX record(s)", "null MX and another");

	setup();
	mx.implicit = 1;
	host("ex.test", 0, "94.130.1.1", NULL);
	check(NULL, "MX_IMPLICIT", 0, "ex.test", "ex.test has no MX record; "
	    "senders deliver to its own address (94.130.1.1)", "implicit MX");

	setup();
	mx.implicit = 1;
	host("ex.test", 0, NULL, NULL)->a_out = DNS_TIMEOUT;
	check(NULL, "MX_TARGET_LOOKUP_FAILED", 0, "ex.test", "has no MX record "
	    "and its address could not be resolved (A: TIMEOUT, AAAA: "
	    "NODATA).", "implicit, address lookup failed");

	setup();
	mx.implicit = 1;
	mx.outcome = DNS_NODATA;
	host("ex.test", 0, NULL, NULL);
	check(NULL, "MX_NONE", 0, "ex.test", "ex.test has neither an MX "
	    "record nor an address: mail to it cannot be delivered.",
	    "no MX, no address");
}

static void
test_targets(void)
{
	struct analyze_opts o;
	struct mx_host *h;

	setup_good();
	host("mx1.ex.test", 30, "94.130.1.1", NULL);
	check(NULL, "MX_DUPLICATE", 0, "mx1.ex.test", "mx1.ex.test is listed "
	    "more than once in the MX set.", "a name listed twice");

	setup_good();
	host("94.130.2.2", 30, NULL, NULL)->ip_literal = 1;
	check(NULL, "MX_TARGET_IP_LITERAL", 0, "94.130.2.2", "The MX for "
	    "ex.test names the address 94.130.2.2 instead of a host name",
	    "an IP literal");

	setup_good();
	h = host("mail.other.test.ex.test", 30, NULL, NULL);
	h->a_out = DNS_NXDOMAIN;
	h->undotted = "mail.other.test";
	check(NULL, "MX_TARGET_MISSING_DOT", 0, "mail.other.test.ex.test",
	    "The MX target mail.other.test.ex.test does not exist, but "
	    "mail.other.test has an address: the zone file lacks the trailing "
	    "dot after the host name, so the origin was appended to it. Did "
	    "you mean mail.other.test.?", "the undotted name has an address");

	setup_good();
	host("mail.ex.test.ex.test", 30, NULL, NULL)->a_out = DNS_NXDOMAIN;
	check(NULL, "MX_TARGET_MISSING_DOT", 0, "mail.ex.test.ex.test",
	    "repeats the domain at its end: the zone file most likely lacks "
	    "the trailing dot after the host name, and the name has no "
	    "address.", "domain twice, no address: said once");

	setup_good();
	host("mail.ex.test.ex.test", 30, "94.130.3.3", NULL);
	check(NULL, "MX_TARGET_MISSING_DOT", 0, "mail.ex.test.ex.test",
	    "lacks the trailing dot after the host name.", "domain twice, "
	    "with an address");

	setup_good();
	hosts[1].canonical = "real.ex.test";
	check(NULL, "MX_TARGET_CNAME", 0, "mx2.ex.test", "The MX target "
	    "mx2.ex.test is an alias (CNAME) for real.ex.test; an MX must "
	    "name the host itself.", "a CNAME target");

	setup_good();
	h = host("mx3.ex.test", 30, NULL, NULL);
	h->a_out = DNS_SERVFAIL;
	check(NULL, "MX_TARGET_LOOKUP_FAILED", 0, "mx3.ex.test", "The "
	    "addresses of mx3.ex.test could not be resolved (A: SERVFAIL, "
	    "AAAA: NODATA).", "address lookup failed");

	setup_good();
	host("mx3.ex.test", 30, NULL, NULL)->a_out = DNS_NXDOMAIN;
	check(NULL, "MX_TARGET_NXDOMAIN", 0, "mx3.ex.test", "The MX target "
	    "mx3.ex.test does not exist (NXDOMAIN).", "target NXDOMAIN");

	setup_good();
	host("mx3.ex.test", 30, NULL, NULL);
	check(NULL, "MX_TARGET_NO_ADDRESS", 0, "mx3.ex.test", "The MX target "
	    "mx3.ex.test has neither an A nor an AAAA record.",
	    "target without address");

	setup_good();
	host("mx3.ex.test", 30, "10.0.0.1", "10.0.0.2");
	check(NULL, "MX_ADDRESS_PRIVATE", 0, "mx3.ex.test", "mx3.ex.test "
	    "resolves only to addresses no sender on the internet can reach "
	    "(10.0.0.1, ..., private).", "private addresses");

	setup_good();
	host("mx3.ex.test", 30, "96.1.1.1", "192.168.1.1");
	check(NULL, "MX_ADDRESS_SOME_PRIVATE", 0, "mx3.ex.test", "1 of the 2 "
	    "addresses of mx3.ex.test are private.", "one private address");

	setup_good();
	host("mx3.ex.test", 30, "104.16.1.1", NULL);
	check(NULL, "MX_ADDRESS_CDN", 0, "mx3.ex.test", "mx3.ex.test resolves "
	    "to 104.16.1.1, an address of Cloudflare's proxy network, which "
	    "does not accept SMTP.", "a CDN address");

	/* Loopback and documentation addresses: usable in labs only. */
	setup();
	host("mx1.ex.test", 10, "127.0.0.1", NULL);
	check(NULL, "MX_ADDRESS_PRIVATE MX_NO_USABLE_EXCHANGER", 1, "ex.test",
	    "None of the 1 exchanger(s) of ex.test has an address a sender "
	    "could connect to: mail cannot be delivered.", "loopback");
	memset(&o, 0, sizeof(o));
	o.allow_loopback = 1;
	check(&o, "", 0, NULL, NULL, "loopback with --allow-loopback");
	setup();
	host("mx1.ex.test", 10, "192.0.2.1", NULL);
	check(&o, "MX_ADDRESS_PRIVATE MX_NO_USABLE_EXCHANGER", 0,
	    "mx1.ex.test", "(192.0.2.1, documentation)", "documentation");
	o.allow_documentation = 1;
	check(&o, "", 0, NULL, NULL, "documentation with "
	    "--allow-documentation");

	setup();
	host("mx1.ex.test", 10, "104.16.1.1", NULL);
	check(NULL, "MX_ADDRESS_CDN MX_NO_USABLE_EXCHANGER", 0, NULL, NULL,
	    "only a CDN address: nothing usable");

	setup();
	host("mx1.ex.test", 10, NULL, NULL)->a_out = DNS_TIMEOUT;
	check(NULL, "MX_TARGET_LOOKUP_FAILED", 0, NULL, NULL, "a failed "
	    "lookup: not judged unusable");

	setup();
	host("mx1.ex.test", 10, "2a01:4f8::1", NULL);
	host("mx2.ex.test", 20, "2a01:4f9::1", NULL);
	check(NULL, "MX_IPV6_ONLY", 0, "ex.test", "Every exchanger of ex.test "
	    "is reachable over IPv6 only", "IPv6 only");

	setup_good();
	mx.wildcard_name = "x1y2z3.ex.test";
	mx.wildcard_target = "catchall.ex.test";
	check(NULL, "MX_WILDCARD", 0, "ex.test", "A random name under ex.test "
	    "(x1y2z3.ex.test) has an MX record too (catchall.ex.test): the "
	    "zone has a wildcard MX.", "wildcard MX");
}

static void
test_limits_set(void)
{
	struct mx_host *h;

	setup_good();
	h = host("mx11.ex.test", 110, NULL, NULL);
	h->over_limit = 1;
	h->a_out = DNS_TIMEOUT;
	mx.nover = 1;
	check(NULL, "MX_LIMIT_EXCHANGERS", 0, "ex.test", "ex.test lists 3 "
	    "exchangers; the 10 most preferred were checked, the other 1 "
	    "were not resolved or probed.", "too many exchangers: the one "
	    "over is not judged");

	setup_good();
	hosts[0].naddr_over = 3;
	check(NULL, "MX_LIMIT_ADDRESSES", 0, "mx1.ex.test", "mx1.ex.test has "
	    "more than 4 addresses of one family; 3 address(es) beyond the "
	    "first 4 of each family were not probed.", "one host over");
	hosts[1].naddr_over = 2;
	check(NULL, "MX_LIMIT_ADDRESSES", 0, "mx1.ex.test", "mx1.ex.test (and "
	    "other exchangers) has more than 4 addresses of one family; 5 "
	    "address(es) beyond the first 4 of each family were not probed "
	    "in all.", "two hosts over");
}

static void
test_redundancy(void)
{
	char names[NH][16];
	size_t i;

	setup();
	host("mx.ex.test", 10, "94.130.1.1", NULL);
	host("mx.ex.test", 20, "94.130.1.1", NULL);
	check(NULL, "MX_DUPLICATE MX_NO_REDUNDANCY", 1, "ex.test", "The 2 MX "
	    "records of ex.test all name mx.ex.test (preferences 10 to 20): a "
	    "sender that fails there tries the same server again",
	    "one host at two preferences");

	setup();
	host("mx1.ex.test", 10, "94.130.1.1", NULL);
	host("mx2.ex.test", 20, "94.130.1.1", NULL);
	check(NULL, "MX_NO_REDUNDANCY", 0, "ex.test", "The 2 MX records of "
	    "ex.test name hosts with the same address (94.130.1.1): one "
	    "server, no backup.", "two names, one address");

	setup();
	host("mx1.ex.test", 10, "94.130.1.1", "2a01:4f8::1");
	host("mx2.ex.test", 20, "94.130.1.1", "2a01:4f8::1");
	check(NULL, "MX_NO_REDUNDANCY", 0, "ex.test", "name hosts with the "
	    "same addresses (94.130.1.1, ...): one server", "two names, the "
	    "same two addresses");

	setup();
	host("mx1.ex.test", 10, "94.130.1.1", NULL);
	host("mx2.ex.test", 20, "94.130.1.1", NULL);
	host("mx3.ex.test", 30, "95.216.1.1", NULL);
	check(NULL, "MX_SHARED_ADDRESS", 0, "mx2.ex.test", "These exchangers "
	    "share an address: mx1.ex.test, mx2.ex.test (94.130.1.1). When "
	    "that server is down, all of them are.", "two of three share");

	setup();
	host("mx1.ex.test", 10, "94.130.1.1", NULL);
	host("mx2.ex.test", 20, "94.130.1.1", NULL);
	host("mx3.ex.test", 30, "95.216.1.1", NULL);
	host("mx4.ex.test", 40, "95.216.1.1", NULL);
	check(NULL, "MX_SHARED_ADDRESS", 0, "mx2.ex.test", "2 groups of "
	    "exchangers share an address: mx1.ex.test, mx2.ex.test "
	    "(94.130.1.1); mx3.ex.test, mx4.ex.test (95.216.1.1). When such a "
	    "server is down, its whole group is.", "two groups");

	/* Ten names on one address and one other server: eight shown. */
	setup();
	for (i = 0; i < 10; i++) {
		snprintf(names[i], sizeof(names[i]), "m%zu.ex.test", i);
		host(names[i], (unsigned)(10 + i), "94.130.1.1", NULL);
	}
	host("other.ex.test", 99, "95.216.1.1", NULL);
	check(NULL, "MX_SHARED_ADDRESS", 0, "m1.ex.test", "m0.ex.test, "
	    "m1.ex.test, m2.ex.test, m3.ex.test, m4.ex.test, m5.ex.test, "
	    "m6.ex.test, m7.ex.test, 2 more (94.130.1.1)", "a big group: "
	    "names cut");

	/* Nine pairs: eight groups shown. */
	setup();
	for (i = 0; i < 18; i++) {
		char a[32];

		snprintf(names[i], sizeof(names[i]), "m%zu.ex.test", i);
		snprintf(a, sizeof(a), "94.130.%zu.1", i / 2);
		host(names[i], (unsigned)(10 + i), a, NULL);
	}
	check(NULL, "MX_SHARED_ADDRESS", 0, "m1.ex.test", "9 groups of "
	    "exchangers share an address: m0.ex.test, m1.ex.test "
	    "(94.130.0.1);", "nine groups");
	check(NULL, "MX_SHARED_ADDRESS", 0, "m1.ex.test", "its whole group "
	    "is. 1 more group is not shown.", "nine groups: one not shown");
}

static void
limits_check(const struct probe_facts *f, const char *want, size_t k,
    const char *text, const char *name)
{
	struct findings *fs = findings_new();
	struct buf *b = buf_new(512);

	analyze_limits(f, fs);
	codes(fs, b);
	is_str(buf_str(b), want, name);
	if (text != NULL && k < findings_count(fs) &&
	    !ok(strstr(finding_message(findings_get(fs, k), 0), text) != NULL,
	    "%s: says \"%s\"", name, text))
		diag("  message: %s", finding_message(findings_get(fs, k), 0));
	else if (text != NULL && k >= findings_count(fs))
		ok(0, "%s: no finding %zu", name, k);
	buf_free(b);
	findings_free(fs);
}

static void
test_limits(void)
{
	struct probe_facts f;
	struct probe_old old[2];

	memset(&f, 0, sizeof(f));
	f.domain = "ex.test";
	limits_check(&f, "", 0, NULL, "nothing over a limit");

	f.dns.limit = 300;
	f.dns.refused = 7;
	limits_check(&f, "DNS_QUERY_LIMIT", 0, "ex.test needed more than 300 "
	    "DNS questions; 7 were not asked", "questions refused");
	memset(&f.dns, 0, sizeof(f.dns));

	f.dns.cut = 2;
	limits_check(&f, "DNS_ANSWER_CUT", 0, "2 DNS answer(s) for ex.test "
	    "held more than 512 records", "answers cut");
	memset(&f.dns, 0, sizeof(f.dns));

	f.dns.errors = 3;
	f.dns.why[0] = "a.ex.test: bad label";
	f.dns.why[1] = "b.ex.test: truncated";
	f.dns.nwhy = 2;
	limits_check(&f, "DNS_ANSWER_ERRORS", 0, "3 DNS answer(s) for ex.test "
	    "could not be read: a.ex.test: bad label; b.ex.test: truncated; "
	    "1 more.", "answers unreadable");
	f.dns.errors = 2;
	limits_check(&f, "DNS_ANSWER_ERRORS", 0, "b.ex.test: truncated.",
	    "every reason shown");
	memset(&f.dns, 0, sizeof(f.dns));

	memset(old, 0, sizeof(old));
	old[0].name = "old.ex.test";
	old[0].naddr_over = 4;
	old[1].name = "prop.ex.test";
	old[1].from_propagation = 1;
	old[1].naddr_over = 2;
	f.old = old;
	f.nold = 2;
	limits_check(&f, "MX_LIMIT_ADDRESSES", 0, "prop.ex.test, an exchanger "
	    "of another MX set the --propagation servers give, has more than "
	    "4 addresses", "a --propagation exchanger over (not --old-mx)");
	f.nold = 0;

	f.smtp_queued = 5;
	limits_check(&f, "SMTP_SOCKETS_QUEUED", 0, "5 SMTP session(s) of "
	    "ex.test waited for a free connection slot (at most 16 per "
	    "domain", "sessions queued for a slot");
	f.smtp_queued = 0;

	f.smtp_addr_queued = 1;
	f.addr_cap = 2;
	strcpy(f.addr_queued[0], "94.130.1.1");
	f.naddr_queued = 1;
	limits_check(&f, "SMTP_SOCKETS_QUEUED", 0, "1 SMTP session of ex.test "
	    "waited for the per-address cap (at most 2 open at once to one "
	    "address, --per-address), at 94.130.1.1.", "one queued per "
	    "address");
	f.smtp_addr_queued = 3;
	strcpy(f.addr_queued[1], "95.216.1.1");
	f.naddr_queued = 2;
	limits_check(&f, "SMTP_SOCKETS_QUEUED", 0, "3 SMTP sessions of ex.test "
	    "waited for the per-address cap (at most 2 open at once to one "
	    "address, --per-address), at 94.130.1.1, 95.216.1.1.", "three "
	    "queued per address");
}

static void
test_helpers(void)
{
	struct analyze_opts o;
	unsigned char a[16];

	ok(analyze_missing_dot("example.com", "mail.example.com.example.com"),
	    "mail.example.com.example.com: missing dot");
	ok(analyze_missing_dot("example.com", "example.com.example.com"),
	    "the domain twice");
	ok(analyze_missing_dot("a.example.com",
	    "mx.example.com.example.com"), "a suffix of the domain twice");
	ok(!analyze_missing_dot("example.com", "mail.example.com"),
	    "mail.example.com: fine");
	ok(!analyze_missing_dot("example.com", "mail.com.com"), "a TLD twice "
	    "is no hint");
	ok(!analyze_missing_dot("example.com", "mx.other.example.com"),
	    "another name under the domain: fine");

	memset(&o, 0, sizeof(o));
	inet_pton(AF_INET, "94.130.1.1", a);
	ok(analyze_addr_usable(NULL, AF_INET, a), "public: usable");
	inet_pton(AF_INET, "10.1.1.1", a);
	ok(!analyze_addr_usable(&o, AF_INET, a), "private: not usable");
	inet_pton(AF_INET, "127.0.0.1", a);
	ok(!analyze_addr_usable(NULL, AF_INET, a), "loopback: not usable");
	o.allow_loopback = 1;
	ok(analyze_addr_usable(&o, AF_INET, a), "loopback in a lab: usable");
	inet_pton(AF_INET6, "2001:db8::1", a);
	ok(!analyze_addr_usable(&o, AF_INET6, a), "documentation: not usable");
	o.allow_documentation = 1;
	ok(analyze_addr_usable(&o, AF_INET6, a), "documentation in a lab: "
	    "usable");
}

int
main(void)
{
	test_answer();
	test_bogus();
	test_null_implicit();
	test_targets();
	test_limits_set();
	test_redundancy();
	test_limits();
	test_helpers();
	return tap_done();
}
