/*
 * Unit tests for src/probe/probe_mx.c and the MX part of src/analyze/analyze.c: ordering and
 * groups, implicit MX, null MX, over the fake DNS backend and over
 * literal structs.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/addr.h"
#include "facts/limits.h"
#include "facts/probe_facts.h"
#include "analyze/analyze.h"
#include "net/dns.h"
#include "net/evloop.h"
#include "analyze/findings.h"
#include "probe/probe_mx.h"
#include "util/xalloc.h"
#include "fake_zone.h"
#include "tap.h"

static const struct zrr *zone;

static enum dns_outcome
fake(void *arg, const char *name, int type, struct dns_rr **rrs, size_t *n)
{
	const struct zrr *z;
	int exists = 0;

	(void)arg;
	*rrs = NULL;
	*n = 0;
	for (z = zone; z->name != NULL; z++) {
		if (strcasecmp(z->name, name) != 0)
			continue;
		exists = 1;
		if (z->type != type && z->type != DNS_T_CNAME)
			continue;
		zone_add(rrs, n, name, z);
		(*rrs)[*n - 1].ttl = 600;
	}
	if (!exists)
		return DNS_NXDOMAIN;
	return DNS_OK;
}

static struct mx_set *got;

static void
on_done(struct mx_set *s, void *arg)
{
	(void)arg;
	got = s;
}

static struct mx_set *
resolve(const struct zrr *z, const char *domain)
{
	struct evloop *l = evloop_new();
	struct dns *d = dns_new_fake(l, fake, NULL);

	zone = z;
	got = NULL;
	probe_mx_start(d, domain, on_done, NULL);
	evloop_run(l);
	dns_free(d);
	evloop_free(l);
	return got;
}

static const struct zrr z_order[] = {
	{ "ex.test", DNS_T_MX, "30 c.ex.test" },
	{ "ex.test", DNS_T_MX, "10 a.ex.test" },
	{ "ex.test", DNS_T_MX, "20 b1.ex.test" },
	{ "ex.test", DNS_T_MX, "20 b2.ex.test" },
	{ "a.ex.test", DNS_T_A, "192.0.2.1" },
	{ "a.ex.test", DNS_T_AAAA, "2001:db8::1" },
	{ "b1.ex.test", DNS_T_A, "198.51.100.1" },
	{ "b2.ex.test", DNS_T_A, "198.51.100.2" },
	{ "c.ex.test", DNS_T_A, "203.0.113.3" },
	{ NULL, 0, NULL }
};

static void
test_order(void)
{
	struct mx_set *s = resolve(z_order, "ex.test");

	ok(s != NULL, "resolution finishes");
	if (s == NULL)
		return;
	is_int(s->outcome, DNS_OK, "MX outcome OK");
	is_int(s->nhost, 4, "four exchangers");
	is_str(s->hosts[0].name, "a.ex.test", "lowest preference first");
	is_int(s->hosts[0].naddr, 2, "A and AAAA both collected");
	is_int(s->hosts[1].pref, 20, "then preference 20");
	is_int(s->hosts[1].group, 1, "20s are group 1");
	is_int(s->hosts[2].group, 1, "both 20s share the group");
	is_str(s->hosts[3].name, "c.ex.test", "highest preference last");
	is_int(s->hosts[3].group, 2, "30 is group 2");
	is_int(s->ttl, 600, "MX TTL kept");
	ok(s->wildcard_target == NULL, "no wildcard");
	mx_set_free(s);
}

static const struct zrr z_implicit[] = {
	{ "im.test", DNS_T_A, "192.0.2.9" },
	{ NULL, 0, NULL }
};

static const struct zrr z_null[] = {
	{ "nu.test", DNS_T_MX, "0 ." },
	{ NULL, 0, NULL }
};

static const struct zrr z_cname[] = {
	{ "cn.test", DNS_T_MX, "10 mail.cn.test" },
	{ "mail.cn.test", DNS_T_CNAME, "real.cn.test" },
	{ "real.cn.test", DNS_T_A, "192.0.2.7" },
	{ NULL, 0, NULL }
};

static void
test_implicit_null_cname(void)
{
	struct mx_set *s;
	struct findings *fs;
	struct analyze_opts o = { 0, NULL, 0, 0 };

	s = resolve(z_implicit, "im.test");
	is_int(s->outcome, DNS_NODATA, "no MX is NODATA");
	is_int(s->implicit, 1, "implicit MX");
	is_int(s->nhost, 1, "the domain itself");
	is_str(s->hosts[0].name, "im.test", "implicit host is the domain");
	is_int(s->hosts[0].pref, 0, "implicit preference 0");
	fs = findings_new();
	analyze_mx(s, &o, fs);
	ok(findings_has(fs, F_MX_IMPLICIT), "MX_IMPLICIT raised");
	ok(!findings_has(fs, F_MX_NONE), "not MX_NONE");
	findings_free(fs);
	mx_set_free(s);

	s = resolve(z_null, "nu.test");
	is_int(s->null_mx, 1, "null MX seen");
	fs = findings_new();
	analyze_mx(s, &o, fs);
	ok(findings_has(fs, F_MX_NULL), "MX_NULL raised");
	is_int(findings_count(fs), 1, "and nothing else");
	is_int(findings_status(fs), 0, "null MX alone is OK status");
	findings_free(fs);
	mx_set_free(s);

	s = resolve(z_cname, "cn.test");
	is_str(s->hosts[0].canonical, "real.cn.test", "CNAME target kept");
	is_int(s->hosts[0].naddr, 1, "address through the CNAME");
	fs = findings_new();
	analyze_mx(s, &o, fs);
	ok(findings_has(fs, F_MX_TARGET_CNAME), "MX_TARGET_CNAME raised");
	findings_free(fs);
	mx_set_free(s);
}

/* Literal structs straight into the analysis. */
static void
test_analyze_literal(void)
{
	struct mx_host h[2];
	struct mx_set s;
	struct findings *fs;
	struct analyze_opts o = { 0, NULL, 0, 0 }, lab = { 1, NULL, 0, 0 };

	memset(&s, 0, sizeof(s));
	memset(h, 0, sizeof(h));
	s.domain = "ex.test";
	s.outcome = DNS_OK;
	s.hosts = h;
	s.nhost = 1;
	h[0].name = "mx.ex.test";
	h[0].a_out = DNS_OK;
	h[0].aaaa_out = DNS_NODATA;
	h[0].naddr = 1;
	h[0].addrs = xcalloc(1, sizeof(struct mx_addr));
	h[0].addrs[0].family = AF_INET;
	inet_pton(AF_INET, "127.0.0.5", h[0].addrs[0].addr);
	strcpy(h[0].addrs[0].text, "127.0.0.5");

	fs = findings_new();
	analyze_mx(&s, &o, fs);
	ok(findings_has(fs, F_MX_ADDRESS_PRIVATE), "loopback is unusable "
	    "without --allow-loopback");
	findings_free(fs);
	fs = findings_new();
	analyze_mx(&s, &lab, fs);
	is_int(findings_count(fs), 0, "loopback fine in a lab");
	findings_free(fs);

	h[0].naddr = 0;
	h[0].a_out = DNS_SERVFAIL;
	fs = findings_new();
	analyze_mx(&s, &o, fs);
	ok(findings_has(fs, F_MX_TARGET_LOOKUP_FAILED), "SERVFAIL on the "
	    "target is a lookup failure");
	is_int(findings_status(fs), 3, "and UNKNOWN status");
	findings_free(fs);

	s.outcome = DNS_TIMEOUT;
	fs = findings_new();
	analyze_mx(&s, &o, fs);
	ok(findings_has(fs, F_MX_LOOKUP_FAILED), "MX timeout: lookup failed");
	is_int(findings_count(fs), 1, "and no verdict beside it");
	findings_free(fs);
	free(h[0].addrs);

	ok(analyze_missing_dot("example.com", "mail.example.com.example.com"),
	    "missing dot: domain twice");
	ok(analyze_missing_dot("sub.example.com",
	    "mx.example.com.example.com"), "missing dot: parent zone twice");
	ok(!analyze_missing_dot("example.com", "mail.example.com"),
	    "a proper target is not flagged");
	ok(!analyze_missing_dot("example.com", "com.com.example.com"),
	    "a TLD repeated is not flagged");
}

