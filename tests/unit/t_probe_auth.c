/*
 * t_probe_auth - probe_auth.c (gathering the sender-policy records over a
 * fake resolver) and analyze.c (facts to findings): the DMARC
 * organisational fallback and §7.1 queries, named DKIM selectors, the
 * MTA-STS policy host without an address, --spf-ip results, the callback
 * never running inside probe_auth_start(), and the deadline: whatever did
 * not finish is reported as a failed lookup, never as missing.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "analyze/analyze.h"
#include "net/dns.h"
#include "net/evloop.h"
#include "facts/probe_facts.h"
#include "analyze/findings.h"
#include "probe/probe_mx.h"
#include "probe/probe_auth.h"
#include "net/smtp_session.h"
#include "probe/spf_walk.h"
#include "util/xalloc.h"
#include "fake_zone.h"
#include "tap.h"
#include "util/dname.h"

/* A 1024-bit RSA key (SubjectPublicKeyInfo, base64). */
#define KEY1024 \
	"MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDeKmRFtCTWnoQyIM7KDnpHqU4fq" \
	"IFgCcYqVfyd6axwVNd3jn3KDhdz0Qx0hE9eWACXZ8hsR3VEPS2PYxgR7D+cwQpn8V" \
	"OGpG8Y5olY8B4j4X1jEEf+XSoski7ScQSVTSDub18yT7sgUK2vgUC/INmQ7I7vRjp" \
	"uWNgA54N1hm8sVwIDAQAB"

static const struct zrr zone[] = {
	{ "sub.ex.test", DNS_T_TXT, "v=spf1 ip4:192.0.2.1 -all" },
	{ "_dmarc.ex.test", DNS_T_TXT, "v=DMARC1; p=reject; "
	    "rua=mailto:r@ex.test,mailto:agg@rep.example" },
	{ "ex.test._report._dmarc.rep.example", DNS_T_TXT, "v=DMARC1" },
	{ "s1._domainkey.sub.ex.test", DNS_T_TXT, "v=DKIM1; k=rsa; p="
	    KEY1024 },
	{ "_mta-sts.sub.ex.test", DNS_T_TXT, "v=STSv1; id=20260101" },
	{ "_smtp._tls.sub.ex.test", ZONE_TIMEOUT, NULL },
	/* DKIM economy: NODATA at _domainkey, a key at the 8th guess. */
	{ "_domainkey.nd.ex.test", DNS_T_A, "192.0.2.9" },
	{ "mail._domainkey.nd.ex.test", DNS_T_TXT, "v=DKIM1; k=rsa; p="
	    KEY1024 },
	/* A server without RFC 8020: NXDOMAIN above a real selector. */
	{ "default._domainkey.odd.ex.test", DNS_T_TXT, "v=DKIM1; k=rsa; p="
	    KEY1024 },
};

static char asked[4096];
static struct evloop *loop;
static struct probe_auth *to_cancel;

static enum dns_outcome
fake(void *arg, const char *name, int type, struct dns_rr **rrs,
    size_t *nrr)
{
	(void)arg;
	if (strlen(asked) + strlen(name) + 2 < sizeof(asked)) {
		strcat(asked, name);
		strcat(asked, " ");
	}
	return zone_answer(zone, sizeof(zone) / sizeof(zone[0]), name, type,
	    rrs, nrr);
}

struct got {
	struct auth_facts	*f;
	int			 calls;
};

static void
on_done(struct auth_facts *f, void *arg)
{
	struct got *g = arg;

	g->f = f;
	g->calls++;
}

static int
has(const struct findings *fs, const char *code, const char *subject)
{
	const struct finding *f;
	size_t i;

	for (i = 0; i < findings_count(fs); i++) {
		f = findings_get(fs, i);
		if (strcmp(finding_def(f->code)->code, code) == 0 &&
		    (subject == NULL || (f->subject != NULL &&
		    strcmp(f->subject, subject) == 0)))
			return 1;
	}
	return 0;
}