static void
test_addr(void)
{
	int f;
	unsigned char a[16];

	addr_parse("10.9.8.7", &f, a);
	is_int(addr_classify(f, a), ADDR_PRIVATE, "10/8 private");
	addr_parse("100.64.1.1", &f, a);
	is_int(addr_classify(f, a), ADDR_SHARED, "100.64/10 shared");
	addr_parse("169.254.3.3", &f, a);
	is_int(addr_classify(f, a), ADDR_LINKLOCAL, "169.254/16 link-local");
	addr_parse("8.8.8.8", &f, a);
	is_int(addr_classify(f, a), ADDR_PUBLIC, "8.8.8.8 public");
	addr_parse("::ffff:192.168.1.1", &f, a);
	is_int(addr_classify(f, a), ADDR_PRIVATE, "mapped IPv4 classified "
	    "as IPv4");
	addr_parse("fe80::1", &f, a);
	is_int(addr_classify(f, a), ADDR_LINKLOCAL, "fe80::/10 link-local");
	addr_parse("2a00:1450::1", &f, a);
	is_int(addr_classify(f, a), ADDR_PUBLIC, "2a00:: public");
	addr_parse("104.16.132.229", &f, a);
	is_str(addr_cdn(f, a), "Cloudflare", "Cloudflare range");
	addr_parse("2606:4700::1", &f, a);
	is_str(addr_cdn(f, a), "Cloudflare", "Cloudflare IPv6 range");
	addr_parse("151.101.1.1", &f, a);
	is_str(addr_cdn(f, a), "Fastly", "Fastly range");
	addr_parse("192.0.2.1", &f, a);
	ok(addr_cdn(f, a) == NULL, "documentation address is no CDN");
	ok(addr_parse("mail.example.com", &f, a) == -1, "a name is no "
	    "address");
}

/*
 * A hostile set: 15 exchangers on one address, the first with 6 A and
 * 5 AAAA records. Only LIMIT_MX_HOSTS are resolved, LIMIT_MX_ADDRS of
 * each family kept, each limit is a finding, and the shared address is
 * one finding for the group, not one per pair (45 pairs here).
 */
static void
test_limits(void)
{
	struct zrr z[64];
	char names[16][32], mxv[16][40], a6[8][32], a4[8][32];
	struct mx_set *s;
	struct findings *fs;
	struct analyze_opts o = { 0, NULL, 0, 0 };
	const struct finding *f;
	size_t i, n = 0, shared = 0, noaddr = 0;

	for (i = 0; i < 15; i++) {
		snprintf(names[i], sizeof(names[i]), "h%zu.lim.test", i);
		snprintf(mxv[i], sizeof(mxv[i]), "%zu %s", 10 + i, names[i]);
		z[n++] = (struct zrr){ "lim.test", DNS_T_MX, mxv[i] };
		z[n++] = (struct zrr){ names[i], DNS_T_A, "192.0.2.1" };
	}
	for (i = 0; i < 5; i++) {
		snprintf(a4[i], sizeof(a4[i]), "192.0.2.%zu", 20 + i);
		z[n++] = (struct zrr){ "h0.lim.test", DNS_T_A, a4[i] };
		snprintf(a6[i], sizeof(a6[i]), "2001:db8::%zu", 1 + i);
		z[n++] = (struct zrr){ "h0.lim.test", DNS_T_AAAA, a6[i] };
	}
	z[n] = (struct zrr){ NULL, 0, NULL };
	s = resolve(z, "lim.test");
	ok(s != NULL, "hostile set: resolution finishes");
	if (s == NULL)
		return;
	is_int(s->nhost, 15, "every exchanger listed");
	is_int(s->nover, 15 - LIMIT_MX_HOSTS, "those past the limit counted");
	ok(!s->hosts[LIMIT_MX_HOSTS - 1].over_limit &&
	    s->hosts[LIMIT_MX_HOSTS].over_limit, "the most preferred are "
	    "probed, the rest not");
	is_int(s->hosts[LIMIT_MX_HOSTS].naddr, 0, "one past the limit is not "
	    "resolved");
	ok(!mx_host_probed(s, LIMIT_MX_HOSTS), "and not probed");
	is_int(s->hosts[0].naddr, 2 * LIMIT_MX_ADDRS, "addresses kept: the "
	    "limit per family");
	is_int(s->hosts[0].naddr_over, 6 + 5 - 2 * LIMIT_MX_ADDRS,
	    "addresses dropped counted");
	fs = findings_new();
	analyze_mx(s, &o, fs);
	ok(findings_has(fs, F_MX_LIMIT_EXCHANGERS), "MX_LIMIT_EXCHANGERS");
	ok(findings_has(fs, F_MX_LIMIT_ADDRESSES), "MX_LIMIT_ADDRESSES");
	for (i = 0; i < findings_count(fs); i++) {
		f = findings_get(fs, i);
		if (f->code == F_MX_SHARED_ADDRESS) {
			shared++;
			is_str(f->subject, "h1.lim.test", "the shared-address "
			    "finding names the first backup");
		}
		if (f->code == F_MX_TARGET_NO_ADDRESS ||
		    f->code == F_MX_TARGET_LOOKUP_FAILED)
			noaddr++;
	}
	is_int(shared, 1, "one shared-address finding for the group");
	is_int(noaddr, 0, "no address verdict on the exchangers not asked");
	findings_free(fs);
	mx_set_free(s);
}