static void
test_full_run(struct dns *dns)
{
	static const char *sels[] = { "s1", NULL };
	static const char *ips[] = { "192.0.2.1", "198.51.100.1", NULL };
	struct auth_config cfg;
	struct got g;
	struct findings *fs;
	struct probe_auth *ap;

	memset(&cfg, 0, sizeof(cfg));
	memset(&g, 0, sizeof(g));
	cfg.domain = "sub.ex.test";
	cfg.dkim_selectors = sels;
	cfg.spf_ips = ips;
	asked[0] = '\0';
	ap = probe_auth_start(loop, dns, &cfg, on_done, &g);
	ok(ap != NULL, "start returns a handle");
	is_int(g.calls, 0, "the callback does not run inside start");
	evloop_run(loop);
	is_int(g.calls, 1, "the callback runs once");
	if (g.f == NULL)
		return;

	is_str(g.f->org_domain, "ex.test", "organisational domain");
	ok(g.f->spf != NULL, "SPF analysis finished");
	is_str(g.f->spf_state, "done", "SPF state");
	is_int(g.f->dmarc_own.outcome, DNS_NXDOMAIN, "_dmarc.sub: NXDOMAIN");
	is_int(g.f->dmarc.org_queried, 1, "the org domain was asked");
	is_int(g.f->dmarc_org.outcome, DNS_OK, "_dmarc.ex.test answered");
	is_int(g.f->next_targets, 1, "one external report destination");
	if (g.f->next_targets == 1) {
		is_str(g.f->ext[0].host, "rep.example", "its host");
		is_str(g.f->ext[0].qname,
		    "ex.test._report._dmarc.rep.example", "its query name");
		is_int(g.f->ext[0].lookup.outcome, DNS_OK, "answered");
	}
	ok(strstr(asked, "ex.test._report._dmarc.rep.example") != NULL,
	    "the authorisation name was asked");
	is_int(g.f->dmarc.spf, 1, "SPF in place");
	is_int(g.f->dmarc.dkim, 1, "a usable DKIM key");
	is_int(g.f->dkim.named, 1, "selectors named");
	is_int(g.f->dkim.nsel, 1, "only the named selector tried");
	ok(strstr(asked, "default._domainkey") == NULL,
	    "the built-in selectors are not asked when some are named");
	is_int(g.f->mtasts.txt_outcome, DNS_OK, "_mta-sts answered");
	is_int(g.f->mtasts.fetch, MTASTS_FETCH_UNREACHABLE,
	    "no policy host: unreachable");
	is_str(g.f->mtasts.fetch_detail, "mta-sts.sub.ex.test has no "
	    "address (A NXDOMAIN, AAAA NXDOMAIN)", "why");
	is_int(g.f->tlsrpt.outcome, DNS_TIMEOUT, "_smtp._tls timed out");
	is_int(g.f->nevals, 2, "two evaluations");
	if (g.f->nevals == 2) {
		is_int(g.f->evals[0].result, SPF_PASS, "listed address passes");
		is_str(g.f->evals[0].mechanism, "ip4:192.0.2.1", "matched");
		is_str(g.f->evals[0].sender, "postmaster@sub.ex.test",
		    "default sender");
		is_str(g.f->evals[0].helo, "sub.ex.test", "default HELO");
		is_int(g.f->evals[1].result, SPF_FAIL, "other address fails");
	}

	fs = findings_new();
	analyze_auth(g.f, NULL, fs);
	ok(has(fs, "DMARC_INHERITED", "sub.ex.test"), "DMARC_INHERITED");
	ok(!has(fs, "DMARC_EXTERNAL_UNAUTHORIZED", NULL),
	    "authorised destination: no finding");
	ok(has(fs, "DKIM_KEY_WEAK", NULL), "DKIM_KEY_WEAK");
	ok(has(fs, "MTASTS_POLICY_FETCH_FAILED", NULL),
	    "MTASTS_POLICY_FETCH_FAILED");
	ok(has(fs, "TLSRPT_LOOKUP_FAILED", NULL), "TLSRPT_LOOKUP_FAILED");
	ok(!has(fs, "TLSRPT_MISSING", NULL), "a timeout is not missing");
	ok(has(fs, "SPF_IP_NOT_AUTHORIZED", "198.51.100.1"),
	    "SPF_IP_NOT_AUTHORIZED for the unlisted address");
	ok(!has(fs, "SPF_IP_NOT_AUTHORIZED", "192.0.2.1"),
	    "none for the listed one");
	ok(!has(fs, "SPF_MISSING", NULL), "SPF found");
	findings_free(fs);
	auth_facts_free(g.f);
}

static const char *const missing_codes[] = {
	"SPF_MISSING", "DMARC_MISSING", "DKIM_NO_KEY_FOUND", "MTASTS_MISSING",
	"TLSRPT_MISSING", NULL
};

/* The deadline before any answer: everything is "could not be read". */
static void
test_cancel_at_once(struct dns *dns)
{
	static const char *ips[] = { "192.0.2.1", NULL };
	struct auth_config cfg;
	struct got g;
	struct findings *fs;
	struct probe_auth *ap;
	size_t i;

	memset(&cfg, 0, sizeof(cfg));
	memset(&g, 0, sizeof(g));
	cfg.domain = "sub.ex.test";
	cfg.spf_ips = ips;
	ap = probe_auth_start(loop, dns, &cfg, on_done, &g);
	probe_auth_cancel(ap);
	is_int(g.calls, 1, "cancel delivers the facts at once");
	evloop_run(loop);
	is_int(g.calls, 1, "and nothing runs later");
	if (g.f == NULL)
		return;
	ok(g.f->spf == NULL, "no SPF analysis");
	is_str(g.f->spf_state, "deadline", "SPF state says why");
	is_int(g.f->dmarc_own.outcome, DNS_TIMEOUT, "DMARC: timeout");
	is_int(g.f->tlsrpt.outcome, DNS_TIMEOUT, "TLS-RPT: timeout");
	is_int(g.f->mtasts.txt_outcome, DNS_TIMEOUT, "MTA-STS TXT: timeout");
	is_int(g.f->mtasts.fetch, MTASTS_FETCH_NOT_TRIED, "no fetch");
	ok(g.f->mtasts.fetch_detail != NULL, "fetch detail says why");
	ok(g.f->dkim.nsel > 10, "the built-in selectors were tried");
	is_int(g.f->dkim.sel[0].outcome, DNS_TIMEOUT, "DKIM: timeout");
	is_int(g.f->dmarc.spf, -1, "SPF unknown for DMARC");
	is_int(g.f->dmarc.dkim, -1, "DKIM unknown for DMARC");
	is_int(g.f->evals[0].finished, 0, "evaluation unfinished");
	is_int(g.f->evals[0].result, SPF_TEMPERROR, "temperror");

	fs = findings_new();
	analyze_auth(g.f, NULL, fs);
	ok(has(fs, "SPF_LOOKUP_FAILED", "sub.ex.test"), "SPF_LOOKUP_FAILED");
	ok(has(fs, "DMARC_LOOKUP_FAILED", NULL), "DMARC_LOOKUP_FAILED");
	ok(has(fs, "DKIM_LOOKUP_FAILED", NULL), "DKIM_LOOKUP_FAILED");
	ok(has(fs, "MTASTS_LOOKUP_FAILED", NULL), "MTASTS_LOOKUP_FAILED");
	ok(has(fs, "TLSRPT_LOOKUP_FAILED", NULL), "TLSRPT_LOOKUP_FAILED");
	ok(has(fs, "SPF_IP_TEMPERROR", "192.0.2.1"), "SPF_IP_TEMPERROR");
	for (i = 0; missing_codes[i] != NULL; i++)
		ok(!has(fs, missing_codes[i], NULL), "no %s after the "
		    "deadline", missing_codes[i]);
	findings_free(fs);
	auth_facts_free(g.f);
}

static void
cancel_now(void *arg)
{
	(void)arg;
	probe_auth_cancel(to_cancel);
	to_cancel = NULL;
}

/* The fake for the mid-way test: cancel once _dmarc.sub is answered. */
static enum dns_outcome
fake_mid(void *arg, const char *name, int type, struct dns_rr **rrs,
    size_t *nrr)
{
	if (dname_equal(name, "_dmarc.sub.ex.test"))
		evloop_timer_add(loop, 0, cancel_now, NULL);
	return fake(arg, name, type, rrs, nrr);
}