/* The domain's costs, from literal facts: each limit reached is said. */
static void
test_limits_facts(void)
{
	struct probe_facts f;
	struct findings *fs;

	memset(&f, 0, sizeof(f));
	f.domain = "ex.test";
	fs = findings_new();
	analyze_limits(&f, fs);
	is_int(findings_count(fs), 0, "nothing reached: no limit finding");
	findings_free(fs);

	f.dns.limit = LIMIT_DNS_QUERIES;
	f.dns.asked = LIMIT_DNS_QUERIES;
	f.dns.refused = 7;
	f.dns.errors = 6;
	f.dns.why[0] = xstrdup("a.ex.test/MX: CNAME chain too long or "
	    "looping");
	f.dns.nwhy = 1;
	f.smtp_queued = 3;
	fs = findings_new();
	analyze_limits(&f, fs);
	ok(findings_has(fs, F_DNS_QUERY_LIMIT), "DNS_QUERY_LIMIT");
	ok(findings_has(fs, F_DNS_ANSWER_ERRORS), "DNS_ANSWER_ERRORS");
	ok(findings_count(fs) == 3 && strstr(findings_get(fs, 1)->message,
	    "CNAME chain too long") != NULL && strstr(findings_get(fs,
	    1)->message, "; 5 more.") != NULL, "the reasons are listed");
	ok(findings_has(fs, F_SMTP_SOCKETS_QUEUED), "SMTP_SOCKETS_QUEUED");
	ok(!findings_has(fs, F_DNS_ANSWER_CUT), "no cut answer: no "
	    "DNS_ANSWER_CUT");
	is_int(findings_status(fs), 0, "limits alone are no verdict");
	findings_free(fs);
	dns_tally_clear(&f.dns);
}

int
main(void)
{
	test_order();
	test_limits_facts();
	test_limits();
	test_implicit_null_cname();
	test_analyze_literal();
	test_addr();
	return tap_done();
}