/* The deadline while the organisational DMARC record is asked. */
static void
test_cancel_midway(void)
{
	struct dns *dns;
	struct auth_config cfg;
	struct got g;
	struct findings *fs;

	dns = dns_new_fake(loop, fake_mid, NULL);
	memset(&cfg, 0, sizeof(cfg));
	memset(&g, 0, sizeof(g));
	cfg.domain = "sub.ex.test";
	to_cancel = probe_auth_start(loop, dns, &cfg, on_done, &g);
	evloop_run(loop);
	is_int(g.calls, 1, "mid-way cancel: one callback");
	if (g.f != NULL) {
		is_int(g.f->dmarc_own.outcome, DNS_NXDOMAIN, "own answered");
		is_int(g.f->dmarc.org_queried, 1, "org asked");
		is_int(g.f->dmarc_org.outcome, DNS_TIMEOUT,
		    "org unanswered: timeout");
		fs = findings_new();
		analyze_auth(g.f, NULL, fs);
		ok(has(fs, "DMARC_LOOKUP_FAILED", NULL),
		    "DMARC_LOOKUP_FAILED, not missing");
		ok(!has(fs, "DMARC_MISSING", NULL), "no DMARC_MISSING");
		findings_free(fs);
		auth_facts_free(g.f);
	}
	dns_free(dns);
}

/* MTA-STS's view of the MX hosts comes from the SMTP probe's facts. */
static void
test_mx_certs(void)
{
	static char n1[] = "mx1.ex.test", n2[] = "mx2.ex.test",
	    n3[] = "mx3.ex.test", dot[] = ".";
	static const char pol[] = "version: STSv1\nmode: enforce\n"
	    "mx: *.ex.test\nmax_age: 604800\n";
	static const struct taglist_txt txt = { "v=STSv1; id=1", 13 };
	struct mx_host hosts[5];
	struct mx_set set;
	struct probe_target tg[4];
	struct smtp_result r[4];
	struct probe_facts pf;
	struct auth_facts af;
	struct mtasts_mx *mx;
	struct findings *fs;
	size_t n;

	memset(hosts, 0, sizeof(hosts));
	memset(&set, 0, sizeof(set));
	memset(tg, 0, sizeof(tg));
	memset(r, 0, sizeof(r));
	memset(&pf, 0, sizeof(pf));
	hosts[0].name = n1;
	hosts[1].name = n2;
	hosts[2].name = n3;
	hosts[3].name = n1;	/* listed twice: once in the list */
	hosts[4].name = dot;
	set.outcome = DNS_OK;
	set.hosts = hosts;
	set.nhost = 5;
	pf.mx = &set;
	pf.targets = tg;
	pf.ntargets = 4;
	/* mx1: two addresses, both valid. mx2: one valid, one with a
	 * name mismatch. mx3: TLS never reached. */
	tg[0].host = 0, tg[0].smtp = &r[0];
	tg[1].host = 0, tg[1].smtp = &r[1];
	tg[2].host = 1, tg[2].smtp = &r[2];
	tg[3].host = 1, tg[3].smtp = &r[3];
	r[0].tls_done = r[1].tls_done = r[2].tls_done = r[3].tls_done = 1;
	r[0].tls.verify_ok = r[0].tls.name_ok = 1;
	r[1].tls.verify_ok = r[1].tls.name_ok = 1;
	r[2].tls.verify_ok = r[2].tls.name_ok = 1;
	r[3].tls.verify_ok = 1;
	n = analyze_mtasts_mx(&pf, &mx);
	is_int(n, 3, "three distinct MX hosts, null MX left out");
	if (n == 3) {
		is_int(mx[0].cert_valid, 1, "mx1 valid");
		is_int(mx[1].cert_valid, 0, "mx2: one address fails");
		is_int(mx[2].cert_valid, -1, "mx3: unknown");
	}
	free(mx);
	n = analyze_mtasts_mx(NULL, &mx);
	is_int(n, 0, "no probe facts: no MX");
	ok(mx == NULL, "and no list");

	memset(&af, 0, sizeof(af));
	af.domain = (char *)"ex.test";
	af.mtasts.domain = "ex.test";
	af.mtasts.txt_outcome = DNS_OK;
	af.mtasts.txt = &txt;
	af.mtasts.ntxt = 1;
	af.mtasts.fetch = MTASTS_FETCH_OK;
	af.mtasts.http_status = 200;
	af.mtasts.body = pol;
	af.mtasts.body_len = strlen(pol);
	af.dmarc.domain = af.dkim.domain = af.tlsrpt.domain = "ex.test";
	fs = findings_new();
	analyze_auth(&af, &pf, fs);
	ok(has(fs, "MTASTS_CERT_INVALID", "mx2.ex.test"),
	    "MTASTS_CERT_INVALID for mx2");
	ok(!has(fs, "MTASTS_CERT_INVALID", "mx1.ex.test"), "not for mx1");
	ok(!has(fs, "MTASTS_CERT_INVALID", "mx3.ex.test"),
	    "not for mx3 (unknown)");
	ok(has(fs, "SPF_LOOKUP_FAILED", NULL),
	    "no SPF analysis: lookup failed");
	findings_free(fs);
	fs = findings_new();
	analyze_auth(NULL, &pf, fs);
	is_int(findings_count(fs), 0, "no auth facts: no findings");
	findings_free(fs);
}

/* The usual selectors for DOMAIN: how many asked, how many keys. */
static void
dkim_run(struct dns *dns, const char *domain, struct got *g)
{
	struct auth_config cfg;

	memset(&cfg, 0, sizeof(cfg));
	memset(g, 0, sizeof(*g));
	cfg.domain = domain;
	asked[0] = '\0';
	probe_auth_start(loop, dns, &cfg, on_done, g);
	evloop_run(loop);
}

static size_t
count_asked(const char *suffix)
{
	const char *p;
	size_t n = 0;

	for (p = asked; (p = strstr(p, suffix)) != NULL; p += strlen(suffix))
		n++;
	return n;
}

static void
test_dkim_economy(struct dns *dns)
{
	struct got g;
	struct findings *fs;
	size_t i, nx;

	/* RFC 8020: NXDOMAIN at _domainkey.none.ex.test, no guess more. */
	dkim_run(dns, "none.ex.test", &g);
	if (g.f == NULL)
		return;
	is_int((int)count_asked("._domainkey.none.ex.test "), 1,
	    "NXDOMAIN at _domainkey: one selector guess asked, not 40");
	ok(strstr(asked, " _domainkey.none.ex.test ") != NULL ||
	    strncmp(asked, "_domainkey.none.ex.test ", 24) == 0,
	    "_domainkey.none.ex.test was asked");
	for (i = nx = 0; i < g.f->dkim.nsel; i++)
		nx += g.f->dkim.sel[i].outcome == DNS_NXDOMAIN;
	ok(g.f->dkim.nsel > 10 && nx == g.f->dkim.nsel, "every usual "
	    "selector is recorded NXDOMAIN, as RFC 8020 says it is");
	fs = findings_new();
	analyze_auth(g.f, NULL, fs);
	ok(has(fs, "DKIM_NO_KEY_FOUND", "none.ex.test") &&
	    !has(fs, "DKIM_LOOKUP_FAILED", NULL), "the same verdict: "
	    "DKIM_NO_KEY_FOUND");
	findings_free(fs);
	auth_facts_free(g.f);

	/* NODATA at _domainkey (an empty non-terminal): the whole list. */
	dkim_run(dns, "nd.ex.test", &g);
	if (g.f == NULL)
		return;
	is_int((int)count_asked("._domainkey.nd.ex.test "),
	    (int)g.f->dkim.nsel, "NODATA at _domainkey: every guess asked");
	is_int(g.f->dmarc.dkim, 1, "and the key at the 8th guess is found");
	auth_facts_free(g.f);

	/* NXDOMAIN at _domainkey, yet the first guess has a key. */
	dkim_run(dns, "odd.ex.test", &g);
	if (g.f == NULL)
		return;
	is_int((int)count_asked("._domainkey.odd.ex.test "),
	    (int)g.f->dkim.nsel, "a server not following RFC 8020: every "
	    "guess asked");
	is_int(g.f->dmarc.dkim, 1, "its key is found");
	auth_facts_free(g.f);
}

int
main(void)
{
	struct dns *dns;

	loop = evloop_new();
	dns = dns_new_fake(loop, fake, NULL);
	test_full_run(dns);
	test_cancel_at_once(dns);
	test_dkim_economy(dns);
	dns_free(dns);
	test_cancel_midway();
	test_mx_certs();
	evloop_free(loop);
	return tap_done();
}
